"""The engine against closed forms: the two-state worker flow.

With referrals and vacancies out of the way (``demand: always_hiring``), no exits, no
on-the-job search and homogeneous hazards, each worker alternates between employment and
search with exponential spells of rates s (separation) and f (job finding). Then

* long-run unemployment is s / (s + f),
* mean search spells last 1/f and mean employment spells 1/s months.

Three seeded replications of 2,000 workers over 240 months are pooled. Tolerances are set
at about five standard errors of the pooled estimators (given in each test), so a correct
engine fails with negligible probability and a wrong rate fails reliably.
"""

from __future__ import annotations

import numpy as np
import pytest

from netsim.experiments import validation
from netsim.model.run import simulate

F_RATE = 0.45  # Shimer's monthly job-finding probability, as a hazard
S_RATE = 0.034  # Shimer's monthly separation probability, as a hazard
SEEDS = (11, 12, 13)
HORIZON = 240.0
WORKERS = 2000


def two_state_scenario(f: float = F_RATE, s: float = S_RATE):
    """The two-state flow of the validation page, at this module's size."""
    return validation.two_state_scenario(WORKERS, HORIZON, f, s)


def exposure(events, initial_employed: int, horizon: float) -> tuple[float, float]:
    """Exact employed and seeking person-months from the event log."""
    hires = events[(events["kind"] == "hire")]["time_months"].to_numpy()
    seps = events[(events["kind"] == "separation")]["time_months"].to_numpy()
    times = np.concatenate([hires, seps])
    steps = np.concatenate([np.ones(len(hires)), -np.ones(len(seps))])
    order = np.argsort(times, kind="stable")
    times, steps = times[order], steps[order]
    level = initial_employed + np.concatenate([[0.0], np.cumsum(steps)])
    edges = np.concatenate([[0.0], times, [horizon]])
    employed_time = float(np.sum(level * np.diff(edges)))
    return employed_time, WORKERS * horizon - employed_time


def completed_search_spells(events) -> np.ndarray:
    """Lengths of search spells that start and end inside the run (months)."""
    ev = events[events["kind"].isin(["hire", "separation"])]
    spells = []
    for _, g in ev.groupby("worker", sort=False):
        start = None
        for kind, t in zip(g["kind"], g["time_months"], strict=True):
            if kind == "separation":
                start = t
            elif start is not None:
                spells.append(t - start)
                start = None
    return np.asarray(spells)


@pytest.fixture(scope="module")
def runs():
    return [simulate(two_state_scenario(), seed) for seed in SEEDS]


def test_steady_state_unemployment_matches_s_over_s_plus_f(runs):
    expected = S_RATE / (S_RATE + F_RATE)  # 0.0702
    # Time average over months 1..240 per run; the run starts at the steady state.
    observed = np.mean([r.timeseries["unemployment_rate"].iloc[1:].mean() for r in runs])
    # sd of u across workers ~ sqrt(u(1-u)/N) = 0.0057, autocorrelation ~ 1/(s+f) = 2 months,
    # so the pooled time average has a standard error of about 0.0003.
    assert observed == pytest.approx(expected, abs=0.0025)


def test_mean_spell_lengths_match_one_over_rates(runs):
    employed_time = seeking_time = 0.0
    hires = separations = 0
    search_spells = []
    for r in runs:
        ev = r.events
        e, s = exposure(ev, int(r.timeseries["employed"].iloc[0]), HORIZON)
        employed_time += e
        seeking_time += s
        hires += int((ev["kind"] == "hire").sum())
        separations += int((ev["kind"] == "separation").sum())
        search_spells.append(completed_search_spells(ev))
    spells = np.concatenate(search_spells)
    # Maximum-likelihood mean spell lengths (exposure per completed spell) handle
    # censoring at the horizon; ~ 45,000 spells of each kind, relative s.e. ~ 0.5%.
    assert seeking_time / hires == pytest.approx(1 / F_RATE, rel=0.03)
    assert employed_time / separations == pytest.approx(1 / S_RATE, rel=0.03)
    # Direct mean of completed search spells: 1/f = 2.2 months << horizon, so censoring is
    # negligible; s.e. = (1/f) / sqrt(n) ~ 0.5%.
    assert spells.mean() == pytest.approx(1 / F_RATE, rel=0.03)
    assert spells.std() == pytest.approx(1 / F_RATE, rel=0.05)  # exponential: sd = mean


def test_a_wrong_rate_would_be_detected():
    """The tolerances above are tight enough to tell f = 0.45 from f = 0.40."""
    r = simulate(two_state_scenario(f=0.40), SEEDS[0])
    observed = r.timeseries["unemployment_rate"].iloc[1:].mean()
    assert abs(observed - S_RATE / (S_RATE + F_RATE)) > 0.0025


def test_probation_switches_on_dismissal_hazard_exactly():
    """Quit hazard q throughout, dismissal hazard d only after probation P.

    The waiting time is drawn by inverting the piecewise-constant hazard, so for a new hire
    P(tenure < P) = 1 - exp(-qP); no dismissal happens in probation; after it, a share
    d/(q+d) of separations are dismissals; and the mean residual tenure past P is 1/(q+d).
    """
    q, d, p = 0.05, 0.10, 6.0
    sc = two_state_scenario(f=1.0, s=q)
    sc = sc.model_copy(
        update={
            "labour_market": sc.labour_market.model_copy(update={"dismissal_rate_per_month": d}),
            "companies": sc.companies.model_copy(update={"probation_months": p}),
        }
    )
    ev = simulate(sc, 5).events
    hires = ev[(ev["kind"] == "hire") & (ev["time_months"] < HORIZON - 80)]
    seps = ev[ev["kind"] == "separation"].set_index("hire")
    ended = seps.loc[seps.index.intersection(hires["hire"])]
    start = hires.set_index("hire").loc[ended.index, "time_months"]
    tenure = ended["time_months"] - start
    # Hires this early have all ended by the horizon (survival past 80 months < 1e-5).
    assert len(ended) == len(hires) > 5000
    early = tenure < p
    # Binomial s.e. of the share ~ 0.006 at n ~ 6000.
    assert early.mean() == pytest.approx(1 - np.exp(-q * p), abs=0.03)
    assert (ended.loc[early, "detail"] == "quit").all()
    late = ended.loc[~early, "detail"]
    assert (late == "dismissal").mean() == pytest.approx(d / (q + d), abs=0.03)
    assert (tenure[~early] - p).mean() == pytest.approx(1 / (q + d), rel=0.05)
