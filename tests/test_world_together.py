"""Every mechanism of the world at once (freelancers, living firms, screening, tie dynamics,
campaigns, the platform with paid invitations and held rotation pairs): the invariants that
each mechanism's own tests check alone must hold when they meet.

Found this way: a brand change left the project sampler's weights stale (a freelancer then
met a firm with no open project), and a closing firm kept its projects and gigs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import small_scenario
from netsim.model.run import simulate

K = 2


def _everything(seed: int):
    sc = small_scenario(
        horizon_months=48,
        population={"workers": 1500},
        companies={"count": 80, "large_share": 0.05},
        platform={
            "enabled": True,
            "member_share": 0.2,
            "invite_rate_per_month": 0.02,
            "invite_bonus": 200,
            "gaming": {"rotation_share": 0.1, "sybil_share": 0.05, "hold_candidates": True},
        },
        freelance={"share": 0.25, "max_clients": K, "projects": {"sme_rate_per_month": 0.5}},
        firms={"enabled": True, "entry": {"rate_per_month": 1.0},
               "exit": {"rate_per_month": 0.01}},
        screening={"enabled": True},
        ties={"dynamics": {"enabled": True, "half_life_months": 24}},
        campaigns={"enabled": True},
    )  # fmt: skip
    return simulate(sc, seed)


@pytest.fixture(scope="module", params=[1, 2])
def run(request):
    return _everything(request.param)


def test_money_is_conserved_across_every_mechanism(run):
    led = run.ledger
    assert {"fee", "payout", "erp_bonus", "campaign_spend"} <= set(led["reason"].astype(str))
    payer = led["payer_kind"].astype(str) + ":" + led["payer"].astype(str)
    payee = led["payee_kind"].astype(str) + ":" + led["payee"].astype(str)
    balance = led["amount"].groupby(payee).sum().sub(
        led["amount"].groupby(payer).sum(), fill_value=0.0
    )
    assert abs(balance.sum()) <= 1e-6 * led["amount"].sum()
    # Every company's campaign spend and referral bonuses leave its account exactly.
    spent = led[led["reason"].astype(str).isin(["campaign_spend", "erp_bonus"])]
    assert (spent["payer_kind"].astype(str) == "company").all()


def test_one_job_per_employee_and_at_most_k_gigs_per_freelancer(run):
    w = run.workers
    assert run.companies["employees"].sum() == (w["state"] == "employed").sum()
    gigs = run.tables["gigs"]
    assert set(gigs["worker"]) <= set(w.loc[w["contract"] == "freelancer", "worker"])
    end = gigs["end_months"].fillna(np.inf)
    for _, g in gigs.groupby("worker"):
        times = np.concatenate([g["start_months"], end[g.index]])
        steps = np.concatenate([np.ones(len(g)), -np.ones(len(g))])
        order = np.lexsort((steps, times))  # at equal times, an end before a start
        assert np.cumsum(steps[order]).max() <= K


def test_a_closed_firm_hires_nobody_and_keeps_no_gig(run):
    firms = run.tables["firms"]
    exits = firms[firms["event"] == "exit"].set_index("company")["time_months"]
    assert len(exits) > 0
    ev = run.events
    hires = ev[ev["kind"].isin(["hire", "gig_start"]) & ev["company"].isin(exits.index)]
    assert (hires["time_months"].to_numpy() <= exits[hires["company"]].to_numpy()).all()
    gigs = run.tables["gigs"]
    at_closed = gigs[gigs["company"].isin(exits.index)]
    closed_at = exits[at_closed["company"]].to_numpy()
    assert (at_closed["end_months"].to_numpy() <= closed_at + 1e-9).all()


def test_the_run_is_a_function_of_its_seed():
    a, b = _everything(3), _everything(3)
    pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert a.summary == b.summary
