"""The Independent Halting Cascade (Kolic, Cebrian, Ucar & Lillo, J. Complex Networks 2025):
a referral cascade in synchronous steps, as a kernel usable on any NetworkX graph.

Rules. Step 0: the root (the vacancy's first referrer) is the only spreader. At each step,
every spreader tries each eligible neighbour once, recommending it with probability ``pr``;
a node is eligible if it was never recommended and is not the root. A recommended node
applies with probability ``pa`` (and is hired with probability ``ph``), or otherwise spreads
in the next step only. The cascade stops at the end of the step with the first hire (every
applicant of that step still counts), or when no spreader is left.

:func:`ihc_cascade` runs one cascade on a :class:`CSRGraph` (compressed neighbour lists, built
once from a NetworkX graph with :meth:`CSRGraph.from_networkx`); :func:`ihc_tree_exact` gives
the exact law on the infinite k-regular tree (a non-root spreader has k - 1 fresh
neighbours), which random k-regular graphs approach because they are locally tree-like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CSRGraph", "CascadeOutcome", "ihc_cascade", "ihc_tree_exact", "TreeLaw"]


@dataclass(frozen=True)
class CSRGraph:
    """A graph's neighbour lists as two flat arrays: node i's neighbours are
    ``indices[indptr[i]:indptr[i + 1]]`` (nodes are 0..n-1)."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def from_networkx(cls, g) -> CSRGraph:
        """From a NetworkX graph with nodes 0..n-1 (relabel others first)."""
        import networkx as nx

        n = g.number_of_nodes()
        if set(g.nodes) != set(range(n)):
            raise ValueError("nodes must be 0..n-1: use nx.convert_node_labels_to_integers(g)")
        a = nx.to_scipy_sparse_array(g, nodelist=range(n), format="csr")
        return cls(a.indptr.astype(np.int64), a.indices.astype(np.int64))

    def neighbours(self, i: int) -> list[int]:
        """Node i's neighbours."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]].tolist()


@dataclass(frozen=True)
class CascadeOutcome:
    """One cascade: whether it hired, at which step (-1 if not), and how many nodes were
    recommended (the tree size, root excluded) and applied."""

    hired: bool
    steps: int
    recommended: int
    applicants: int


def ihc_cascade(
    graph: CSRGraph,
    root: int,
    pr: float,
    pa: float,
    ph: float,
    rng: np.random.Generator,
    max_steps: int = 10_000,
) -> CascadeOutcome:
    """Run one Independent Halting Cascade from ``root`` (see the module docstring)."""
    indptr, indices = graph.indptr, graph.indices
    seen = {root}
    spreaders = [root]
    recommended = applicants = 0
    # Uniforms come in blocks: one call into NumPy per block, not per draw.
    block = rng.random(256).tolist()
    pos = 0
    for step in range(1, max_steps + 1):
        nxt: list[int] = []
        hired = False
        for s in spreaders:
            for j in indices[indptr[s] : indptr[s + 1]].tolist():
                if j in seen:
                    continue
                if pos + 3 > len(block):
                    block = rng.random(256).tolist()
                    pos = 0
                u = block[pos]
                pos += 1
                if u >= pr:
                    continue
                seen.add(j)
                recommended += 1
                if block[pos] < pa:
                    applicants += 1
                    if block[pos + 1] < ph:
                        hired = True
                    pos += 2
                else:
                    nxt.append(j)
                    pos += 1
        if hired:
            return CascadeOutcome(True, step, recommended, applicants)
        if not nxt:
            return CascadeOutcome(False, -1, recommended, applicants)
        spreaders = nxt
    return CascadeOutcome(False, -1, recommended, applicants)


@dataclass(frozen=True)
class TreeLaw:
    """Exact law of the cascade on the k-regular tree: success probability, the probability
    of a hire at each step (``step_probability[t - 1]`` for step t), the mean step of the hire
    given success, and the mean number of recommended nodes."""

    success: float
    step_probability: np.ndarray
    mean_steps_given_success: float
    mean_recommended: float


def ihc_tree_exact(
    k: int, pr: float, pa: float, ph: float, max_steps: int = 200, max_spreaders: int = 4000
) -> TreeLaw:
    """The cascade's exact law on the infinite k-regular tree, by recursion over steps.

    Let Z be the number of spreaders at a step, alive (no hire yet). Its spreaders hold
    n = Z * m eligible neighbours (m = k for the root, k - 1 after). Each neighbour is,
    independently, recommended and hired (probability pr·pa·ph), recommended and a
    non-hired applicant (pr·pa·(1-ph)), recommended and a spreader (pr·(1-pa)), or not
    recommended. So the step hires with probability 1 - (1 - pr·pa·ph)^n; given no hire,
    the next spreaders are Binomial(n, pr(1-pa) / (1 - pr·pa·ph)), and the recommended
    count has mean n·pr (all applicants of the final step included). The distribution of
    Z is carried exactly up to ``max_spreaders`` (the mass beyond is reported by raising).
    """
    from scipy.stats import binom

    q_hire = pr * pa * ph
    q_spread = pr * (1.0 - pa) / (1.0 - q_hire) if q_hire < 1.0 else 0.0
    dist = np.zeros(max_spreaders + 1)
    dist[1] = 1.0  # the root, alive
    step_p = []
    mean_rec = 0.0
    z = np.arange(max_spreaders + 1)
    for t in range(max_steps):
        m = k if t == 0 else k - 1
        n = z * m
        mean_rec += float(dist @ (n * pr))
        no_hire = (1.0 - q_hire) ** n
        step_p.append(float(dist @ (1.0 - no_hire)))
        alive = dist * no_hire
        new = np.zeros_like(dist)
        beyond = 0.0
        for zi in np.nonzero(alive > 1e-15)[0]:
            if zi == 0:
                continue
            top = min(int(n[zi]), max_spreaders)
            new[: top + 1] += alive[zi] * binom.pmf(np.arange(top + 1), n[zi], q_spread)
            beyond += alive[zi] * float(binom.sf(max_spreaders, n[zi], q_spread))
        if beyond > 1e-9:
            raise ValueError(f"the cascade outgrows max_spreaders={max_spreaders}; raise it")
        new[0] = 0.0  # no spreader left: the cascade ended without a hire
        dist = new
        if dist.sum() < 1e-12:
            break
    step_p = np.array(step_p)
    success = float(step_p.sum())
    steps = np.arange(1, len(step_p) + 1)
    mean_steps = float(steps @ step_p / success) if success > 0 else float("nan")
    return TreeLaw(success, step_p, mean_steps, mean_rec)
