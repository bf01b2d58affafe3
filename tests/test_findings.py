"""docs/findings.py runs the seeds'-thesis experiment end to end (tiny version) and writes a
page with every variant, every metric, its figures and numbers taken from the tables."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "docs" / "findings.py"
EXPERIMENT = REPO / "experiments" / "vital_forces_thesis.yaml"
TINY = [
    "--replications", "2",
    "--set", "population.workers=150",
    "--set", "companies.count=8",
    "--set", "horizon_months=18",
    "--set", "outputs.network_stats_sample=150",
    "--executor", "serial",
]  # fmt: skip


def _module():
    spec = importlib.util.spec_from_file_location("findings_script", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny experiment run once through the script's command line."""
    root = tmp_path_factory.mktemp("findings")
    doc, img, out = root / "docs" / "findings.md", root / "docs" / "img", root / "results"
    mod = _module()
    argv = [*TINY, "--out", str(out), "--doc", str(doc), "--img-dir", str(img)]
    assert mod.main(argv) == 0
    return mod, doc, img, out


def test_experiment_file_is_the_thesis():
    """The shipped file compares the six variants, >= 10 replications, named metrics."""
    data = yaml.safe_load(EXPERIMENT.read_text(encoding="utf-8"))
    labels = [v["label"] for v in data["variants"]["list"]]
    assert labels == ["no_platform", "honest", "pay_per_hit", "deferred", "clawback",
                      "tenure_share"]  # fmt: skip
    assert data["replications"] >= 10
    assert data["overrides"]["platform.gaming.hold_candidates"] is True
    mod = _module()
    design = mod.load_thesis_design(EXPERIMENT, replications=2)
    assert set(mod.METRIC_NAMES) == set(design.metrics)
    assert {c.metric for c in mod.CLAIMS} <= set(design.metrics)
    # common random numbers: replication i has the same seed in every variant
    seeds = pd.DataFrame([(r.label, r.replication, r.seed) for r in design.runs],
                         columns=["label", "rep", "seed"])  # fmt: skip
    assert (seeds.groupby("rep")["seed"].nunique() == 1).all()


def test_page_has_every_variant_metric_and_figure(tiny):
    mod, doc, img, _ = tiny
    text = doc.read_text(encoding="utf-8")
    design = mod.load_thesis_design(EXPERIMENT, replications=2)
    for v in design.variants:
        assert f"`{v.label}`" in text
    for m in design.metrics:
        assert f"`{m}`" in text
        png = img / f"findings-{m}.png"
        assert png.exists() and png.stat().st_size > 1000
        assert f"(img/findings-{m}.png)" in text
    for claim in mod.CLAIMS:
        assert claim.text in text
    assert "not yet calibrated" not in text and "uncalibrated" not in text
    assert "IT-market fit of `calibration/it_market.yaml`" in text
    assert "150 workers in 8 companies, 18 months" in text


def test_page_numbers_come_from_the_runs(tiny):
    """The table's cell for the gamed churn is the mean and t-interval of the runs table."""
    mod, doc, _, out = tiny
    runs = pd.read_parquet(out / "runs.parquet")
    vals = runs.loc[runs["label"] == "pay_per_hit", "churn_rate_per_year"].to_numpy()
    mean, low, high = mod.ci95(vals)
    assert mean == pytest.approx(np.mean(vals))
    text = doc.read_text(encoding="utf-8")
    assert mod.cell(mean, low, high) in text
    # The market paragraph's turnover is the no-platform runs' mean churn.
    churn = runs.loc[runs["label"] == "no_platform", "churn_rate_per_year"].mean()
    assert f"separate at {mod.fmt(100 * churn)}% a year" in text
    diff = mod.paired(runs, "churn_rate_per_year", "pay_per_hit", "honest")
    wide = runs.pivot_table(index="replication", columns="label", values="churn_rate_per_year")
    assert diff[0] == pytest.approx(float((wide["pay_per_hit"] - wide["honest"]).mean()))


def test_verdicts_follow_the_sign_of_the_interval():
    mod = _module()
    assert mod.verdict((1.0, 0.5, 1.5), +1) == "supports"
    assert mod.verdict((1.0, 0.5, 1.5), -1) == "contradicts"
    assert mod.verdict((-1.0, -1.5, -0.5), -1) == "supports"
    assert mod.verdict((0.1, -0.5, 0.7), +1).startswith("cannot tell")
    assert mod.verdict((0.1, np.nan, np.nan), +1).startswith("cannot tell")
