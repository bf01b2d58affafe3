"""Freelancers and gigs (market/gigs.py): off means unchanged, invariants, a closed form,
direction over seeds, payouts on platform gigs, and a property over small random scenarios.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import small_scenario
from netsim.model.run import simulate
from netsim.model.simulation import Simulation

FREELANCE = {
    "share": 0.4,
    "max_clients": 2,
    "length_median_months": 4.0,
    "projects": {"sme_rate_per_month": 0.6, "large_rate_per_month": 3.0},
}


def freelance_scenario(workers: int = 300, horizon: float = 36, **over):
    """The small scenario with freelancers on; ``over`` updates sections."""
    sections = {"population": {"workers": workers}, "horizon_months": horizon}
    sections["freelance"] = {**FREELANCE, **over.pop("freelance", {})}
    sections.update(over)
    return small_scenario(**sections)


# ---------------------------------------------------------------------- off: unchanged
def test_off_by_default_leaves_the_run_unchanged():
    """With share 0 and no project demand, other freelance keys change nothing at all."""
    base = simulate(small_scenario(), 5)
    tweaked = simulate(small_scenario(freelance={"max_clients": 5, "length_median_months": 2.0}), 5)
    assert base.summary == tweaked.summary
    pd.testing.assert_frame_equal(base.events, tweaked.events)
    assert "contract" not in base.workers.columns
    assert "utilisation" not in base.timeseries.columns
    assert "gigs" not in base.tables
    assert "freelancing" not in set(base.workers["state"].astype(str))


def test_share_zero_means_no_gigs_even_with_projects():
    """Projects opened with nobody to take them: they all expire, no gig starts."""
    res = simulate(freelance_scenario(freelance={"share": 0.0}), 3)
    assert len(res.tables["gigs"]) == 0
    assert (res.workers["contract"] == "employee").all()
    ev = res.events
    projects = ev[(ev["kind"] == "vacancy_opened") & (ev["detail"] == "project")]
    assert len(projects) > 50
    assert res.timeseries["utilisation"].eq(0.0).all()


# ---------------------------------------------------------------------- invariants
def max_overlap(starts: np.ndarray, ends: np.ndarray) -> int:
    """Most intervals [start, end) open at once."""
    marks = sorted([(s, 1) for s in starts] + [(e, -1) for e in ends])  # ends sort first
    live = best = 0
    for _, d in marks:
        live += d
        best = max(best, live)
    return best


def check_invariants(res, k: int, n_workers: int) -> None:
    """Everything that must hold in any run with freelancers."""
    gigs, workers, ev = res.tables["gigs"], res.workers, res.events
    freelancer = workers.set_index("worker")["contract"] == "freelancer"
    # An employee never holds a gig; a freelancer never holds a position.
    assert freelancer.loc[gigs["worker"]].all()
    hired = ev.loc[ev["kind"] == "hire", "worker"]
    assert not freelancer.loc[hired].any()
    assert (workers.loc[freelancer.to_numpy(), "employer"] == -1).all()
    # A freelancer never holds more than K gigs at once.
    for _, g in gigs.groupby("worker"):
        assert max_overlap(g["start_months"].to_numpy(), g["end_months"].to_numpy()) <= k
    # A gig lasts its drawn length unless the freelancer leaves it early.
    ran = gigs[gigs["end_reason"].isin(["gig_end", ""])]
    np.testing.assert_allclose(
        ran["end_months"] - ran["start_months"], ran["length_months"], rtol=1e-9, atol=1e-9
    )
    early = gigs[gigs["end_reason"].isin(["exit", "quit"])]
    assert (early["end_months"] - early["start_months"] <= early["length_months"] + 1e-9).all()
    # Every gig after time 0 matches its gig_start event; every ended gig its gig_end event.
    starts = ev[ev["kind"] == "gig_start"].set_index("hire")
    later = gigs[gigs["start_months"] >= 0.0].set_index("hire")
    assert sorted(starts.index) == sorted(later.index)
    joined = later.merge(starts, left_index=True, right_index=True, suffixes=("", "_ev"))
    assert (joined["worker"] == joined["worker_ev"]).all()
    assert (joined["company"] == joined["company_ev"]).all()
    assert (joined["vacancy"] == joined["vacancy_ev"]).all()
    assert (joined["channel"].astype(str) == joined["detail"].astype(str)).all()
    np.testing.assert_allclose(joined["start_months"], joined["time_months"])
    ends = ev[ev["kind"] == "gig_end"]
    assert len(ends) == int(gigs["ended"].sum())
    # Projects are filled only by gigs, positions only by hires.
    projects = set(
        ev.loc[(ev["kind"] == "vacancy_opened") & (ev["detail"] == "project"), "vacancy"]
    )
    # (A gig running at month 0 may fill a project opened within the burn-in, before the log.)
    gig_vacancies = set(gigs.loc[gigs["vacancy"] >= 0, "vacancy"])
    hired_into = set(ev.loc[ev["kind"] == "hire", "vacancy"])
    first_logged = ev.loc[ev["kind"] == "vacancy_opened", "vacancy"].min()
    assert all(v in projects or v < first_logged for v in gig_vacancies)
    assert not gig_vacancies & hired_into
    assert not projects & hired_into
    # Stocks add up every month; the final stocks match the worker table.
    ts = res.timeseries
    total = ts["employed"] + ts["seeking"] + ts["freelancing"] + ts["out_of_market"]
    assert (total == n_workers).all()
    assert (ts["gigs_live"] <= k * ts["freelancers_in_market"]).all()
    state = workers["state"].astype(str)
    assert ((state == "freelancing") == (workers["gigs_now"] > 0)).all()
    assert int((state == "freelancing").sum()) == int(ts["freelancing"].iloc[-1])
    assert int(workers["gigs_now"].sum()) == int(ts["gigs_live"].iloc[-1])
    # Income by source: salary only for employees, gig income only for freelancers.
    assert (workers.loc[freelancer.to_numpy(), "income_salary"] == 0.0).all()
    assert (workers.loc[~freelancer.to_numpy(), "income_gig"] == 0.0).all()


def test_invariants_with_platform_and_word_of_mouth():
    sc = freelance_scenario(
        workers=400,
        platform={"enabled": True, "member_share": 0.4, "subscriber_share": 1.0, "reach": 10},
    )
    res = simulate(sc, 11)
    check_invariants(res, 2, 400)
    channels = set(res.tables["gigs"]["channel"].astype(str))
    # (The gigs drawn at the start ended within the burn-in: none is 'initial'.)
    assert {"market", "word_of_mouth", "platform"} <= channels
    # The platform charges one fee per platform hire, positions and gigs alike.
    ev, led = res.events, res.ledger
    platform_hires = ((ev["kind"] == "hire") & (ev["detail"] == "platform")).sum()
    platform_gigs = (res.tables["gigs"]["channel"] == "platform").sum()
    assert (led["reason"] == "fee").sum() == platform_hires + platform_gigs


def test_vital_forces_freelance_more_often():
    sc = freelance_scenario(
        workers=2000, horizon=1, population={"workers": 2000, "vital_forces": {"share": 0.5}}
    )
    w = Simulation(sc, 4).worker_table()
    by_vital = (w["contract"] == "freelancer").groupby(w["vital_force"]).mean()
    # Multiplier 2, share 0.4, half vital: 0.267 of the others, 0.533 of vital forces.
    assert by_vital[True] == pytest.approx(0.533, abs=0.05)
    assert by_vital[False] == pytest.approx(0.267, abs=0.05)
    assert (w["contract"] == "freelancer").mean() == pytest.approx(0.4, abs=0.03)


# ---------------------------------------------------------------------- closed form
def erlang_loss_utilisation(rho: float, k: int) -> float:
    """Mean busy share of K servers of an M/G/K/K loss system with offered load rho."""
    weights = [rho**n / math.factorial(n) for n in range(k + 1)]
    return sum(n * w for n, w in enumerate(weights)) / sum(weights) / k


def test_utilisation_matches_the_erlang_loss_formula():
    """No competition, ample projects, everyone fits and accepts: each freelancer is an
    M/G/K/K loss system (search rate lambda while below K, lognormal lengths), whose
    occupancy is insensitive to the length distribution: P(n) ~ rho^n / n!."""
    lam, k, median, sigma = 0.5, 2, 4.0, 0.5
    sc = small_scenario(
        horizon_months=120,
        population={"workers": 300, "skills": 1, "vital_forces": {"share": 0.0}},
        companies={"count": 200, "large_share": 0.0},
        labour_market={
            "exit_rate_per_month": 0.0,
            "word_of_mouth_rate_per_month": 0.0,
            "reservation_wage_ratio": 0.0,
        },
        freelance={
            "share": 1.0,
            "max_clients": k,
            "length_median_months": median,
            "length_sigma": sigma,
            "search_rate_per_month": lam,
            "projects": {"sme_rate_per_month": 3.0},
        },
    )
    res = simulate(sc, 2)
    ts = res.timeseries
    assert ts["open_projects"].iloc[24:].min() > 100  # projects stay ample
    measured = ts["utilisation"].iloc[24:].mean()
    rho = lam * median * math.exp(sigma**2 / 2)
    assert measured == pytest.approx(erlang_loss_utilisation(rho, k), abs=0.03)


# ---------------------------------------------------------------------- direction
@pytest.mark.parametrize("seed", range(5))
def test_more_project_demand_raises_utilisation(seed):
    low = simulate(freelance_scenario(freelance={"projects": {"sme_rate_per_month": 0.3}}), seed)
    high = simulate(freelance_scenario(freelance={"projects": {"sme_rate_per_month": 1.2}}), seed)
    u_low, u_high = low.summary["utilisation_mean"], high.summary["utilisation_mean"]
    assert u_high > u_low + 0.05, (u_low, u_high)
    assert high.summary["gigs_per_freelancer"] > low.summary["gigs_per_freelancer"]


# ---------------------------------------------------------------------- payouts on gigs
def test_platform_gigs_pay_out_and_retention_is_the_gig_running():
    """A deferred rule pays a gig's referrer only if the gig still runs at the retention
    date: gigs shorter than the retention period end first (their 'gig_end' separation
    reaches the platform), longer ones are paid."""
    retention = 4.0
    sc = freelance_scenario(
        workers=600,
        horizon=48,
        companies={"count": 20, "large_share": 0.0},
        # Slow open-market search and no word of mouth: projects wait for the platform.
        labour_market={"exit_rate_per_month": 0.0, "word_of_mouth_rate_per_month": 0.0},
        freelance={"share": 0.6, "search_rate_per_month": 0.02},
        platform={
            "enabled": True,
            "member_share": 0.5,
            "subscriber_share": 1.0,
            "reach": 20,
            "payout": {"rule": "deferred", "params": {"retention_months": retention}},
        },
    )
    res = simulate(sc, 8)
    gigs = res.tables["gigs"]
    plat = gigs[gigs["channel"] == "platform"].set_index("hire")
    led = res.ledger
    fees = set(led.loc[led["reason"] == "fee", "hire"])
    assert len(plat) >= 50
    assert set(plat.index) <= fees  # the company paid the fee for every platform gig
    paid = set(led.loc[led["reason"] == "payout", "hire"])
    due = plat[plat["start_months"] + retention <= sc.horizon_months]
    long_ = due[due["length_months"] > retention + 1e-9]
    short = due[due["length_months"] < retention - 1e-9]
    assert len(long_) > 0 and len(short) > 0
    assert set(long_.index) <= paid
    assert not set(short.index) & paid


def test_a_scheduled_quit_ends_the_gig_early():
    """Gaming strategies leave a hire when the rule makes it pay (services.schedule_quit):
    for a gig that ends the gig (reason 'quit') at the planned time, not the project."""
    sc = freelance_scenario(freelance={"length_median_months": 10.0, "length_sigma": 0.0})
    sim = Simulation(sc, 6)
    services = sim.services()
    planned: dict[int, float] = {}

    def quit_soon(hire) -> None:
        if services.vacancy_kind(hire.vacancy) == "project" and len(planned) < 5:
            planned[hire.hire_id] = hire.time_months + 1.5
            services.schedule_quit(hire.worker, hire.hire_id, hire.time_months + 1.5)

    sim.hooks.hire.append(quit_soon)
    gigs = sim.run().mechanism_tables()["gigs"].set_index("hire")
    assert len(planned) == 5
    for hid, at in planned.items():
        assert gigs.loc[hid, "end_reason"] == "quit"
        assert gigs.loc[hid, "end_months"] == pytest.approx(at, abs=1e-6)
    others = gigs[(gigs["channel"] != "initial") & ~gigs.index.isin(planned)]
    assert (others["end_reason"] != "quit").all()


# ---------------------------------------------------------------------- property
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    share=st.floats(0.05, 1.0),
    k=st.integers(1, 3),
    sme_rate=st.floats(0.0, 2.0),
    median=st.floats(0.3, 12.0),
    exit_rate=st.sampled_from([0.0, 0.02, 0.1]),
    seed=st.integers(0, 10_000),
)
def test_invariants_hold_in_small_random_scenarios(share, k, sme_rate, median, exit_rate, seed):
    sc = freelance_scenario(
        workers=120,
        horizon=18,
        labour_market={"exit_rate_per_month": exit_rate},
        freelance={
            "share": share,
            "max_clients": k,
            "length_median_months": median,
            "projects": {"sme_rate_per_month": sme_rate, "large_rate_per_month": 0.0},
        },
    )
    check_invariants(simulate(sc, seed), k, 120)


def test_a_vanishing_project_rate_brings_no_project_and_no_crash():
    """A subnormal project rate (hypothesis found 3.6e-312) makes the first waiting time
    infinite: no project arrives, and the run goes on."""
    sc = freelance_scenario(
        workers=120,
        horizon=6,
        freelance={"projects": {"sme_rate_per_month": 3.6e-312, "large_rate_per_month": 0.0}},
    )
    r = simulate(sc, 1)
    opened = r.events.loc[r.events["kind"] == "vacancy_opened", "detail"]
    assert len(opened) > 0 and "project" not in set(opened)
