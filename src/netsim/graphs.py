"""Initial social graphs among workers, as named plug-ins.

A scenario's ``graph`` section names a generator and gives it a free ``params`` dict. Each
generator is a :class:`GraphGenerator` subclass registered in :data:`GRAPH_GENERATORS`; it
declares its parameters as a pydantic model (``Params``), checks file inputs once when the
scenario is loaded (:meth:`GraphGenerator.check_inputs`) and builds an undirected simple
graph on the workers ``0..n-1`` (:meth:`GraphGenerator.build`). Edges carry no attributes:
the caller sets tie strength and origin when it copies the graph into a
:class:`netsim.network.SocialNetwork`.

Randomness comes only from the ``numpy.random.Generator`` passed to ``build``; NetworkX
generators are seeded with an int drawn from it, so the same inputs and generator state give
the same graph in any process.

Built-in generators (degrees are numbers of ties per worker):

``barabasi_albert``
    Preferential attachment (NetworkX); ``m`` ties per newcomer. Ignores ``degree_weight``.
``watts_strogatz``
    Small world (NetworkX): ring lattice of ``k`` neighbours, rewired with probability ``p``.
    Ignores ``degree_weight``.
``stochastic_block``
    Regions or communities: ``blocks`` blocks of equal size (assigned at random), a share
    ``within_share`` of ties inside a worker's block; degree-corrected by ``degree_weight``.
    Sets the node attribute ``region`` (int, ``0..blocks-1``). No other generator sets it.
``homophily``
    Homophily by skill: a share ``homophily`` of ties join workers of the same skill;
    degree-corrected by ``degree_weight``.
``edge_list``
    Ties read from a text file of ``u v`` lines.
``graphml``
    Ties read from a GraphML file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from netsim.gctools import gc_paused
from netsim.registry import Registry
from netsim.scenario import F

if TYPE_CHECKING:  # networkx loads when a graph is built: validating needs none
    import networkx as nx

GRAPH_GENERATORS: Registry[GraphGenerator] = Registry("graph generator")

# Sampling rounds before a degree-corrected sampler accepts fewer ties than its target; only
# tiny or nearly complete graphs get there (each round draws exactly the missing ties).
_MAX_ROUNDS = 200


@dataclass(frozen=True, eq=False)
class PeopleAttributes:
    """What a graph generator may know about the workers ``0..n-1``.

    ``skill``: int array of length ``n`` with each worker's skill category (``0..K-1``).
    ``vital``: bool array, True for vital forces.
    ``degree_weight``: float array (relative expected number of ties, dimensionless): 1.0 for
    ordinary workers and the vital-force degree multiplier for vital forces.
    """

    n: int
    skill: np.ndarray
    vital: np.ndarray
    degree_weight: np.ndarray

    def __post_init__(self) -> None:
        for field in ("skill", "vital", "degree_weight"):
            if len(getattr(self, field)) != self.n:
                raise ValueError(f"PeopleAttributes.{field} has length != n ({self.n})")
        if self.n and (
            np.any(self.degree_weight < 0) or not np.all(np.isfinite(self.degree_weight))
        ):
            raise ValueError("PeopleAttributes.degree_weight must be finite and >= 0")

    @classmethod
    def uniform(cls, n: int, skills: int = 1) -> PeopleAttributes:
        """``n`` ordinary workers (weight 1), skills ``i % skills``; handy in tests and demos."""
        return cls(
            n=n,
            skill=np.arange(n, dtype=np.int64) % skills,
            vital=np.zeros(n, dtype=bool),
            degree_weight=np.ones(n),
        )


class GeneratorParams(BaseModel):
    """Base of every generator's ``Params``: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class GraphGenerator:
    """Base class of graph generator plug-ins.

    A subclass sets ``name`` (the scenario's ``graph.generator``), a one-line ``description``,
    ``Params`` (a :class:`GeneratorParams` subclass: every field has a default, a description
    and a unit) and ``uses_degree_weight`` (whether vital forces get more ties), and
    implements :meth:`build`. Register it with ``@GRAPH_GENERATORS.register``, or name it in a
    scenario as ``package.module:Class``.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    Params: ClassVar[type[BaseModel]] = GeneratorParams
    uses_degree_weight: ClassVar[bool] = False

    @classmethod
    def parse_params(cls, raw: Mapping[str, Any]) -> BaseModel:
        """Validate the scenario's ``graph.params`` dict (raises ``pydantic.ValidationError``)."""
        return cls.Params.model_validate(dict(raw))

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Check ``params`` against the scenario once, at load time; return them (resolved).

        ``base_dir`` is the scenario file's folder (relative paths are resolved against it);
        ``n_workers`` is ``population.workers``. Raises ``ValueError`` with a clear message.
        The default accepts the params unchanged.
        """
        return params

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Return an undirected simple graph on exactly the nodes ``0..people.n-1``."""
        raise NotImplementedError


