"""Firms that live (netsim.mechanisms.firms): entry, exit, moving brand, posts, staff
policy with its alienation spiral, the employee referral programme, policy-change rules.

Direction tests run 5 seeds of a 1,000-worker, 60-company, 60-month market with a third of
the firms in each policy and compare the firms present at the start by their policy.
"""

from __future__ import annotations

import math
import sys
import textwrap
from array import array
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

import netsim.mechanisms.firms as firms_module
import netsim.model.simulation as simulation_module
from conftest import pre_calibration, small_scenario
from netsim.mechanisms.staff_policy import MIN_CHANGE, StaffPolicy
from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.scenario.errors import NetsimInputError

SEEDS = (1, 2, 3, 4, 5)


def market(**firms) -> dict:
    """A 1,000-worker, 60-company, 60-month market with firms that live (as data)."""
    return {
        "name": "firms",
        "horizon_months": 60,
        "population": {"workers": 1000},
        "companies": {
            "count": 60,
            "policy_shares": {"restrict": 1 / 3, "neutral": 1 / 3, "embrace": 1 / 3},
        },
        "outputs": {"network_stats_every_months": 0},
        "firms": {"enabled": True, **firms},
    }


@pytest.fixture(scope="module")
def runs():
    """The market run with 5 seeds."""
    sc = load_scenario(market())
    return [simulate(sc, seed) for seed in SEEDS]


def by_initial_policy(result) -> dict[str, float]:
    """Mean reputation index (log of brand over long-run brand) at the end, of the firms
    present at the start and still in business, by their policy."""
    c = result.companies
    present = (c["entered_months"] == 0.0) & c["alive"]
    return {
        p: float(c.loc[present & (c["policy"] == p), "reputation"].mean())
        for p in ("restrict", "neutral", "embrace")
    }


# ------------------------------------------------------------------ off == unchanged
def test_off_leaves_a_run_unchanged():
    """firms.enabled false with every other firms key changed gives the same run as the
    defaults (the golden file pins the defaults to main's behaviour)."""
    base = simulate(small_scenario(), 7)
    other = simulate(
        small_scenario(
            firms={
                "enabled": False,
                "entry": {"rate_per_month": 5.0},
                "exit": {"rate_per_month": 0.5},
                "posts": {"rate_per_month": 3.0},
                "referral_programme": {"bonus": 9000.0},
                "staff_policy": {"rule": "restrict_after_losses"},
            }
        ),
        7,
    )
    assert base.summary == other.summary
    assert base.timeseries.equals(other.timeseries)
    assert base.events.equals(other.events)
    assert base.companies.equals(other.companies)
    assert "entered_months" not in base.companies
    assert set(base.tables) == {"edges"}  # every run writes its edge list; no firms tables
    assert (base.timeseries["hires_employee_referral"] == 0).all()
    assert (base.timeseries["separations_firm_exit"] == 0).all()


# ------------------------------------------------------------------ direction
def test_restrict_brand_falls_and_embrace_brand_rises_relative_to_neutral(runs):
    """Over 5 seeds: restricting firms end with a reputation below neutral firms', embracing
    firms above, in every seed, by at least 0.3 log units on average."""
    reps = [by_initial_policy(r) for r in runs]
    down = [r["restrict"] - r["neutral"] for r in reps]
    up = [r["embrace"] - r["neutral"] for r in reps]
    assert all(d < 0 for d in down), down
    assert all(u > 0 for u in up), up
    assert np.mean(down) < -0.3 and np.mean(up) > 0.3, (down, up)


def test_restrict_quits_rise(runs):
    """Quits per head-year are higher at restricting firms than at neutral ones in every
    seed, and restricting firms' quit rate does not fall from the first to the last two
    years (the spiral: brand down, climate worse), averaged over seeds."""
    for r in runs:
        s = r.summary
        assert s["quits_per_head_year_restrict"] > s["quits_per_head_year_neutral"], s
    first, last = [], []
    for r in runs:
        m = r.timeseries[r.timeseries["month"] > 0]
        q, h = m["quits_restrict"].to_numpy(), m["staff_restrict"].to_numpy()
        first.append(q[:24].sum() / h[:24].sum())
        last.append(q[-24:].sum() / h[-24:].sum())
    assert np.mean(last) >= np.mean(first), (first, last)


