"""Random-graph generators: Barabási–Albert, Watts–Strogatz, stochastic block, homophily.

The two NetworkX-backed generators are seeded with an int drawn from the run's ``graph``
stream; the degree-corrected samplers (:func:`grouped_chung_lu`) draw their ties in NumPy.
Degrees are numbers of ties per worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from netsim.engine.gctools import gc_paused
from netsim.scenario.schema import F
from netsim.world.graphs.base import (
    _MAX_ROUNDS,
    GRAPH_GENERATORS,
    GeneratorParams,
    GraphEdges,
    GraphGenerator,
    PeopleAttributes,
    _seed,
)
from netsim.world.graphs.preferential import barabasi_albert_edges
from netsim.world.graphs.weighted import (
    weighted_barabasi_albert_edges,
    weighted_small_world_edges,
)

if TYPE_CHECKING:  # networkx loads when a graph is built: validating needs none
    import networkx as nx

# --- NetworkX-backed generators -------------------------------------------------------------


class BarabasiAlbertParams(GeneratorParams):
    """Parameters of ``barabasi_albert``."""

    m: int = F(5, "ties", "Ties each newcomer forms by preferential attachment.", ge=1)


@GRAPH_GENERATORS.register
class BarabasiAlbert(GraphGenerator):
    """Preferential attachment; ``m * (n - m)`` ties.

    The model of ``networkx.barabasi_albert_graph`` (a star on ``0..m``, then each newcomer
    ties to ``m`` distinct nodes chosen with probability proportional to degree), drawn in
    NumPy by :func:`~netsim.world.graphs.preferential.barabasi_albert_edges`: the same
    distribution, a different random stream. Mean degree is about ``2m``. Vital forces
    (``degree_weight`` above 1) form more ties as newcomers and so end with proportionally
    more (:func:`~netsim.world.graphs.weighted.weighted_barabasi_albert_edges`; ``m`` is then
    the mean number per newcomer); with equal weights the graph is the unweighted one.
    """

    name = "barabasi_albert"
    description = "Scale-free graph by preferential attachment; m ties per newcomer."
    Params = BarabasiAlbertParams
    uses_degree_weight = True

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Require ``m < workers``."""
        if params.m >= n_workers:
            raise ValueError(f"barabasi_albert needs m < workers, got m={params.m}, {n_workers=}")
        return params

    def build_edges(
        self, people: PeopleAttributes, params: Any, rng: np.random.Generator
    ) -> GraphEdges:
        """The graph's ties as arrays (no NetworkX graph); ``m`` must be below ``people.n``."""
        if _uniform(people.degree_weight):
            u, v = barabasi_albert_edges(people.n, params.m, rng)
        else:
            u, v = weighted_barabasi_albert_edges(params.m, people.degree_weight, rng)
        return GraphEdges(people.n, u, v)


class WattsStrogatzParams(GeneratorParams):
    """Parameters of ``watts_strogatz``."""

    k: int = F(10, "ties", "Ring-lattice neighbours of each worker (even).", ge=2)
    p: float = F(0.1, "probability", "Chance each lattice tie is rewired.", ge=0, le=1)


@GRAPH_GENERATORS.register
class WattsStrogatz(GraphGenerator):
    """Small world (``networkx.watts_strogatz_graph``): ``n * k / 2`` ties, mean degree ``k``.

    With unequal ``degree_weight`` (vital forces) a degree-corrected lattice whose reach grows
    with both ends' weights, rewired towards heavy workers, so expected degree is ``k`` times
    the weight over the mean weight
    (:func:`~netsim.world.graphs.weighted.weighted_small_world_edges`); with equal weights
    NetworkX's graph.
    """

    name = "watts_strogatz"
    description = "Small-world ring lattice of k neighbours, each tie rewired with prob. p."
    Params = WattsStrogatzParams
    uses_degree_weight = True

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Require an even ``k`` below ``workers``."""
        if params.k % 2:
            raise ValueError(f"watts_strogatz needs an even k, got k={params.k}")
        if params.k >= n_workers:
            raise ValueError(f"watts_strogatz needs k < workers, got k={params.k}, {n_workers=}")
        return params

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Build the graph."""
        import networkx as nx

        if not _uniform(people.degree_weight):
            return self.build_edges(people, params, rng).to_networkx()
        with gc_paused():
            return nx.watts_strogatz_graph(people.n, params.k, params.p, seed=_seed(rng))

    def build_edges(
        self, people: PeopleAttributes, params: Any, rng: np.random.Generator
    ) -> GraphEdges | None:
        """The degree-corrected graph as arrays; None with equal weights (NetworkX's graph)."""
        if _uniform(people.degree_weight):
            return None
        u, v = weighted_small_world_edges(params.k, params.p, people.degree_weight, rng)
        return GraphEdges(people.n, u, v)


