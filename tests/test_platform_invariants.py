"""Bookkeeping invariants of the referral platform over random small scenarios (hypothesis).

Each example draws a small platform scenario (a random rule among the registered payout
rules with default parameters, random gaming shares summing to at most 1, random defences,
refunds and invitations) and a seed, runs it as a :class:`~netsim.model.simulation.Simulation`
(so the internal state can be inspected; ``ReferralPlatform.month_row`` already calls
``Ledger.check_conservation`` at every month end) and checks that:

(a) every ledger amount is positive, account balances sum to zero and the platform's
    books balance in total and at every month end, recomputed from the ledger table and
    from the time-series columns;
(b) fees are ``fee_per_hire`` per platform hire; per-candidate payouts stay within the cap;
    chains are at most ``max_chain`` long;
(c) platform hires in the event log and hires in the chain table are the same set;
(d) refunds are booked exactly for platform hires that ended within ``refund_months``;
(e) the engine's core invariants still hold (head counts add up, one job each).

Also here: the null platform (no rule, no recommendations, no gaming) leaves every outcome
of the run unchanged, and the platform is deterministic given the seed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import last_hire_of_stint, small_scenario, stint_successors
from netsim.model.run import simulate
from netsim.model.simulation import EMPLOYED, Simulation
from netsim.payouts import PAYOUT_RULES

TOL = 1e-6
RULES = sorted(name for name, _ in PAYOUT_RULES)

#: Time-series columns written by the platform (excluded when comparing with no platform).
PLATFORM_COLUMNS = (
    "platform_hires",
    "recommendations",
    "fees",
    "payouts_honest",
    "payouts_gamed",
    "clawbacks",
    "refunds",
    "kickbacks",
    "detections",
    "false_positives",
    "new_members",
    "members",
    "platform_margin",
)


def prob() -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


@st.composite
def gaming_shares(draw) -> dict:
    """Three non-negative shares summing to at most 1."""
    raw = [draw(st.sampled_from([0.0, 0.0, 0.1, 0.3, 0.6])) for _ in range(3)]
    total = sum(raw)
    if total > 1.0:
        raw = [r / total * 0.999 for r in raw]
    return {
        "rotation_share": raw[0],
        "sybil_share": raw[1],
        "self_referral_share": raw[2],
        "sybils_per_cheater": draw(st.integers(1, 3)),
        "kickback_share": draw(prob()),
        "switching_cost": draw(st.sampled_from([0.0, 500.0, 5000.0])),
    }


@st.composite
def platform_scenarios(draw) -> dict:
    onboarding = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
    return {
        "horizon_months": draw(st.integers(12, 30)),
        "population": {"workers": draw(st.integers(150, 400))},
        "companies": {
            "count": draw(st.integers(5, 20)),
            "onboarding_months": onboarding,
            "probation_months": onboarding + draw(st.sampled_from([0.0, 3.0])),
        },
        "labour_market": {
            "dismissal_rate_per_month": draw(st.sampled_from([0.004, 0.05])),
            "quit_rate_per_month": draw(st.sampled_from([0.01, 0.1])),
        },
        "platform": {
            "enabled": True,
            "member_share": draw(st.floats(0.0, 0.6)),
            "subscriber_share": draw(prob()),
            "fee_per_hire": draw(st.sampled_from([0.0, 4000.0])),
            "refund_months": draw(st.sampled_from([0.0, 3.0, 12.0])),
            "reach": draw(st.integers(0, 10)),
            "recommend_base": draw(prob()),
            "pass_on_probability": draw(prob()),
            "apply_probability": draw(prob()),
            "max_chain": draw(st.integers(1, 6)),
            "invite_rate_per_month": draw(st.sampled_from([0.0, 0.01, 0.05])),
            "invite_bonus": draw(st.sampled_from([0.0, 100.0])),
            "payout": {"rule": draw(st.sampled_from(RULES))},
            "gaming": draw(gaming_shares()),
            "defences": {
                "screening": draw(st.booleans()),
                "memory_months": draw(st.sampled_from([6.0, 24.0])),
                "short_stint_months": draw(st.sampled_from([3.0, 6.0, 24.0])),
                "max_short_stints": draw(st.integers(1, 3)),
                "cooldown_months": draw(st.sampled_from([0.0, 3.0, 12.0])),
                "cap_per_candidate": draw(st.sampled_from([None, 0.0, 1000.0, 3000.0])),
                "sybil_detection_probability": draw(prob()),
            },
        },
    }


# --------------------------------------------------------------------------- checks


def check_ledger(led: pd.DataFrame, margin: float) -> None:
    """(a) Entries are positive, balances sum to zero, the platform's books balance."""
    assert (led["amount"] > 0).all()
    assert np.isfinite(led["amount"]).all()
    balances: dict[tuple[str, int], float] = {}
    for payer_kind, payer, payee_kind, payee, amount in zip(
        led["payer_kind"], led["payer"], led["payee_kind"], led["payee"], led["amount"], strict=True
    ):
        balances[(payer_kind, payer)] = balances.get((payer_kind, payer), 0.0) - amount
        balances[(payee_kind, payee)] = balances.get((payee_kind, payee), 0.0) + amount
    scale = max(1.0, led["amount"].sum())
    assert abs(sum(balances.values())) <= TOL * scale
    assert balances.get(("platform", 0), 0.0) == pytest.approx(margin, abs=TOL * scale)
    tot = led.groupby("reason", observed=False)["amount"].sum()
    # fees = payouts - clawbacks + margin + refunds + invite bonuses
    assert tot["fee"] == pytest.approx(
        tot["payout"] - tot["clawback"] + margin + tot["refund"] + tot["invite_bonus"],
        abs=TOL * scale,
    )
    # Who pays whom, by reason.
    kinds = {
        "fee": ("company", "platform"),
        "payout": ("platform", "worker"),
        "clawback": ("worker", "platform"),
        "refund": ("platform", "company"),
        "kickback": ("worker", "worker"),
        "invite_bonus": ("platform", "worker"),
    }
    for reason, (payer_kind, payee_kind) in kinds.items():
        rows = led[led["reason"] == reason]
        assert (rows["payer_kind"] == payer_kind).all(), reason
        assert (rows["payee_kind"] == payee_kind).all(), reason
    assert (led.loc[led["reason"] != "invite_bonus", "hire"] >= 0).all()


