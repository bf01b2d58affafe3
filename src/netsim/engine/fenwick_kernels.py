"""Compiled (numba) kernels of the Fenwick sampler: the update, the draw and the rebuild.

Kept apart from :mod:`netsim.engine.sampling` so that numba is imported only when a run
builds its first sampler, never by ``import netsim`` or the command line. Each kernel does
the same floating-point operations in the same order as the Python code it replaced, so
draws are identical. ``cache=True`` keeps the machine code on disk: only the first run
after an install compiles (about a second).

Arrays: ``tree`` has ``n + 1`` float64 entries (entry 0 unused), ``w`` has ``n``.
"""

from __future__ import annotations

import numba


@numba.njit(cache=True, nogil=True)
def add(tree, w, i, delta):  # pragma: no cover - compiled; tested through FenwickSampler
    """Add ``delta`` to weight ``i`` and to every tree node that covers it."""
    w[i] += delta
    n = tree.shape[0] - 1
    j = i + 1
    while j <= n:
        tree[j] += delta
        j += j & -j


@numba.njit(cache=True, nogil=True)
def prefix(tree, k):  # pragma: no cover - compiled; tested through FenwickSampler
    """Sum of the first ``k`` weights."""
    s = 0.0
    while k > 0:
        s += tree[k]
        k -= k & -k
    return s


@numba.njit(cache=True, nogil=True)
def sample(tree, w, top, u):  # pragma: no cover - compiled; tested through FenwickSampler
    """The index whose cumulative-weight interval holds ``u * total``; ``-1`` if all are 0.

    ``top`` is the largest power of two ``<= n``.
    """
    n = tree.shape[0] - 1
    total = prefix(tree, n)
    if total <= 1e-12:
        return -1
    target = u * total
    pos = 0
    step = top
    while step:
        nxt = pos + step
        if nxt <= n and tree[nxt] <= target:
            pos = nxt
            target -= tree[nxt]
        step >>= 1
    # Float drift can land on a zero-weight index at the edge; step back to a live one.
    if pos >= n or w[pos] <= 0.0:
        return nearest_live(w, pos)
    return pos


@numba.njit(cache=True, nogil=True)
def nearest_live(w, pos):  # pragma: no cover - compiled; tested through FenwickSampler
    """The live (positive-weight) index nearest below ``pos``, else above; ``-1`` if none."""
    n = w.shape[0]
    for j in range(min(pos, n - 1), -1, -1):
        if w[j] > 0.0:
            return j
    for j in range(pos, n):
        if w[j] > 0.0:
            return j
    return -1


@numba.njit(cache=True, nogil=True)
def build(w, tree):  # pragma: no cover - compiled; tested through FenwickSampler
    """Fill ``tree`` (zeroed, ``n + 1`` entries) from the weights ``w`` in O(n)."""
    n = w.shape[0]
    for i in range(n):
        tree[i + 1] += w[i]
        j = (i + 1) + ((i + 1) & -(i + 1))
        if j <= n:
            tree[j] += tree[i + 1]
