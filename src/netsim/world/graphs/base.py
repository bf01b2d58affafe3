"""The graph-generator plug-in interface: :class:`GraphGenerator`, its registry and helpers.

A scenario's ``graph`` section names a generator and gives it a free ``params`` dict. Each
generator is a :class:`GraphGenerator` subclass registered in :data:`GRAPH_GENERATORS`; it
declares its parameters as a pydantic model (``Params``), checks file inputs once when the
scenario is loaded (:meth:`GraphGenerator.check_inputs`) and builds an undirected simple
graph on the workers ``0..n-1`` (:meth:`GraphGenerator.build`). Edges carry no attributes:
the caller sets tie strength and origin when it copies the graph into a
:class:`netsim.world.network.SocialNetwork`.

Randomness comes only from the ``numpy.random.Generator`` passed to ``build``; NetworkX
generators are seeded with an int drawn from it, so the same inputs and generator state give
the same graph in any process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict

from netsim.engine.gctools import gc_paused
from netsim.scenario.registry import Registry

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


@dataclass(frozen=True, eq=False)
class GraphEdges:
    """A generated graph as tie endpoint arrays: ties ``(u[k], v[k])`` on workers ``0..n-1``.

    Distinct ties, no self-loops. ``region`` is an optional int array of length ``n`` (the
    node attribute ``region``). Large runs copy these arrays straight into the simulation's
    network; :meth:`to_networkx` builds the NetworkX graph only when someone asks for it.
    """

    n: int
    u: np.ndarray
    v: np.ndarray
    region: np.ndarray | None = None

    def to_networkx(self) -> nx.Graph:
        """The graph as an ``nx.Graph`` on ``0..n-1`` (nodes carry ``region`` if set)."""
        return _graph_from_arrays(self.n, self.u, self.v, self.region)


class GeneratorParams(BaseModel):
    """Base of every generator's ``Params``: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class GraphGenerator:
    """Base class of graph generator plug-ins.

    A subclass sets ``name`` (the scenario's ``graph.generator``), a one-line ``description``,
    ``Params`` (a :class:`GeneratorParams` subclass: every field has a default, a description
    and a unit) and ``uses_degree_weight`` (whether it gives workers expected degrees in
    proportion to ``degree_weight``; a generator that does not is rejected at load time for
    a scenario whose vital-force degree multiplier is not 1), and implements :meth:`build`.
    Register it with ``@GRAPH_GENERATORS.register``, or name it in a scenario as
    ``package.module:Class``.
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
        """Return an undirected simple graph on exactly the nodes ``0..people.n-1``.

        A generator defines this or :meth:`build_edges`; by default it is the graph of
        :meth:`build_edges`.
        """
        edges = self.build_edges(people, params, rng)
        if edges is None:
            name = type(self).__name__
            raise NotImplementedError(f"{name} defines neither build nor build_edges")
        return edges.to_networkx()

    def build_edges(
        self, people: PeopleAttributes, params: Any, rng: np.random.Generator
    ) -> GraphEdges | None:
        """The same graph as :meth:`build` as endpoint arrays, or None if not offered.

        Optional, for speed: a generator that draws its ties in NumPy returns them here (and
        its :meth:`build` is then ``build_edges(...).to_networkx()``), so a run skips
        building a NetworkX graph. Same ``rng`` state, same graph as :meth:`build`.
        """
        return None


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