def test_brand_spiral_absent_when_every_firm_is_neutral():
    """With every firm neutral, the reputation of the firms present at the start stays
    near 0 (|mean| < 0.3 in each of 3 seeds): no spiral without restriction."""
    data = {**market(), **pre_calibration()}  # brands' long-run level assumes this market
    data["companies"]["policy_shares"] = {"restrict": 0.0, "neutral": 1.0, "embrace": 0.0}
    sc = load_scenario(data)
    for seed in SEEDS[:3]:
        rep = by_initial_policy(simulate(sc, seed))["neutral"]
        assert abs(rep) < 0.3, rep


def test_embrace_referral_programme_hires_and_books_bonuses(runs):
    """Embracing firms hire through their referral programme in every seed; every such hire
    has one erp_bonus in the ledger, from its company to a worker, of the configured bonus,
    and the books balance."""
    bonus = runs[0].scenario.firms.referral_programme.bonus
    for r in runs:
        ev = r.events
        erp = ev[(ev["kind"] == "hire") & (ev["detail"] == "employee_referral")]
        assert len(erp) > 0 and r.summary["erp_hires"] == len(erp)
        led = r.ledger
        paid = led[led["reason"] == "erp_bonus"]
        assert len(paid) == len(erp)
        assert set(paid["hire"]) == set(erp["hire"])
        assert (paid["payer_kind"] == "company").all() and (paid["payee_kind"] == "worker").all()
        assert np.allclose(paid["amount"], bonus)
        by_hire = erp.set_index("hire")["company"]
        assert (paid.set_index("hire")["payer"] == by_hire.loc[paid["hire"]].values).all()
        policy = r.companies.set_index("company")["initial_policy"]
        assert (policy.loc[erp["company"]] == "embrace").all()
        assert math.isclose(r.summary["erp_bonus_total"], float(paid["amount"].sum()))
        # Money is conserved: every entry debits one account and credits another.
        flows = paid.groupby("payer")["amount"].sum().sum() - paid["amount"].sum()
        assert abs(flows) < 1e-6
        assert r.summary["hire_share_market"] < 1.0


# ------------------------------------------------------------------ entry and exit
def test_entry_count_matches_rate_times_horizon():
    """Entries over 60 months at 2 per month: Poisson(120), within 4 standard deviations,
    in each of 3 seeds; entrants start with a brand below their long-run brand."""
    sc = load_scenario(market(entry={"rate_per_month": 2.0}, exit={"rate_per_month": 0.0}))
    for seed in SEEDS[:3]:
        r = simulate(sc, seed)
        n = r.summary["firm_entries"]
        assert abs(n - 120) < 4 * math.sqrt(120), n
        assert r.summary["firm_exits"] == 0
        entries = r.tables["firms"]
        entries = entries[entries["event"] == "entry"]
        assert len(entries) == n
        c = r.companies.set_index("company")
        assert (entries["brand"].to_numpy() < c.loc[entries["company"], "brand_long_run"]).all()
        assert r.summary["firm_entry_slots_exhausted"] is False


def test_exit_count_matches_hazard():
    """100 SMEs (no large ones) with a flat monthly closing hazard of 0.01 and no entry:
    exits ~ Binomial(100, 1 - 0.99**59) (closures at months 1..59 happen in the run),
    within 4 standard deviations, in each of 3 seeds."""
    data = market(
        entry={"rate_per_month": 0.0},
        exit={"rate_per_month": 0.01, "young_multiplier": 1.0, "brand_elasticity": 0.0},
    )
    data["companies"].update(count=100, large_share=0.0)
    sc = load_scenario(data)
    p = 1 - math.exp(-0.01 * 60)
    mean, sd = 100 * p, math.sqrt(100 * p * (1 - p))
    for seed in SEEDS[:3]:
        n = simulate(sc, seed).summary["firm_exits"]
        assert abs(n - mean) < 4 * sd, (n, mean)


def test_staff_of_an_exiting_firm_all_leave(runs):
    """At a closure every member of the staff separates with reason firm_exit at once; the
    firm hires nobody afterwards, has no staff and no open vacancy at the end."""
    for r in runs[:2]:
        firms = r.tables["firms"]
        exits = firms[firms["event"] == "exit"]
        assert len(exits) > 0
        ev = r.events
        c = r.companies.set_index("company")
        for row in exits.itertuples():
            seps = ev[
                (ev["kind"] == "separation")
                & (ev["company"] == row.company)
                & (ev["detail"] == "firm_exit")
            ]
            assert len(seps) == row.staff_let_go
            assert (seps["time_months"] == row.time_months).all()
            later = ev[(ev["company"] == row.company) & (ev["time_months"] > row.time_months)]
            assert not (later["kind"] == "hire").any()
            assert c.loc[row.company, "employees"] == 0
            assert c.loc[row.company, "open_vacancies"] == 0
            assert not c.loc[row.company, "alive"]
            assert c.loc[row.company, "exited_months"] == row.time_months
        total = int(r.timeseries["separations_firm_exit"].sum())
        assert total == r.summary["firm_exit_separations"] == int(exits["staff_let_go"].sum())
        # Every worker let go is seeking right after (or has moved on since).
        w = r.workers.set_index("worker")
        assert (w.loc[seps["worker"], "state"] != "out").any() or len(seps) == 0