def check_monthly_books(ts: pd.DataFrame, led: pd.DataFrame) -> None:
    """(a) At every month end the books balance, from the ledger and from the time series."""
    scale = max(1.0, led["amount"].sum())
    flows = {
        "fees": ("fee",),
        "payouts_honest": (),
        "clawbacks": ("clawback",),
        "refunds": ("refund",),
        "kickbacks": ("kickback",),
    }
    cum = {col: ts[col].cumsum().to_numpy() for col in flows}
    cum_payouts = (ts["payouts_honest"] + ts["payouts_gamed"]).cumsum().to_numpy()
    for k, t in enumerate(ts["time_months"].to_numpy()):
        upto = led[led["time_months"] <= t]
        by = upto.groupby("reason", observed=False)["amount"].sum()
        margin = ts["platform_margin"].iloc[k]
        expected = by["fee"] - by["payout"] + by["clawback"] - by["refund"] - by["invite_bonus"]
        assert margin == pytest.approx(expected, abs=TOL * scale), (k, margin, expected)
        for col, reasons in flows.items():
            if reasons:
                assert cum[col][k] == pytest.approx(by[reasons[0]], abs=TOL * scale), (col, k)
        assert cum_payouts[k] == pytest.approx(by["payout"], abs=TOL * scale), k
        # The same identity from the time-series columns alone (invite bonuses from the ledger:
        # the time series has no column for them).
        from_ts = (cum["fees"][k] - cum_payouts[k] + cum["clawbacks"][k] - cum["refunds"][k]) - by[
            "invite_bonus"
        ]
        assert margin == pytest.approx(from_ts, abs=TOL * scale), k
    gamed = led[(led["reason"] == "payout") & led["gamed"]]["amount"].sum()
    assert ts["payouts_gamed"].sum() == pytest.approx(gamed, abs=TOL * scale)
    assert (ts["platform_hires"] == ts["hires_platform"]).all()
    assert ts["members"].is_monotonic_increasing


