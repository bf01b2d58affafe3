"""The HTML report embeds every figure and the summary; CLI plot/report/run --plot.

The report is written for every shipped scenario (small sizes) from its run folder, and
``netsim plot``, ``netsim report`` and ``netsim run --plot`` run through ``main()`` on the
baseline, which has no platform hires.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import netsim
from conftest import small_scenario
from netsim import viz
from netsim.cli import main
from netsim.viz import write_report
from shipped_runs import ROOT, SCENARIOS, SMALL, name, shipped_run


def test_cli_plot_of_a_platform_run(tmp_path_factory, tmp_path, capsys):
    # The report of this run is written in test_report_of_every_shipped_scenario.
    result = shipped_run(ROOT / "scenarios" / "rotation_gaming.yaml", (), tmp_path_factory)
    folder = result["disk"].path
    assert main(["plot", str(folder)]) == 0
    pngs = sorted((folder / "plots").glob("*.png"))
    svgs = sorted((folder / "plots").glob("*.svg"))
    disk = result["disk"]
    n_run = sum(
        info.kind == "run" and info.mechanism_present(disk) for _, info in viz.FIGURES.values()
    )
    # Every registered figure of the run's mechanisms (the core's 8 with a platform).
    assert len(pngs) == len(svgs) == n_run >= 8
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


@pytest.mark.parametrize("path", SCENARIOS, ids=name)
def test_report_of_every_shipped_scenario(path, tmp_path_factory):
    result = shipped_run(path, (), tmp_path_factory)["memory"]
    # In memory: the page around the figures (each figure of the in-memory run is built in
    # test_plots; drawing them all again here would double the suite's slowest part).
    page = viz.run_report_html(result, figures={})
    assert '<table class="summary">' in page and f"seed {result.seed}" in page
    # From disk, the way a user gets it: every figure drawn into the page.
    assert main(["report", str(result.path)]) == 0
    text = (result.path / "report.html").read_text()
    platform = result.scenario.platform.enabled
    runs = [i for _f, i in viz.FIGURES.values() if i.kind == "run"]
    core = [i for i in runs if not (i.table or i.applies) and (platform or not i.platform_only)]
    assert len(core) == (8 if platform else 6)
    # A mechanism's figure (campaigns, freelancers, ...) is in the page if the run has it.
    mechanism = [i for i in runs if (i.table or i.applies) and i.mechanism_present(result)]
    n_figs = len(core) + len(mechanism)
    assert text.count("<img ") == text.count("data:image/png;base64,") == n_figs
    assert '<table class="summary">' in text and "unemployment_rate_final" in text
    assert "horizon_months: 18" in text  # resolved scenario YAML
    assert 'src="http' not in text  # self-contained


def test_cli_on_a_baseline_without_platform_hires(tmp_path, capsys):
    out = tmp_path / "baseline"
    sets = [arg for kv in SMALL for arg in ("--set", kv)]
    argv = ["run", str(ROOT / "scenarios" / "baseline.yaml"), *sets, "--out", str(out)]
    assert main([*argv, "--plot", "--quiet"]) == 0
    made = sorted(p.stem for p in (out / "plots").glob("*.png"))
    assert made == sorted(viz.run_figures(netsim.load(out), network=True))
    assert "ego_network" in made and "platform_money" not in made
    for p in (out / "plots").glob("*.png"):
        p.unlink()
    assert main(["plot", str(out)]) == 0
    assert len(list((out / "plots").glob("*.png"))) == len(made)
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").read_text().count("<img ") == len(made)
    assert "Traceback" not in capsys.readouterr().err


def test_cli_reports_an_unreadable_run_folder_as_bad_input(tmp_path, capsys):
    out = tmp_path / "broken"
    netsim.run(small_scenario(horizon_months=6), seed=1, out=out)
    (out / "timeseries.parquet").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 1
    for command in ("plot", "report"):
        assert main([command, str(out)]) == 2
        err = capsys.readouterr().err
        assert str(out) in err and "timeseries.parquet" in err and "Traceback" not in err
    assert not (out / "plots").exists() and not (out / "report.html").exists()


def test_experiment_folder_without_usable_tables(tmp_path):
    # Every run failed, and the comparison has no statistics: nothing to draw, no failure.
    root = tmp_path / "exp"
    root.mkdir()
    pd.DataFrame(
        {"run_id": ["a"], "variant": [0], "status": ["failed"], "platform.fee_per_hire": [1.0]}
    ).to_parquet(root / "runs.parquet")
    pd.DataFrame({"variant": [0], "metric": ["platform_margin"]}).to_parquet(
        root / "comparison.parquet"
    )
    assert main(["plot", str(root)]) == 0
    assert main(["report", str(root)]) == 0
    text = (root / "report.html").read_text()
    assert "No figures" in text and '<table class="comparison">' not in text


def test_cli_plot_and_report_refuse_targets_they_cannot_write(tmp_path, capsys, monkeypatch):
    """A plots file, or a folder without write permission, ended in a traceback (exit 1)
    after every figure had been drawn; now exit 2 before drawing, nothing written."""
    from netsim.viz import figure_sets

    out = tmp_path / "run"
    netsim.run(small_scenario(horizon_months=6), seed=1, out=out)
    (out / "plots").write_text("my file named plots\n")
    monkeypatch.setattr(figure_sets, "run_figures", lambda *a, **k: pytest.fail("drew"))
    assert main(["plot", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{out / 'plots'}: is not a folder" in err and "Traceback" not in err
    assert (out / "plots").read_text() == "my file named plots\n"
    # No write permission (os.access, so that the check holds for root too).
    monkeypatch.setattr("netsim.cli.os.access", lambda *a: False)
    (out / "plots").unlink()
    assert main(["plot", str(out)]) == 2
    assert main(["report", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("cannot be written (no permission)") == 2 and "Traceback" not in err
    assert not (out / "plots").exists() and not (out / "report.html").exists()
