"""Tests of the graph generator plug-ins (netsim.graphs)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pydantic
import pytest

from netsim.graphs import (
    GRAPH_GENERATORS,
    GraphGenerator,
    PeopleAttributes,
    check_graph,
    generate_graph,
    grouped_chung_lu,
    read_edge_list,
)

RANDOM_GENERATORS = ["barabasi_albert", "watts_strogatz", "stochastic_block", "homophily"]
BUILT_INS = RANDOM_GENERATORS + ["edge_list", "graphml"]


def people(n: int, skills: int = 4, vital_share: float = 0.2, multiplier: float = 2.0, seed=0):
    """Workers with random skills and a random vital-force subgroup."""
    rng = np.random.default_rng(seed)
    vital = rng.random(n) < vital_share
    return PeopleAttributes(
        n=n,
        skill=rng.integers(skills, size=n),
        vital=vital,
        degree_weight=np.where(vital, multiplier, 1.0),
    )


def build(name: str, ppl: PeopleAttributes, seed: int = 1, **params) -> nx.Graph:
    return generate_graph(name, params, ppl, np.random.default_rng(seed))


def edge_set(G: nx.Graph) -> set[tuple[int, int]]:
    return {(min(u, v), max(u, v)) for u, v in G.edges()}


# --- contract every built-in honours --------------------------------------------------------


@pytest.mark.parametrize("name", BUILT_INS)
def test_declared_properties(name):
    cls = GRAPH_GENERATORS.get(name)
    assert issubclass(cls, GraphGenerator)
    assert cls.name == name
    assert cls.description and "\n" not in cls.description
    assert isinstance(cls.uses_degree_weight, bool)
    assert cls.Params.model_config.get("extra") == "forbid"
    for field_name, field in cls.Params.model_fields.items():
        assert not field.is_required(), field_name
        assert field.description, field_name
        assert "unit" in (field.json_schema_extra or {}), field_name
    with pytest.raises(pydantic.ValidationError):
        cls.parse_params({"no_such_param": 1})


@pytest.mark.parametrize("name", RANDOM_GENERATORS)
def test_nodes_exactly_workers_no_self_loops(name):
    ppl = people(300)
    G = build(name, ppl)
    assert sorted(G.nodes) == list(range(300))
    assert nx.number_of_selfloops(G) == 0
    assert not G.is_directed() and not G.is_multigraph()
    check_graph(G, 300)


@pytest.mark.parametrize("name", RANDOM_GENERATORS)
def test_same_seed_same_graph_other_seed_other_graph(name):
    ppl = people(400)
    a, b, c = build(name, ppl, seed=7), build(name, ppl, seed=7), build(name, ppl, seed=8)
    assert edge_set(a) == edge_set(b)
    assert list(a.edges()) == list(b.edges())
    assert edge_set(a) != edge_set(c)


@pytest.mark.parametrize("name", RANDOM_GENERATORS)
def test_generator_state_drives_the_graph(name):
    # The graph depends on the generator state only, not on any global random state.
    ppl = people(200)
    np.random.seed(1)
    a = build(name, ppl, seed=3)
    np.random.seed(2)
    b = build(name, ppl, seed=3)
    assert edge_set(a) == edge_set(b)


@pytest.mark.parametrize("name", RANDOM_GENERATORS)
def test_random_generators_use_degree_weight(name):
    # The degree ratios themselves are tested in tests/test_vital_degree.py.
    assert GRAPH_GENERATORS.get(name).uses_degree_weight


@pytest.mark.parametrize("name", ["edge_list", "graphml"])
def test_file_generators_do_not_use_degree_weight(name):
    assert not GRAPH_GENERATORS.get(name).uses_degree_weight


# --- built-in generators ----------------------------------------------------------------


@pytest.mark.parametrize(("n", "m"), [(100, 1), (500, 5), (50, 7)])
def test_barabasi_albert_edge_count(n, m):
    G = build("barabasi_albert", people(n, multiplier=1.0), m=m)
    assert G.number_of_edges() == m * (n - m)


def test_watts_strogatz_edge_count():
    G = build("watts_strogatz", people(500, multiplier=1.0), k=6, p=0.3)
    assert G.number_of_edges() == 500 * 6 // 2


@pytest.mark.parametrize(
    ("name", "params", "n"),
    [
        ("barabasi_albert", {"m": 20}, 10),
        ("watts_strogatz", {"k": 5}, 100),
        ("watts_strogatz", {"k": 100}, 100),
        ("stochastic_block", {"blocks": 11}, 10),
        ("stochastic_block", {"mean_degree": 9}, 10),
        ("homophily", {"mean_degree": 50}, 20),
    ],
)
def test_impossible_params_rejected_at_load_time(name, params, n, tmp_path):
    cls = GRAPH_GENERATORS.get(name)
    with pytest.raises(ValueError, match=name):
        cls.check_inputs(cls.parse_params(params), tmp_path, n)


@pytest.mark.parametrize("mean_degree", [4.0, 10.0, 25.0])
def test_sampled_generators_hit_mean_degree(mean_degree):
    ppl = people(5000)
    for name in ("stochastic_block", "homophily"):
        G = build(name, ppl, mean_degree=mean_degree)
        assert 2 * G.number_of_edges() / 5000 == pytest.approx(mean_degree, abs=1e-3)


@pytest.mark.parametrize("h", [0.0, 0.3, 0.7, 1.0])
def test_homophily_share_of_same_skill_ties(h):
    ppl = people(5000, skills=6)
    G = build("homophily", ppl, homophily=h)
    u, v = np.array(list(G.edges())).T
    same = (ppl.skill[u] == ppl.skill[v]).mean()
    assert same == pytest.approx(h, abs=0.01)  # exact up to rounding of the tie count


def test_homophily_per_worker_share_with_equal_groups():
    n = 6000
    ppl = PeopleAttributes.uniform(n, skills=6)  # six groups of 1000
    G = build("homophily", ppl, homophily=0.7)
    shares = [np.mean([ppl.skill[w] == ppl.skill[i] for w in G[i]]) for i in range(0, n, 7) if G[i]]
    assert np.mean(shares) == pytest.approx(0.7, abs=0.02)


def test_homophily_single_skill_makes_every_tie_same_skill():
    G = build("homophily", PeopleAttributes.uniform(500, skills=1), homophily=0.2)
    assert G.number_of_edges() == 500 * 10 // 2


def test_stochastic_block_regions_and_within_share():
    n, blocks = 5000, 10
    ppl = people(n)
    G = build("stochastic_block", ppl, blocks=blocks, within_share=0.8)
    region = np.array([G.nodes[i]["region"] for i in range(n)])
    assert all(isinstance(G.nodes[i]["region"], int) for i in range(n))
    sizes = np.bincount(region, minlength=blocks)
    assert sizes.max() - sizes.min() <= 1 and sizes.sum() == n
    u, v = np.array(list(G.edges())).T
    assert (region[u] == region[v]).mean() == pytest.approx(0.8, abs=0.01)
    # Regions are assigned at random, not by worker number.
    assert len(set(region[:50].tolist())) > 1


def test_stochastic_block_region_assignment_is_seeded():
    ppl = people(300)
    regions = [
        [g.nodes[i]["region"] for i in range(300)]
        for g in (build("stochastic_block", ppl, seed=s) for s in (1, 1, 2))
    ]
    assert regions[0] == regions[1] != regions[2]


def test_chung_lu_tiny_dense_graph_terminates_with_distinct_ties():
    group = np.array([0, 0, 1, 1, 2])
    u, v = grouped_chung_lu(group, np.ones(5), 3.5, 0.5, np.random.default_rng(0))
    pairs = set(zip(u.tolist(), v.tolist(), strict=True))
    assert len(pairs) == len(u) <= 9
    assert all(a < b for a, b in pairs)


def test_chung_lu_zero_degree():
    u, v = grouped_chung_lu(np.zeros(10), np.ones(10), 0.0, 0.5, np.random.default_rng(0))
    assert len(u) == len(v) == 0


def test_check_graph_rejects_bad_plugin_output():
    G = nx.path_graph(4)
    check_graph(G, 4)
    with pytest.raises(ValueError, match="0..4"):
        check_graph(G, 5)
    G.add_edge(2, 2)
    with pytest.raises(ValueError, match="self-loops"):
        check_graph(G, 4)
    with pytest.raises(ValueError, match="nodes"):
        check_graph(nx.relabel_nodes(nx.path_graph(3), {0: "a"}), 3)
    with pytest.raises(ValueError, match="directed"):
        check_graph(nx.DiGraph(nx.path_graph(3)), 3)


def test_unknown_generator_name():
    with pytest.raises(KeyError):
        generate_graph("no_such_generator", {}, people(10), np.random.default_rng(0))


# --- file-based generators ----------------------------------------------------------------


def load(name: str, params: dict, base_dir, n: int) -> nx.Graph:
    """Load a file graph the way a scenario does: parse, check at load time, then build."""
    cls = GRAPH_GENERATORS.get(name)
    checked = cls.check_inputs(cls.parse_params(params), base_dir, n)
    return cls().build(PeopleAttributes.uniform(n), checked, np.random.default_rng(0))


def test_edge_list_round_trip_first_seen_order(tmp_path):
    src = nx.gnm_random_graph(40, 80, seed=3)
    src = nx.relabel_nodes(src, {i: f"w{i * 7 % 40}" for i in range(40)})
    lines = ["# exported ties", ""] + [f"{a} {b}  # tie" for a, b in src.edges()]
    lines += [f"{x}" for x in src.nodes if src.degree(x) == 0]  # isolated workers
    (tmp_path / "ties.txt").write_text("\n".join(lines) + "\n")
    G = load("edge_list", {"path": "ties.txt"}, tmp_path, 40)
    check_graph(G, 40)
    # Worker numbers follow first appearance in the file, reading each line left to right.
    order: list[str] = []
    for a, b in src.edges():
        order += [x for x in (a, b) if x not in order]
    order += [x for x in src.nodes if x not in order]
    number = {label: i for i, label in enumerate(order)}
    expected = {tuple(sorted((number[a], number[b]))) for a, b in src.edges()}
    assert edge_set(G) == expected


def test_edge_list_numeric_order_keeps_integer_labels(tmp_path):
    src = nx.gnm_random_graph(30, 50, seed=1)
    nx.add_path(src, [29, *range(29)])  # every worker appears in the file
    path = tmp_path / "ties.csv"
    path.write_text("".join(f"{b}, {a}\n" for a, b in src.edges()))
    params = {"path": str(path), "delimiter": ",", "node_order": "numeric"}
    G = load("edge_list", params, tmp_path / "elsewhere", 30)  # absolute path: base_dir unused
    assert edge_set(G) == edge_set(src)


def test_edge_list_numeric_order_shifts_one_based_labels(tmp_path):
    (tmp_path / "t.txt").write_text("3 1\n2 3\n")
    labels, u, v = read_edge_list(tmp_path / "t.txt", node_order="numeric")
    assert labels == ["1", "2", "3"]
    assert list(zip(u.tolist(), v.tolist(), strict=True)) == [(2, 0), (1, 2)]


def test_edge_list_drops_self_loops_and_repeats(tmp_path):
    (tmp_path / "t.txt").write_text("a b\nb a\nc c\na b\n")
    G = load("edge_list", {"path": "t.txt"}, tmp_path, 3)
    assert edge_set(G) == {(0, 1)}


def test_edge_list_check_inputs_returns_absolute_path(tmp_path):
    (tmp_path / "t.txt").write_text("a b\n")
    cls = GRAPH_GENERATORS.get("edge_list")
    checked = cls.check_inputs(cls.parse_params({"path": "t.txt"}), tmp_path, 2)
    assert checked.path == str((tmp_path / "t.txt").resolve())


def test_graphml_round_trip(tmp_path):
    src = nx.gnm_random_graph(25, 40, seed=5)
    src = nx.relabel_nodes(src, {i: f"n{(i * 11) % 25}" for i in range(25)})
    nx.write_graphml(src, tmp_path / "g.graphml")
    G = load("graphml", {"path": "g.graphml"}, tmp_path, 25)
    check_graph(G, 25)
    number = {label: i for i, label in enumerate(src.nodes)}  # file order = node order written
    assert edge_set(G) == {tuple(sorted((number[a], number[b]))) for a, b in src.edges()}


def test_graphml_directed_multigraph_made_simple(tmp_path):
    src = nx.MultiDiGraph([(0, 1), (1, 0), (0, 1), (2, 2)])
    nx.write_graphml(src, tmp_path / "g.graphml")
    G = load("graphml", {"path": "g.graphml"}, tmp_path, 3)
    assert edge_set(G) == {(0, 1)}


@pytest.mark.parametrize("name", ["edge_list", "graphml"])
def test_missing_file_named_in_error(name, tmp_path):
    cls = GRAPH_GENERATORS.get(name)
    with pytest.raises(ValueError, match="nope.txt.*not found"):
        cls.check_inputs(cls.parse_params({"path": "nope.txt"}), tmp_path, 5)
    with pytest.raises(ValueError, match="path"):
        cls.check_inputs(cls.parse_params({}), tmp_path, 5)


@pytest.mark.parametrize("name", ["edge_list", "graphml"])
def test_a_folder_given_as_graph_file_is_named_a_folder(name, tmp_path):
    (tmp_path / "g").mkdir()
    cls = GRAPH_GENERATORS.get(name)
    with pytest.raises(ValueError, match="g is a folder, not a file"):
        cls.check_inputs(cls.parse_params({"path": "g"}), tmp_path, 5)


def test_non_utf8_edge_list_says_so(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"0 1\n1 2\n\xff\xfe 3\n")
    cls = GRAPH_GENERATORS.get("edge_list")
    with pytest.raises(ValueError, match=r"bad.txt is not UTF-8 text \(byte 0xff at offset 8\)"):
        cls.check_inputs(cls.parse_params({"path": "bad.txt"}), tmp_path, 5)


def test_malformed_edge_list_line_named_in_error(tmp_path):
    (tmp_path / "bad.txt").write_text("1 2\n2 3\n3 4 5 6\n")
    cls = GRAPH_GENERATORS.get("edge_list")
    with pytest.raises(ValueError, match=r"bad\.txt, line 3"):
        cls.check_inputs(cls.parse_params({"path": "bad.txt"}), tmp_path, 4)
    (tmp_path / "bad.csv").write_text("1,2\n2,,3\n")
    params = cls.parse_params({"path": "bad.csv", "delimiter": ","})
    with pytest.raises(ValueError, match=r"bad\.csv, line 2"):
        cls.check_inputs(params, tmp_path, 3)


def test_unreadable_edge_list(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00 1 2\n")
    cls = GRAPH_GENERATORS.get("edge_list")
    with pytest.raises(ValueError, match="bin.txt"):
        cls.check_inputs(cls.parse_params({"path": "bin.txt"}), tmp_path, 2)


def test_numeric_order_needs_integer_labels(tmp_path):
    (tmp_path / "x.txt").write_text("a b\n")
    with pytest.raises(ValueError, match=r"x\.txt.*numeric"):
        read_edge_list(tmp_path / "x.txt", node_order="numeric")


def test_malformed_graphml_named_in_error(tmp_path):
    (tmp_path / "bad.graphml").write_text("<graphml><graph><node id='a'></graph>")
    cls = GRAPH_GENERATORS.get("graphml")
    with pytest.raises(ValueError, match=r"bad\.graphml"):
        cls.check_inputs(cls.parse_params({"path": "bad.graphml"}), tmp_path, 1)


@pytest.mark.parametrize("name", ["edge_list", "graphml"])
def test_node_count_mismatch_suggests_workers_setting(name, tmp_path):
    path = tmp_path / "g.dat"
    if name == "edge_list":
        path.write_text("a b\nb c\n")
    else:
        nx.write_graphml(nx.path_graph(3), path)
    cls = GRAPH_GENERATORS.get(name)
    with pytest.raises(ValueError, match=r"g\.dat has 3 nodes.*--set population\.workers=3"):
        cls.check_inputs(cls.parse_params({"path": "g.dat"}), tmp_path, 4)


def test_chung_lu_zero_weight_workers_get_no_ties():
    weight = np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0])
    group = np.array([0, 0, 0, 1, 1, 1])
    u, v = grouped_chung_lu(group, weight, 1.5, 0.5, np.random.default_rng(0))
    # M = round(4.5) = 4 ties wanted; only 1-3, 1-4 (between) and 3-4 (within) are possible,
    # and with within_share 0.5 the sampler asks for 1 within and 2 between: all three.
    assert set(zip(u.tolist(), v.tolist(), strict=True)) == {(1, 3), (1, 4), (3, 4)}
