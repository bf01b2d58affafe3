"""The HTML report embeds every figure and the summary; CLI plot/report/run --plot."""

from __future__ import annotations

import pandas as pd

import netsim
from conftest import small_scenario
from netsim import plots
from netsim.cli import main
from netsim.report import write_report


def _run(tmp_path):
    sc = small_scenario(
        platform={"enabled": True, "member_share": 0.3, "gaming": {"rotation_share": 0.3}}
    )
    return netsim.run(sc, seed=3, out=tmp_path / "run")


def test_run_report(tmp_path):
    result = _run(tmp_path)
    out = write_report(result.path)
    text = out.read_text()
    n_figs = len(plots.run_figures(result))
    assert text.count("<img ") == n_figs == 8
    assert text.count("data:image/png;base64,") == n_figs
    assert '<table class="summary">' in text and "unemployment_rate_final" in text
    assert "horizon_months: 36" in text  # resolved scenario YAML
    assert 'src="http' not in text  # self-contained


def test_cli_plot_report_and_run_plot(tmp_path, capsys):
    result = _run(tmp_path)
    assert main(["plot", str(result.path)]) == 0
    pngs = sorted((result.path / "plots").glob("*.png"))
    svgs = sorted((result.path / "plots").glob("*.svg"))
    assert len(pngs) == len(svgs) == 8
    assert main(["report", str(result.path)]) == 0
    assert (result.path / "report.html").is_file()
    assert main(["plot", str(tmp_path / "nothing")]) == 2
    assert "not a netsim run folder" in capsys.readouterr().err


def test_experiment_report(tmp_path):
    root = tmp_path / "exp"
    root.mkdir()
    runs = pd.DataFrame(
        {
            "run_id": ["a", "b", "c", "d"],
            "variant": [0, 0, 1, 1],
            "label": ["flat", "flat", "clawback", "clawback"],
            "replication": [0, 1, 0, 1],
            "seed": [1, 2, 1, 2],
            "status": "ok",
            "platform.fee_per_hire": [1000.0, 1000.0, 2000.0, 2000.0],
            "platform_margin": [10.0, 12.0, 20.0, 23.0],
        }
    )
    comp = pd.DataFrame(
        {
            "variant": [0, 1],
            "label": ["flat", "clawback"],
            "metric": "platform_margin",
            "mean": [11.0, 21.5],
            "std": [1.4, 2.1],
            "ci95_low": [-1.7, 2.4],
            "ci95_high": [23.7, 40.6],
            "n": [2, 2],
        }
    )
    runs.to_parquet(root / "runs.parquet")
    comp.to_parquet(root / "comparison.parquet")
    assert main(["plot", str(root)]) == 0
    assert len(list((root / "plots").glob("*.png"))) == 2
    text = write_report(root).read_text()
    assert text.count("<img ") == 2
    assert '<table class="comparison">' in text and "clawback" in text
