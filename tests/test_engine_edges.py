"""Edge cases of the engine's scheduling: extreme rates and horizons."""

from __future__ import annotations

import pytest

from conftest import small_scenario
from netsim.model.run import simulate


@pytest.mark.parametrize("rate", [0.0, 1e-300, 5e-324])
def test_vanishing_rates_never_fire_and_do_not_crash(rate):
    # A waiting time of ~1e300 months (or infinity) lies past any horizon.
    sc = small_scenario(labour_market={"reentry_rate_per_month": rate, "exit_rate_per_month": 0.2})
    res = simulate(sc, 1)
    assert (res.events["kind"] == "market_entry").sum() == 0
    assert res.timeseries["out_of_market"].iloc[-1] > 0


def test_fractional_horizon_records_whole_months_and_stops_on_time():
    res = simulate(small_scenario(horizon_months=12.5), 2)
    assert res.timeseries["month"].tolist() == list(range(13))
    assert res.events["time_months"].max() <= 12.5


def test_far_timers_fire_at_their_time():
    # With a quit hazard of 0.01/month nearly every employed worker's timer lies months
    # ahead and waits in a month bucket; the quits it produces must be spread over the run,
    # not bunched at month starts.
    sc = small_scenario(horizon_months=60, labour_market={"quit_rate_per_month": 0.05})
    ev = simulate(sc, 3).events
    quits = ev[(ev["kind"] == "separation") & (ev["detail"] == "quit")]["time_months"]
    assert len(quits) > 100
    fractional = quits % 1.0
    assert (fractional > 1e-9).all()
    # Uniform within the month: each quarter holds about a quarter of the quits.
    counts = [((fractional >= q / 4) & (fractional < (q + 1) / 4)).mean() for q in range(4)]
    assert max(counts) < 0.35