def check_graph(G: nx.Graph, n: int, source: str = "graph generator") -> None:
    """Raise ``ValueError`` unless ``G`` is undirected and simple with nodes exactly ``0..n-1``."""
    import networkx as nx

    if G.is_directed() or G.is_multigraph():
        raise ValueError(f"{source} returned a directed graph or multigraph")
    if G.number_of_nodes() != n or set(G.nodes) != set(range(n)):
        raise ValueError(f"{source} must return nodes exactly 0..{n - 1}")
    if nx.number_of_selfloops(G):
        raise ValueError(f"{source} returned self-loops")


def generate_graph(
    generator: str,
    params: Mapping[str, Any],
    people: PeopleAttributes,
    rng: np.random.Generator,
    base_dir: Path | str = ".",
) -> nx.Graph:
    """Look up, validate, check and run a generator in one call; check the result.

    ``generator`` is a registered name or ``package.module:Class``; ``params`` the raw dict
    of the scenario; ``base_dir`` the folder relative file paths are resolved against.
    """
    cls = GRAPH_GENERATORS.get(generator)
    parsed = cls.parse_params(params)
    parsed = cls.check_inputs(parsed, Path(base_dir), people.n)
    G = cls().build(people, parsed, rng)
    check_graph(G, people.n, f"graph generator {generator!r}")
    return G


def _seed(rng: np.random.Generator) -> int:
    """An int seed for a NetworkX generator, drawn from ``rng``."""
    return int(rng.integers(2**32))


def _empty_graph(n: int) -> nx.Graph:
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(n))
    return G


# --- NetworkX-backed generators -------------------------------------------------------------


class BarabasiAlbertParams(GeneratorParams):
    """Parameters of ``barabasi_albert``."""

    m: int = F(5, "ties", "Ties each newcomer forms by preferential attachment.", ge=1)


@GRAPH_GENERATORS.register
class BarabasiAlbert(GraphGenerator):
    """Preferential attachment (``networkx.barabasi_albert_graph``); ``m * (n - m)`` ties.

    Mean degree is about ``2m``. Ignores ``degree_weight``.
    """

    name = "barabasi_albert"
    description = "Scale-free graph by preferential attachment; m ties per newcomer."
    Params = BarabasiAlbertParams
    uses_degree_weight = False

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Require ``m < workers``."""
        if params.m >= n_workers:
            raise ValueError(f"barabasi_albert needs m < workers, got m={params.m}, {n_workers=}")
        return params

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Build the graph; ``m`` must be below ``people.n``."""
        import networkx as nx

        with gc_paused():
            return nx.barabasi_albert_graph(people.n, params.m, seed=_seed(rng))


class WattsStrogatzParams(GeneratorParams):
    """Parameters of ``watts_strogatz``."""

    k: int = F(10, "ties", "Ring-lattice neighbours of each worker (even).", ge=2)
    p: float = F(0.1, "probability", "Chance each lattice tie is rewired.", ge=0, le=1)


@GRAPH_GENERATORS.register
class WattsStrogatz(GraphGenerator):
    """Small world (``networkx.watts_strogatz_graph``): ``n * k / 2`` ties, mean degree ``k``.

    Ignores ``degree_weight``.
    """

    name = "watts_strogatz"
    description = "Small-world ring lattice of k neighbours, each tie rewired with prob. p."
    Params = WattsStrogatzParams
    uses_degree_weight = False

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

        with gc_paused():
            return nx.watts_strogatz_graph(people.n, params.k, params.p, seed=_seed(rng))


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


