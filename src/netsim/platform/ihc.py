"""The Independent Halting Cascade (IHC) of referral search, as a kernel for any graph.

After Kolic, Cebrian, Ucar & Lillo (J. Complex Networks 2025). A vacancy starts at a root
(the member who sees it). In synchronous **steps** every spreader tries each *eligible*
neighbour (one not yet recommended, and not the root) once: with probability ``pr`` it
recommends them. A recommended node applies with probability ``pa`` (and is then hired with
probability ``ph``), or else becomes a spreader in the next step only. Nobody is recommended
twice. The cascade **halts** at the step of the first hire (every recommendation of that step
still counts) or when no spreader is left. Outcomes: whether someone was hired, the step of
the hire (1 = among the root's own recommendations) and the tree size (recommended nodes,
the root not counted).

:class:`IHCKernel` runs cascades on a NetworkX graph (or adjacency lists) from notebooks;
:func:`ihc_tree_exact` is the exact recursion on the infinite k-regular tree (a non-root
spreader has ``k - 1`` fresh neighbours), which a random k-regular graph approaches as it
grows (it is locally tree-like). The referral platform's own cascade becomes this model's
continuous-time version with exponential hops, or its synchronous version with
``platform.cascade_mode: synchronous`` (equal hops, so generations move in steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Uniform draws per block (a scalar NumPy call costs about a microsecond).
_BLOCK = 1 << 15


@dataclass(frozen=True)
class CascadeOutcome:
    """One cascade: ``hired`` (someone was hired), ``steps`` (the step of the hire, or the
    number of steps run if nobody was), ``size`` (recommended nodes, root excluded)."""

    hired: bool
    steps: int
    size: int


class IHCKernel:
    """IHC cascades on one graph: build once, run many (see the module docstring).

    ``graph`` is a NetworkX graph with any node labels, or a sequence of neighbour lists on
    nodes ``0..n-1``; ``rng`` a ``numpy.random.Generator`` (or a seed) for every draw.
    """

    def __init__(self, graph: Any, rng: np.random.Generator | int | None = None) -> None:
        if hasattr(graph, "adj"):
            self.nodes = list(graph.nodes)
            index = {v: i for i, v in enumerate(self.nodes)}
            self.adj: list[list[int]] = [[index[w] for w in graph.adj[v]] for v in self.nodes]
        else:
            self.adj = [list(nb) for nb in graph]
            self.nodes = list(range(len(self.adj)))
        self.rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        self._u: list[float] = []
        self._i = 0

    def run(self, root: int, pr: float, pa: float, ph: float) -> CascadeOutcome:
        """One cascade from node index ``root`` (0..n-1) with the three probabilities."""
        adj = self.adj
        u = self._u
        i = self._i
        recommended = {root}
        frontier = [root]
        size = steps = 0
        while frontier:
            steps += 1
            hired = False
            nxt = []
            for s in frontier:
                if i + 3 * len(adj[s]) >= len(u):
                    u, i = self.rng.random(_BLOCK).tolist(), 0
                for w in adj[s]:
                    if w in recommended:
                        continue
                    i += 1
                    if u[i] >= pr:
                        continue
                    recommended.add(w)
                    size += 1
                    i += 1
                    if u[i] < pa:
                        i += 1
                        if u[i] < ph:
                            hired = True
                    else:
                        nxt.append(w)
            if hired:
                self._u, self._i = u, i
                return CascadeOutcome(True, steps, size)
            frontier = nxt
        self._u, self._i = u, i
        return CascadeOutcome(False, steps, size)

    def sample(
        self, n: int, pr: float, pa: float, ph: float, roots: Iterable[int] | None = None
    ) -> dict[str, np.ndarray]:
        """``n`` cascades from uniformly drawn roots (or the given ones): arrays ``hired``,
        ``steps`` and ``size``."""
        if roots is None:
            roots = self.rng.integers(len(self.adj), size=n).tolist()
        out = [self.run(r, pr, pa, ph) for r in roots]
        return {
            "hired": np.array([o.hired for o in out]),
            "steps": np.array([o.steps for o in out]),
            "size": np.array([o.size for o in out]),
        }


@dataclass(frozen=True)
class TreeExact:
    """Exact IHC outcomes on the infinite k-regular tree.

    ``success``: probability that someone is hired; ``hire_by_step[t]``: probability of a
    hire at step ``t + 1`` or before; ``mean_steps_given_hire``: mean step of the hire given
    one; ``mean_size``: expected recommended nodes (root excluded), all truncated at
    ``max_steps``.
    """

    success: float
    hire_by_step: Sequence[float]
    mean_steps_given_hire: float
    mean_size: float


def ihc_tree_exact(k: int, pr: float, pa: float, ph: float, max_steps: int = 200) -> TreeExact:
    """The IHC recursion on the k-regular tree, to ``max_steps`` steps.

    A non-root spreader's ``k - 1`` children are each, independently: not recommended
    (``1 - pr``); recommended and hired (``pr pa ph``); recommended, applying, not hired
    (``pr pa (1 - ph)``: a leaf); recommended and spreading (``pr (1 - pa)``). With
    ``G_n(x) = E[x^{R_n} 1{no hire at depths < n}]`` for a spreader's subtree (``R_n``: its
    recommended nodes at depth ``n``), ``G_1(x) = (1 - pr + pr x)^{k-1}`` and
    ``G_n(x) = (1 - pr + pr pa (1 - ph) + pr (1 - pa) G_{n-1}(x))^{k-1}``; the root's
    ``H_n`` is the same with exponent ``k``. The expected size is ``sum_n H_n'(1)``
    (recommendations of the halting step count, none after it). The probability of no hire
    within ``n`` generations of a spreader's subtree is ``q_n = (leaf + spread q_{n-1})^{k-1}``,
    ``q_0 = 1``, with ``leaf = 1 - pr + pr pa (1 - ph)`` and ``spread = pr (1 - pa)``; the
    root's within ``t`` steps is ``(leaf + spread q_{t-1})^k``.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    for name, p in (("pr", pr), ("pa", pa), ("ph", ph)):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name} must be a probability, got {p}")
    leaf = 1.0 - pr + pr * pa * (1.0 - ph)  # a child that ends its branch without a hire
    spread = pr * (1.0 - pa)
    # q_n: P(no hire within n generations of a non-root spreader's subtree); Q_t for the root.
    q = 1.0
    no_hire = []
    for _ in range(max_steps):
        no_hire.append((leaf + spread * q) ** k)
        q = (leaf + spread * q) ** (k - 1)
    hire_by_step = [1.0 - x for x in no_hire]
    success = hire_by_step[-1]
    first = np.diff(np.concatenate(([0.0], hire_by_step)))
    steps = np.arange(1, max_steps + 1)
    mean_steps = float((first * steps).sum() / success) if success > 0 else float("nan")
    # a_n = G_n(1), b_n = G_n'(1); the root's derivative uses exponent k.
    a, b = 1.0, (k - 1) * pr
    size = k * pr  # H_1'(1)
    for _ in range(2, max_steps + 1):
        base = 1.0 - pr + pr * pa * (1.0 - ph) + spread * a
        size += k * base ** (k - 1) * spread * b
        a, b = base ** (k - 1), (k - 1) * base ** (k - 2) * spread * b if k >= 2 else 0.0
    return TreeExact(success, hire_by_step, mean_steps, float(size))
