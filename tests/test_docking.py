"""Docking with Calvó-Armengol & Jackson (AER 2004): netsim's word-of-mouth mode against the
exact continuous-time Markov chain on small graphs.

Each graph is run as 300 disjoint copies in one run (the copies are independent), so the
standard errors come from a grouped jackknife over copies; tolerances are 4 standard errors
(plus 0.002 for the correlation, whose estimator has an O(1/T) bias over 150 months).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from netsim.experiments.docking import (
    caj_exact,
    caj_exit_hazard,
    caj_observed,
    caj_scenario,
    write_copies,
)
from netsim.model.run import simulate
from test_theory import completed_search_spells

A, B = 0.3, 0.1  # hearing of a job, job ending (per month)
COPIES = 300
GRAPHS = {
    "dyad": nx.path_graph(2),
    "4-cycle": nx.cycle_graph(4),
    "K4": nx.complete_graph(4),
    "star": nx.star_graph(3),
}


def test_the_exact_chain_of_an_isolated_worker_is_the_two_state_flow():
    assert caj_exact(nx.empty_graph(1), A, B).unemployment == pytest.approx(B / (A + B))
    assert caj_exact(nx.empty_graph(3), A, B).unemployment == pytest.approx(B / (A + B))


def test_the_exact_chain_shows_the_papers_two_results():
    """Contacts lower unemployment, more so in denser networks, and neighbours' employment
    is positively correlated (Calvó-Armengol & Jackson 2004, Propositions 1 and 2)."""
    u = {name: caj_exact(g, A, B) for name, g in GRAPHS.items()}
    assert u["K4"].unemployment < u["4-cycle"].unemployment < u["dyad"].unemployment
    assert u["dyad"].unemployment < B / (A + B)
    assert all(s.neighbour_correlation > 0 for s in u.values())


@pytest.mark.parametrize("name", list(GRAPHS))
def test_netsim_matches_the_exact_chain(name, tmp_path):
    g = GRAPHS[name]
    big = write_copies(g, COPIES, tmp_path / "g.graphml")
    run = simulate(caj_scenario(tmp_path / "g.graphml", big.number_of_nodes(), A, B, 180.0), 3)
    exact = caj_exact(g, A, B)
    seen, se = caj_observed(run, g, COPIES)
    assert abs(seen.unemployment - exact.unemployment) <= 4 * se.unemployment, (seen, se)
    tol = 4 * se.neighbour_correlation + 0.002
    assert abs(seen.neighbour_correlation - exact.neighbour_correlation) <= tol, (seen, se)


WINDOWS = [(0.0, 1.0), (1.0, 2.0), (2.0, math.inf)]


def _hazard(spells: np.ndarray, lo: float, hi: float) -> tuple[float, float]:
    """Exits per month at risk among spells that reached ``lo`` (events / exposure), and its
    standard error (Poisson: hazard / sqrt(exits))."""
    exposure = np.clip(spells - lo, 0.0, hi - lo).sum()
    exits = int(((spells >= lo) & (spells < hi)).sum())
    return exits / exposure, exits**0.5 / exposure


def test_the_exit_hazard_falls_with_spell_length_as_the_exact_chain_says(tmp_path):
    """In a 4-cycle a long spell signals unemployed neighbours, so the hazard of leaving
    unemployment falls with the spell's length (exactly: 0.788, 0.755, 0.723 per month in
    months 0-1, 1-2 and 2+); an isolated worker's stays at a. Simulated hazards per window
    must lie within 4 standard errors of the exact ones."""
    ring = nx.cycle_graph(4)
    exact_ring = caj_exit_hazard(ring, A, B, 0, WINDOWS)
    assert exact_ring[0] > exact_ring[1] > exact_ring[2]
    assert caj_exit_hazard(nx.empty_graph(1), A, B, 0, WINDOWS) == pytest.approx([A] * 3)
    g = nx.disjoint_union(ring, nx.empty_graph(2))
    big = write_copies(g, COPIES, tmp_path / "g.graphml")
    run = simulate(caj_scenario(tmp_path / "g.graphml", big.number_of_nodes(), A, B, 180.0), 4)
    node = np.arange(big.number_of_nodes())
    for members, exact in ((node[node % 6 < 4], exact_ring), (node[node % 6 >= 4], [A] * 3)):
        ev = run.events
        spells = completed_search_spells(ev[ev["worker"].isin(members)])
        for (lo, hi), want in zip(WINDOWS, exact, strict=True):
            got, se = _hazard(spells, lo, hi)
            assert abs(got - want) <= 4 * se, (lo, hi, got, want, se)