def check_hires_and_chains(
    sim: Simulation, ev: pd.DataFrame, chains: pd.DataFrame, led: pd.DataFrame
) -> None:
    """(b), (c), (d): fees, caps, chain lengths, chain table vs event log, refunds."""
    cfg = sim.sc.platform
    hires = ev[(ev["kind"] == "hire") & (ev["detail"] == "platform")]
    hire_ids = set(hires["hire"].tolist())
    assert hire_ids == set(chains["hire"].tolist())
    assert hire_ids == set(sim.platform.hires)
    # Chain rows agree with the event log.
    first = chains.groupby("hire").first()
    by_hire = hires.set_index("hire")
    assert (first["worker"] == by_hire.loc[first.index, "worker"]).all()
    assert (first["company"] == by_hire.loc[first.index, "company"]).all()
    lengths = chains.groupby("hire")["position"].agg(["count", "max"])
    assert (lengths["count"] == lengths["max"] + 1).all()
    assert (lengths["count"] >= 1).all()
    assert (lengths["count"] <= cfg.max_chain).all()
    assert (chains["sybil"] == (chains["identity"] < 0)).all()
    # Fees: one per platform hire.
    fees = led[led["reason"] == "fee"]
    assert fees["amount"].sum() == pytest.approx(cfg.fee_per_hire * len(hire_ids))
    if cfg.fee_per_hire > 0:
        assert sorted(fees["hire"].tolist()) == sorted(hire_ids)
    # Money per hire only for platform hires.
    assert set(led.loc[led["hire"] >= 0, "hire"]) <= hire_ids
    # Cap per candidate (over all of the candidate's platform hires).
    cap = cfg.defences.cap_per_candidate
    if cap is not None:
        payouts = led[led["reason"] == "payout"]
        worker_of = first["worker"]
        per_candidate = payouts.groupby(payouts["hire"].map(worker_of))["amount"].sum()
        assert (per_candidate <= cap + TOL).all(), per_candidate.max()
    # Refunds exactly for platform hires that ended within refund_months.
    # A platform hire's stint with the company may continue under new hire ids after
    # internal moves; follow them to the separation that ends the stint.
    all_seps = ev[(ev["kind"] == "separation") & (ev["hire"] >= 0)].set_index("hire")
    assert all_seps.index.is_unique
    successor = stint_successors(ev)
    early = set()
    for h in hire_ids:
        last = last_hire_of_stint(successor, h)
        if last in all_seps.index:
            tenure = all_seps.loc[last, "time_months"] - by_hire.loc[h, "time_months"]
            if tenure < cfg.refund_months:
                early.add(h)
    refunds = led[led["reason"] == "refund"]
    assert refunds["hire"].is_unique
    refunded = set(refunds["hire"].tolist())
    assert refunded == (early if cfg.fee_per_hire > 0 else set())
    assert (refunds["amount"] == cfg.fee_per_hire).all()
    # Refunds go to the company that paid the fee.
    if len(refunds):
        assert (refunds["payee"].to_numpy() == by_hire.loc[refunds["hire"], "company"]).all()


