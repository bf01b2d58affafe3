"""What a sweep reports counts what it says: duplicate design points are named as such."""

from __future__ import annotations

import re

import yaml

from netsim.cli import main
from netsim.experiments.design import load_design

TINY = {
    "name": "tiny",
    "horizon_months": 6,
    "population": {"workers": 100},
    "companies": {"count": 8, "large_share": 0.1},
    "outputs": {"network_stats_every_months": 6, "network_stats_sample": 20},
}


def test_sweep_says_that_duplicate_design_points_run_once(tmp_path, capsys):
    base = tmp_path / "tiny.yaml"
    base.write_text(yaml.safe_dump(TINY))
    exp = tmp_path / "morris.yaml"
    exp.write_text(
        yaml.safe_dump(
            {
                "name": "morris",
                "base": str(base),
                "variants": {
                    "sample": {
                        "method": "morris",
                        "n": 6,
                        "parameters": {
                            "labour_market.quit_rate_per_month": {"low": 0.005, "high": 0.05},
                            "labour_market.job_finding_rate_per_month": {"low": 0.1, "high": 0.5},
                        },
                    }
                },
                "replications": 1,
                "seed": 3,
            }
        )
    )
    design = load_design(exp)
    points = len(design.runs)
    distinct = len({spec.run_id for spec in design.runs})
    assert distinct < points, "this Morris design should repeat points (else the test is vacuous)"
    out = tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "-q"]) == 0
    text = capsys.readouterr().out
    assert f"{points}/{points} runs ok ({distinct} run now, 0 resumed, 0 failed)" in text
    assert (
        f"{points - distinct} duplicate design points (same parameters and seed) are run once: "
        f"{points} points, {distinct} distinct runs" in text
    )
    assert len(list((out / "runs").iterdir())) == distinct


def test_sweep_without_duplicates_says_nothing_about_them(tmp_path, capsys):
    base = tmp_path / "tiny.yaml"
    base.write_text(yaml.safe_dump(TINY))
    exp = tmp_path / "grid.yaml"
    grid = {"population.vital_forces.share": [0.1, 0.4]}
    exp.write_text(
        yaml.safe_dump(
            {"name": "grid", "base": str(base), "variants": {"grid": grid}, "replications": 2}
        )
    )
    assert (
        main(["sweep", str(exp), "--out", str(tmp_path / "o"), "--executor", "serial", "-q"]) == 0
    )
    text = capsys.readouterr().out
    assert re.search(r"4/4 runs ok \(4 run now", text) and "duplicate design points" not in text