def test_entry_stops_when_dormant_slots_run_out(monkeypatch):
    """With two dormant slots, entry stops after two entries and the summary says so."""
    monkeypatch.setattr(firms_module, "dormant_slots", lambda sc: 2)
    monkeypatch.setattr(simulation_module, "dormant_slots", lambda sc: 2)
    r = simulate(load_scenario(market(entry={"rate_per_month": 3.0})), 1)
    assert r.summary["firm_entries"] == 2
    assert r.summary["firm_entry_slots_exhausted"] is True
    assert len(r.companies) == 62


@given(rate=st.floats(0.01, 50.0), horizon=st.floats(1.0, 1200.0))
def test_dormant_slots_cover_the_poisson_quantile(rate, horizon):
    """The slots reserved for entrants are at least the 1 - 1e-6 quantile of the number of
    entries (Poisson with mean rate x horizon)."""
    sc = load_scenario(
        {"horizon_months": horizon, "firms": {"enabled": True, "entry": {"rate_per_month": rate}}}
    )
    assert firms_module.dormant_slots(sc) >= poisson.ppf(1 - 1e-6, rate * horizon)


# ------------------------------------------------------------------ posts and rules
def test_posts_reach_the_post_hook_with_policy_dependent_tone(runs):
    """Posts are in the posts table; restricting firms' share of positive posts is below
    neutral firms', embracing firms' above (all seeds pooled)."""
    shares = {}
    for p in ("restrict", "neutral", "embrace"):
        pos = tot = 0
        for r in runs:
            posts = r.tables["posts"]
            policy = r.companies.set_index("company")["initial_policy"]
            mine = posts[(policy.loc[posts["company"]] == p).to_numpy()]
            pos += int((mine["tone"] > 0).sum())
            tot += len(mine)
        shares[p] = pos / tot
    assert shares["restrict"] < shares["neutral"] < shares["embrace"], shares
    s = runs[0].summary
    assert s["posts_positive"] + s["posts_negative"] == len(runs[0].tables["posts"])


def test_restrict_after_losses_turns_firms_to_restrict():
    """With a low loss threshold, some neutral or embracing firms switch to restricting."""
    sc = load_scenario(
        market(staff_policy={"rule": "restrict_after_losses", "params": {"loss_share": 0.1}})
    )
    r = simulate(sc, 1)
    assert r.summary["policy_changes"] > 0
    c = r.companies
    switched = (c["policy"] == "restrict") & (c["initial_policy"] != "restrict")
    assert switched.sum() == r.summary["policy_changes"]


def test_bad_policy_rule_is_an_input_error():
    with pytest.raises(NetsimInputError) as exc:
        load_scenario(market(staff_policy={"rule": "restrict_after_loses"}))
    text = str(exc.value)
    assert "firms.staff_policy.rule" in text and "restrict_after_losses" in text
    with pytest.raises(NetsimInputError) as exc:
        load_scenario(
            market(staff_policy={"rule": "restrict_after_losses", "params": {"loss_share": -1}})
        )
    assert "firms.staff_policy.params.loss_share" in str(exc.value)


