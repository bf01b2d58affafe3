"""Tests of the mutable social network (netsim.world.network)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.engine.rng import FastStream
from netsim.world.network import ORIGINS, SocialNetwork


def test_add_has_tie():
    net = SocialNetwork(4)
    assert net.add_tie(0, 2, 0.5, "initial", 0.0)
    assert net.has_tie(0, 2) and net.has_tie(2, 0)
    assert not net.has_tie(0, 1)
    assert net.tie(2, 0) == (0.5, "initial", 0.0)
    assert net.tie(0, 1) is None
    assert net.n_edges == 1
    assert net.degree(0) == net.degree(2) == 1 and net.degree(1) == 0
    assert net.neighbours == [[2], [], [0], []]


def test_duplicate_keeps_stronger_strength_and_first_origin():
    net = SocialNetwork(3)
    assert net.add_tie(0, 1, 0.3, "initial", 0.0)
    assert not net.add_tie(1, 0, 0.8, "colleague", 5.0)
    assert net.tie(0, 1) == (0.8, "initial", 0.0)
    assert not net.add_tie(0, 1, 0.1, "platform", 6.0)
    assert net.tie(0, 1) == (0.8, "initial", 0.0)
    assert net.n_edges == 1 and net.neighbours[0] == [1] and net.neighbours[1] == [0]


def test_self_loop_refused():
    net = SocialNetwork(3)
    assert not net.add_tie(1, 1, 0.5, "initial", 0.0)
    assert net.n_edges == 0 and net.neighbours[1] == []
    assert not net.has_tie(1, 1) and net.tie(1, 1) is None


def test_out_of_range_workers():
    net = SocialNetwork(3)
    net.add_tie(1, 2, 0.5, "initial", 0.0)
    with pytest.raises(IndexError):
        net.add_tie(0, 3, 0.5, "initial", 0.0)
    with pytest.raises(IndexError):
        net.add_tie(-1, 0, 0.5, "initial", 0.0)
    # (0, 5) has the same pair key as (1, 2) and must not be reported as a tie.
    assert not net.has_tie(0, 5) and net.tie(0, 5) is None
    with pytest.raises(ValueError):
        SocialNetwork(-1)


def test_origins_fixed_codes_and_new_origins():
    net = SocialNetwork(4)
    net.add_tie(0, 3, 0.5, "platform", 2.0)
    net.add_tie(1, 2, 0.2, "former_colleague", 7.5)
    assert net.origins == [*ORIGINS, "former_colleague"]
    assert net.tie(2, 1) == (0.2, "former_colleague", 7.5)
    assert net.tie(0, 3) == (0.5, "platform", 2.0)


def test_random_neighbour():
    net = SocialNetwork(5)
    for v in (1, 2, 3):
        net.add_tie(0, v, 0.5, "initial", 0.0)
    stream = FastStream(np.random.default_rng(1))
    assert net.random_neighbour(4, stream) == -1
    draws = [net.random_neighbour(0, stream) for _ in range(3000)]
    counts = np.bincount(draws, minlength=5)
    assert counts[0] == counts[4] == 0
    assert all(abs(c - 1000) < 120 for c in counts[1:4])  # ~4 standard deviations
    again = FastStream(np.random.default_rng(1))
    assert [net.random_neighbour(0, again) for _ in range(3000)] == draws


def test_edges_in_insertion_order_with_u_below_v():
    net = SocialNetwork(5)
    net.add_tie(3, 1, 0.5, "colleague", 2.0)
    net.add_tie(0, 4, 0.7, "initial", 0.0)
    net.add_tie(1, 3, 0.9, "colleague", 3.0)
    assert list(net.edges()) == [(1, 3), (0, 4)]
    assert list(net.edges(data=True)) == [
        (1, 3, 0.9, "colleague", 2.0),
        (0, 4, 0.7, "initial", 0.0),
    ]
    arrays = net.edge_arrays()
    assert arrays["u"].tolist() == [1, 0] and arrays["v"].tolist() == [3, 4]
    assert arrays["origin"].tolist() == ["colleague", "initial"]
    assert arrays["strength"].tolist() == [0.9, 0.7]
    assert arrays["formed_months"].tolist() == [2.0, 0.0]
    assert net.degrees().tolist() == [1, 1, 0, 1, 1]


def test_empty_network_read_outs():
    net = SocialNetwork(3)
    assert list(net.edges()) == [] and net.edge_arrays()["origin"].tolist() == []
    assert net.to_csr().shape == (3, 3) and net.to_csr().nnz == 0
    assert sorted(net.to_networkx().nodes) == [0, 1, 2]
    assert SocialNetwork.from_networkx(nx.empty_graph(3), 0.5).n_edges == 0


def test_to_networkx_round_trip():
    net = SocialNetwork(6)
    net.add_tie(0, 1, 0.5, "initial", 0.0)
    net.add_tie(5, 2, 0.3, "colleague", 4.25)
    net.add_tie(2, 3, 0.9, "platform", 7.0)
    G = net.to_networkx()
    assert sorted(G.nodes) == list(range(6))
    assert G.edges[2, 5] == {"strength": 0.3, "origin": "colleague", "formed_months": 4.25}
    back = SocialNetwork.from_networkx(G, 0.1, "file", 1.0)
    assert set(back.edges()) == set(net.edges())
    assert back.tie(0, 1) == (0.1, "file", 1.0)


def test_to_csr():
    net = SocialNetwork(4)
    net.add_tie(0, 1, 0.5, "initial", 0.0)
    net.add_tie(3, 1, 0.0, "initial", 0.0)
    A = net.to_csr()
    assert (A != A.T).nnz == 0
    assert A[0, 1] == A[1, 0] == 0.5
    B = net.to_csr(weight=None)
    assert B.nnz == 4 and B.dtype == np.int32 and B[1, 3] == 1
    with pytest.raises(ValueError):
        net.to_csr(weight="other")


def test_from_networkx_rejects_bad_graphs():
    with pytest.raises(ValueError, match="0..2"):
        SocialNetwork.from_networkx(nx.relabel_nodes(nx.path_graph(3), {0: 7}), 0.5)
    G = nx.path_graph(3)
    G.add_edge(1, 1)
    with pytest.raises(ValueError, match="self-loops"):
        SocialNetwork.from_networkx(G, 0.5)
    with pytest.raises(ValueError, match="undirected"):
        SocialNetwork.from_networkx(nx.DiGraph(nx.path_graph(3)), 0.5)


@st.composite
def graphs(draw):
    """Small graphs whose nodes 0..n-1 and edges were inserted in a random order."""
    n = draw(st.integers(1, 20))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    nodes = draw(st.permutations(list(range(n))))
    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from((u, v) for u, v in pairs if u != v)
    return G


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_from_networkx_equals_adding_edge_by_edge(G):
    bulk = SocialNetwork.from_networkx(G, 0.4, "file", 2.0)
    slow = SocialNetwork(G.number_of_nodes())
    for u, v in G.edges():
        assert slow.add_tie(u, v, 0.4, "file", 2.0)
    assert bulk.neighbours == slow.neighbours
    assert list(bulk.edges(data=True)) == list(slow.edges(data=True))
    assert all(bulk.has_tie(u, v) and bulk.has_tie(v, u) for u, v in G.edges())
    assert bulk.n_edges == G.number_of_edges()
    assert nx.utils.graphs_equal(nx.Graph(bulk.to_networkx().edges()), nx.Graph(G.edges()))
    # The bulk-built network keeps working as a mutable one.
    if G.number_of_nodes() >= 2:
        bulk.add_tie(0, 1, 0.9, "colleague", 3.0)
        assert bulk.tie(0, 1)[0] == 0.9


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 30),
    ops=st.lists(
        st.tuples(
            st.sampled_from(["add", "add", "add", "remove", "ask"]),
            st.integers(0, 29),
            st.integers(0, 29),
        ),
        max_size=80,
    ),
)
def test_components_kept_up_to_date_match_a_full_count(n, ops):
    """The giant component kept tie by tie (and recounted after a removal) is always the
    size of NetworkX's largest connected component."""
    net = SocialNetwork(n)
    net.components()  # from now on kept up to date
    for op, a, b in ops:
        u, v = a % n, b % n
        if op == "add":
            net.add_tie(u, v, 0.5, "colleague", 1.0)
        elif op == "remove":
            net.remove_tie(u, v)
        else:
            G = net.to_networkx()
            want = max(map(len, nx.connected_components(G)))
            comps = net.components()
            assert comps.giant == want
            assert comps.same(u, v) == nx.has_path(G, u, v)
    G = net.to_networkx()
    assert net.components().giant == max(map(len, nx.connected_components(G)))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 40),
    ops=st.lists(st.tuples(st.booleans(), st.integers(0, 39), st.integers(0, 39)), max_size=120),
)
def test_adjacency_arrays_match_every_unchanged_list(n, ops):
    """The flat snapshot equals the neighbour list of every worker it does not mark changed,
    through adds, removes and retakes."""
    net = SocialNetwork(n)
    for k, (add, a, b) in enumerate(ops):
        u, v = a % n, b % n
        if add:
            net.add_tie(u, v, 0.5, "colleague", 1.0)
        else:
            net.remove_tie(u, v)
        if k % 7 == 0:
            start, stop, indices, changed = net.adjacency_arrays()
            for w in range(n):
                if not changed[w]:
                    assert indices[start[w] : stop[w]].tolist() == net.neighbours[w]


