"""The social network as an edge-list table, and back into a NetworkX graph.

Every run writes its final network as ``edges.parquet`` (:func:`edge_frame`, called by the
model for every run, with or without the tie-dynamics mechanism); a notebook turns it into an
``nx.Graph`` in one call (:func:`edges_to_networkx`, also ``netsim.edges_to_networkx`` and
``netsim.load(path).graph()``). Times in months since the start of the run.

Columns: ``source`` and ``target`` (worker ids, ``source < target``), ``origin`` (why the tie
exists: ``initial``, ``colleague``, ``platform_referral``, ``placed_together``, ...),
``strength`` (0..1 at the end of the run, decay applied), ``created_months`` and
``refreshed_months`` (formation and last refresh).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from netsim.world.network import SocialNetwork
from netsim.world.tie_decay import decayed

#: Columns of the edge list, in order.
EDGE_COLUMNS = ("source", "target", "origin", "strength", "created_months", "refreshed_months")
#: Edge attributes of the graph :func:`edges_to_networkx` builds.
EDGE_ATTRIBUTES = ("origin", "strength", "created_months", "refreshed_months")


def edge_frame(
    net: SocialNetwork, at_months: float, employers: Sequence[int] | None = None
) -> pd.DataFrame:
    """The live ties of ``net`` at ``at_months`` as a table (columns :data:`EDGE_COLUMNS`).

    With decay on, strengths are decayed to ``at_months``; ties between two people who work
    at the same company then (``employers``, -1 for none) count as refreshed at
    ``at_months``, since working together keeps a tie fresh.
    """
    a = net.edge_arrays()
    refreshed = a["refreshed_months"]
    if net.half_life and employers is not None and len(a["u"]):
        emp = np.asarray(employers, dtype=np.int64)
        together = (emp[a["u"]] >= 0) & (emp[a["u"]] == emp[a["v"]])
        refreshed = np.where(together, float(at_months), refreshed)
    return pd.DataFrame(
        {
            "source": a["u"].astype(np.int32),
            "target": a["v"].astype(np.int32),
            "origin": pd.Categorical(a["origin"]),
            "strength": decayed(a["strength"], refreshed, at_months, net.half_life),
            "created_months": a["formed_months"],
            "refreshed_months": refreshed,
        },
        columns=list(EDGE_COLUMNS),
    )


def edges_to_networkx(edges: pd.DataFrame, n_nodes: int | None = None) -> nx.Graph:
    """An undirected ``nx.Graph`` of an edge-list table (as written to ``edges.parquet``).

    Nodes are worker ids; ``n_nodes`` adds the nodes ``0..n_nodes-1`` first, so that workers
    without ties are in the graph too (``netsim.load(path).graph()`` does so). Each edge
    carries the attributes :data:`EDGE_ATTRIBUTES` present in the table (origin as a str,
    strength 0..1, times in months).

    >>> import netsim                                   # doctest: +SKIP
    >>> G = netsim.load("results/it_community_ties/seed-1").graph()   # doctest: +SKIP
    """
    G = nx.Graph()
    if n_nodes is not None:
        G.add_nodes_from(range(int(n_nodes)))
    if edges is None or len(edges) == 0:
        return G
    attrs = [c for c in EDGE_ATTRIBUTES if c in edges.columns]
    columns = [edges["source"].astype(int).tolist(), edges["target"].astype(int).tolist()]
    columns += [edges[c].astype(str if c == "origin" else float).tolist() for c in attrs]
    G.add_edges_from(
        (u, v, dict(zip(attrs, rest, strict=True))) for u, v, *rest in zip(*columns, strict=True)
    )
    return G
