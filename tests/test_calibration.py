"""Calibration by simulated moments: the moments against closed forms, the fit recovering a
known value, resume, and clear errors for bad targets files."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml

from netsim.cli import main
from netsim.experiments import validation
from netsim.experiments.calibration_run import run_calibration
from netsim.experiments.calibration_spec import load_targets
from netsim.experiments.moments import MOMENTS, compute_moments
from netsim.model.run import simulate
from netsim.output.results import RunResult
from netsim.scenario.errors import NetsimInputError
from test_theory import F_RATE, S_RATE, two_state_scenario

# ----------------------------------------------------------------------------- the moments


@pytest.fixture(scope="module")
def two_state_runs():
    return [simulate(two_state_scenario(), seed) for seed in (21, 22)]


def test_flow_moments_match_the_two_state_closed_form(two_state_runs):
    """With hazards s and f the pooled monthly rates estimate s and f, and unemployment
    s/(s+f). About 30,000 separations and hires per run: 5% is over five standard errors."""
    got = pd.DataFrame(
        [compute_moments(r, list(MOMENTS), burn_in_months=24) for r in two_state_runs]
    ).mean()
    assert got["monthly_separation_rate"] == pytest.approx(S_RATE, rel=0.05)
    assert got["monthly_job_finding_rate"] == pytest.approx(F_RATE, rel=0.05)
    assert got["unemployment_rate"] == pytest.approx(S_RATE / (S_RATE + F_RATE), rel=0.05)
    # Every separation is a quit into search here, so the annual rate is 12 s.
    assert got["annual_separation_rate"] == pytest.approx(12 * S_RATE, rel=0.05)
    assert got["contacts_share"] == 0.0  # no word of mouth, no platform
    # Memoryless stays: the elapsed tenure of the employed is exponential with mean 1/s,
    # median ln 2 / s (truncated by the run's start for a few).
    assert got["median_tenure_years"] == pytest.approx(math.log(2) / S_RATE / 12, rel=0.1)


def _result(ts: pd.DataFrame, events: pd.DataFrame) -> RunResult:
    return RunResult(
        scenario=None, seed=0, timeseries=ts, events=events, workers=pd.DataFrame(),
        companies=pd.DataFrame(), summary={},
    )  # fmt: skip


def test_referred_quit_ratio_counts_quits_per_month_of_tenure():
    """Two referred hires: one quits after 2 months, one stays 10 (to the end): 1 quit in 12
    months. Two market hires: both quit after 3 months: 2 quits in 6 months. Ratio 1/4."""
    ts = pd.DataFrame({"month": [0, 12], "time_months": [0.0, 12.0]})
    rows = [
        ("hire", "word_of_mouth", 0, 2.0),
        ("hire", "platform", 1, 2.0),
        ("hire", "market", 2, 3.0),
        ("hire", "market", 3, 3.0),
        ("separation", "quit", 0, 4.0),
        ("separation", "job_to_job", 2, 6.0),
        ("separation", "quit", 3, 6.0),
    ]
    ev = pd.DataFrame(rows, columns=["kind", "detail", "hire", "time_months"])
    value = MOMENTS["referred_quit_ratio"].fn(_result(ts, ev), 1.0)
    assert value == pytest.approx((1 / 12) / (2 / 6))


def test_contacts_share_pools_the_contact_channels_over_months_after_burn_in():
    ts = pd.DataFrame(
        {
            "month": [0, 1, 2],
            "time_months": [0.0, 1.0, 2.0],
            "hires": [0, 100, 10],
            "hires_market": [0, 0, 5],
            "hires_word_of_mouth": [0, 100, 3],
            "hires_platform": [0, 0, 2],
        }
    )
    res = _result(ts, pd.DataFrame())
    assert MOMENTS["contacts_share"].fn(res, 1.0) == pytest.approx(0.5)  # month 2 only
    assert MOMENTS["contacts_share"].fn(res, 0.0) == pytest.approx(105 / 110)


# ----------------------------------------------------------------------------- the fit


def _write_targets(tmp_path, **changes) -> str:
    scenario = tmp_path / "two_state.yaml"
    data = two_state_scenario().model_dump(mode="json")
    data.update(horizon_months=60.0)
    data["population"]["workers"] = 500
    scenario.write_text(yaml.safe_dump(data))
    targets = {
        "name": "recover_s",
        "scenario": "two_state.yaml",
        "seed": 5,
        "replications": 2,
        "burn_in_months": 6,
        "parameters": {"labour_market.quit_rate_per_month": {"low": 0.01, "high": 0.06}},
        "moments": {"monthly_separation_rate": {"target": S_RATE, "source": "Shimer (2012)"}},
        "search": {"global_points": 4, "local_evaluations": 12},
    }
    targets.update(changes)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(targets))
    return str(path)


def test_the_fit_recovers_the_rate_that_generates_the_target(tmp_path):
    """The separation hazard is identified by the separation rate: starting from a 4-point
    design over [0.01, 0.06], the fit lands within 10% of the true 0.034 (the estimator's
    standard error with 2 x ~850 separations is about 2.5%)."""
    out = tmp_path / "fit"
    result = run_calibration(_write_targets(tmp_path), out, executor="serial", quiet=True)
    fitted = result.fitted["labour_market.quit_rate_per_month"]
    assert fitted == pytest.approx(S_RATE, rel=0.10)
    row = result.moments.iloc[0]
    assert row["ci95_low"] <= row["achieved"] <= row["ci95_high"]
    assert result.objective == result.evaluations["objective"].min()
    assert len(result.evaluations) <= 4 + 12
    assert (result.evaluations["phase"] == "global").sum() == 4
    # The outputs, and a fitted scenario that netsim can load and run.
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["calibration"] == "recover_s" and manifest["fitted"] == result.fitted
    assert set(pd.read_csv(out / "moments.csv")["moment"]) == {"monthly_separation_rate"}
    fitted_yaml = yaml.safe_load((out / "fitted.yaml").read_text())
    assert fitted_yaml["labour_market"]["quit_rate_per_month"] == pytest.approx(fitted)


def test_an_interrupted_fit_resumes_without_rerunning_finished_runs(tmp_path, monkeypatch):
    path = _write_targets(tmp_path, search={"global_points": 2, "local_evaluations": 3})
    out = tmp_path / "fit"
    first = run_calibration(path, out, executor="serial", quiet=True)
    stored = sorted(p.name for p in (out / "moments").iterdir())
    calls = []
    import netsim.experiments.executors as executors

    original = executors.simulate
    monkeypatch.setattr(executors, "simulate", lambda *a, **k: calls.append(a) or original(*a, **k))
    second = run_calibration(path, out, executor="serial", quiet=True)
    assert calls == []  # every run's moments came from disk
    assert not (out / "runs").exists()  # moments are computed in the workers: no run folders
    assert second.fitted == first.fitted
    assert sorted(p.name for p in (out / "moments").iterdir()) == stored
    pd.testing.assert_frame_equal(second.evaluations, first.evaluations)


@pytest.mark.parametrize(("executor", "workers"), [("serial", 1), ("local", 2), ("dask", 2)])
def test_runs_reduced_in_the_worker_equal_the_moments_of_the_full_run(tmp_path, executor, workers):
    """run_all's reducer gives each run's moments as computed from its full result, on every
    executor, and writes no run folder."""
    from functools import partial

    from netsim.experiments.design import RunSpec
    from netsim.experiments.executors import run_all

    names = ["monthly_separation_rate", "unemployment_rate", "monthly_job_finding_rate"]
    sc = validation.two_state_scenario(150, 24.0)
    specs = [RunSpec(f"r{k}", 0, "", k, seed, sc, {}) for k, seed in enumerate((3, 4, 5))]
    got: dict[str, dict] = {}
    reduce = partial(compute_moments, names=names, burn_in_months=6)
    run_all(
        specs, tmp_path, executor, workers, None, lambda st: got.update({st["run_id"]: st}), reduce
    )
    for spec in specs:
        status = got[spec.run_id]
        assert status["status"] == "ok" and status["result"] is None
        want = compute_moments(simulate(sc, spec.seed), names, 6)
        assert status["reduced"] == pytest.approx(want, nan_ok=True)
    assert not (tmp_path / "runs").exists()


def test_a_reducer_that_fails_fails_its_run(tmp_path):
    from functools import partial

    from netsim.experiments.design import RunSpec
    from netsim.experiments.executors import run_all

    spec = RunSpec("r0", 0, "", 0, 1, validation.two_state_scenario(50, 6.0), {})
    got: list[dict] = []
    bad = partial(compute_moments, names=["no_such_moment"], burn_in_months=0)
    run_all([spec], tmp_path, "serial", 1, None, got.append, bad)
    assert got[0]["status"] == "failed" and "no_such_moment" in got[0]["error"]


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"moments": {"annual_separaton_rate": {"target": 0.1, "source": "x"}}},
         "moments.annual_separaton_rate", "did you mean 'annual_separation_rate'"),
        ({"parameters": {"labour_market.quit_rate": {"low": 0.0, "high": 0.1}}},
         "labour_market.quit_rate", "did you mean"),
        ({"parameters": {"labour_market.quit_rate_per_month": {"low": -1.0, "high": 0.1}}},
         "parameters.labour_market.quit_rate_per_month", "-1 is refused"),
        ({"parameters": {"labour_market.quit_rate_per_month": {"low": 0.1, "high": 0.1}}},
         "parameters", "high must be > low"),
        ({"scenario": "missing.yaml"}, "scenario", "file not found"),
        ({"replications": 1}, "replications", "must be >= 2"),
        ({"moments": {"unemployment_rate": {"target": 0.05}}}, "moments.unemployment_rate",
         "source"),
    ],
)  # fmt: skip
def test_bad_targets_name_the_file_and_key(tmp_path, changes, key, words):
    path = _write_targets(tmp_path, **changes)
    with pytest.raises(NetsimInputError) as err:
        load_targets(path)
    text = str(err.value)
    assert "targets.yaml" in text and key in text and words in text, text


def test_cli_exits_2_on_bad_targets_and_writes_nothing(tmp_path, capsys):
    path = _write_targets(tmp_path, replications=0)
    out = tmp_path / "fit"
    assert main(["calibrate", path, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "replications" in err and "Traceback" not in err
    assert not out.exists()


def test_a_folder_that_is_not_the_calibrations_own_is_refused(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(NetsimInputError, match="Nothing was written"):
        run_calibration(_write_targets(tmp_path), out, executor="serial", quiet=True)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_moment_registry_documents_every_moment():
    for name, m in MOMENTS.items():
        assert m.name == name and m.unit and len(m.definition) > 20
    assert np.isnan(MOMENTS["referred_quit_ratio"].fn(_result(
        pd.DataFrame({"month": [0], "time_months": [0.0]}), pd.DataFrame()), 0.0))  # fmt: skip
