"""A researcher's own referrer strategy, named in ``platform.gaming.custom_shares``."""

from __future__ import annotations

import sys
import textwrap

import pytest

from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.scenario.errors import NetsimInputError

STRATEGY = textwrap.dedent(
    '''
    from netsim.platform import Strategy


    class Boomerang(Strategy):
        """Puts itself forward under its own name and leaves after two months."""

        name = "boomerang"
        description = "Refers itself openly and leaves after two months."

        def recruit(self, platform, member, gen):
            return member

        def claims(self, platform, owner, candidate, chain):
            return owner == candidate

        def planned_stay(self, platform, hire):
            return 2.0
    '''
)


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    (tmp_path / "mystrategies.py").write_text(STRATEGY)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "mystrategies:Boomerang"
    sys.modules.pop("mystrategies", None)


def scenario(custom: dict, **gaming):
    return load_scenario(
        {
            "name": "strategy_plugin",
            "horizon_months": 36,
            "population": {"workers": 800},
            "companies": {"count": 40, "large_share": 0.0},
            "platform": {
                "enabled": True,
                "member_share": 0.3,
                "subscriber_share": 1.0,
                "gaming": {"custom_shares": custom, **gaming},
            },
        }
    )


def test_own_strategy_plays_its_hooks(plugin):
    sc = scenario({plugin: 0.3}, rotation_share=0.1)
    res = simulate(sc, 2)
    ch = res.chains
    mine = ch[ch["gaming"] == "boomerang"]
    assert mine["hire"].nunique() >= 5
    # Its chain is the candidate alone, and the candidate is paid for placing itself.
    assert (mine["referrer"] == mine["worker"]).all()
    payouts = res.ledger[res.ledger["reason"] == "payout"]
    paid = payouts[payouts["hire"].isin(mine["hire"])]
    assert (paid["payee"].to_numpy() == mine.set_index("hire").loc[paid["hire"], "worker"]).all()
    # planned_stay: every boomerang stint that ended did so within two months.
    ev = res.events
    seps = ev[(ev["kind"] == "separation") & (ev["detail"] != "internal_move")]
    hires = ev[ev["kind"] == "hire"].set_index("hire")
    ended = seps[seps["other"].isin(mine["hire"])]
    tenure = ended["time_months"].to_numpy() - hires.loc[ended["other"], "time_months"].to_numpy()
    assert len(tenure) >= 5
    assert (tenure <= 2.0 + 1e-6).all()
    # The workers table names the strategy.
    assert set(res.workers["strategy"].cat.categories) >= {"honest", "rotation", "boomerang"}


def test_own_strategy_is_checked_at_load(plugin):
    with pytest.raises(NetsimInputError) as err:
        scenario({"mystrategies:Nope": 0.1})
    assert err.value.key_path == "platform.gaming.custom_shares.mystrategies:Nope"
    with pytest.raises(NetsimInputError) as err:
        scenario({"rotation": 0.1})
    assert "use platform.gaming.rotation_share" in str(err.value)
    with pytest.raises(NetsimInputError) as err:
        scenario({"netsim.graphs:GraphGenerator": 0.1})
    assert "is not a strategy" in str(err.value)
    with pytest.raises(NetsimInputError) as err:
        scenario({plugin: 0.8}, rotation_share=0.3)
    assert "must be <= 1" in str(err.value)
