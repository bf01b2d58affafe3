"""Summary statistics of the social network, cheap enough to record during a run.

Exact counts (ties, mean degree, giant component: kept up to date between calls, see
:mod:`netsim.world.components`) cover the whole network; clustering and
two-hop reach are averages over a uniform sample of workers, exact when the sample covers
everyone. At 100,000 workers, 500,000 ties and a sample of 1,000 a call takes well under a
second.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
import scipy.sparse as sp

from netsim.world.network import SocialNetwork

# Row chunks of the two-step product are kept to about this many path entries, bounding
# memory when the sample is the whole network (exact statistics) or hits hubs. 500,000
# (~20 MB of sparse temporaries) costs no more time than 2,000,000 (~50-70 MB) at 100,000
# workers, and the yearly statistics set the peak memory of a long world run.
_CHUNK_WORK = 500_000


def network_statistics(
    net: SocialNetwork, rng: np.random.Generator, sample: int
) -> dict[str, float]:
    """Statistics of ``net``; ``rng`` draws the sample of ``sample`` workers (no replacement).

    Keys (all floats):

    ``edges``
        Number of ties.
    ``mean_degree``
        Mean ties per worker, ``2 * edges / n``.
    ``clustering``
        Mean over the sampled workers of the local clustering coefficient: the share of pairs
        of a worker's contacts who are tied to each other (0 for fewer than two contacts), as
        ``networkx.average_clustering``. A uniform sample gives an unbiased estimate of the
        network average.
    ``giant_component_share``
        Share of workers in the largest connected component (exact).
    ``two_hop_share``
        Mean over the sampled workers of the number of other workers within two ties of them,
        divided by ``n - 1``: the share of the community within two hops (unbiased, as above).

    When ``sample >= n`` every worker is used, the sampled statistics are exact and ``rng``
    is not drawn from. An empty network gives zeros.
    """
    n = net.n
    m = net.n_edges
    stats = {
        "edges": float(m),
        "mean_degree": 2.0 * m / n if n else 0.0,
        "clustering": 0.0,
        "giant_component_share": 0.0,
        "two_hop_share": 0.0,
    }
    if n == 0:
        return stats
    stats["giant_component_share"] = net.components().giant / n
    nodes = _sample_nodes(n, sample, rng)
    A, deg = _adjacency_around(net, nodes)
    # Paths of length two from each node: the cost of its rows in the product below.
    work = (A @ deg)[nodes]
    clustering = np.empty(len(nodes))
    reach = np.empty(len(nodes))
    chunk_of = np.cumsum(work) // _CHUNK_WORK
    bounds = np.flatnonzero(np.diff(chunk_of)) + 1
    for idx in np.split(np.arange(len(nodes)), bounds):
        rows = nodes[idx]
        R = A[rows]  # neighbour rows of the chunk, entries 1
        P = R @ A  # P[s, w] = number of common neighbours of s and w
        # Sum over contacts w of s of common neighbours counts each triangle at s twice.
        closed = np.asarray(P.multiply(R).sum(axis=1)).ravel()
        k = deg[rows]
        pairs = k * (k - 1)
        clustering[idx] = np.divide(closed, pairs, out=np.zeros(len(rows)), where=pairs > 0)
        # Within two hops: contacts or contacts of contacts; s itself is among the latter
        # whenever it has a contact, and is not counted.
        Q = (R + P).tocsr()
        reach[idx] = np.diff(Q.indptr) - (k > 0)
    stats["clustering"] = float(clustering.mean())
    stats["two_hop_share"] = float(reach.mean() / (n - 1)) if n > 1 else 0.0
    return stats


def two_hop_share_within(
    net: SocialNetwork, groups: np.ndarray, rng: np.random.Generator, sample: int
) -> float:
    """Mean share of a worker's own group within two ties of them (e.g. groups = skills).

    For each sampled worker ``s`` (uniform, without replacement, drawn from ``rng``; all
    workers when ``sample >= n``, then ``rng`` is not drawn from): the number of other
    workers of ``s``'s group who are ``s``'s contacts or contacts of contacts, divided by the
    size of the group minus one. Workers alone in their group are left out; 0.0 if nobody is
    left. With one group this is ``two_hop_share`` of :func:`network_statistics`. This is the
    "national IT community" measure: 1 means everyone in a skill community knows everyone
    else in it, at most through one common contact.
    """
    n = net.n
    groups = np.asarray(groups, dtype=np.int64)
    if n < 2:
        return 0.0
    size = np.bincount(groups)
    nodes = _sample_nodes(n, sample, rng)
    nodes = nodes[size[groups[nodes]] > 1]
    if len(nodes) == 0:
        return 0.0
    A, deg = _adjacency_around(net, nodes)
    work = (A @ deg)[nodes]
    chunk_of = np.cumsum(work) // _CHUNK_WORK
    bounds = np.flatnonzero(np.diff(chunk_of)) + 1
    share = np.empty(len(nodes))
    for idx in np.split(np.arange(len(nodes)), bounds):
        rows = nodes[idx]
        R = A[rows]
        Q = (R + R @ A).tocsr()
        owner = np.repeat(np.arange(len(rows)), np.diff(Q.indptr))
        g = groups[rows]
        same = groups[Q.indices] == g[owner]
        count = np.bincount(owner[same], minlength=len(rows))
        # s itself is among its contacts' contacts whenever it has a contact.
        count = count - (deg[rows] > 0)
        share[idx] = count / (size[g] - 1)
    return float(share.mean())


def _adjacency_around(net: SocialNetwork, nodes: np.ndarray) -> tuple[sp.csr_array, np.ndarray]:
    """The rows of ``nodes`` and of their contacts, and every worker's degree.

    An ``n x n`` adjacency matrix (entries 1, both directions) whose other rows are empty:
    the two-step products above read only these rows, so the statistics are the same as
    with the whole matrix. Read from the neighbour lists, a sample of 1,000 costs the ties
    of ~10,000 workers, not all of them (a whole matrix took ~0.5 s a call at 1,000,000
    workers).
    """
    nbrs, n = net.neighbours, net.n
    degree = np.fromiter(map(len, nbrs), dtype=np.int64, count=n)
    keep = np.zeros(n, dtype=bool)
    keep[nodes] = True
    keep[np.fromiter(chain.from_iterable(map(nbrs.__getitem__, nodes.tolist())), np.int64)] = True
    rows = np.flatnonzero(keep)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.where(keep, degree, 0), out=indptr[1:])
    flat = chain.from_iterable(map(nbrs.__getitem__, rows.tolist()))
    indices = np.fromiter(flat, dtype=np.int64, count=int(indptr[-1]))
    A = sp.csr_array((np.ones(len(indices), dtype=np.int32), indices, indptr), shape=(n, n))
    A.sort_indices()
    return A, degree


def _sample_nodes(n: int, sample: int, rng: np.random.Generator) -> np.ndarray:
    """All ``n`` nodes if ``sample >= n``, else ``sample`` of them drawn without replacement
    (sorted)."""
    if sample >= n:
        return np.arange(n)
    if sample < 1:
        raise ValueError(f"sample must be >= 1, got {sample}")
    return np.sort(rng.choice(n, size=sample, replace=False))
