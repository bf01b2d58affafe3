"""A researcher's own payout rule, named in the scenario as ``package.module:Class``."""

from __future__ import annotations

import sys
import textwrap

import pytest

from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.scenario.errors import NetsimInputError

RULE = textwrap.dedent(
    '''
    from typing import ClassVar

    from pydantic import Field

    from netsim.payouts import Payment, PayoutRule, RuleParams


    class HalfNowHalfLaterParams(RuleParams):
        bonus: float = Field(1000.0, ge=0, description="Total bonus.")
        after_months: float = Field(3.0, gt=0, description="Delay of the second half.")


    class HalfNowHalfLater(PayoutRule):
        """Half the bonus at the hire, half after a delay if the hire is still there."""

        name: ClassVar[str] = "half_now_half_later"
        description: ClassVar[str] = "Half at the hire, half later if the hire stays."
        Params = HalfNowHalfLaterParams
        classifier: ClassVar[dict] = {
            "pays_at_hire": True, "vesting_months": 3.0, "sybil_proof": True,
        }

        def schedule(self, chain_length, salary):
            b = self.params.bonus / 2
            last = chain_length - 1
            return [Payment(0.0, last, b), Payment(self.params.after_months, last, b, True)]

        def budget_bound(self, salary):
            return self.params.bonus
    '''
)


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    (tmp_path / "myrules.py").write_text(RULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "myrules:HalfNowHalfLater"
    sys.modules.pop("myrules", None)


def scenario(rule: str, **params):
    return load_scenario(
        {
            "name": "plugin",
            "horizon_months": 24,
            "population": {"workers": 600},
            "companies": {"count": 30},
            "platform": {
                "enabled": True,
                "member_share": 0.4,
                "recommend_base": 0.5,
                "reach": 20,
                "subscriber_share": 1.0,
                "payout": {"rule": rule, "params": params},
            },
        }
    )


def test_own_rule_is_validated_and_runs(plugin):
    sc = scenario(plugin, bonus=1200)
    # Defaults of the plug-in's params are filled in at load time.
    assert sc.platform.payout.params == {"bonus": 1200.0, "after_months": 3.0}
    res = simulate(sc, 3)
    payouts = res.ledger[res.ledger["reason"] == "payout"]
    assert len(payouts) > 0
    assert set(payouts["amount"].round(6)) == {600.0}
    # Every platform hire got the first half at once, and the second exactly when its
    # stint with the company lasted 3 months within the run.
    ev = res.events
    hires = ev[(ev["kind"] == "hire") & (ev["detail"] == "platform")].set_index("hire")
    assert len(hires) >= 10
    # Leaving the company ends the stint; an internal move does not.
    seps = ev[(ev["kind"] == "separation") & (ev["detail"] != "internal_move")]
    ends = seps.groupby("worker")["time_months"].apply(list)
    count = payouts.groupby("hire")["amount"].count().reindex(hires.index, fill_value=0)
    for hid, row in hires.iterrows():
        t0 = row["time_months"]
        left = [t for t in ends.get(row["worker"], []) if t > t0]
        lasted = (min(left) if left else float("inf")) >= t0 + 3.0
        due = t0 + 3.0 <= 24.0
        assert count[hid] == 1 + int(lasted and due), hid


def test_own_rule_params_are_checked(plugin):
    with pytest.raises(NetsimInputError) as err:
        scenario(plugin, bonis=5)
    assert err.value.key_path == "platform.payout.params.bonis"
    assert "did you mean 'bonus'" in str(err.value)
    with pytest.raises(NetsimInputError) as err:
        scenario(plugin, after_months=-1)
    assert err.value.key_path == "platform.payout.params.after_months"


def test_unknown_or_wrong_rule_class_is_an_input_error():
    with pytest.raises(NetsimInputError) as err:
        scenario("recursiv")
    assert err.value.key_path == "platform.payout.rule"
    assert "did you mean 'recursive'" in str(err.value)
    with pytest.raises(NetsimInputError) as err:
        scenario("no_such_module_xyz:Rule")
    assert "cannot load payout rule plug-in" in str(err.value)
    with pytest.raises(NetsimInputError) as err:
        scenario("netsim.graphs:GraphGenerator")
    assert "is not a payout rule" in str(err.value)
