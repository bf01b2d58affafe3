"""The README's Python examples run as written (executable documentation).

Each ```python block is executed in a scratch folder that holds the shipped scenarios and
the folders the examples read (a baseline run folder, a small payout-rule experiment).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import matplotlib
import pytest

import netsim
from netsim.model.loading import load_scenario

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("mygraphs", None)


def _block(needle: str) -> str:
    found = [b for b in BLOCKS if needle in b]
    assert len(found) == 1, f"README should have one python block with {needle!r}"
    return found[0]


def test_readme_has_the_examples():
    assert len(BLOCKS) >= 3


def test_python_api_example(scratch):
    netsim.run("scenarios/baseline.yaml", out="results/baseline/seed-1")  # README command 1
    namespace: dict = {}
    exec(_block('netsim.load("results/baseline/seed-1")'), namespace)
    assert (scratch / "results" / "mine" / "summary.json").is_file()
    assert namespace["again"].seed == 1
    assert namespace["result"].scenario.population.workers == 500


def test_figures_example(scratch):
    # The example reads a payout-rule experiment; make a two-rule, one-replication one.
    netsim.sweep(
        {
            "name": "payout_rules",
            "base": str(scratch / "scenarios" / "rotation_gaming.yaml"),
            "overrides": {"population.workers": 400, "horizon_months": 12},
            "variants": {
                "list": [{"platform.payout.rule": "flat"}, {"platform.payout.rule": "deferred"}]
            },
            "replications": 1,
            "seed": 1,
            "metrics": ["platform_margin", "payouts_gamed"],
        },
        executor="serial",
        out="results/payout_rules",
    )
    namespace: dict = {}
    exec(_block("viz.plot_comparison"), namespace)


def test_graph_generator_plugin_example(scratch):
    (scratch / "mygraphs.py").write_text(_block("class Random(GraphGenerator)"))
    sc = load_scenario(
        {
            "name": "own_graph",
            "horizon_months": 6,
            "population": {"workers": 400},
            "graph": {"generator": "mygraphs:Random", "params": {"mean_degree": 10}},
        }
    )
    res = netsim.simulate(sc, 1)
    assert res.timeseries["mean_degree"].iloc[0] == pytest.approx(10, rel=0.15)
