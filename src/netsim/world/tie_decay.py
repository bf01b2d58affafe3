"""Ties that fade: lazy exponential decay and pruning of the social network's ties.

A mixin of :class:`~netsim.world.network.SocialNetwork`, switched on by
:meth:`TieDecay.enable_decay` (the tie-dynamics mechanism does so when
``ties.dynamics.half_life_months > 0``); off, nothing here runs and a run is unchanged.

No tie has a timer. A tie stores its strength ``s0`` at its last refresh ``t_r`` (months);
its strength at time ``t`` is computed when read::

    s(t) = s0 * 2 ** (-(t - t_r) / half_life)

and it is removed at the first month end at which ``s(t) < threshold``. That month is known
when the tie forms or is refreshed (``floor(t_r + half_life * log2(s0 / threshold)) + 1``),
so the tie's key goes into that month's bucket; :meth:`TieDecay.prune_due` empties the
buckets up to a month and removes the ties found there that are still due (a tie refreshed
since is found again in its later bucket; its old entry is skipped). The cost is O(1) per
formation, refresh and removal, and nothing per month beyond the due ties: well under
O(ties) per year. Between two month ends a tie may be read up to one month past its
threshold crossing.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable

import numpy as np


def decayed(strength, refreshed_months, at_months: float, half_life_months: float):
    """Strength at ``at_months`` of ties of stored ``strength`` last refreshed at
    ``refreshed_months`` (scalars or arrays; months); no decay if ``half_life_months <= 0``."""
    if half_life_months <= 0:
        return strength
    return strength * np.exp2(-(at_months - np.asarray(refreshed_months)) / half_life_months)


class TieDecay:
    """Mixin of :class:`~netsim.world.network.SocialNetwork`: decay, pruning (see module)."""

    __slots__ = ()

    def enable_decay(
        self,
        half_life_months: float,
        threshold: float,
        horizon_months: float,
        last_contact_ages: np.ndarray | None = None,
    ) -> None:
        """Let every tie decay with ``half_life_months`` and be pruned below ``threshold``.

        ``horizon_months``: the last month end that will be swept (ties due later are not
        bucketed). ``last_contact_ages`` (months, one per current tie in order added) moves
        the current ties' last refresh that far into the past.
        """
        if half_life_months <= 0:
            raise ValueError(f"half_life_months must be > 0, got {half_life_months}")
        self.half_life = float(half_life_months)
        self.threshold = float(threshold)
        self._horizon = float(horizon_months)
        self._due = {}
        self._swept = 0
        live = np.frombuffer(self._u, dtype=np.int64) >= 0 if len(self._u) else np.zeros(0, bool)
        if last_contact_ages is not None and len(self._r):
            r = np.frombuffer(self._r, dtype=np.float64).copy()
            ages = np.asarray(last_contact_ages, dtype=np.float64)
            if ages.shape != (int(live.sum()),):
                raise ValueError("last_contact_ages needs one age per current tie")
            r[live] -= ages
            self._r = array("d", r.tobytes())
        if not live.any():
            return
        u = np.frombuffer(self._u, dtype=np.int64)[live]
        v = np.frombuffer(self._v, dtype=np.int64)[live]
        s = np.frombuffer(self._s, dtype=np.float64)[live]
        r = np.frombuffer(self._r, dtype=np.float64)[live]
        # Ties already under the threshold (old last contacts) go at the next month end.
        months = np.maximum(self._due_months(s, r), self._swept + 1)
        keys = u * self.n + v
        keep = months <= self._horizon
        order = np.argsort(months[keep], kind="stable")
        months_k, keys_k = months[keep][order], keys[keep][order]
        cuts = np.flatnonzero(np.diff(months_k)) + 1
        for ms, ks in zip(np.split(months_k, cuts), np.split(keys_k, cuts), strict=True):
            if len(ms):
                self._due.setdefault(int(ms[0]), []).extend(ks.tolist())

    def _due_months(self, s: np.ndarray, r: np.ndarray) -> np.ndarray:
        """The month end at which ties of strength ``s`` refreshed at ``r`` are pruned."""
        with np.errstate(divide="ignore"):
            life = self.half_life * np.log2(np.maximum(s, 1e-300) / self.threshold)
        return (np.floor(r + np.maximum(life, 0.0)) + 1).astype(np.int64)

    def _due_month(self, s0: float, t_r: float) -> int:
        """Scalar :meth:`_due_months` (the hot path: one tie formed or refreshed)."""
        if s0 > self.threshold:
            return math.floor(t_r + self.half_life * math.log2(s0 / self.threshold)) + 1
        return math.floor(t_r) + 1

    def _schedule(self, key: int, s0: float, t_r: float) -> None:
        """Put tie ``key`` into the bucket of the month end it is due to be pruned."""
        month = max(self._due_month(s0, t_r), self._swept + 1)
        if month <= self._horizon:
            bucket = self._due.get(month)
            if bucket is None:
                self._due[month] = [key]
            else:
                bucket.append(key)

    def strength_at(self, u: int, v: int, at_months: float) -> float | None:
        """Strength (0..1) of the tie ``u``–``v`` at ``at_months``, or None if there is none."""
        row = self._row(u, v)
        if row is None:
            return None
        return float(decayed(self._s[row], self._r[row], at_months, self.half_life))

    def refreshed_at(self, u: int, v: int) -> float | None:
        """When the tie ``u``–``v`` was last refreshed (months), or None if there is none."""
        row = self._row(u, v)
        return None if row is None else self._r[row]

    def prune_due(self, month: int, keep: Callable[[int, int], bool] | None = None) -> int:
        """Remove every tie whose strength at month end ``month`` is below the threshold.

        Buckets of earlier month ends not yet swept are emptied too. A due tie for which
        ``keep(u, v)`` is true (say, two people working together) is refreshed at ``month``
        instead. Returns the number of ties removed; 0 without decay.
        """
        if not self.half_life:
            return 0
        removed = 0
        n = self.n
        for m in range(self._swept + 1, month + 1):
            for key in self._due.pop(m, ()):
                row = self._index.get(key)  # not cached: removals may compact and re-index
                if row is None or self._due_month(self._s[row], self._r[row]) > m:
                    continue  # removed already, or refreshed since (due later)
                u, v = divmod(key, n)
                if keep is not None and keep(u, v):
                    self._r[row] = float(month)
                    self._schedule(key, self._s[row], float(month))
                    continue
                self.remove_tie(u, v)
                removed += 1
        self._swept = max(self._swept, month)
        return removed
