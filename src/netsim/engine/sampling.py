"""Weighted sampling from a changing set: a Fenwick (binary indexed) tree.

Seeking workers meet open vacancies with probability proportional to the company's brand
times its number of open vacancies. Both change on every hire, so the sampler supports
O(log n) updates and O(log n) draws instead of rebuilding cumulative sums.
"""

from __future__ import annotations

from array import array

import numpy as np


class FenwickSampler:
    """Sample index ``i`` with probability ``w[i] / sum(w)``; weights change in O(log n)."""

    __slots__ = ("n", "_tree", "_w", "_top")

    def __init__(self, n: int) -> None:
        self.n = n
        # Typed arrays, not lists of boxed floats: a draw reads ~log2(n) scattered entries.
        self._tree = array("d", bytes(8 * (n + 1)))
        self._w = array("d", bytes(8 * n))
        top = 1
        while top * 2 <= n:
            top *= 2
        self._top = top

    @property
    def total(self) -> float:
        """Sum of all weights."""
        return self._prefix(self.n)

    def weight(self, i: int) -> float:
        """Current weight of index ``i``."""
        return self._w[i]

    def add(self, i: int, delta: float) -> None:
        """Add ``delta`` to the weight of index ``i``."""
        self._w[i] += delta
        tree = self._tree
        j = i + 1
        n = self.n
        while j <= n:
            tree[j] += delta
            j += j & -j

    def set(self, i: int, w: float) -> None:
        """Set the weight of index ``i`` to ``w``."""
        self.add(i, w - self._w[i])

    def set_all(self, weights) -> None:
        """Replace every weight at once (``len(weights) == n``) and rebuild the tree."""
        if len(weights) != self.n:
            raise ValueError(f"expected {self.n} weights, got {len(weights)}")
        self._w = array("d", weights)
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute the tree from the weights, clearing accumulated rounding error.

        Node ``j`` (lowest set bit ``2**k``) sums its children ``j - 2**(k-1), ..., j - 1``
        in that order, then the weight ``w[j - 1]``: the sums of the classic one-pass loop
        (each node adds itself to its parent), in its order, so runs do not change by a bit.
        Vectorised a level at a time (~log2(n)**2 / 2 NumPy operations), since it runs
        every month: the loop took 13 ms at 50,000 companies.
        """
        n = self.n
        w = np.frombuffer(self._w, dtype=np.float64)
        tree = np.zeros(n + 1)
        step = 1
        while step <= n:
            j = np.arange(step, n + 1, 2 * step)  # the nodes whose lowest set bit is step
            acc = None
            half = step >> 1
            while half:
                child = tree[j - half]
                acc = child if acc is None else acc + child
                half >>= 1
            tree[j] = w[j - 1] if acc is None else acc + w[j - 1]
            step <<= 1
        self._tree = array("d", tree.tobytes())

    def _prefix(self, k: int) -> float:
        s = 0.0
        tree = self._tree
        while k > 0:
            s += tree[k]
            k -= k & -k
        return s

    def sample(self, u: float) -> int:
        """The index whose cumulative-weight interval holds ``u * total``; -1 if all are 0.

        ``u`` is a uniform draw on [0, 1).
        """
        total = self._prefix(self.n)
        if total <= 1e-12:
            return -1
        target = u * total
        pos = 0
        tree = self._tree
        step = self._top
        n = self.n
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] <= target:
                pos = nxt
                target -= tree[nxt]
            step >>= 1
        # Float drift can land on a zero-weight index at the edge; step back to a live one.
        if pos >= n or self._w[pos] <= 0.0:
            return self._nearest_live(pos)
        return pos

    def _nearest_live(self, pos: int) -> int:
        w = self._w
        for j in range(min(pos, self.n - 1), -1, -1):
            if w[j] > 0.0:
                return j
        for j in range(pos, self.n):
            if w[j] > 0.0:
                return j
        return -1
