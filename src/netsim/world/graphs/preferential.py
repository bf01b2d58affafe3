"""Barabási–Albert preferential attachment in NumPy: the same random graph as NetworkX, fast.

:func:`barabasi_albert_edges` follows ``networkx.barabasi_albert_graph`` step by step in
distribution: a star on nodes ``0..m`` starts the graph; each newcomer ``s = m+1 .. n-1``
draws positions uniformly from the list of edge endpoints so far (each node appears once per
tie it has) until it holds ``m`` distinct nodes, and ties to them. It returns the ``m (n - m)``
ties as two endpoint arrays instead of building a NetworkX graph, so 1,000,000 workers take a
couple of seconds instead of about a minute.

How it avoids the sequential loop (after Batagelj & Brandes 2005, "Efficient generation of
large random networks"): the endpoint list is laid out in fixed blocks, one per newcomer —
``m`` *target* slots then ``m`` copies of the newcomer — so a position's node is either known
(a newcomer slot) or the node of an earlier target slot. All positions of a chunk of
newcomers are drawn at once and resolved by following the pointers backwards (a handful of
vectorised gathers). A newcomer whose draws hit the same node twice redraws the repeats one at
a time, in order, exactly as NetworkX's rejection loop does; the rest of its chunk is then
resolved again, since later positions may point at the redrawn slots. The graph's distribution
is NetworkX's; the random stream (and so the graph for a given seed) is not.
"""

from __future__ import annotations

import numpy as np

#: Most newcomers resolved together (memory vs. numpy call count). Chunks start small and
#: double, because repeats (each costing a re-resolve of the rest of its chunk) are frequent
#: only among the first newcomers, whose endpoint list is short.
_MAX_CHUNK = 1 << 16
_FIRST_CHUNK = 64


def barabasi_albert_edges(
    n: int, m: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Endpoint arrays ``(u, v)`` of a Barabási–Albert graph on ``0..n-1`` (``1 <= m < n``).

    ``u[k]`` is the newer node of tie ``k`` and ``v[k]`` the older one; there are
    ``m (n - m)`` ties, no self-loops and no repeated ties. Every draw comes from ``rng``.
    """
    if not 1 <= m < n:
        raise ValueError(f"barabasi_albert needs 1 <= m < n, got m={m}, n={n}")
    steps = n - m - 1  # newcomers after the star
    targets = np.full((steps, m), -1, dtype=np.int64)
    a = 0
    while a < steps:
        b = min(a + min(max(a, _FIRST_CHUNK), _MAX_CHUNK), steps)
        _fill_chunk(targets, a, b, m, rng)
        a = b
    star_u = np.arange(1, m + 1, dtype=np.int64)
    star_v = np.zeros(m, dtype=np.int64)
    newcomers = np.repeat(np.arange(m + 1, n, dtype=np.int64), m)
    return np.concatenate((star_u, newcomers)), np.concatenate((star_v, targets.ravel()))


def _lookup(pos: np.ndarray, targets: np.ndarray, m: int) -> np.ndarray:
    """Node at each endpoint-list position; -1 where it is a target slot not yet resolved.

    Positions ``0..2m-1`` are the star's endpoints (``0`` m times, then ``1..m``); after that
    newcomer ``k`` (node ``m + 1 + k``) owns block ``2m + 2mk ..``: ``m`` target slots, then
    ``m`` copies of itself.
    """
    out = np.empty(pos.shape, dtype=np.int64)
    star = pos < 2 * m
    out[star] = np.maximum(pos[star] - m + 1, 0)
    q = pos[~star] - 2 * m
    k, o = np.divmod(q, 2 * m)
    out[~star] = np.where(o >= m, m + 1 + k, targets[k, np.minimum(o, m - 1)])
    return out


def _resolve(targets: np.ndarray, ptr: np.ndarray, a: int, m: int) -> None:
    """Set ``targets[a:a+len(ptr)]`` to the nodes at positions ``ptr``, following pointers."""
    rows = targets[a : a + len(ptr)]
    rows[:] = -1
    todo = np.arange(ptr.size)
    flat_ptr = ptr.ravel()
    flat_rows = rows.reshape(-1)
    # A pointer into a not-yet-resolved slot of this chunk waits for that slot: every pointer
    # goes strictly backwards, so each pass resolves at least the earliest pending slot.
    while todo.size:
        vals = _lookup(flat_ptr[todo], targets, m)
        done = vals >= 0
        flat_rows[todo[done]] = vals[done]
        todo = todo[~done]


def _fill_chunk(targets: np.ndarray, a: int, b: int, m: int, rng: np.random.Generator) -> None:
    """Draw the targets of newcomers ``a..b-1`` (indices after the star), distinct per row."""
    # Newcomer k chooses among the 2m(k+1) positions written before its own block.
    highs = 2 * m * np.arange(a + 1, b + 1, dtype=np.int64)
    ptr = rng.integers(0, highs[:, None], size=(b - a, m))
    start = a
    while start < b:
        _resolve(targets, ptr[start - a :], start, m)
        rows = np.sort(targets[start:b], axis=1)
        dup = np.flatnonzero((rows[:, 1:] == rows[:, :-1]).any(axis=1))
        if dup.size == 0:
            return
        k = start + int(dup[0])
        _redraw_repeats(targets, ptr, a, k, m, int(highs[k - a]), rng)
        start = k + 1


def _redraw_repeats(
    targets: np.ndarray,
    ptr: np.ndarray,
    a: int,
    k: int,
    m: int,
    high: int,
    rng: np.random.Generator,
) -> None:
    """Newcomer k keeps its first draw of each node and redraws the repeats one at a time.

    This is NetworkX's rejection loop (draw until ``m`` distinct nodes) continued from the
    draws already made; every earlier slot is final, so a single lookup resolves a draw.
    """
    seen: set[int] = set()
    row = targets[k]
    for j in range(m):
        node = int(row[j])
        while node in seen:
            p = int(rng.integers(high))
            ptr[k - a, j] = p
            node = int(_lookup(np.array([p]), targets, m)[0])
        seen.add(node)
        row[j] = node
