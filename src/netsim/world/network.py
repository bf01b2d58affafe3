"""The mutable social network among workers, as used in the simulation's hot loop.

:class:`SocialNetwork` is an undirected simple graph on the workers ``0..n-1`` with one record
per tie: strength (``0..1``), origin (why the tie exists: ``"initial"``, ``"colleague"``,
``"platform"``, ``"file"``, or any other short string), the time it formed and the time it was
last refreshed (months since the start of the run). Ties are added and refreshed; they are
removed only when decay is switched on (:class:`~netsim.world.tie_decay.TieDecay`, an opt-in
of the tie-dynamics mechanism): without decay a run's network only grows.

Layout, chosen for speed and memory at 100,000 workers and 500,000 ties (about 60 MB):
per-worker Python lists of neighbours (a uniform random neighbour is one index), a dict from
the pair key ``min * n + max`` to the tie's row, and the tie records in typed arrays (one row
per tie, in the order ties were added). A removed tie leaves a dead row (both ends -1) until
dead rows outnumber live ones, when the arrays are compacted (amortised O(1) per removal).
"""

from __future__ import annotations

from array import array
from itertools import chain
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from netsim.engine.gctools import gc_paused
from netsim.world.components import Components
from netsim.world.tie_decay import TieDecay
from netsim.world.tie_readouts import TieReadouts

if TYPE_CHECKING:
    from netsim.engine.rng import FastStream


