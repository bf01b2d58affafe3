"""Initial social graphs among workers, as named plug-ins (:data:`GRAPH_GENERATORS`).

:mod:`~netsim.world.graphs.base` holds the plug-in interface (:class:`GraphGenerator`,
:class:`GeneratorParams`, :class:`PeopleAttributes`) and the registry;
:mod:`~netsim.world.graphs.random_graphs` and :mod:`~netsim.world.graphs.files` the built-in
generators, registered when this package is imported. Degrees are numbers of ties per worker.

Built-in generators:

``barabasi_albert``
    Preferential attachment (NetworkX's model, drawn in NumPy); ``m`` ties per newcomer
    (vital forces form proportionally more by ``degree_weight``, the mean stays ``m``).
``watts_strogatz``
    Small world (NetworkX): ring lattice of ``k`` neighbours, rewired with probability ``p``;
    degree-corrected by ``degree_weight`` (:mod:`~netsim.world.graphs.weighted`).
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

Every random generator gives vital forces a mean degree ``degree_weight`` times ordinary
workers' and keeps its mean degree; the file generators cannot (their ties are data), so a
scenario with a vital-force degree multiplier other than 1 is rejected for them.
"""

from netsim.world.graphs.base import (
    GRAPH_GENERATORS,
    GeneratorParams,
    GraphEdges,
    GraphGenerator,
    PeopleAttributes,
    check_graph,
    generate_graph,
)
from netsim.world.graphs.files import (
    EdgeList,
    EdgeListParams,
    GraphML,
    GraphMLParams,
    read_edge_list,
    read_graphml_file,
)
from netsim.world.graphs.preferential import barabasi_albert_edges
from netsim.world.graphs.random_graphs import (
    BarabasiAlbert,
    BarabasiAlbertParams,
    Homophily,
    HomophilyParams,
    StochasticBlock,
    StochasticBlockParams,
    WattsStrogatz,
    WattsStrogatzParams,
    grouped_chung_lu,
)
from netsim.world.graphs.weighted import (
    weighted_barabasi_albert_edges,
    weighted_small_world_edges,
)

__all__ = [
    "GRAPH_GENERATORS",
    "GeneratorParams",
    "GraphEdges",
    "GraphGenerator",
    "PeopleAttributes",
    "check_graph",
    "generate_graph",
    "grouped_chung_lu",
    "barabasi_albert_edges",
    "weighted_barabasi_albert_edges",
    "weighted_small_world_edges",
    "read_edge_list",
    "read_graphml_file",
    "BarabasiAlbert",
    "BarabasiAlbertParams",
    "WattsStrogatz",
    "WattsStrogatzParams",
    "StochasticBlock",
    "StochasticBlockParams",
    "Homophily",
    "HomophilyParams",
    "EdgeList",
    "EdgeListParams",
    "GraphML",
    "GraphMLParams",
]
