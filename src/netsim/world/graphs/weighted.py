"""Degree-corrected Barabási–Albert and Watts–Strogatz graphs: vital forces get more ties.

Both take a ``weight`` per worker (the vital-force ``degree_weight``: 1 for ordinary workers,
the multiplier for vital forces) and give worker ``i`` an expected degree proportional to
``q_i = weight_i / mean(weight)`` while keeping the generator's mean degree (``2m`` for
Barabási–Albert, ``k`` for Watts–Strogatz). So vital forces' mean degree over ordinary
workers' is the multiplier, as in the degree-corrected samplers
(:func:`~netsim.world.graphs.random_graphs.grouped_chung_lu`). With equal weights the callers
use the unweighted generators instead (the same graph for the same seed as before).

``weighted_barabasi_albert_edges``
    Preferential attachment in which newcomer ``s`` forms ``m_s`` ties instead of ``m``:
    ``m q_s`` rounded at random to an integer (so its mean is ``m q_s``), at least 1 and at
    most the nodes already there. Its targets are drawn, as in NetworkX, from the list of tie
    endpoints (probability proportional to degree) until ``m_s`` are distinct. Because
    degree then grows in proportion to itself (``dk/dt = k / 2t`` whatever the ``m_s``), a
    node's final degree is proportional to its own ``m_s``, so degree is proportional to the
    weight. About ``m (n - m)`` ties, like the unweighted model.
``weighted_small_world_edges``
    A ring lattice in which the tie between workers at ring distance ``d`` exists with
    probability ``clip(k/2 q_i q_j - d + 1, 0, 1)``: with equal weights exactly the
    Watts–Strogatz lattice (every ``d <= k/2``), otherwise a lattice whose reach grows with
    both ends' weights and whose expected degree is ``k q_i``. Each tie's far end is then
    rewired with probability ``p`` to a worker drawn in proportion to ``q`` (uniformly, as in
    Watts–Strogatz, when weights are equal), which keeps the expected degrees; a rewiring
    that would make a self-loop or a repeated tie is redrawn (a few rounds, then the lattice
    tie stays).
"""

from __future__ import annotations

import numpy as np

#: Redraw rounds for rewired ties that hit a self-loop or a repeated tie.
_REWIRE_ROUNDS = 20
#: Uniform draws per block in the preferential-attachment loop.
_BLOCK = 1 << 16


def _stochastic_round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round each ``x`` down or up at random so that the mean is ``x``."""
    low = np.floor(x)
    return (low + (rng.random(len(x)) < x - low)).astype(np.int64)


def weighted_barabasi_albert_edges(
    m: int, weight: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Endpoints ``(u, v)`` of a degree-corrected Barabási–Albert graph (module docstring).

    ``weight``: non-negative, one per worker ``0..n-1``, positive mean; ``1 <= m < n``.
    A star on ``0..m`` starts the graph (as in NetworkX); then newcomers ``m+1..n-1``.
    ``u[k]`` is the newer end of tie ``k``. Every draw comes from ``rng``.
    """
    weight = np.asarray(weight, dtype=np.float64)
    n = len(weight)
    if not 1 <= m < n:
        raise ValueError(f"barabasi_albert needs 1 <= m < n, got m={m}, n={n}")
    ties = _stochastic_round(m * weight / weight.mean(), rng)
    ties = np.clip(ties, 1, np.arange(n)).tolist()  # newcomer s can tie to s nodes at most
    total = m + sum(ties[m + 1 :])
    ends = np.empty(2 * total, dtype=np.int64)  # each node once per tie it has
    ends[:m] = 0
    ends[m : 2 * m] = np.arange(1, m + 1)
    us = np.empty(total, dtype=np.int64)
    vs = np.empty(total, dtype=np.int64)
    us[:m], vs[:m] = np.arange(1, m + 1), 0
    n_ends, n_ties = 2 * m, m
    uniform: list[float] = []
    pos = 0
    for s in range(m + 1, n):
        chosen: set[int] = set()
        while len(chosen) < ties[s]:
            if pos >= len(uniform):
                uniform, pos = rng.random(_BLOCK).tolist(), 0
            chosen.add(int(ends[int(uniform[pos] * n_ends)]))
            pos += 1
        k = len(chosen)
        targets = np.fromiter(chosen, dtype=np.int64, count=k)
        us[n_ties : n_ties + k] = s
        vs[n_ties : n_ties + k] = targets
        ends[n_ends : n_ends + k] = targets
        ends[n_ends + k : n_ends + 2 * k] = s
        n_ends += 2 * k
        n_ties += k
    return us, vs


def weighted_small_world_edges(
    k: int, p: float, weight: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Endpoints ``(u, v)`` (``u < v``) of a degree-corrected small world (module docstring).

    ``k``: mean degree (even, ``< n``); ``p``: rewiring probability; ``weight`` as in
    :func:`weighted_barabasi_albert_edges`. Every draw comes from ``rng``.
    """
    weight = np.asarray(weight, dtype=np.float64)
    n = len(weight)
    q = weight / weight.mean()
    half = k / 2
    # Farthest lattice distance a tie can reach; below n/2, so no pair is counted twice.
    reach = min(int(np.ceil(half * q.max() ** 2)), (n - 1) // 2)
    u = np.repeat(np.arange(n, dtype=np.int64), reach)
    d = np.tile(np.arange(1, reach + 1, dtype=np.int64), n)
    v = (u + d) % n
    p_tie = np.clip(half * q[u] * q[v] - d + 1, 0.0, 1.0)
    keep = p_tie >= 1.0
    edge = (p_tie > 0.0) & ~keep
    keep[edge] = rng.random(int(edge.sum())) < p_tie[edge]
    u, v = u[keep], v[keep]
    if p > 0.0 and u.size:
        v = _rewire(u, v, p, q, rng)
    # Distinct ties in order (a tie left unrewired may meet a rewired one on the same pair).
    keys = np.unique(np.minimum(u, v) * n + np.maximum(u, v))
    return keys // n, keys % n


def _rewire(
    u: np.ndarray, v: np.ndarray, p: float, q: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Far ends ``v`` with each rewired with probability ``p`` to a node drawn prop. to ``q``."""
    n = len(q)
    cum = np.cumsum(q)
    v = v.copy()
    todo = np.flatnonzero(rng.random(u.size) < p)
    key = lambda a, b: np.minimum(a, b) * n + np.maximum(a, b)  # noqa: E731
    for _ in range(_REWIRE_ROUNDS):
        if not todo.size:
            break
        new = np.minimum(np.searchsorted(cum, rng.random(todo.size) * cum[-1], side="right"), n - 1)
        fixed = np.delete(np.arange(u.size), todo)
        taken = key(u[fixed], v[fixed])
        new_keys = key(u[todo], new)
        ok = (new != u[todo]) & ~np.isin(new_keys, taken)
        # Two rewired ties landing on the same pair: the first keeps it.
        _, first = np.unique(new_keys, return_index=True)
        unique = np.zeros(todo.size, dtype=bool)
        unique[first] = True
        ok &= unique
        v[todo[ok]] = new[ok]
        todo = todo[~ok]
    return v
