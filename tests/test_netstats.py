"""Tests of the network statistics (netsim.world.netstats) against NetworkX's exact values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.world.netstats import network_statistics
from netsim.world.network import SocialNetwork

KEYS = {"edges", "mean_degree", "clustering", "giant_component_share", "two_hop_share"}


def exact(G: nx.Graph) -> dict[str, float]:
    """The statistics computed by NetworkX over every node."""
    n = G.number_of_nodes()
    reach = [len(nx.single_source_shortest_path_length(G, u, cutoff=2)) - 1 for u in G]
    return {
        "edges": G.number_of_edges(),
        "mean_degree": 2 * G.number_of_edges() / n,
        "clustering": nx.average_clustering(G),
        "giant_component_share": max(len(c) for c in nx.connected_components(G)) / n,
        "two_hop_share": float(np.mean(reach)) / (n - 1) if n > 1 else 0.0,
    }


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 25))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))
    G = nx.empty_graph(n)
    G.add_edges_from((u, v) for u, v in pairs if u != v)
    return G


@settings(max_examples=200, deadline=None)
@given(graphs(), st.integers(0, 5))
def test_exact_when_sample_covers_everyone(G, extra):
    net = SocialNetwork.from_networkx(G, 0.5)
    stats = network_statistics(net, np.random.default_rng(0), G.number_of_nodes() + extra)
    assert set(stats) == KEYS
    assert all(isinstance(v, float) for v in stats.values())
    for key, value in exact(G).items():
        assert stats[key] == pytest.approx(value, abs=1e-12), key


def test_exact_on_a_clustered_graph_with_hubs():
    G = nx.powerlaw_cluster_graph(400, 3, 0.5, seed=2)
    stats = network_statistics(SocialNetwork.from_networkx(G, 0.5), np.random.default_rng(0), 400)
    for key, value in exact(G).items():
        assert stats[key] == pytest.approx(value, abs=1e-12), key


def test_rng_untouched_when_exact():
    rng = np.random.default_rng(5)
    network_statistics(SocialNetwork.from_networkx(nx.path_graph(10), 0.5), rng, 10)
    assert rng.random() == np.random.default_rng(5).random()


def test_sampled_estimates_are_close_and_seeded():
    G = nx.watts_strogatz_graph(3000, 8, 0.2, seed=1)
    net = SocialNetwork.from_networkx(G, 0.5)
    truth = exact(G)
    a = network_statistics(net, np.random.default_rng(1), 500)
    b = network_statistics(net, np.random.default_rng(1), 500)
    assert a == b
    # Sampled local clustering has s.d. about 0.1 per node, so about 0.005 for the mean.
    assert a["clustering"] == pytest.approx(truth["clustering"], abs=0.025)
    assert a["two_hop_share"] == pytest.approx(truth["two_hop_share"], rel=0.05)
    for key in ("edges", "mean_degree", "giant_component_share"):
        assert a[key] == truth[key]


def test_giant_component_share_of_disjoint_parts():
    G = nx.disjoint_union_all([nx.path_graph(6), nx.complete_graph(3), nx.empty_graph(1)])
    stats = network_statistics(SocialNetwork.from_networkx(G, 0.5), np.random.default_rng(0), 3)
    assert stats["giant_component_share"] == 0.6


def test_empty_and_single_worker():
    zeros = dict.fromkeys(KEYS, 0.0)
    assert network_statistics(SocialNetwork(0), np.random.default_rng(0), 10) == zeros
    one = network_statistics(SocialNetwork(1), np.random.default_rng(0), 10)
    assert one == {**zeros, "giant_component_share": 1.0}


def test_sample_must_be_positive():
    with pytest.raises(ValueError):
        network_statistics(SocialNetwork(5), np.random.default_rng(0), 0)


def test_chunked_product_gives_the_same_values(monkeypatch):
    import netsim.world.netstats as netstats

    G = nx.powerlaw_cluster_graph(300, 4, 0.3, seed=7)
    net = SocialNetwork.from_networkx(G, 0.5)
    whole = network_statistics(net, np.random.default_rng(0), 300)
    monkeypatch.setattr(netstats, "_CHUNK_WORK", 50)
    assert network_statistics(net, np.random.default_rng(0), 300) == pytest.approx(whole)


def test_sampled_values_are_exact_for_the_sampled_workers():
    """A sample reads only its workers' and their contacts' ties; per worker the values are
    NetworkX's, also after ties were removed and added."""
    from netsim.world.netstats import _sample_nodes

    G = nx.powerlaw_cluster_graph(300, 3, 0.4, seed=3)
    net = SocialNetwork.from_networkx(G, 0.5)
    for u, v in list(G.edges())[::7]:
        net.remove_tie(u, v)
        G.remove_edge(u, v)
    for u, v in ((1, 250), (2, 299), (40, 41)):
        net.add_tie(u, v, 0.5, "colleague", 1.0)
        G.add_edge(u, v)
    nodes = _sample_nodes(300, 40, np.random.default_rng(9))
    stats = network_statistics(net, np.random.default_rng(9), 40)
    clustering = nx.clustering(G, nodes.tolist())
    reach = [len(nx.single_source_shortest_path_length(G, u, cutoff=2)) - 1 for u in nodes]
    assert stats["clustering"] == pytest.approx(np.mean([clustering[u] for u in nodes]), abs=1e-12)
    assert stats["two_hop_share"] == pytest.approx(np.mean(reach) / 299, abs=1e-12)