def _uniform(weight: np.ndarray) -> bool:
    """Whether every worker has the same degree weight (no vital-force correction)."""
    return len(weight) == 0 or bool(np.all(weight == weight[0]))


# --- Degree-corrected group samplers --------------------------------------------------------


def _draw_until(
    target: int, draw: Any, n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ties ``(u < v)`` from repeated draws of ``draw(k, rng) -> (u, v)`` candidates.

    Each round draws exactly the number still missing, drops self-loops and duplicates, so the
    result never exceeds ``target``; it stops short only after ``_MAX_ROUNDS`` rounds.
    """
    keys = np.empty(0, dtype=np.int64)
    for _ in range(_MAX_ROUNDS):
        missing = target - keys.size
        if missing <= 0:
            break
        u, v = draw(missing, rng)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        ok = lo != hi
        keys = np.union1d(keys, lo[ok] * n + hi[ok])
    return keys // n, keys % n


def grouped_chung_lu(
    group: np.ndarray,
    weight: np.ndarray,
    mean_degree: float,
    within_share: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Sample a degree-corrected block graph; return the tie endpoints ``(u, v)``, ``u < v``.

    Worker ``i`` in group ``g`` gets expected degree ``d_i = mean_degree * w_i / mean(w)``.
    The graph has ``M = round(n * mean_degree / 2)`` ties, of which ``round(within_share * M)``
    join two workers of the same group (the rest join different groups), so the overall share
    of within-group ties is ``within_share``.

    Within ties are split over groups in proportion to their total expected degree ``D_g``
    and drawn as Chung–Lu pairs inside the group (each end chosen with probability
    proportional to ``d``), so every worker expects ``within_share * d_i`` within ties.
    Between ties are Chung–Lu pairs conditioned on different groups (probability of a pair
    proportional to ``d_u * d_v``); with groups of equal total weight each worker expects
    ``(1 - within_share) * d_i`` of them, and workers in larger groups get somewhat fewer.
    Groups of one worker get no within ties; workers of weight 0 get no ties. Duplicates are
    redrawn, so ties are distinct; the count falls short of ``M`` only when the graph is
    nearly complete. Cost is ``O(M log n)``.
    """
    n = len(group)
    group = np.asarray(group, dtype=np.int64)
    weight = np.asarray(weight, dtype=np.float64)
    empty = np.empty(0, dtype=np.int64)
    if n < 2 or mean_degree <= 0 or weight.sum() <= 0:
        return empty, empty
    d = mean_degree * weight / weight.mean()
    # Nodes sorted by group, so each group is a contiguous range of one cumulative-weight axis.
    _, group = np.unique(group, return_inverse=True)
    n_groups = int(group.max()) + 1
    order = np.argsort(group, kind="stable")
    cum = np.concatenate(([0.0], np.cumsum(d[order])))
    size = np.bincount(group, minlength=n_groups)
    start = np.concatenate(([0], np.cumsum(size)[:-1]))
    end = start + size
    D_g = cum[end] - cum[start]
    D = cum[-1]

    def pick(g: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One node per entry of ``g``, drawn within that group with probability prop. to d."""
        r = cum[start[g]] + rng.random(len(g)) * D_g[g]
        pos = np.searchsorted(cum, r, side="right") - 1
        # Clip because float rounding can step just outside the group's range.
        return order[np.clip(pos, start[g], end[g] - 1)]

    m_total = round(n * mean_degree / 2)
    # Workers of weight 0 are never drawn, so only positive-weight workers can form pairs.
    live = np.bincount(group, weights=d > 0, minlength=n_groups).astype(np.int64)
    eligible = live >= 2
    within_pairs = int((live * (live - 1) // 2).sum())
    between_weight = D * D - float((D_g * D_g).sum())
    n_live = int(live.sum())
    between_pairs = (n_live * (n_live - 1)) // 2 - within_pairs
    m_in = round(within_share * m_total) if between_weight > 1e-12 * D * D else m_total
    m_in = min(m_in, within_pairs)
    m_out = min(m_total - m_in, between_pairs) if between_weight > 1e-12 * D * D else 0

    share_in = np.where(eligible, D_g, 0.0)
    if share_in.sum() > 0:
        share_in /= share_in.sum()

    def draw_within(k: int, rng: np.random.Generator):
        g = np.repeat(np.arange(n_groups), rng.multinomial(k, share_in))
        return pick(g, rng), pick(g, rng)

    # First end of a between tie: probability proportional to d_u * (D - D_g(u)).
    w_first = d * (D - D_g[group])
    cum_first = np.cumsum(w_first)

    def draw_between(k: int, rng: np.random.Generator):
        r = rng.random(k) * cum_first[-1]
        u = np.minimum(np.searchsorted(cum_first, r, side="right"), n - 1)
        g = group[u]
        # Second end: proportional to d over all groups but g (skip g's range on the axis).
        r2 = rng.random(k) * (D - D_g[g])
        r2 = np.where(r2 >= cum[start[g]], r2 + D_g[g], r2)
        pos = np.clip(np.searchsorted(cum, r2, side="right") - 1, 0, n - 1)
        v = order[pos]
        # Rounding can land on the edge of u's own group; such pairs are dropped as loops.
        v = np.where(group[v] == g, u, v)
        return u, v

    u_in, v_in = _draw_until(m_in, draw_within, n, rng) if m_in else (empty, empty)
    u_out, v_out = _draw_until(m_out, draw_between, n, rng) if m_out else (empty, empty)
    u = np.concatenate((u_in, u_out))
    v = np.concatenate((v_in, v_out))
    key = np.argsort(u * n + v, kind="stable")
    return u[key], v[key]


class StochasticBlockParams(GeneratorParams):
    """Parameters of ``stochastic_block``."""

    blocks: int = F(10, "blocks", "Number of regions/communities (equal sizes).", ge=1)
    mean_degree: float = F(10.0, "ties", "Mean number of ties per worker.", ge=0)
    within_share: float = F(
        0.8, "fraction", "Expected share of a worker's ties inside its own block.", ge=0, le=1
    )


@GRAPH_GENERATORS.register
class StochasticBlock(GraphGenerator):
    """Degree-corrected stochastic block model for regions or communities.

    Workers are put into ``blocks`` blocks of equal size (sizes differ by at most one) at
    random, and their block is stored as the node attribute ``region`` (int). Ties are drawn
    by :func:`grouped_chung_lu`: mean degree ``mean_degree``, a share ``within_share`` inside
    blocks, and expected degree proportional to ``degree_weight``.
    """

    name = "stochastic_block"
    description = "Regions/communities: equal blocks, within_share of ties inside a block."
    Params = StochasticBlockParams
    uses_degree_weight = True

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Require ``blocks <= workers`` and ``mean_degree < workers - 1``."""
        if params.blocks > n_workers:
            raise ValueError(f"stochastic_block needs blocks <= workers, got {params.blocks}")
        _check_mean_degree("stochastic_block", params.mean_degree, n_workers)
        return params

    def build_edges(
        self, people: PeopleAttributes, params: Any, rng: np.random.Generator
    ) -> GraphEdges:
        """The graph's ties and each worker's ``region`` as arrays (no NetworkX graph)."""
        n = people.n
        region = rng.permutation(np.arange(n, dtype=np.int64) * params.blocks // max(n, 1))
        u, v = grouped_chung_lu(
            region, people.degree_weight, params.mean_degree, params.within_share, rng
        )
        return GraphEdges(n, u, v, region)


class HomophilyParams(GeneratorParams):
    """Parameters of ``homophily``."""

    mean_degree: float = F(10.0, "ties", "Mean number of ties per worker.", ge=0)
    homophily: float = F(
        0.7, "fraction", "Expected share of ties that join workers of the same skill.", ge=0, le=1
    )


@GRAPH_GENERATORS.register
class Homophily(GraphGenerator):
    """Homophily by skill: a share ``homophily`` of ties join workers of the same skill.

    Ties are drawn by :func:`grouped_chung_lu` with skills as groups: mean degree
    ``mean_degree`` and expected degree proportional to ``degree_weight``. When all skill
    groups are the same size every worker expects the share ``homophily`` of same-skill ties;
    otherwise workers of common skills get a little more and the overall share is still
    ``homophily``. With a single skill every tie is same-skill.
    """

    name = "homophily"
    description = "Homophily by skill: a share homophily of ties join same-skill workers."
    Params = HomophilyParams
    uses_degree_weight = True

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Require ``mean_degree < workers - 1``."""
        _check_mean_degree("homophily", params.mean_degree, n_workers)
        return params

    def build_edges(
        self, people: PeopleAttributes, params: Any, rng: np.random.Generator
    ) -> GraphEdges:
        """The graph's ties as arrays (no NetworkX graph)."""
        u, v = grouped_chung_lu(
            people.skill, people.degree_weight, params.mean_degree, params.homophily, rng
        )
        return GraphEdges(people.n, u, v)


def _check_mean_degree(name: str, mean_degree: float, n_workers: int) -> None:
    if mean_degree >= n_workers - 1 and mean_degree > 0:
        raise ValueError(
            f"{name} needs mean_degree < workers - 1, got {mean_degree:g} with {n_workers} workers"
        )
