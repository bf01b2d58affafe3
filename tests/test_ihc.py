"""The Independent Halting Cascade kernel (Kolic et al. 2025) against its exact law on the
k-regular tree, which a large random k-regular graph approaches (it is locally tree-like:
a cascade of tens of nodes meets a cycle with probability of order size^2 / n)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from netsim.platform.ihc import CSRGraph, ihc_cascade, ihc_tree_exact

N_CASCADES = 4000


@pytest.fixture(scope="module")
def regular3():
    return CSRGraph.from_networkx(nx.random_regular_graph(3, 20_000, seed=20250101))


def test_degenerate_cases_of_the_tree_law():
    sure = ihc_tree_exact(3, 1.0, 1.0, 1.0)
    assert sure.success == pytest.approx(1.0)
    assert sure.mean_steps_given_success == pytest.approx(1.0)
    assert sure.mean_recommended == pytest.approx(3.0)  # all of the root's neighbours
    never = ihc_tree_exact(3, 0.3, 0.0, 1.0)  # nobody applies: spreads until it dies out
    assert never.success == 0.0
    # One step: the root recommends each of k neighbours with pr; one hire suffices.
    one = ihc_tree_exact(4, 0.5, 1.0, 0.5)
    assert one.success == pytest.approx(1 - (1 - 0.25) ** 4)


@pytest.mark.parametrize(("pr", "pa", "ph"), [(0.5, 0.3, 0.5), (0.8, 0.2, 0.3), (0.3, 0.5, 0.5)])
def test_cascades_on_a_random_3_regular_graph_follow_the_tree_recursion(regular3, pr, pa, ph):
    rng = np.random.default_rng(7)
    roots = rng.integers(0, 20_000, N_CASCADES)
    outs = [ihc_cascade(regular3, int(r), pr, pa, ph, rng) for r in roots]
    exact = ihc_tree_exact(3, pr, pa, ph)
    hired = np.array([o.hired for o in outs])
    steps = np.array([o.steps for o in outs if o.hired], dtype=float)
    size = np.array([o.recommended for o in outs], dtype=float)
    p = exact.success
    assert hired.mean() == pytest.approx(p, abs=4 * (p * (1 - p) / N_CASCADES) ** 0.5)
    se_steps = steps.std() / len(steps) ** 0.5
    assert steps.mean() == pytest.approx(exact.mean_steps_given_success, abs=4 * se_steps)
    se_size = size.std() / len(size) ** 0.5
    assert size.mean() == pytest.approx(exact.mean_recommended, abs=4 * se_size + 0.02)
    # The whole step distribution, not only its mean: hire at step t.
    by_step = np.bincount(steps.astype(int), minlength=6)[1:6] / N_CASCADES
    for t, want in enumerate(exact.step_probability[:5]):
        se = (want * (1 - want) / N_CASCADES) ** 0.5
        assert by_step[t] == pytest.approx(want, abs=4 * se + 1e-3)


def test_nobody_is_recommended_twice_and_the_root_never(regular3):
    """With pa = 0 nobody applies, so a cascade spreads until it dies out; its recommended
    nodes are distinct and exclude the root, so there are at most n - 1 of them."""
    rng = np.random.default_rng(3)
    out = ihc_cascade(regular3, 0, 0.9, 0.0, 1.0, rng)
    assert not out.hired and out.applicants == 0
    assert 0 < out.recommended <= 20_000 - 1


def test_csr_graph_requires_integer_nodes():
    with pytest.raises(ValueError, match="0..n-1"):
        CSRGraph.from_networkx(nx.relabel_nodes(nx.path_graph(3), {0: "a"}))
