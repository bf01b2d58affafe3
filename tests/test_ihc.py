"""The Independent Halting Cascade kernel (Kolic et al. 2025) against its exact recursion on
the k-regular tree, and the platform's synchronous cascade mode."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from conftest import small_scenario
from netsim.model.simulation import Simulation
from netsim.platform.ihc import IHCKernel, ihc_tree_exact

PARAMS = [(0.5, 0.3, 0.5), (0.8, 0.2, 0.3), (0.9, 0.1, 0.6)]


def regular_tree(k: int, depth: int) -> nx.Graph:
    """The k-regular tree to ``depth``: the root has k children, every other inner node k-1."""
    G = nx.Graph()
    G.add_node(0)
    frontier, nxt_id = [0], 1
    for d in range(depth):
        new = []
        for v in frontier:
            for _ in range(k if d == 0 else k - 1):
                G.add_edge(v, nxt_id)
                new.append(nxt_id)
                nxt_id += 1
        frontier = new
    return G


def check(sample: dict, exact, n: int, steps_rel: float, size_rel: float) -> None:
    hired = sample["hired"]
    se = math.sqrt(exact.success * (1 - exact.success) / n) + 1e-12
    assert abs(hired.mean() - exact.success) < 4 * se + 1e-9, (hired.mean(), exact.success)
    if exact.success > 0:
        assert sample["steps"][hired].mean() == pytest.approx(
            exact.mean_steps_given_hire, rel=steps_rel
        )
    assert sample["size"].mean() == pytest.approx(exact.mean_size, rel=size_rel)


@pytest.mark.parametrize(("pr", "pa", "ph"), PARAMS)
def test_kernel_on_the_finite_regular_tree_matches_the_truncated_recursion(pr, pa, ph):
    depth, n = 9, 4000
    kernel = IHCKernel(regular_tree(3, depth), rng=1)
    sample = kernel.sample(n, pr, pa, ph, roots=[0] * n)
    # The tree ends at depth 9: exactly the recursion truncated at 9 steps.
    check(sample, ihc_tree_exact(3, pr, pa, ph, max_steps=depth), n, 0.03, 0.05)


@pytest.mark.parametrize(("pr", "pa", "ph"), PARAMS)
def test_kernel_on_a_random_3_regular_graph_approaches_the_tree(pr, pa, ph):
    n = 4000
    kernel = IHCKernel(nx.random_regular_graph(3, 20_000, seed=3), rng=2)
    check(kernel.sample(n, pr, pa, ph), ihc_tree_exact(3, pr, pa, ph), n, 0.03, 0.06)


def test_recursion_closed_forms():
    # Everyone recommended applies and is hired: one step, success 1 - (1 - pr)^k.
    ex = ihc_tree_exact(4, 0.3, 1.0, 1.0)
    assert ex.success == pytest.approx(1 - 0.7**4)
    assert ex.mean_steps_given_hire == pytest.approx(1.0)
    assert ex.mean_size == pytest.approx(4 * 0.3)
    # Nobody applies and pr (k - 1) < 1: no hire; the size is the subcritical tree's.
    ex = ihc_tree_exact(3, 0.4, 0.0, 1.0)
    assert ex.success == 0.0
    assert ex.mean_size == pytest.approx(3 * 0.4 / (1 - 2 * 0.4), rel=1e-6)
    with pytest.raises(ValueError, match="pr"):
        ihc_tree_exact(3, 1.5, 0.1, 0.1)


def test_kernel_takes_any_networkx_labels_and_never_recommends_twice():
    G = nx.relabel_nodes(nx.complete_graph(6), {i: f"w{i}" for i in range(6)})
    kernel = IHCKernel(G, rng=0)
    sizes = kernel.sample(500, 1.0, 0.0, 0.0)["size"]
    assert (sizes == 5).all()  # everyone but the root, once each, then nobody is left
    assert kernel.nodes[0] == "w0"


# --------------------------------------------------------- the platform's synchronous mode


def test_synchronous_platform_cascades_move_in_whole_generations():
    hop = 0.2
    sc = small_scenario(
        population={"workers": 1500},
        horizon_months=36,
        platform={
            "enabled": True,
            "member_share": 0.3,
            "subscriber_share": 1.0,
            "reach": 10,
            "cascade_mode": "synchronous",
            "hop_delay_months": hop,
            "recommend_base": 0.3,
            "pass_on_probability": 1.0,
        },
    )
    sim = Simulation(sc, 4)
    posted: dict[int, float] = {}  # vacancies posted at set-up are posted at time 0
    sim.hooks.vacancy_posted.append(lambda v: posted.setdefault(v, sim.env.now))
    sim.run()
    hires = list(sim.platform.hires.values())
    assert len(hires) > 10
    ev = sim.events()
    rows = ev[ev["kind"] == "hire"]
    vacancy = dict(zip(rows["hire"], rows["vacancy"], strict=True))
    for h in hires:
        g = (h.time_months - posted.get(vacancy[h.hire_id], 0.0)) / (2 * hop)
        # Seeing and deciding take one hop each: a hire whose chain has L referrers comes
        # exactly 2 L hops after the post.
        assert g == pytest.approx(len(h.chain), abs=1e-6), (h, g)


def test_readme_kernel_example_runs():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "IHCKernel(" in b]
    assert len(blocks) == 1
    namespace: dict = {}
    exec(blocks[0], namespace)
    assert namespace["s"]["hired"].size == 10_000
