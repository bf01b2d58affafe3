"""Sweeps: identical results on every executor, resume, failures, interrupts, sensitivity."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
import yaml

import netsim
import netsim.scenario.errors
from conftest import TINY
from netsim.cli import main
from netsim.experiments.design import load_design


def sweep_module():
    """The module whose ``simulate`` the sweep's runs call (in-process executors)."""
    return importlib.import_module("netsim.experiments.executors")


@pytest.fixture
def experiment(tmp_path):
    base = tmp_path / "tiny.yaml"
    base.write_text(yaml.safe_dump(TINY))
    return {
        "name": "exp",
        "base": str(base),
        "variants": {"grid": {"population.vital_forces.share": [0.1, 0.4]}},
        "replications": 3,
        "seed": 5,
        "metrics": ["churn_rate_per_year", "hires_external", "mean_tenure_months_final"],
    }


def comparable(runs: pd.DataFrame) -> pd.DataFrame:
    return runs.drop(columns=["wall_time_s"]).sort_values("run_id").reset_index(drop=True)


def test_serial_pool_and_dask_give_identical_tables(tmp_path, experiment):
    serial = netsim.sweep(experiment, executor="serial", out=tmp_path / "serial")
    pool = netsim.sweep(experiment, executor="local", workers=2, out=tmp_path / "pool")
    dask = netsim.sweep(experiment, executor="dask", workers=2, out=tmp_path / "dask")
    assert len(serial.runs) == 6 and (serial.runs["status"] == "ok").all()
    pd.testing.assert_frame_equal(comparable(serial.runs), comparable(pool.runs))
    pd.testing.assert_frame_equal(comparable(serial.runs), comparable(dask.runs))
    pd.testing.assert_frame_equal(serial.comparison, pool.comparison)
    pd.testing.assert_frame_equal(serial.comparison, dask.comparison)
    # the seed is in every row, CRN: replication i has one seed across variants
    assert serial.runs.groupby("replication")["seed"].nunique().eq(1).all()
    assert set(serial.runs["population.vital_forces.share"]) == {0.1, 0.4}


def test_outputs_and_load_experiment(tmp_path, experiment):
    out = tmp_path / "out"
    result = netsim.sweep(experiment, executor="serial", out=out)
    for name in ("runs", "comparison"):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    assert (out / "experiment.yaml").is_file() and (out / "manifest.json").is_file()
    assert not list((out / "runs").glob("*/events.parquet"))  # save_events is off
    assert len(list((out / "runs").iterdir())) == 6
    back = netsim.load_experiment(out)
    pd.testing.assert_frame_equal(back.runs, result.runs)
    pd.testing.assert_frame_equal(back.comparison, result.comparison)
    assert back.sensitivity is None
    assert set(back.comparison["metric"]) == set(experiment["metrics"])
    assert (back.comparison["n"] == 3).all()
    row = back.comparison.iloc[0]
    assert row["ci95_low"] < row["mean"] < row["ci95_high"]
    assert back.manifest["runs_status"] == {"planned": 6, "ok": 6}


def test_resume_runs_only_missing(tmp_path, experiment):
    out = tmp_path / "out"
    first = netsim.sweep(experiment, executor="serial", out=out)
    assert len(first.executed) == 6
    mtimes = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    victim = first.runs["run_id"].iloc[2]
    import shutil

    shutil.rmtree(out / "runs" / victim)
    again = netsim.sweep(experiment, executor="serial", out=out)
    assert again.executed == [victim]
    assert sorted(again.skipped) == sorted(set(mtimes) - {victim})
    for name, mtime in mtimes.items():
        if name != victim:
            assert (out / "runs" / name).stat().st_mtime_ns == mtime
    pd.testing.assert_frame_equal(comparable(first.runs), comparable(again.runs))


def test_failing_run_is_recorded_and_others_go_on(tmp_path, experiment, monkeypatch):
    mod = sweep_module()
    real = mod.simulate
    bad_seed = load_design(experiment).runs[1].seed

    def flaky(scenario, seed):
        if seed == bad_seed and scenario.population.vital_forces.share == 0.4:
            raise RuntimeError("boom inside the simulation")
        return real(scenario, seed)

    monkeypatch.setattr(mod, "simulate", flaky)
    out = tmp_path / "out"
    result = netsim.sweep(experiment, executor="serial", out=out)
    assert len(result.failed) == 1 and len(result.executed) == 5
    failed = result.runs[result.runs["status"] == "failed"]
    assert len(failed) == 1 and failed["seed"].iloc[0] == bad_seed
    text = (out / "failures" / f"{result.failed[0]}.txt").read_text()
    assert "boom inside the simulation" in text and "Traceback" in text
    assert result.comparison.groupby("variant")["n"].min().tolist() == [3, 2]
    # fixed: a re-run retries only the failed run
    monkeypatch.setattr(mod, "simulate", real)
    again = netsim.sweep(experiment, executor="serial", out=out)
    assert again.executed == result.failed and not again.failed
    assert not (out / "failures" / f"{result.failed[0]}.txt").exists()