def test_a_researchers_own_policy_rule(tmp_path, monkeypatch):
    """A rule named as module:Class in the scenario's folder runs without engine changes."""
    (tmp_path / "firm_policy_rules_for_test.py").write_text(
        textwrap.dedent(
            """
            import numpy as np
            from netsim.mechanisms.policy_rules import PolicyRule

            class AllEmbrace(PolicyRule):
                name = "all_embrace"

                def decide(self, state):
                    return np.full(len(state.policy), 2)
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    sc = load_scenario(
        market(staff_policy={"rule": "firm_policy_rules_for_test:AllEmbrace"}), base_dir=tmp_path
    )
    r = simulate(sc, 1)
    sys.modules.pop("firm_policy_rules_for_test", None)  # a unique name; leave no trace
    alive = r.companies[r.companies["alive"]]
    assert (alive["policy"] == "embrace").all()


# ------------------------------------------------------------------ morale (law)
class _MoraleMarket:
    """The few market services StaffPolicy._morale uses, over plain arrays."""

    def __init__(self, employer: list[int], n_companies: int) -> None:
        self.employers = array("q", employer)
        self.n_companies = n_companies
        self.sat = [0.5] * len(employer)
        self.calls: list[int] = []

    def satisfaction(self, i: int) -> float:
        return self.sat[i]

    def set_satisfaction(self, i: int, sat: float) -> None:
        self.calls.append(i)
        self.sat[i] = sat


def test_morale_reevaluates_each_employee_independently_with_probability_p():
    """Each employee of a changed firm re-evaluates with p = 1 - exp(-rate), independently:
    the share of re-evaluations is p (5 sd), the count per firm is Binomial(staff, p)
    (variance within 15%), nobody outside the changed firms nor anyone whose climate moved
    less than MIN_CHANGE is touched, and a re-evaluation takes up exactly the change."""
    firms, per_firm = 3000, 10
    employer = [c for c in range(firms) for _ in range(per_firm)] + [-1] * 500
    market = _MoraleMarket(employer, firms + 1)  # company `firms` has no staff
    policy = StaffPolicy.__new__(StaffPolicy)
    policy.cfg = SimpleNamespace(morale_rate_per_month=1.0 / 6.0)
    policy.market = market
    policy.gen = np.random.default_rng(3)
    policy.applied = array("d", bytes(8 * len(employer)))
    policy.reevaluations = 0
    policy.climate = [0.2] * (firms + 1)
    small = 7  # a firm whose climate moved too little to matter
    policy.climate[small] = MIN_CHANGE / 2
    changed = np.array([c for c in range(firms) if c != 11], dtype=np.int64)  # 11 unchanged
    policy._morale(changed)
    p = -math.expm1(-1.0 / 6.0)
    n = (len(changed) - 1) * per_firm
    calls = np.array(market.calls)
    assert abs(len(calls) - n * p) < 5 * math.sqrt(n * p * (1 - p))
    assert len(set(calls.tolist())) == len(calls) == policy.reevaluations
    touched = np.array(employer)[calls]
    assert (touched >= 0).all() and not np.isin(touched, [11, small]).any()
    counts = np.bincount(touched, minlength=firms)[[c for c in changed if c != small]]
    assert abs(counts.var() / (per_firm * p * (1 - p)) - 1.0) < 0.15
    assert all(math.isclose(market.sat[i], 0.7) for i in calls.tolist())
    assert all(policy.applied[i] == 0.2 for i in calls.tolist())
    # Whoever took up the change holds it: their climate has not moved since.
    market.calls.clear()
    policy.gen = np.random.default_rng(4)
    policy._morale(changed)
    assert market.calls and not set(market.calls) & set(calls.tolist())


def test_growth_weights_sums_follow_entries_and_exits():
    """The running sums the growth draws bisect stay those of the weights through entries
    (redone from the entrant's slot on) and closures anywhere, the first slot included."""
    from itertools import accumulate

    from netsim.model.simulation import Simulation

    sc = load_scenario(market(entry={"rate_per_month": 2.0}, exit={"rate_per_month": 0.02}))
    sim = Simulation(sc.model_copy(update={"horizon_months": 24}), 4)
    sim.run()
    assert sim._pos_cum == list(accumulate(sim.growth_weight))
    assert any(w > 0 for w in sim.growth_weight[60:])  # entrants took dormant slots
    assert not all(sim.alive[:60])  # and some firms closed
    for c in (0, 5, len(sim.growth_weight) - 1):
        sim._close_company(c)
        assert sim._pos_cum == list(accumulate(sim.growth_weight))


def test_whole_market_views_match_the_per_company_services():
    """The monthly updates read every company at once; the views agree with the calls."""
    from netsim.model.simulation import Simulation

    sc = load_scenario(market(entry={"rate_per_month": 2.0}))
    sim = Simulation(sc.model_copy(update={"horizon_months": 12}), 2)
    sim.run()
    m = sim.services()
    n = m.n_companies
    assert m.open_vacancy_counts().tolist() == [m.open_vacancies(c) for c in range(n)]
    assert list(m.company_policies) == [m.company_policy(c) for c in range(n)]
    assert list(m.large_companies) == [m.is_large(c) for c in range(n)]
    assert sum(m.open_vacancy_counts()) > 0
    m.set_hire_satisfaction_shifts([0, 3], [0.25, -0.5])
    assert (sim.sat_shift[0], sim.sat_shift[3]) == (0.25, -0.5)