def _graph_from_arrays(n: int, u: np.ndarray, v: np.ndarray, region: np.ndarray | None = None):
    """``nx.Graph`` on ``0..n-1`` with edges ``(u[i], v[i])`` and optional node ``region``."""
    import networkx as nx

    G = nx.Graph()
    with gc_paused():
        if region is None:
            G.add_nodes_from(range(n))
        else:
            G.add_nodes_from((i, {"region": r}) for i, r in enumerate(region.tolist()))
        G.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
    return G


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

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Build the graph and set each node's ``region``."""
        n = people.n
        region = rng.permutation(np.arange(n, dtype=np.int64) * params.blocks // max(n, 1))
        u, v = grouped_chung_lu(
            region, people.degree_weight, params.mean_degree, params.within_share, rng
        )
        return _graph_from_arrays(n, u, v, region)


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

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Build the graph."""
        u, v = grouped_chung_lu(
            people.skill, people.degree_weight, params.mean_degree, params.homophily, rng
        )
        return _graph_from_arrays(people.n, u, v)


def _check_mean_degree(name: str, mean_degree: float, n_workers: int) -> None:
    if mean_degree >= n_workers - 1 and mean_degree > 0:
        raise ValueError(
            f"{name} needs mean_degree < workers - 1, got {mean_degree:g} with {n_workers} workers"
        )


# --- File-based generators ------------------------------------------------------------------


def _resolve(generator: str, path: str, base_dir: Path) -> Path:
    if not path:
        raise ValueError(f"{generator} needs graph.params.path (the file to read)")
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path(base_dir) / p).resolve()


def _count_mismatch(path: Path, found: int, n_workers: int) -> ValueError:
    return ValueError(
        f"graph file {path} has {found} nodes but the scenario has {n_workers} workers; "
        f"set population.workers to match (e.g. --set population.workers={found})"
    )


def read_edge_list(
    path: Path | str, delimiter: str | None = None, node_order: str = "first_seen"
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Parse an edge-list file; return ``(labels, u, v)`` with ``labels[i]`` worker ``i``'s label.

    Format: one tie ``u v`` per line, fields split on ``delimiter`` (default: any whitespace);
    ``#`` starts a comment; blank lines are skipped; a line with a single label declares a
    worker without ties. Labels are strings. Worker numbers follow ``node_order``:
    ``"first_seen"`` numbers labels ``0, 1, ...`` in order of first appearance in the file
    (reading each line left to right); ``"numeric"`` requires integer labels and numbers them
    in ascending numeric order (so labels ``0..n-1`` keep their numbers). Self-loops and
    repeated ties are dropped (their labels still count as workers). Raises ``ValueError``
    naming the file and line when the file is missing, unreadable or malformed.
    """
    path = Path(path)
    index: dict[str, int] = {}
    us: list[int] = []
    vs: list[int] = []
    try:
        with path.open(encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, start=1):
                line = raw.split("#", 1)[0].strip()
                if not line:
                    continue
                fields = line.split(delimiter)
                if delimiter is not None:
                    fields = [f.strip() for f in fields]
                if len(fields) > 2 or not all(fields):
                    raise ValueError(
                        f"graph file {path}, line {lineno}: expected 'u v' or a single "
                        f"label, got {raw.rstrip()!r}"
                    )
                ids = [index.setdefault(f, len(index)) for f in fields]
                if len(ids) == 2:
                    us.append(ids[0])
                    vs.append(ids[1])
    except FileNotFoundError:
        raise ValueError(f"graph file {path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"graph file {path} cannot be read: {exc}") from None
    labels = list(index)
    u = np.asarray(us, dtype=np.int64)
    v = np.asarray(vs, dtype=np.int64)
    if node_order == "numeric":
        try:
            values = [int(s) for s in labels]
        except ValueError:
            raise ValueError(
                f"graph file {path}: node_order 'numeric' needs integer labels"
            ) from None
        if len(set(values)) != len(values):
            raise ValueError(f"graph file {path}: labels name the same integer twice")
        rank = np.argsort(np.asarray(values, dtype=np.int64), kind="stable")
        new_id = np.empty(len(labels), dtype=np.int64)
        new_id[rank] = np.arange(len(labels))
        labels = [labels[i] for i in rank]
        u, v = new_id[u], new_id[v]
    elif node_order != "first_seen":
        raise ValueError(f"unknown node_order {node_order!r}")
    return labels, u, v


class EdgeListParams(GeneratorParams):
    """Parameters of ``edge_list``."""

    path: str = F("", "path", "Edge-list file, relative to the scenario file's folder.")
    delimiter: str | None = F(None, "-", "Field separator; null means any whitespace.")
    node_order: Literal["first_seen", "numeric"] = F(
        "first_seen",
        "-",
        "Worker numbering: labels in order of first appearance, or integer labels ascending.",
    )


@GRAPH_GENERATORS.register
class EdgeList(GraphGenerator):
    """Ties read from a text edge list (see :func:`read_edge_list` for format and numbering).

    The file must name exactly ``population.workers`` distinct workers. Ignores
    ``degree_weight`` and draws no random numbers.
    """

    name = "edge_list"
    description = "Ties read from a text file of 'u v' lines ('#' comments)."
    Params = EdgeListParams
    uses_degree_weight = False

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Resolve ``path``, parse the file and check its node count."""
        path = _resolve(cls.name, params.path, base_dir)
        labels, _, _ = read_edge_list(path, params.delimiter, params.node_order)
        if len(labels) != n_workers:
            raise _count_mismatch(path, len(labels), n_workers)
        return params.model_copy(update={"path": str(path)})

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Read the file (``params.path``, absolute after :meth:`check_inputs`)."""
        path = Path(params.path)
        labels, u, v = read_edge_list(path, params.delimiter, params.node_order)
        if len(labels) != people.n:
            raise _count_mismatch(path, len(labels), people.n)
        keep = u != v
        return _graph_from_arrays(people.n, u[keep], v[keep])


def read_graphml_file(path: Path | str) -> nx.Graph:
    """Read a GraphML file as an undirected simple graph on ``0..n-1``.

    Nodes are numbered in the order ``networkx.read_graphml`` returns them (document order of
    the ``<node>`` elements). Directions, parallel edges, self-loops and all attributes are
    dropped. Raises ``ValueError`` naming the file when it is missing, unreadable or malformed.
    """
    import networkx as nx

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"graph file {path} not found")
    try:
        H = nx.read_graphml(path)
    except Exception as exc:  # XML, type and key errors all mean "not valid GraphML here"
        raise ValueError(f"graph file {path} is not valid GraphML: {exc}") from None
    number = {node: i for i, node in enumerate(H.nodes)}
    G = _empty_graph(len(number))
    G.add_edges_from((number[a], number[b]) for a, b in H.edges() if a != b)
    return G


class GraphMLParams(GeneratorParams):
    """Parameters of ``graphml``."""

    path: str = F("", "path", "GraphML file, relative to the scenario file's folder.")


@GRAPH_GENERATORS.register
class GraphML(GraphGenerator):
    """Ties read from a GraphML file (see :func:`read_graphml_file` for the numbering).

    The file must have exactly ``population.workers`` nodes. Ignores ``degree_weight`` and
    draws no random numbers.
    """

    name = "graphml"
    description = "Ties read from a GraphML file; nodes numbered in file order."
    Params = GraphMLParams
    uses_degree_weight = False

    @classmethod
    def check_inputs(cls, params: Any, base_dir: Path, n_workers: int) -> Any:
        """Resolve ``path``, parse the file and check its node count."""
        path = _resolve(cls.name, params.path, base_dir)
        G = read_graphml_file(path)
        if G.number_of_nodes() != n_workers:
            raise _count_mismatch(path, G.number_of_nodes(), n_workers)
        return params.model_copy(update={"path": str(path)})

    def build(self, people: PeopleAttributes, params: Any, rng: np.random.Generator) -> nx.Graph:
        """Read the file (``params.path``, absolute after :meth:`check_inputs`)."""
        path = Path(params.path)
        G = read_graphml_file(path)
        if G.number_of_nodes() != people.n:
            raise _count_mismatch(path, G.number_of_nodes(), people.n)
        return G


__all__ = [
    "GRAPH_GENERATORS",
    "BarabasiAlbert",
    "EdgeList",
    "GeneratorParams",
    "GraphGenerator",
    "GraphML",
    "Homophily",
    "PeopleAttributes",
    "StochasticBlock",
    "WattsStrogatz",
    "check_graph",
    "generate_graph",
    "grouped_chung_lu",
    "read_edge_list",
    "read_graphml_file",
]