def interrupt_third_run(monkeypatch):
    """Make the sweep's third run raise KeyboardInterrupt (Ctrl-C); return the executors
    module and its real ``simulate``."""
    mod = sweep_module()
    real = mod.simulate
    calls = []

    def interrupted(scenario, seed):
        calls.append(seed)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(scenario, seed)

    monkeypatch.setattr(mod, "simulate", interrupted)
    return mod, real


def test_interrupt_keeps_finished_runs(tmp_path, experiment, monkeypatch):
    mod, real = interrupt_third_run(monkeypatch)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        netsim.sweep(experiment, executor="serial", out=out)
    saved = pd.read_parquet(out / "runs.parquet")
    assert len(saved) == 2 and (saved["status"] == "ok").all()
    monkeypatch.setattr(mod, "simulate", real)
    again = netsim.sweep(experiment, executor="serial", out=out)
    assert len(again.executed) == 4 and sorted(again.skipped) == sorted(saved["run_id"])
    assert len(again.runs) == 6


def test_interrupted_sweep_on_the_command_line_says_what_it_kept(
    tmp_path, experiment, monkeypatch, capsys
):
    from netsim.cli import main

    interrupt_third_run(monkeypatch)
    exp_file = tmp_path / "exp.yaml"
    exp_file.write_text(yaml.safe_dump(experiment))
    out = tmp_path / "out"
    code = main(["sweep", str(exp_file), "--executor", "serial", "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 130
    assert f"2 of 6 distinct runs are finished and kept in {out}" in err
    assert "run the same command again to resume" in err and "Traceback" not in err


@pytest.mark.parametrize("method", ["morris", "sobol"])
def test_sensitivity_tables(tmp_path, experiment, method):
    experiment = {
        **experiment,
        "variants": {
            "sample": {
                "method": method,
                "n": 3 if method == "morris" else 4,
                "parameters": {
                    "labour_market.quit_rate_per_month": {"low": 0.005, "high": 0.05},
                    "labour_market.job_finding_rate_per_month": {"low": 0.1, "high": 0.5},
                },
            }
        },
        "replications": 1,
    }
    result = netsim.sweep(experiment, executor="serial", out=tmp_path / "s")
    sens = result.sensitivity
    assert set(sens["metric"]) == set(experiment["metrics"])
    assert len(sens) == 2 * len(experiment["metrics"])
    cols = (
        ["mu", "mu_star", "sigma", "mu_star_conf"]
        if method == "morris"
        else ["S1", "S1_conf", "ST", "ST_conf"]
    )
    churn = sens[sens["metric"] == "churn_rate_per_year"].set_index("parameter")
    assert churn[cols].notna().all().all()
    if method == "morris":  # churn is driven by the quit rate more than by job finding
        assert churn.loc["labour_market.quit_rate_per_month", "mu_star"] > 0
    assert (tmp_path / "s" / "sensitivity.csv").is_file()
    assert netsim.load_experiment(tmp_path / "s").sensitivity is not None


def test_cli_sweep(tmp_path, experiment, capsys):
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(experiment))
    out = tmp_path / "cli"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "-q"]) == 0
    text = capsys.readouterr().out
    assert "6/6 runs ok (6 run now, 0 resumed, 0 failed)" in text
    assert main(["sweep", str(path), "--out", str(out), "-q", "--workers", "2"]) == 0
    assert "(0 run now, 6 resumed, 0 failed)" in capsys.readouterr().out


def test_scheduler_needs_dask(experiment):
    with pytest.raises(netsim.scenario.errors.NetsimInputError, match="needs the dask executor"):
        netsim.sweep(experiment, scheduler="tcp://localhost:1")


@pytest.mark.parametrize("address", ["garbage!!", "host", "foo://h:1", "tcp://h:99999"])
def test_malformed_scheduler_address_is_refused_before_writing(
    tmp_path, experiment, capsys, address
):
    """A malformed address ended in a Dask ValueError traceback, after writing the folder."""
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(experiment))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "-q", "--out", str(out), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--scheduler: not a Dask scheduler address") and "Traceback" not in err
    assert not out.exists()


def test_unreachable_scheduler_is_an_input_error(tmp_path, experiment, capsys, monkeypatch):
    """An unreachable scheduler ended in an OSError traceback (exit 1) after 30 s."""
    import distributed

    def refuse(address, *args, **kwargs):
        raise OSError(f"Timed out trying to connect to {address} after 30 s")

    monkeypatch.setattr(distributed, "Client", refuse)
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(experiment))
    argv = ["sweep", str(path), "-q", "--out", str(tmp_path / "out")]
    assert main([*argv, "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert "--scheduler: cannot connect to the Dask scheduler 'tcp://127.0.0.1:1'" in err
    assert "Traceback" not in err
