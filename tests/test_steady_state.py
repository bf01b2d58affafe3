"""The run starts in the steady state: unemployment in year 1 is that of years 2-10.

The market starts from a drawn state that is stationary only in part (ODD §5); the burn-in
(``burn_in_months``, months before the outputs' month 0) lets the rest settle. The check:
over ``SEEDS`` seeded replications of the shipped baseline (every default, 120 months), each
run gives d = its mean monthly unemployment rate in months 1-12 minus its mean over months
13-120. The mean of d over the replications must be within three standard errors
(sd(d) / sqrt(n)) of 0: a correct steady start fails with probability about 0.3%, and a
start that is off by a few tenths of a percentage point fails reliably. The same statistic
without burn-in (``burn_in_months: 0``) is checked to lie far outside, so the test has power.
"""

from __future__ import annotations

import numpy as np

from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from shipped_runs import ROOT

SEEDS = range(101, 121)  # 20 replications
TOLERANCE_SE = 3.0  # standard errors of the mean difference


def year_one_gaps(burn_in_months: int | None) -> np.ndarray:
    """Per seed: mean unemployment in months 1-12 minus its mean over months 13-120."""
    overrides = [] if burn_in_months is None else [f"burn_in_months={burn_in_months}"]
    sc = load_scenario(ROOT / "scenarios" / "baseline.yaml", overrides)
    sc = sc.model_copy(
        update={"outputs": sc.outputs.model_copy(update={"event_log": False})}
    )
    gaps = []
    for seed in SEEDS:
        ts = simulate(sc, seed).timeseries
        u, month = ts["unemployment_rate"].to_numpy(), ts["month"].to_numpy()
        gaps.append(u[(month >= 1) & (month <= 12)].mean() - u[month > 12].mean())
    return np.asarray(gaps)


def z_score(gaps: np.ndarray) -> float:
    """Mean gap in standard errors of the mean."""
    return float(gaps.mean() / (gaps.std(ddof=1) / np.sqrt(len(gaps))))


def test_year_one_unemployment_is_within_sampling_error_of_years_two_to_ten():
    gaps = year_one_gaps(None)  # the shipped default burn-in
    z = z_score(gaps)
    assert abs(z) <= TOLERANCE_SE, (
        f"year 1 unemployment differs from years 2-10 by {gaps.mean():+.4f} "
        f"({z:+.1f} standard errors; tolerance {TOLERANCE_SE})"
    )


def test_without_burn_in_year_one_is_a_transient():
    # The power of the check above: the drawn initial state alone is not the steady state.
    gaps = year_one_gaps(0)
    assert abs(z_score(gaps)) > TOLERANCE_SE
