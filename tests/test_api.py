"""The Python API and run folders: ``netsim.api.run`` / ``load`` and ``netsim run``.

A run folder holds the manifest (seed, versions, resolved scenario, event count), the
resolved scenario as YAML, the summary and the four tables; it is written atomically
(replacing an older folder, leaving no hidden temporary folder behind) and reads back
into the same tables. The written scenario.yaml re-runs to the same summary.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import small_scenario
from netsim.api import load, run
from netsim.cli import main
from netsim.model.loading import load_scenario

REPO = Path(__file__).resolve().parents[1]
SEED = 5
FILES = (
    "manifest.json",
    "scenario.yaml",
    "summary.json",
    "timeseries.parquet",
    "timeseries.csv",
    "events.parquet",
    "workers.parquet",
    "companies.parquet",
    "edges.parquet",  # the final social network, written by every run
)


def tiny_dict(**outputs) -> dict:
    """A 150-worker, 12-month scenario as a plain dict."""
    return {
        "name": "tiny",
        "horizon_months": 12,
        "population": {"workers": 150},
        "companies": {"count": 10, "large_share": 0.2},
        "graph": {"generator": "barabasi_albert", "params": {"m": 3}},
        "outputs": {"network_stats_every_months": 6, "network_stats_sample": 50, **outputs},
    }


def same_summary(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, float) and math.isnan(x):
            assert isinstance(y, float) and math.isnan(y), k
        else:
            assert x == y, (k, x, y)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "run"
    return run(tiny_dict(), seed=SEED, out=out), out


def test_run_writes_every_file(written):
    result, out = written
    assert result.path == out
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_manifest(written):
    result, out = written
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == SEED
    assert manifest["scenario_name"] == "tiny"
    assert manifest["scenario"] == result.scenario.model_dump(mode="json")
    assert manifest["scenario"]["seed"] == SEED
    for key in ("engine_events", "logged_events"):
        assert manifest[key] == result.summary[key], key
        assert isinstance(manifest[key], int) and manifest[key] > 0, key
    assert manifest["logged_events"] == len(result.events)
    versions = manifest["versions"]
    for pkg in ("python", "netsim", "numpy", "simpy", "networkx", "pandas", "pydantic"):
        assert versions.get(pkg) not in (None, "", "not installed"), pkg
    assert manifest["wall_time_s"] >= 0


def test_summary_json(written):
    result, out = written
    same_summary(json.loads((out / "summary.json").read_text()), result.summary)


def test_load_round_trip(written):
    result, out = written
    loaded = load(out)
    assert loaded.seed == SEED
    assert loaded.path == out
    assert loaded.scenario == result.scenario
    for name in ("timeseries", "events", "workers", "companies"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(result, name))
    same_summary(loaded.summary, result.summary)
    csv = pd.read_csv(out / "timeseries.csv")
    pd.testing.assert_frame_equal(csv, result.timeseries, check_dtype=False)


def test_scenario_yaml_reruns_to_same_summary(written, tmp_path):
    result, out = written
    sc = load_scenario(out / "scenario.yaml")
    assert sc == result.scenario
    again = run(out / "scenario.yaml", seed=SEED)
    same_summary(again.summary, result.summary)
    pd.testing.assert_frame_equal(again.events, result.events)
    # And without --seed: the resolved scenario carries the seed of the run.
    same_summary(run(out / "scenario.yaml").summary, result.summary)


def test_rewrite_replaces_atomically(tmp_path):
    out = tmp_path / "run"
    run(tiny_dict(), seed=1, out=out)
    # netsim's own later addition; a user's file would make the re-run refuse (see
    # test_output_safety.py)
    (out / "report.html").write_text("left over from an older run")
    second = run(tiny_dict(), seed=2, out=out)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert load(out).seed == 2
    same_summary(load(out).summary, second.summary)
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "hidden temp/old folders left"


def test_no_event_log_writes_no_events_file(tmp_path):
    out = tmp_path / "run"
    result = run(tiny_dict(event_log=False), seed=SEED, out=out)
    assert not (out / "events.parquet").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(set(FILES) - {"events.parquet"})
    assert len(result.events) == 0
    assert len(load(out).events) == 0


def test_run_accepts_path_dict_and_scenario(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_dict()))
    a = run(path, seed=SEED)
    b = run(tiny_dict(), seed=SEED)
    c = run(load_scenario(tiny_dict()), seed=SEED)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.events, c.events)
    assert a.path is None  # nothing written without out=


def test_run_overrides():
    result = run(tiny_dict(), seed=SEED, overrides=["population.workers=60"])
    assert len(result.workers) == 60
    assert result.scenario.population.workers == 60


def test_cli_run(tmp_path, capsys):
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_dict()))
    out = tmp_path / "cli-run"
    assert main(["run", str(path), "--out", str(out), "--seed", "3", "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert json.loads((out / "manifest.json").read_text())["seed"] == 3
    same_summary(load(out).summary, run(tiny_dict(), seed=3).summary)


@pytest.mark.parametrize("name", ["baseline.yaml", "it_community.yaml"])
def test_shipped_scenarios_validate(name):
    """Shipped scenarios validate (not run here: it_community is too slow for the suite)."""
    path = REPO / "scenarios" / name
    assert main(["validate", str(path)]) == 0
    load_scenario(path)


def test_small_scenario_helper_round_trips(tmp_path):
    """A Scenario object passes through run/load unchanged."""
    sc = small_scenario(horizon_months=6)
    result = run(sc, seed=SEED, out=tmp_path / "r")
    assert load(tmp_path / "r").scenario == result.scenario
    assert result.scenario == sc.model_copy(update={"seed": SEED})
