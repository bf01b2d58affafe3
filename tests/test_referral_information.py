"""Referrals carry information about match quality (issue 11, item 1): a hire through
contacts, vetted by a referrer who knows both sides, is the better of two matches, so
referred hires start more satisfied and quit less; market hires are unaffected."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import pre_calibration, small_scenario
from netsim.experiments.moments import compute_moments
from netsim.model.run import simulate
from netsim.model.simulation import Simulation

#: E[max of two Beta(2, 2) draws] = 12 (3/5 - 5/6 + 2/7) = 22/35.
MEAN_BEST_OF_TWO = 22 / 35


def _hire_satisfaction(info: float, seed: int) -> dict[str, list[float]]:
    # The closed form needs many hires: the churnier pre-calibration market gives them.
    sc = small_scenario(
        **pre_calibration(
            population={"workers": 1500},
            companies={"count": 60, "large_share": 0.1},
            labour_market={"referral_information": info, "word_of_mouth_rate_per_month": 6.0},
            horizon_months=60,
        )
    )
    sim = Simulation(sc, seed)
    seen: dict[str, list[float]] = {}
    services = sim.services()
    sim.hooks.hire.append(
        lambda h: seen.setdefault(h.channel, []).append(services.satisfaction(h.worker))
    )
    sim.run()
    return seen


def test_vetted_hires_are_the_better_of_two_matches_and_market_hires_are_not():
    seen = _hire_satisfaction(1.0, 3)
    wom, market = np.array(seen["word_of_mouth"]), np.array(seen["market"])
    assert len(wom) > 300 and len(market) > 1000
    # Beta(2, 2) has sd 0.224; best of two about 0.19: 4 standard errors of the mean.
    assert wom.mean() == pytest.approx(MEAN_BEST_OF_TWO, abs=4 * 0.19 / len(wom) ** 0.5)
    assert market.mean() == pytest.approx(0.5, abs=4 * 0.224 / len(market) ** 0.5)


def test_without_information_every_channel_draws_the_same_match_quality():
    seen = _hire_satisfaction(0.0, 3)
    wom = np.array(seen["word_of_mouth"])
    assert wom.mean() == pytest.approx(0.5, abs=4 * 0.224 / len(wom) ** 0.5)


def test_referred_hires_quit_less_when_referrals_carry_information():
    """The quit hazard of contacts' hires relative to market hires falls (pooled over three
    seeds with common random numbers; satisfaction matters more with sensitivity 3)."""
    ratios = {}
    for info in (0.0, 1.0):
        values = []
        for seed in (1, 2, 3):
            sc = small_scenario(
                population={"workers": 2000},
                companies={"count": 80, "large_share": 0.1},
                labour_market={
                    "referral_information": info,
                    "word_of_mouth_rate_per_month": 6.0,
                    "satisfaction_sensitivity": 3.0,
                    "quit_rate_per_month": 0.02,
                },
                horizon_months=96,
            )
            moments = compute_moments(simulate(sc, seed), ["referred_quit_ratio"], 12.0)
            values.append(moments["referred_quit_ratio"])
        ratios[info] = float(np.mean(values))
    assert ratios[1.0] < ratios[0.0] - 0.08, ratios
