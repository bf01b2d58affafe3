"""Loading, overriding and validating scenarios: every kind of bad input gets one clear message."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest
import yaml

from netsim.model.loading import load_scenario
from netsim.scenario import Scenario
from netsim.scenario.errors import NetsimInputError, did_you_mean, unknown_name_problem
from netsim.scenario.files import resolved_dict, scenario_to_yaml


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(source, overrides=()) -> NetsimInputError:
    with pytest.raises(NetsimInputError) as info:
        load_scenario(source, overrides)
    return info.value


def assert_names(err: NetsimInputError, path: Path | None, key_path: str | None) -> str:
    """The message names the file and the key path; returns it."""
    message = str(err)
    if path is not None:
        assert err.file == str(path)
        assert message.startswith(f"{path}: ")
    if key_path is not None:
        assert key_path in [k for k, _ in err.issues]
        assert f": {key_path}: " in message
    assert "Traceback" not in message
    return message


# --------------------------------------------------------------------------- errors module


def test_did_you_mean_finds_close_names_case_insensitively():
    assert did_you_mean("quit_rate_per_mnth", ["quit_rate_per_month", "exit_rate"]) == (
        "quit_rate_per_month"
    )
    assert did_you_mean("WORKERS", ["workers", "skills"]) == "workers"
    assert did_you_mean("zzzz", ["workers", "skills"]) is None


def test_unknown_name_problem_lists_allowed_names():
    text = unknown_name_problem("wrkers", ["workers", "skills"])
    assert text == "unknown key; did you mean 'workers'? (allowed: skills, workers)"


def test_error_message_format_and_pickling():
    err = NetsimInputError("must be >= 0, got -1", file="x.yaml", key_path="a.b")
    assert str(err) == "x.yaml: a.b: must be >= 0, got -1"
    assert (err.file, err.key_path, err.problem) == ("x.yaml", "a.b", "must be >= 0, got -1")
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err)
    many = NetsimInputError.combine([("a", "p1"), ("b", "p2")], file="f.yaml")
    assert str(many) == "f.yaml: a: p1\nf.yaml: b: p2"
    assert many.key_path == "a"


# --------------------------------------------------------------------------- happy paths


def test_defaults_load_from_empty_mapping_and_record_graph_params(tmp_path):
    scenario = load_scenario(write(tmp_path, "{}\n"))
    assert scenario == load_scenario({}) and isinstance(scenario, Scenario)
    # the generator's defaults are recorded in the resolved scenario
    assert scenario.graph.params, "graph params should be filled with the generator's defaults"


def test_file_values_and_overrides_change_values_and_types(tmp_path):
    path = write(
        tmp_path,
        """\
        name: small
        population:
          workers: 300
        labour_market:
          demand: vacancies
        """,
    )
    scenario = load_scenario(
        path,
        [
            "population.workers=500",
            "horizon_months=24",
            "labour_market.demand=always_hiring",
            "outputs.event_log=false",
            "description=two words",
            "companies.large_size.sigma=0.25",
        ],
    )
    assert scenario.name == "small"
    assert scenario.population.workers == 500 and type(scenario.population.workers) is int
    assert scenario.horizon_months == 24.0 and isinstance(scenario.horizon_months, float)
    assert scenario.labour_market.demand == "always_hiring"
    assert scenario.outputs.event_log is False
    assert scenario.description == "two words"
    assert scenario.companies.large_size.sigma == 0.25
    assert scenario.companies.large_size.median_positions == 200.0  # sibling default kept


def test_override_later_wins_and_source_dict_is_not_mutated():
    data = {"population": {"workers": 100}}
    scenario = load_scenario(data, ["population.workers=200", "population.workers=300"])
    assert scenario.population.workers == 300
    assert data == {"population": {"workers": 100}}


def test_loading_a_scenario_object_does_not_mutate_it():
    original = Scenario()
    loaded = load_scenario(original, ["seed=7"])
    assert loaded.seed == 7 and original.seed == 1


def test_resolved_scenario_round_trips_through_yaml(tmp_path):
    scenario = load_scenario({"name": "rt", "population": {"workers": 50}})
    text = scenario_to_yaml(scenario)
    assert yaml.safe_load(text) == resolved_dict(scenario)
    again = load_scenario(write(tmp_path, text))
    assert again == scenario


# --------------------------------------------------------------------------- bad files


def test_missing_scenario_file(tmp_path):
    path = tmp_path / "nope.yaml"
    err = load_error(path)
    assert_names(err, path, None)
    assert "not found" in str(err)


def test_malformed_yaml_reports_line_and_column(tmp_path):
    path = write(tmp_path, "name: x\npopulation:\n  workers: [1, 2\n  skills: 3\n")
    message = assert_names(load_error(path), path, None)
    assert "malformed YAML" in message
    assert "line 4, column" in message


def test_duplicate_key_is_an_error(tmp_path):
    path = write(tmp_path, "seed: 1\nseed: 2\n")
    message = assert_names(load_error(path), path, None)
    assert "'seed' appears twice" in message and "line 2" in message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n", ""])
def test_top_level_must_be_a_mapping(tmp_path, text):
    path = write(tmp_path, text)
    message = assert_names(load_error(path), path, None)
    assert "mapping" in message


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "labour_market:\n  quit_rate_per_mnth: 0.01\n")
    err = load_error(path)
    message = assert_names(err, path, "labour_market.quit_rate_per_mnth")
    assert "unknown key" in message
    assert "did you mean 'quit_rate_per_month'?" in message
    assert "allowed:" in message


def test_unknown_section_suggests_the_right_one(tmp_path):
    path = write(tmp_path, "populaton:\n  workers: 10\n")
    message = assert_names(load_error(path), path, "populaton")
    assert "did you mean 'population'?" in message


def test_wrong_type(tmp_path):
    path = write(tmp_path, "population:\n  workers: many\n")
    message = assert_names(load_error(path), path, "population.workers")
    assert "must be an integer" in message and "'many'" in message


def test_section_given_a_scalar(tmp_path):
    path = write(tmp_path, "population: 500\n")
    message = assert_names(load_error(path), path, "population")
    assert "must be a mapping" in message and "workers" in message


def test_out_of_range(tmp_path):
    path = write(tmp_path, "labour_market:\n  quit_rate_per_month: -0.5\n")
    message = assert_names(load_error(path), path, "labour_market.quit_rate_per_month")
    assert "must be >= 0, got -0.5" in message


def test_bad_choice_lists_the_choices(tmp_path):
    path = write(tmp_path, "labour_market:\n  demand: sometimes\n")
    message = assert_names(load_error(path), path, "labour_market.demand")
    assert "must be one of 'vacancies', 'always_hiring'" in message


def test_inconsistent_probation_and_onboarding(tmp_path):
    path = write(tmp_path, "companies:\n  onboarding_months: 3\n  probation_months: 2\n")
    message = assert_names(load_error(path), path, "companies")
    assert "probation_months must be >= onboarding_months" in message


def test_policy_shares_must_sum_to_one(tmp_path):
    path = write(tmp_path, "companies:\n  policy_shares: {restrict: 0.5, neutral: 0.6}\n")
    message = assert_names(load_error(path), path, "companies.policy_shares")
    assert "must sum to 1" in message


def test_all_problems_reported_at_once_one_line_each(tmp_path):
    path = write(
        tmp_path,
        """\
        seed: 1.5
        population: {workers: x, skillz: 3}
        outputs: {event_log: maybe}
        """,
    )
    err = load_error(path)
    lines = str(err).splitlines()
    assert len(lines) == len(err.issues) == 4
    assert all(line.startswith(f"{path}: ") for line in lines)
    keys = {k for k, _ in err.issues}
    assert keys == {"seed", "population.workers", "population.skillz", "outputs.event_log"}


# --------------------------------------------------------------------------- bad overrides


def test_unknown_key_in_override_says_it_came_from_set(tmp_path):
    path = write(tmp_path, "{}\n")
    err = load_error(path, ["population.wrkers=500"])
    message = assert_names(err, path, "population.wrkers")
    assert "did you mean 'workers'?" in message
    assert "--set" in message


def test_bad_value_in_override_says_it_came_from_set(tmp_path):
    path = write(tmp_path, "{}\n")
    message = assert_names(load_error(path, ["population.workers=-3"]), path, "population.workers")
    assert "must be >= 2" in message and "--set" in message


@pytest.mark.parametrize("text", ["population.workers", "=5", "population..workers=5"])
def test_malformed_override(text):
    message = str(load_error({}, [text]))
    assert "--set" in message


def test_override_into_a_scalar_is_an_error(tmp_path):
    path = write(tmp_path, "population: 5\n")
    message = assert_names(load_error(path, ["population.workers=7"]), path, "population")
    assert "not a section" in message


# --------------------------------------------------------------------------- graph


def test_unknown_graph_generator_suggests_a_name(tmp_path):
    path = write(tmp_path, "graph:\n  generator: barabasi_albrt\n")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "unknown graph generator 'barabasi_albrt'" in message
    assert "did you mean 'barabasi_albert'?" in message


def test_unimportable_graph_plugin(tmp_path):
    path = write(tmp_path, "graph:\n  generator: no_such_module_xyz:Gen\n")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "no_such_module_xyz" in message


def test_unknown_graph_param(tmp_path):
    path = write(tmp_path, "graph:\n  generator: edge_list\n  params: {pth: g.txt}\n")
    message = assert_names(load_error(path), path, "graph.params.pth")
    assert "did you mean 'path'?" in message


def test_bad_graph_param_value(tmp_path):
    path = write(tmp_path, "graph:\n  generator: watts_strogatz\n  params: {p: -1}\n")
    message = assert_names(load_error(path), path, "graph.params.p")
    assert "got -1" in message and "watts_strogatz" in message


def test_missing_graph_file(tmp_path):
    path = write(tmp_path, "graph:\n  generator: edge_list\n  params: {path: missing.edges}\n")
    message = assert_names(load_error(path), path, "graph.params.path")
    assert "missing.edges" in message


def test_malformed_graph_file(tmp_path):
    (tmp_path / "bad.graphml").write_text("<graphml><graph>not closed", encoding="utf-8")
    path = write(tmp_path, "graph:\n  generator: graphml\n  params: {path: bad.graphml}\n")
    assert_names(load_error(path), path, "graph.params.path")


def test_graph_file_with_wrong_node_count(tmp_path):
    (tmp_path / "g.edges").write_text("0 1\n1 2\n2 3\n", encoding="utf-8")
    path = write(
        tmp_path,
        "population: {workers: 10}\ngraph:\n  generator: edge_list\n  params: {path: g.edges}\n",
    )
    assert_names(load_error(path), path, "graph.params.path")


def test_graph_file_is_found_next_to_the_scenario(tmp_path, monkeypatch):
    sub = tmp_path / "scen"
    sub.mkdir()
    (sub / "g.edges").write_text("0 1\n1 2\n2 3\n3 0\n", encoding="utf-8")
    path = write(
        sub,
        "population: {workers: 4}\ngraph:\n  generator: edge_list\n  params: {path: g.edges}\n",
    )
    monkeypatch.chdir(tmp_path)
    scenario = load_scenario(path)
    assert scenario.graph.generator == "edge_list"
    assert "path" in scenario.graph.params


def test_graph_check_names_the_parameter(tmp_path):
    path = write(tmp_path, "graph:\n  generator: watts_strogatz\n  params: {k: 7}\n")
    message = assert_names(load_error(path), path, "graph.params.k")
    assert "even k" in message


def test_graph_problems_reported_with_other_problems(tmp_path):
    path = write(
        tmp_path,
        "companies: {onboarding_months: 3, probation_months: 2}\n"
        "graph: {generator: barabasi_albrt}\n",
    )
    err = load_error(path)
    assert [k for k, _ in err.issues] == ["companies", "graph.generator"]
    assert_names(err, path, "graph.generator")


# --------------------------------------------------------------------------- strict types, bounds


@pytest.mark.parametrize(
    ("text", "key_path", "expected"),
    [
        ("horizon_months: true", "horizon_months", "must be a number, got true"),
        ("companies: {count: yes}", "companies.count", "must be an integer, got true"),
        ('population: {workers: "200"}', "population.workers", "must be an integer, got '200'"),
        ("population: {workers: 200.5}", "population.workers", "must be an integer"),
        ("platform: {enabled: 'yes'}", "platform.enabled", "must be true or false"),
        ("name: 7", "name", "must be a string"),
    ],
)
def test_strict_types_reject_booleans_and_quoted_numbers(tmp_path, text, key_path, expected):
    path = write(tmp_path, text)
    message = assert_names(load_error(path), path, key_path)
    assert expected in message


def test_an_integer_is_still_a_number_and_set_values_stay_typed(tmp_path):
    path = write(tmp_path, "horizon_months: 12\nlabour_market: {base_salary: 4000}")
    sc = load_scenario(path, ["population.workers=500", "companies.onboarding_cost=100"])
    assert sc.horizon_months == 12.0 and sc.labour_market.base_salary == 4000.0
    assert sc.population.workers == 500 and isinstance(sc.population.workers, int)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_numbers_must_be_finite(tmp_path, value):
    path = write(tmp_path, f"platform: {{fee_per_hire: {value}}}")
    message = assert_names(load_error(path), path, "platform.fee_per_hire")
    assert "finite" in message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("platform.fee_per_hire", "1e308"),
        ("platform.invite_bonus", "1e30"),
        ("labour_market.quit_rate_per_month", "1e9"),
        ("population.productivity_sigma", "50"),
        ("population.skills", "10**30"),
        ("seed", str(2**70)),
        ("platform.max_chain", "1000000"),
    ],
)
def test_values_that_would_overflow_have_upper_bounds(key, value):
    value = str(eval(value)) if "**" in value else value  # noqa: S307 - a test literal
    err = load_error({}, [f"{key}={value}"])
    assert err.key_path == key
    assert "must be <=" in err.problem


def test_every_numeric_scenario_key_has_an_upper_bound():
    from pydantic import BaseModel

    def numeric_fields(model, prefix=""):
        for name, field in model.model_fields.items():
            ann = field.annotation
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                yield from numeric_fields(ann, f"{prefix}{name}.")
            elif ann in (int, float, float | None):
                yield f"{prefix}{name}", field

    unbounded = [
        key
        for key, field in numeric_fields(Scenario)
        if not any(hasattr(c, "le") or hasattr(c, "lt") for c in field.metadata)
    ]
    assert unbounded == []


def test_plugin_params_must_be_finite_and_bounded():
    err = load_error({"graph": {"generator": "watts_strogatz", "params": {"p": float("nan")}}})
    assert err.key_path == "graph.params.p"
    big = {"platform": {"payout": {"rule": "flat", "params": {"amount": 1e30}}}}
    err = load_error(big)
    assert err.key_path.startswith("platform.payout.params")


def test_deep_yaml_nesting_is_one_clear_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    message = assert_names(load_error(path), path, None)
    assert "nested more than 50 levels" in message
    assert len(message.splitlines()) == 1


def test_yaml_aliases_that_expand_to_billions_of_values_are_refused(tmp_path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = write(tmp_path, "\n".join(levels) + "\n")
    message = assert_names(load_error(path), path, None)
    assert "more than 1,000,000 values once aliases (*name) are expanded" in message


# --------------------------------------------------------------------------- plug-ins


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("builtins:object", "not a graph generator (a subclass of netsim.graphs.GraphGenerator)"),
        (".x:Y", "relative names like .mygraphs are not supported"),
        ("x:", "expected module:Class"),
        ("netsim.graphs:NoSuchClass", "has no 'NoSuchClass'"),
    ],
)
def test_graph_plugin_is_imported_and_type_checked_at_load(tmp_path, spec, expected):
    path = write(tmp_path, f"graph: {{generator: '{spec}'}}")
    message = assert_names(load_error(path), path, "graph.generator")
    assert expected in message


def test_payout_and_strategy_plugins_are_type_checked():
    err = load_error({"platform": {"payout": {"rule": "builtins:object"}}})
    assert err.key_path == "platform.payout.rule" and "not a payout rule" in err.problem
    err = load_error({"platform": {"gaming": {"custom_shares": {"builtins:int": 0.1}}}})
    assert "not a strategy" in err.problem


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("netsim.graphs:GraphGenerator", "must define build() or build_edges()"),
        ("netsim.payouts:PayoutRule", "must define schedule()"),
        ("netsim.platform:Strategy", "must define name"),
    ],
)
def test_plugin_base_class_itself_is_refused_at_load(spec, expected):
    """A base class is a subclass of itself, but leaves build()/schedule()/name undefined:
    it passed validation and then the run ended in NotImplementedError/AttributeError."""
    err = load_error(
        {
            "graph": {"generator": spec if "graphs" in spec else "barabasi_albert"},
            "platform": {
                "payout": {"rule": spec if "payouts" in spec else "flat"},
                "gaming": {"custom_shares": {spec: 0.1} if "platform:" in spec else {}},
            },
        }
    )
    assert "is incomplete" in err.problem and expected in err.problem


def test_plugin_subclass_missing_build_is_refused(tmp_path):
    (tmp_path / "halfplug.py").write_text(
        "from netsim.graphs import GraphGenerator\n"
        "class Half(GraphGenerator):\n    name = 'half'\n",
        encoding="utf-8",
    )
    path = write(tmp_path, "graph: {generator: 'halfplug:Half'}")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "halfplug:Half is incomplete: it must define build() or build_edges()" in message


def test_plugin_module_calling_sys_exit_is_an_input_error(tmp_path):
    """sys.exit() in a plug-in module ended netsim silently with the module's exit code."""
    (tmp_path / "exitplug.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    path = write(tmp_path, "graph: {generator: 'exitplug:G'}")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "SystemExit: 3" in message


@pytest.mark.parametrize("on_path", [False, True])
def test_plugin_module_that_fails_on_import_is_an_input_error(tmp_path, monkeypatch, on_path):
    (tmp_path / "brokenplug.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    (tmp_path / "needsplug.py").write_text("import no_such_dependency\n", encoding="utf-8")
    if on_path:  # found by the first, plain import (e.g. via PYTHONPATH)
        monkeypatch.syspath_prepend(str(tmp_path))
    path = write(tmp_path, "graph: {generator: 'brokenplug:G'}")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "RuntimeError: boom" in message
    path = write(tmp_path, "graph: {generator: 'needsplug:G'}")
    message = assert_names(load_error(path), path, "graph.generator")
    assert "No module named 'no_such_dependency'" in message


PLUGIN = """
import networkx as nx
from netsim.graphs import GeneratorParams, GraphGenerator


class RingParams(GeneratorParams):
    pass


class Ring(GraphGenerator):
    name = "ring_next_to_scenario"
    description = "A ring."
    Params = RingParams

    def build(self, people, params, rng):
        return nx.cycle_graph(people.n)
"""


def test_plugin_next_to_the_scenario_is_found_from_another_folder(tmp_path, monkeypatch):
    import sys

    from netsim.model.run import simulate
    from netsim.scenario.registry import PLUGIN_PATH_ENV

    monkeypatch.setenv(PLUGIN_PATH_ENV, "")  # restored (removed) after the test
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "ringplug_next.py").write_text(PLUGIN, encoding="utf-8")
    path = write(
        folder,
        """\
        horizon_months: 2
        population: {workers: 30}
        companies: {count: 3}
        graph: {generator: 'ringplug_next:Ring'}
        """,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = list(sys.path)
    sc = load_scenario(path)
    assert sys.path == before  # the scenario's folder was on the path only for the import
    assert str(folder.resolve()) in __import__("os").environ[PLUGIN_PATH_ENV]
    # The run imports it again by name (as a sweep worker would, in a fresh process).
    monkeypatch.delitem(sys.modules, "ringplug_next")
    assert simulate(sc, 1).summary["workers"] == 30
    monkeypatch.delitem(sys.modules, "ringplug_next")


def test_plugin_in_the_working_folder_is_found(tmp_path, monkeypatch):
    import sys

    from netsim.scenario.registry import PLUGIN_PATH_ENV

    monkeypatch.setenv(PLUGIN_PATH_ENV, "")  # restored (removed) after the test
    (tmp_path / "ringplug_cwd.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sc = load_scenario({"graph": {"generator": "ringplug_cwd:Ring"}})
    assert sc.graph.generator == "ringplug_cwd:Ring"
    monkeypatch.delitem(sys.modules, "ringplug_cwd")


def test_validate_rejects_bad_plugin_before_run_with_exit_2(tmp_path, capsys):
    from netsim.cli import main

    path = write(tmp_path, "graph: {generator: 'builtins:object'}")
    out = tmp_path / "out"
    assert main(["validate", str(path)]) == 2
    assert main(["run", str(path), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err
    assert not out.exists()


def test_exponent_without_a_dot_is_a_number_in_files_and_overrides(tmp_path):
    # PyYAML (YAML 1.1) would read 1e3 as the string '1e3', which strict types reject.
    path = write(tmp_path, "platform: {fee_per_hire: 1e3}")
    sc = load_scenario(path, ["platform.invite_bonus=2E2"])
    assert sc.platform.fee_per_hire == 1000.0 and sc.platform.invite_bonus == 200.0


def test_readme_plugin_example_runs_from_the_command_line(tmp_path, monkeypatch, capsys):
    """The README's mygraphs.py next to a scenario works without PYTHONPATH (issue 8)."""
    import re
    import sys

    from netsim.cli import main
    from netsim.scenario.registry import PLUGIN_PATH_ENV

    monkeypatch.setenv(PLUGIN_PATH_ENV, "")  # restored (removed) after the test
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n# mygraphs\.py\n(.*?)```", readme, re.S).group(1)
    yaml_block = re.search(r"```yaml\n(graph:\n  generator: mygraphs:Random.*?)```", readme, re.S)
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "mygraphs.py").write_text(code, encoding="utf-8")
    scenario = folder / "s.yaml"
    scenario.write_text(
        "horizon_months: 2\npopulation: {workers: 40}\ncompanies: {count: 4}\n"
        + yaml_block.group(1),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "mygraphs", raising=False)
    assert main(["validate", str(scenario)]) == 0
    assert main(["run", str(scenario), "-q", "--out", str(tmp_path / "out")]) == 0
    assert "Traceback" not in capsys.readouterr().err
    monkeypatch.delitem(sys.modules, "mygraphs", raising=False)


def test_numpy_scalars_count_as_python_numbers():
    import numpy as np

    sc = load_scenario({"population": {"workers": np.int64(500)}, "horizon_months": np.float64(6)})
    assert sc.population.workers == 500 and type(sc.population.workers) is int
    assert sc.horizon_months == 6.0
    err = load_error({"population": {"workers": np.float64(500.5)}})
    assert err.key_path == "population.workers"


# --------------------------------------------------------------------------- names and long values


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "-x", "x" * 101])
def test_scenario_name_must_be_a_plain_folder_name(name):
    """The name is the results folder: 'name: ..' wrote results/../seed-1 (outside results/),
    '.' a hidden folder, and a 300-character name crashed with 'File name too long'."""
    err = load_error({"name": name})
    assert err.key_path == "name"


def test_experiment_name_is_bounded_in_length(tmp_path):
    from netsim.experiments.design import load_design

    path = write(tmp_path, f"name: {'e' * 101}\nbase: s.yaml\nvariants: {{list: [{{label: a}}]}}")
    write(tmp_path, "{}", name="s.yaml")
    with pytest.raises(NetsimInputError) as info:
        load_design(path)
    assert "name: string should have at most 100 characters" in str(info.value)


def test_long_values_are_clipped_in_messages(tmp_path):
    """A 5,000-character value is shown by its start and length, not in full."""
    path = write(tmp_path, f"population: {{workers: '{'9' * 5000}'}}")
    message = assert_names(load_error(path), path, "population.workers")
    assert "(5,002 characters)" in message and len(message) < 300
    path = write(tmp_path, "a:" + "[" * 3000)
    message = str(load_error(path))
    assert "(3,004 characters)" in message and len(message) < 300


def test_non_utf8_file_names_the_line_and_the_fix(tmp_path):
    """The message was Python's codec error ('can't decode byte 0xe9 in position 29')."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: x\nseed: 1\ndescription: caf\xe9\n")
    message = str(load_error(path))
    assert message == f"{path}: line 3: not UTF-8 text (byte 0xe9); save the scenario file as UTF-8"


def test_long_set_values_are_clipped_in_messages():
    """A 10,000-character --set value was echoed in full."""
    err = load_error({}, [f"population.workers={'[' * 5000}{']' * 5000}"])
    assert "(10,002 characters) is not valid YAML (from --set)" in str(err)
    assert len(str(err)) < 300
    err = load_error({}, ["x" * 500])
    assert "(502 characters)" in str(err) and len(str(err)) < 300
