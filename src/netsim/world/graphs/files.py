"""File-based graph generators: edge lists and GraphML files, read once per run.

Relative paths are resolved against the scenario file's folder; the file must have one node
per worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from netsim.scenario.schema import F
from netsim.world.graphs.base import (
    GRAPH_GENERATORS,
    GeneratorParams,
    GraphGenerator,
    PeopleAttributes,
    _empty_graph,
    _graph_from_arrays,
)

if TYPE_CHECKING:  # networkx loads when a graph is built: validating needs none
    import networkx as nx

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
    except IsADirectoryError:
        raise ValueError(f"graph file {path} is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"graph file {path} is not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
            f"offset {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ValueError(f"graph file {path} cannot be read: {exc.strerror or exc}") from None
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

    The file must name exactly ``population.workers`` distinct workers. Its ties are data,
    so a vital-force degree multiplier other than 1 is rejected. Draws no random numbers.
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
    if path.is_dir():
        raise ValueError(f"graph file {path} is a folder, not a file")
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

    The file must have exactly ``population.workers`` nodes. Its ties are data, so a
    vital-force degree multiplier other than 1 is rejected. Draws no random numbers.
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
