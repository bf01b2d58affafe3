"""Knowledge that moves with people: each company's stock by origin and its mixing index.

A company's own knowledge is a constant 1 (its know-how, continually renewed). A worker
hired from company A brings ``carry`` units of A's own knowledge, labelled A. Imported
knowledge depreciates at ``delta`` per month. The *mixing index* of a company is the Blau
(Gini–Simpson) diversity of its stock by origin, ``1 - sum_o p_o**2``: 0 for a company that
knows only its own ways, towards 1 for one made of many others' knowledge.

Depreciation is uniform, so amounts are stored in reference units ``a * exp(delta * t)``
and read back with ``exp(-delta * t)``: every update is O(1) and nothing runs on a timer.
"""

from __future__ import annotations

import math

import numpy as np

_REBASE_AT = 1e50


class KnowledgeStocks:
    """Imported knowledge by company and origin company, with uniform depreciation."""

    def __init__(self, n_companies: int, carry: float, depreciation_per_month: float) -> None:
        self.carry = carry
        self.delta = depreciation_per_month
        self._t0 = 0.0
        self._by_origin: list[dict[int, float]] = [{} for _ in range(n_companies)]
        self._total = [0.0] * n_companies  # sum of reference amounts
        self._squares = [0.0] * n_companies  # sum of squared reference amounts

    def _scale(self, t: float) -> float:
        """exp(delta * (t - t0)): reference units per current unit at time t (months)."""
        return math.exp(self.delta * (t - self._t0))

    def transfer(self, origin: int, dest: int, t: float) -> None:
        """A worker moves from ``origin`` to ``dest`` at time ``t`` (months)."""
        if origin == dest or origin < 0 or self.carry <= 0.0:
            return
        scale = self._scale(t)
        if scale > _REBASE_AT:
            self._rebase(t)
            scale = 1.0
        amount = self.carry * scale
        stock = self._by_origin[dest]
        old = stock.get(origin, 0.0)
        new = old + amount
        stock[origin] = new
        self._total[dest] += amount
        self._squares[dest] += new * new - old * old

    def _rebase(self, t: float) -> None:
        factor = 1.0 / self._scale(t)
        for c, stock in enumerate(self._by_origin):
            for o in stock:
                stock[o] *= factor
            self._total[c] *= factor
            self._squares[c] *= factor * factor
        self._t0 = t

    def foreign(self, t: float) -> np.ndarray:
        """Imported knowledge per company at time t (units; own knowledge is 1)."""
        return np.asarray(self._total) / self._scale(t)

    def mixing(self, t: float) -> np.ndarray:
        """Blau mixing index per company at time t (0..1)."""
        s = self._scale(t)
        total = 1.0 + np.asarray(self._total) / s
        squares = 1.0 + np.asarray(self._squares) / (s * s)
        return 1.0 - squares / (total * total)

    def origins(self, company: int) -> int:
        """Number of distinct companies whose knowledge ``company`` holds."""
        return len(self._by_origin[company])