def _edge_arrays(G: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    """Endpoint arrays of ``G``'s edges in ``G.edges()`` order, built without per-edge tuples.

    ``G.edges()`` yields ``(u, w)`` for each neighbour ``w`` of each node ``u`` in node order,
    skipping ``w`` that come earlier in node order; the same rule is applied here with arrays.
    """
    nodes = np.fromiter(G, dtype=np.int64, count=G.number_of_nodes())
    lengths = np.fromiter((len(nb) for _, nb in G.adjacency()), dtype=np.int64, count=len(nodes))
    flat = np.fromiter(
        chain.from_iterable(nb for _, nb in G.adjacency()), dtype=np.int64, count=int(lengths.sum())
    )
    src = np.repeat(nodes, lengths)
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[nodes] = np.arange(len(nodes))
    keep = rank[flat] >= rank[src]
    return src[keep], flat[keep]


#: Origins with fixed codes; other strings get the next free code when first used.
ORIGINS = ("initial", "colleague", "platform", "file")


def _first_of_each(keys: np.ndarray) -> np.ndarray:
    """Whether each entry is the first occurrence of its value in ``keys``."""
    first = np.zeros(len(keys), bool)
    first[np.unique(keys, return_index=True)[1]] = True
    return first


class SocialNetwork(TieDecay, TieReadouts):
    """Undirected ties among workers ``0..n-1`` with strength, origin, formation and refresh time.

    ``neighbours[u]`` is the list of ``u``'s neighbours in the order the ties were added; read
    it freely but change ties only through :meth:`add_tie`, :meth:`refresh` and
    :meth:`remove_tie`. With decay on (:meth:`enable_decay`) the stored strength is the
    tie's strength at its last refresh; see :class:`~netsim.world.tie_decay.TieDecay`.
    """

    __slots__ = (
        "n",
        "neighbours",
        "origins",
        "_codes",
        "_index",
        "_u",
        "_v",
        "_s",
        "_o",
        "_t",
        "_r",
        "_dead",
        "_components",
        "_snapshot",
        "_garbage",
        "_changed",
        "_n_changed",
        "half_life",
        "threshold",
        "_due",
        "_swept",
        "_horizon",
    )

    def __init__(self, n: int) -> None:
        if n < 0:
            raise ValueError(f"SocialNetwork needs n >= 0, got {n}")
        self.n = n
        self.neighbours: list[list[int]] = [[] for _ in range(n)]
        #: Origin strings by code (``origins[code]``).
        self.origins: list[str] = list(ORIGINS)
        self._codes: dict[str, int] = {o: i for i, o in enumerate(ORIGINS)}
        self._index: dict[int, int] = {}
        self._u = array("q")
        self._v = array("q")
        self._s = array("d")
        self._o = array("B")
        self._t = array("d")
        self._r = array("d")  # last refresh (months)
        self._dead = 0
        self._components: Components | None = None  # counted on demand, then kept up to date
        # Neighbour lists as flat arrays (start, stop, indices), taken on demand; _changed
        # marks the workers whose lists changed since (None until the first snapshot is
        # taken); _garbage counts the entries of indices no list points to any more.
        self._snapshot: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._garbage = 0
        self._changed: bytearray | None = None
        self._n_changed = 0
        self.half_life = 0.0  # months; 0 = no decay
        self.threshold = 0.0
        self._due: dict[int, list[int]] = {}
        self._swept = 0
        self._horizon = 0.0

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_networkx(
        cls, G: nx.Graph, strength: float, origin: str = "initial", time_months: float = 0.0
    ) -> SocialNetwork:
        """Copy an undirected simple graph on nodes ``0..n-1`` (``n = len(G)``).

        Every tie gets ``strength`` (0..1), ``origin`` and ``time_months`` (formation time in
        months); edge attributes of ``G`` are ignored. Ties are added in ``G.edges()`` order,
        so the result is the same as calling :meth:`add_tie` edge by edge, only faster.
        Raises ``ValueError`` for other node labels, self-loops, directed or multigraphs.
        """
        if G.is_directed() or G.is_multigraph():
            raise ValueError("SocialNetwork.from_networkx needs an undirected simple graph")
        n = G.number_of_nodes()
        if set(G.nodes) != set(range(n)):
            raise ValueError(f"SocialNetwork.from_networkx needs nodes exactly 0..{n - 1}")
        with gc_paused():
            net = cls(n)
            if G.number_of_edges() == 0:
                return net
            u, v = _edge_arrays(G)
            if np.any(u == v):
                raise ValueError("SocialNetwork.from_networkx: the graph has self-loops")
            net._bulk_add(u, v, strength, origin, time_months)
        return net

    @classmethod
    def from_edges(
        cls,
        n: int,
        u: np.ndarray,
        v: np.ndarray,
        strength: float,
        origin: str = "initial",
        time_months: float = 0.0,
    ) -> SocialNetwork:
        """Build from tie endpoint arrays on workers ``0..n-1``, without a NetworkX graph.

        The result equals :meth:`from_networkx` of the graph with nodes ``0..n-1`` added in
        order and then the edges ``(u[k], v[k])`` in order (same ties, same neighbour order),
        so a generator may hand over arrays instead of a graph without changing a run.
        Raises ``ValueError`` for workers outside ``0..n-1``, self-loops or repeated ties.
        """
        u = np.asarray(u, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        if u.shape != v.shape or u.ndim != 1:
            raise ValueError("SocialNetwork.from_edges needs two 1-d arrays of equal length")
        if u.size and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
            raise ValueError(f"SocialNetwork.from_edges: a tie outside workers 0..{n - 1}")
        if np.any(u == v):
            raise ValueError("SocialNetwork.from_edges: the graph has self-loops")
        with gc_paused():
            net = cls(n)
            if u.size == 0:
                return net
            # NetworkX lists edge (x, y), x < y, under x in the order x's ties were added:
            # that is a stable sort by the smaller endpoint.
            lo, hi = np.minimum(u, v), np.maximum(u, v)
            order = np.argsort(lo, kind="stable")
            net._bulk_add(lo[order], hi[order], strength, origin, time_months)
        return net

    def _bulk_add(
        self, u: np.ndarray, v: np.ndarray, strength: float, origin: str, time_months: float
    ) -> None:
        """Add distinct new ties ``(u[i], v[i])`` to an empty network, in order."""
        n, m = self.n, len(u)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        self._index = dict(zip((lo * n + hi).tolist(), range(m), strict=True))
        if len(self._index) != m:
            raise ValueError("SocialNetwork: repeated ties in bulk input")
        self._u.frombytes(lo.astype(np.int64).tobytes())
        self._v.frombytes(hi.astype(np.int64).tobytes())
        self._s.frombytes(np.full(m, float(strength)).tobytes())
        self._o.frombytes(np.full(m, self._code(origin), dtype=np.uint8).tobytes())
        self._t.frombytes(np.full(m, float(time_months)).tobytes())
        self._r.frombytes(np.full(m, float(time_months)).tobytes())
        # Neighbour lists in the same order sequential add_tie calls would give: endpoint
        # pairs interleaved (u gets v, then v gets u), stable-sorted by owner.
        owner = np.column_stack((u, v)).ravel()
        other = np.column_stack((v, u)).ravel()
        by_owner = np.argsort(owner, kind="stable")
        flat = other[by_owner].tolist()
        ptr = np.concatenate(([0], np.cumsum(np.bincount(owner, minlength=n)))).tolist()
        self.neighbours = [flat[a:b] for a, b in zip(ptr[:-1], ptr[1:], strict=True)]

    def _code(self, origin: str) -> int:
        code = self._codes.get(origin)
        if code is None:
            if len(self.origins) >= 256:
                raise ValueError("SocialNetwork supports at most 256 distinct origins")
            code = self._codes[origin] = len(self.origins)
            self.origins.append(origin)
        return code

    # -- hot-loop operations ---------------------------------------------------------------

    def add_tie(self, u: int, v: int, strength: float, origin: str, time_months: float) -> bool:
        """Add the tie ``u``–``v``; return True if it is new.

        ``strength`` is in 0..1, ``time_months`` the formation time in months. If the tie
        already exists, return False, keep the stronger of the two strengths (origin and
        formation time stay those of the first tie) and refresh it at ``time_months`` (with
        decay on, the clock restarts from the stored strength). A self-loop (``u == v``) is
        refused: nothing changes and the result is False. Raises ``IndexError`` for a worker
        outside ``0..n-1``.
        """
        n = self.n
        if not (0 <= u < n and 0 <= v < n):
            raise IndexError(f"tie {u}-{v} outside workers 0..{n - 1}")
        if u == v:
            return False
        key = u * n + v if u < v else v * n + u
        row = self._index.get(key)
        if row is not None:
            if strength > self._s[row]:
                self._s[row] = strength
            self._r[row] = time_months
            if self.half_life:
                self._schedule(key, self._s[row], time_months)
            return False
        code = self._codes.get(origin)
        if code is None:
            code = self._code(origin)
        self._index[key] = len(self._u)
        if u < v:
            self._u.append(u)
            self._v.append(v)
        else:
            self._u.append(v)
            self._v.append(u)
        self._s.append(strength)
        self._o.append(code)
        self._t.append(time_months)
        self._r.append(time_months)
        self.neighbours[u].append(v)
        self.neighbours[v].append(u)
        if self._components is not None:
            self._components.join(u, v)
        if self._changed is not None:
            self._mark_changed(u, v)
        if self.half_life:
            self._schedule(key, strength, time_months)
        return True

    def add_ties(self, us, vs, strength: float, origin: str, times) -> int:
        """:meth:`add_tie` for each ``(us[k], vs[k], times[k])`` in order; returns how many
        were new. The same network results as the calls one by one, at a fraction of their
        cost: the new ties are appended column by column (the compiled kernel replays its
        colleague ties with it every month). Arrays or lists; times in months.
        """
        n = self.n
        u, v = np.asarray(us, np.int64), np.asarray(vs, np.int64)
        t = np.asarray(times, np.float64)
        if self.half_life or ((u < 0) | (u >= n) | (v < 0) | (v >= n) | (u == v)).any():
            k = len(u)  # decay, or a bad pair (add_tie raises on it): one by one
            return sum(map(self.add_tie, u.tolist(), v.tolist(), [strength] * k, [origin] * k,
                           t.tolist()))  # fmt: skip
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        keys = lo * n + hi
        index = self._index
        before = np.fromiter((k in index for k in keys.tolist()), bool, len(keys))
        new = ~before
        new[new] = _first_of_each(keys[new])  # a pair new twice in the batch is new once
        idx = np.flatnonzero(new)
        rows = range(len(self._u), len(self._u) + len(idx))
        index.update(zip(keys[idx].tolist(), rows, strict=True))
        self._u.frombytes(lo[idx].tobytes())
        self._v.frombytes(hi[idx].tobytes())
        self._s.frombytes(np.full(len(idx), float(strength)).tobytes())
        self._o.frombytes(np.full(len(idx), self._code(origin), np.uint8).tobytes())
        self._t.frombytes(t[idx].tobytes())
        self._r.frombytes(t[idx].tobytes())
        nb, comp = self.neighbours, self._components
        for a, b in zip(u[idx].tolist(), v[idx].tolist(), strict=True):
            nb[a].append(b)
            nb[b].append(a)
            if comp is not None:
                comp.join(a, b)
        if self._changed is not None and len(idx):
            marks = np.frombuffer(self._changed, np.uint8)
            ends = np.unique(np.concatenate([u[idx], v[idx]]))
            fresh = ends[marks[ends] == 0]
            marks[fresh] = 1
            self._n_changed += len(fresh)
        s_, r_ = self._s, self._r  # every other attempt meets a tie it has: refresh it
        for key, when in zip(keys[~new].tolist(), t[~new].tolist(), strict=True):
            row = index[key]
            if strength > s_[row]:
                s_[row] = strength
            r_[row] = when
        return len(idx)

    def refresh(self, u: int, v: int, time_months: float) -> bool:
        """Refresh the tie ``u``–``v`` at ``time_months``: its decay clock restarts from its
        stored strength. Returns False (and does nothing) if there is no such tie."""
        n = self.n
        if u == v or not (0 <= u < n and 0 <= v < n):
            return False
        key = u * n + v if u < v else v * n + u
        row = self._index.get(key)
        if row is None:
            return False
        self._r[row] = time_months
        if self.half_life:
            self._schedule(key, self._s[row], time_months)
        return True

    def remove_tie(self, u: int, v: int) -> bool:
        """Remove the tie ``u``–``v``; return False if there is none. O(degree)."""
        n = self.n
        if u == v or not (0 <= u < n and 0 <= v < n):
            return False
        row = self._index.pop(u * n + v if u < v else v * n + u, None)
        if row is None:
            return False
        self.neighbours[u].remove(v)
        self.neighbours[v].remove(u)
        self._components = None  # a removal may split a component: count afresh when asked
        if self._changed is not None:
            self._mark_changed(u, v)
        self._u[row] = -1
        self._v[row] = -1
        self._dead += 1
        if self._dead > 1024 and 2 * self._dead > len(self._u):
            self._compact()
        return True

    def _compact(self) -> None:
        """Drop dead rows and rebuild the index (order of the live ties is kept)."""
        live = np.frombuffer(self._u, dtype=np.int64) >= 0
        columns = (("_u", "q"), ("_v", "q"), ("_s", "d"), ("_o", "B"), ("_t", "d"), ("_r", "d"))
        for name, code in columns:
            kept = np.frombuffer(getattr(self, name), dtype=np.dtype(code))[live]
            setattr(self, name, array(code, kept.tobytes()))
        n = self.n
        self._index = {}  # free the old table first: it never shrank as ties were removed
        keys = (np.frombuffer(self._u, np.int64) * n + np.frombuffer(self._v, np.int64)).tolist()
        self._index = dict(zip(keys, range(len(keys)), strict=True))
        self._dead = 0

    def _row(self, u: int, v: int) -> int | None:
        """The row of the tie ``u``–``v``, or None (also for u == v and out-of-range workers)."""
        n = self.n
        if u == v or not (0 <= u < n and 0 <= v < n):
            return None
        return self._index.get(u * n + v if u < v else v * n + u)

    def has_tie(self, u: int, v: int) -> bool:
        """True if ``u`` and ``v`` are tied (False for ``u == v`` and out-of-range workers)."""
        return self._row(u, v) is not None

    def tie(self, u: int, v: int) -> tuple[float, str, float] | None:
        """``(strength, origin, formed_months)`` of the tie ``u``–``v``, or None if absent.

        Strength is in 0..1, formation time in months.
        """
        row = self._row(u, v)
        if row is None:
            return None
        return self._s[row], self.origins[self._o[row]], self._t[row]

    def random_neighbour(self, u: int, stream: FastStream) -> int:
        """A uniformly chosen neighbour of ``u`` drawn from ``stream``; -1 if ``u`` has none.

        Draws one uniform from ``stream`` only when ``u`` has a neighbour.
        """
        nb = self.neighbours[u]
        if not nb:
            return -1
        return nb[int(stream.random() * len(nb))]

    def components(self) -> Components:
        """The connected components, counted now if not kept since an earlier call.

        After the first call they are kept up to date as ties are added (no recount);
        removing a tie drops them (see :mod:`netsim.world.components`).
        """
        if self._components is None:
            # Each tie once (u -> v): an undirected count follows entries both ways, so the
            # matrix needs no mirror; int8 ones. Under half the memory of to_csr, which set
            # the peak of a long run with decaying ties.
            u, v = self._live_ends(self._live())
            one_way = sp.csr_array((np.ones(len(u), np.int8), (u, v)), shape=(self.n, self.n))
            _, labels = connected_components(one_way, directed=False)
            self._components = Components(labels)
        return self._components

    def adjacency_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The neighbour lists as flat arrays ``(start, stop, indices)``, and who changed since.

        ``indices[start[u]:stop[u]]`` is ``neighbours[u]`` as it was when the arrays were
        taken, for every worker ``u`` whose entry in the fourth array (booleans, one per
        worker, live) is False; read the lists of the others instead. For vectorised passes
        over many workers' contacts (campaign cascades). Do not modify them. Once more than
        a sixteenth of the workers changed, their lists are appended (O(their ties): ties
        change all the time when they grow and decay); all are taken afresh only when the
        entries left behind outnumber the live ones.
        """
        if self._changed is None or 16 * self._n_changed > self.n:  # none yet, or stale
            if self._changed is None or 2 * self._garbage > len(self._snapshot[2]):
                empty = np.zeros(self.n, dtype=np.int64)
                self._snapshot, self._garbage = (empty, empty, empty[:0]), 0
                who = np.arange(self.n)
            else:
                who = np.flatnonzero(np.frombuffer(self._changed, dtype=np.bool_))
            self._append_lists(who)
            self._changed, self._n_changed = bytearray(self.n), 0
        changed = np.frombuffer(self._changed, dtype=np.bool_)
        changed.flags.writeable = False
        return (*self._snapshot, changed)

    def _append_lists(self, who: np.ndarray) -> None:
        """Append the lists of workers ``who`` to the snapshot and move their bounds there
        (new arrays: a caller may still hold the old ones)."""
        start, stop, flat = self._snapshot
        lists = list(map(self.neighbours.__getitem__, who.tolist()))
        degree = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        added = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(degree.sum()))
        self._garbage += int((stop[who] - start[who]).sum())
        start, stop = start.copy(), stop.copy()
        stop[who] = len(flat) + degree.cumsum()
        start[who] = stop[who] - degree
        self._snapshot = (start, stop, np.concatenate([flat, added]))

    def _mark_changed(self, u: int, v: int) -> None:
        changed = self._changed
        if not changed[u]:
            changed[u] = 1
            self._n_changed += 1
        if not changed[v]:
            changed[v] = 1
            self._n_changed += 1

    def degree(self, u: int) -> int:
        """Number of ties of worker ``u``."""
        return len(self.neighbours[u])

    # -- read-outs -------------------------------------------------------------------------

    @property
    def n_edges(self) -> int:
        """Number of ties."""
        return len(self._u) - self._dead

    def degrees(self) -> np.ndarray:
        """Number of ties of every worker (int64 array of length ``n``)."""
        return np.fromiter((len(nb) for nb in self.neighbours), dtype=np.int64, count=self.n)

    def __len__(self) -> int:
        """Number of workers ``n``."""
        return self.n

    def __repr__(self) -> str:
        return f"SocialNetwork(n={self.n}, edges={self.n_edges})"
