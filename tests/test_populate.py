"""The start of a run: employed workers placed all at once hold the state one ``_employ``
call per worker would give them (netsim.market.state.MarketState._employ_initial)."""

from __future__ import annotations

import math

import pytest

from netsim.market.state import EMPLOYED, FREELANCING, SEEKING
from netsim.model.loading import load_scenario
from netsim.model.simulation import Simulation


@pytest.mark.parametrize(
    "path, overrides",
    [
        ("scenarios/baseline.yaml", ["population.workers=2000", "companies.count=100"]),
        ("scenarios/baseline.yaml", ["population.workers=1500", "burn_in_months=6"]),
        ("scenarios/freelancers.yaml", ["population.workers=2000"]),
    ],
)
def test_initial_employment_matches_one_employ_per_worker(path: str, overrides: list) -> None:
    sim = Simulation(load_scenario(path, overrides), 3)
    now = sim.env.now
    employed = [i for i in range(sim.workers.n) if sim.state[i] == EMPLOYED]
    assert employed and sim.employed_count == len(employed)
    assert sim.seeking_count == sum(1 for s in sim.state if s == SEEKING)
    assert sim.freelancing_count == sum(1 for s in sim.state if s == FREELANCING)
    since_sum = 0.0
    for i in employed:
        c = sim.employer[i]
        assert sim.staff[c][sim.pos_in_company[i]] == i
        # The same number, to the bit, as the per-worker hazard every later hire uses.
        assert sim.quit_rate[i] == sim._quit_rate(i, c, sim.satisfaction[i])
        assert sim.since[i] <= now and sim.paid_until[i] == max(sim.since[i], 0.0)
        fields = (sim.channel[i], sim.n_jobs[i], sim.hire_id[i], sim.fit[i])
        assert fields == ("initial", 1, -1, 1.0)
        since_sum += sim.since[i]
    assert sum(map(len, sim.staff)) == len(employed)
    assert math.isclose(sim._since_sum, since_sum, rel_tol=1e-12)
    recent = {i for _, i, _ in sim._recent_hires}
    assert recent == {i for i in employed if sim.since[i] > now - sim.onboarding}