def test_adjacency_arrays_patch_then_retake_and_leave_old_arrays_alone():
    """Changed lists are appended to the snapshot (a patch) until the entries left behind
    outnumber the live ones (a fresh take); arrays handed out earlier never change."""
    n = 32
    net = SocialNetwork(n)
    for u in range(n):
        net.add_tie(u, (u + 1) % n, 0.5, "colleague", 0.0)
    start, stop, indices, _ = net.adjacency_arrays()
    kept = (start.copy(), stop.copy(), indices.copy())
    sizes = []
    for step in range(12):
        for u in range(0, n, 4):  # a quarter of the workers change: past the 1/16 threshold
            net.add_tie(u, (u + 7 + step) % n, 0.5, "colleague", 1.0)
        s2, e2, ind2, changed = net.adjacency_arrays()
        assert not changed.any()  # just retaken
        sizes.append(len(ind2))
        for w in range(n):
            assert ind2[s2[w] : e2[w]].tolist() == net.neighbours[w]
    for old, now in zip(kept, (start, stop, indices), strict=True):
        assert np.array_equal(old, now)
    assert sizes[1] > sizes[0]  # a patch appends
    assert min(sizes[2:]) < max(sizes)  # and a fresh take drops what was left behind


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 40),
    ops=st.lists(
        st.tuples(
            st.booleans(),
            st.integers(0, 39),
            st.integers(0, 39),
            st.sampled_from(["initial", "colleague", "platform", "placed_together"]),
        ),
        max_size=200,
    ),
)
def test_ends_of_is_edge_arrays_filtered_by_origin(n, ops):
    """ends_of(origins) gives the same ties, in the same order, as filtering edge_arrays by
    origin, through adds and removes."""
    net = SocialNetwork(n)
    for add, a, b, origin in ops:
        u, v = a % n, b % n
        if add:
            net.add_tie(u, v, 0.5, origin, 1.0)
        else:
            net.remove_tie(u, v)
    arrays = net.edge_arrays()
    for wanted in ({"colleague", "placed_together"}, {"initial"}, {"none of these"}, set()):
        keep = np.isin(arrays["origin"], sorted(wanted))
        u, v = net.ends_of(wanted)
        assert u.tolist() == arrays["u"][keep].tolist()
        assert v.tolist() == arrays["v"][keep].tolist()
    net.add_tie(0, 1, 0.5, "colleague", 2.0)  # the read-out left the arrays free to grow


def test_ends_of_after_compaction():
    """ends_of reads the compacted arrays right: 3,000 ties of alternating origin, 2,000 of
    them removed (past the 1,024 dead rows that trigger a compaction)."""
    net = SocialNetwork(100)
    pairs = [(u, v) for u in range(100) for v in range(u + 1, 100)][:3000]
    for k, (u, v) in enumerate(pairs):
        net.add_tie(u, v, 0.5, "colleague" if k % 2 else "initial", float(k))
    for u, v in pairs[:2000]:
        net.remove_tie(u, v)
    assert net._dead < 2000  # compacted on the way
    u, v = net.ends_of({"colleague"})
    want = [p for k, p in enumerate(pairs) if k >= 2000 and k % 2]
    assert list(zip(u.tolist(), v.tolist(), strict=True)) == want
