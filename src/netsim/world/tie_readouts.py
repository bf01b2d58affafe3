"""Read-outs of the social network's tie records: iteration, column arrays, NetworkX, CSR.

A mixin of :class:`~netsim.world.network.SocialNetwork` (which holds the records: per-tie
typed arrays ``_u``, ``_v``, ``_s``, ``_o``, ``_t``, ``_r``, the origin names and the count of
dead rows). Nothing here changes the network; everything returns copies, so the arrays may
grow again as soon as a read-out returns. Times in months.

May import: NumPy, SciPy, NetworkX (nothing of netsim).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

import networkx as nx
import numpy as np
import scipy.sparse as sp

__all__ = ["TieReadouts"]


class TieReadouts:
    """The read-only views of :class:`~netsim.world.network.SocialNetwork` (see the module)."""

    n: int
    origins: list[str]
    _u: array
    _v: array
    _s: array
    _o: array
    _t: array
    _r: array
    _dead: int

    def _live(self) -> np.ndarray | slice:
        """Index of the live rows (a plain slice when nothing was removed)."""
        if not self._dead:
            return slice(None)
        return np.frombuffer(self._u, dtype=np.int64) >= 0

    def _live_ends(self, live: np.ndarray | slice) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the ends ``(u, v)`` of the rows ``live`` (from :meth:`_live`)."""
        return np.array(self._u, dtype=np.int64)[live], np.array(self._v, dtype=np.int64)[live]

    def edges(self, data: bool = False) -> Iterator[tuple]:
        """Ties in the order they were added, each as ``(u, v)`` with ``u < v``.

        With ``data=True`` each is ``(u, v, strength, origin, formed_months)``.
        """
        dead = self._dead
        if not data:
            for u, v in zip(self._u, self._v, strict=True):
                if not dead or u >= 0:
                    yield u, v
            return
        origins = self.origins
        for u, v, s, o, t in zip(self._u, self._v, self._s, self._o, self._t, strict=True):
            if not dead or u >= 0:
                yield u, v, s, origins[o], t

    def edge_arrays(self) -> dict[str, np.ndarray]:
        """Copies of the live tie records as arrays, in order added (e.g. for a results table).

        Keys: ``u`` and ``v`` (int64, ``u < v``), ``strength`` (float64, 0..1; with decay on,
        the strength at the last refresh), ``origin`` (str array), ``formed_months`` and
        ``refreshed_months`` (float64, months).
        """
        live = self._live()
        codes = np.frombuffer(self._o, dtype=np.uint8) if len(self._o) else np.zeros(0, np.uint8)
        u, v = self._live_ends(live)
        return {
            "u": u,
            "v": v,
            "strength": np.array(self._s, dtype=np.float64)[live],
            "origin": np.asarray(self.origins, dtype=str)[codes[live]],
            "formed_months": np.array(self._t, dtype=np.float64)[live],
            "refreshed_months": np.array(self._r, dtype=np.float64)[live],
        }

    def ends_of(self, origins: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The ends ``(u, v)`` (int64 arrays, ``u < v``, in order added) of the live ties whose
        origin is one of ``origins``: the narrow read of :meth:`edge_arrays` for a count that
        needs no other column (no copy of every tie, no string array)."""
        wanted_names = set(origins)
        wanted = [k for k, name in enumerate(self.origins) if name in wanted_names]
        if not len(self._u) or not wanted:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        mask = np.isin(np.frombuffer(self._o, dtype=np.uint8), wanted)
        u = np.frombuffer(self._u, dtype=np.int64)
        if self._dead:
            mask &= u >= 0
        return u[mask], np.frombuffer(self._v, dtype=np.int64)[mask]

    def to_networkx(self) -> nx.Graph:
        """An ``nx.Graph`` on nodes ``0..n-1``; edges carry ``strength``, ``origin``,
        ``formed_months`` (months)."""
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        G.add_edges_from(
            (u, v, {"strength": s, "origin": o, "formed_months": t})
            for u, v, s, o, t in self.edges(data=True)
        )
        return G

    def to_csr(self, weight: str | None = "strength") -> sp.csr_array:
        """Symmetric ``n x n`` adjacency matrix with both ``(u, v)`` and ``(v, u)`` stored.

        Entries are tie strengths (float64) with ``weight="strength"``, or 1 (int32) with
        ``weight=None`` — use the latter for structure, since zero strengths are stored as
        explicit zeros.
        """
        live = self._live()
        u, v = self._live_ends(live)
        if weight is None:
            data = np.ones(2 * len(u), dtype=np.int32)
        elif weight == "strength":
            s = np.array(self._s, dtype=np.float64)[live]
            data = np.concatenate((s, s))
        else:
            raise ValueError(f"weight must be 'strength' or None, got {weight!r}")
        rows = np.concatenate((u, v))
        cols = np.concatenate((v, u))
        return sp.csr_array((data, (rows, cols)), shape=(self.n, self.n))