def check_core(sim: Simulation, ts: pd.DataFrame) -> None:
    """(e) Head counts add up every month; each employed worker is on one staff list."""
    n = sim.workers.n
    assert ((ts["employed"] + ts["seeking"] + ts["out_of_market"]) == n).all()
    where: dict[int, int] = {}
    for c, staff in enumerate(sim.staff):
        for i in staff:
            assert i not in where, (i, where[i], c)
            where[i] = c
    for i, s in enumerate(sim.state):
        if s == EMPLOYED:
            assert where.get(i) == sim.employer[i]
        else:
            assert i not in where


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sections=platform_scenarios(), seed=st.integers(0, 2**31 - 1))
def test_platform_invariants(sections: dict, seed: int) -> None:
    sc = small_scenario(**sections)
    sim = Simulation(sc, seed).run()  # month_row checks conservation at every month end
    sim.platform.ledger.check_conservation()
    ts = sim.timeseries()
    ev = sim.events()
    led = sim.platform.ledger.to_frame()
    chains = sim.platform.chain_table()
    check_ledger(led, sim.platform.ledger.platform_margin)
    check_monthly_books(ts, led)
    check_hires_and_chains(sim, ev, chains, led)
    check_core(sim, ts)


# --------------------------------------------------------------------------- null platform

NULL_PLATFORM = {
    "enabled": True,
    "member_share": 0.3,
    "subscriber_share": 1.0,
    "reach": 5,
    "recommend_base": 0.0,
    "pass_on_probability": 0.0,
    "payout": {"rule": "none"},
}


def _null_pair(seed: int):
    base = {"population": {"workers": 500}, "horizon_months": 36}
    off = simulate(small_scenario(**base), seed=seed)
    on = simulate(small_scenario(**base, platform=NULL_PLATFORM), seed=seed)
    return off, on


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_null_platform_changes_nothing(seed: int) -> None:
    off, on = _null_pair(seed)
    core = [c for c in off.timeseries.columns if c not in PLATFORM_COLUMNS]
    assert not set(PLATFORM_COLUMNS) & set(off.timeseries.columns)
    pdt.assert_frame_equal(off.timeseries[core], on.timeseries[core])
    pdt.assert_frame_equal(off.events, on.events)
    # The platform only adds its own columns (membership, strategy, referral income).
    pdt.assert_frame_equal(off.workers, on.workers[off.workers.columns])
    assert (on.workers["income_referral"] == 0).all()
    pdt.assert_frame_equal(off.companies, on.companies)
    # The platform saw vacancies (so the test is not vacuous) but did nothing with them.
    assert on.summary["platform_hires"] == 0
    assert on.summary["recommendations"] == 0
    assert len(on.ledger) == 0
    for key, value in off.summary.items():
        if key == "engine_events":  # counts engine callbacks, including the platform's hops
            continue
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(on.summary[key]), key
        else:
            assert on.summary[key] == value, key


def test_null_platform_unemployment_distribution() -> None:
    off, on = zip(*(_null_pair(seed) for seed in range(10, 15)), strict=True)
    key = "unemployment_rate_mean_second_half"
    a = np.array([r.summary[key] for r in off])
    b = np.array([r.summary[key] for r in on])
    assert a.std() > 0  # the seeds really differ
    assert a.mean() == pytest.approx(b.mean(), abs=1e-12)
    np.testing.assert_array_equal(np.sort(a), np.sort(b))


# --------------------------------------------------------------------------- determinism


def test_platform_is_deterministic() -> None:
    sc = small_scenario(
        population={"workers": 500},
        platform={
            "enabled": True,
            "member_share": 0.4,
            "recommend_base": 0.5,
            "pass_on_probability": 0.7,
            "invite_rate_per_month": 0.02,
            "invite_bonus": 50.0,
            "refund_months": 6.0,
            "payout": {"rule": "recursive"},
            "gaming": {"rotation_share": 0.2, "sybil_share": 0.2, "self_referral_share": 0.1},
            "defences": {"screening": True, "sybil_detection_probability": 0.5},
        },
    )
    a = simulate(sc, seed=5)
    b = simulate(sc, seed=5)
    assert a.summary["platform_hires"] > 0
    pdt.assert_frame_equal(a.ledger, b.ledger)
    pdt.assert_frame_equal(a.chains, b.chains)
    pdt.assert_frame_equal(a.timeseries, b.timeseries)
    assert a.summary == b.summary or all(
        a.summary[k] == b.summary[k] or (a.summary[k] != a.summary[k]) for k in a.summary
    )
    c = simulate(sc, seed=6)
    assert not a.ledger.equals(c.ledger)
