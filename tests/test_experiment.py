"""Experiment files: schema errors, design, seed derivation, confidence intervals."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from scipy import stats

from conftest import TINY
from netsim.cli import main
from netsim.experiments.design import available_metrics, derive_seeds, load_design
from netsim.experiments.sweep import confidence_interval
from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.scenario.errors import NetsimInputError


@pytest.fixture
def base(tmp_path):
    path = tmp_path / "scenarios" / "tiny.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(TINY))
    return path


def write_experiment(tmp_path, **data):
    exp = {"name": "exp", "base": "scenarios/tiny.yaml", **data}
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(exp, sort_keys=False))
    return path


# --------------------------------------------------------------------------- seeds


def test_crn_seeds_same_per_replication_across_variants():
    seeds = derive_seeds(42, n_variants=4, replications=5, common_random_numbers=True)
    assert all(row == seeds[0] for row in seeds)
    assert len(set(seeds[0])) == 5
    expected = [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(42).spawn(5)]
    assert seeds[0] == expected


def test_seeds_differ_without_crn_and_are_stable_when_growing():
    seeds = derive_seeds(42, n_variants=3, replications=4, common_random_numbers=False)
    flat = [s for row in seeds for s in row]
    assert len(set(flat)) == len(flat)
    more = derive_seeds(42, n_variants=4, replications=6, common_random_numbers=False)
    assert [row[:4] for row in more[:3]] == seeds  # adding runs keeps existing seeds
    assert derive_seeds(43, 1, 4) != derive_seeds(42, 1, 4)


def test_design_seeds_written_per_run(tmp_path, base):
    path = write_experiment(
        tmp_path, variants={"grid": {"population.workers": [100, 150]}}, replications=3, seed=9
    )
    d = load_design(path)
    by_rep = {}
    for spec in d.runs:
        by_rep.setdefault(spec.replication, set()).add(spec.seed)
    assert all(len(s) == 1 for s in by_rep.values())
    assert len({spec.run_id for spec in d.runs}) == 6
    d2 = load_design(
        write_experiment(
            tmp_path,
            variants={"grid": {"population.workers": [100, 150]}},
            replications=3,
            seed=9,
            common_random_numbers=False,
        )
    )
    assert len({spec.seed for spec in d2.runs}) == 6


# --------------------------------------------------------------------------- designs


def test_grid_zip_list_and_sample_designs(tmp_path, base):
    grid = load_design(
        write_experiment(
            tmp_path,
            variants={
                "grid": {
                    "population.workers": [100, 150],
                    "population.vital_forces.share": [0.1, 0.2, 0.3],
                }
            },
        )
    )
    assert len(grid.variants) == 6
    assert grid.variants[0].params == {
        "population.vital_forces.share": 0.1,
        "population.workers": 100,
    }
    assert grid.variants[5].scenario.population.workers == 150
    z = load_design(
        write_experiment(
            tmp_path,
            variants={"zip": {"population.workers": [100, 150], "companies.count": [5, 8]}},
        )
    )
    assert [(v.scenario.population.workers, v.scenario.companies.count) for v in z.variants] == [
        (100, 5),
        (150, 8),
    ]
    lst = load_design(
        write_experiment(
            tmp_path,
            overrides={"horizon_months": 6},
            variants={"list": [{"label": "a"}, {"label": "b", "population.workers": 120}]},
        )
    )
    assert [v.label for v in lst.variants] == ["a", "b"]
    assert [v.scenario.population.workers for v in lst.variants] == [150, 120]
    assert all(v.scenario.horizon_months == 6 for v in lst.variants)
    s = load_design(
        write_experiment(
            tmp_path,
            variants={
                "sample": {
                    "method": "sobol",
                    "n": 4,
                    "parameters": {
                        "population.workers": {"low": 100, "high": 200, "integer": True},
                        "labour_market.quit_rate_per_month": {"low": 0.01, "high": 0.03},
                    },
                }
            },
        )
    )
    assert len(s.variants) == 4 * (2 + 2)
    assert all(isinstance(v.scenario.population.workers, int) for v in s.variants)
    assert all(100 <= v.scenario.population.workers <= 200 for v in s.variants)


def test_event_log_switch_does_not_change_dynamics():
    over = ["platform.enabled=true", "platform.gaming.rotation_share=0.2"]
    on = simulate(load_scenario(TINY, [*over, "outputs.event_log=true"]), 5)
    off = simulate(load_scenario(TINY, [*over, "outputs.event_log=false"]), 5)
    assert len(on.events) > 0 and len(off.events) == 0
    # Everything but the event log's own row count is the same.
    assert on.summary.pop("logged_events", len(on.events)) == len(on.events)
    assert off.summary.pop("logged_events", 0) == 0
    assert on.summary == off.summary
    assert on.timeseries.equals(off.timeseries)
    assert on.workers.equals(off.workers)


def test_save_events_sets_event_log(tmp_path, base):
    assert not load_design(write_experiment(tmp_path)).variants[0].scenario.outputs.event_log
    d = load_design(write_experiment(tmp_path, save_events=True))
    assert d.variants[0].scenario.outputs.event_log


# --------------------------------------------------------------------------- errors


def error_of(path) -> str:
    with pytest.raises(NetsimInputError) as info:
        load_design(path)
    return str(info.value)


def test_unknown_key_did_you_mean(tmp_path, base):
    msg = error_of(write_experiment(tmp_path, replicatons=3))
    assert "exp.yaml: replicatons: unknown key; did you mean 'replications'?" in msg


def test_unknown_variant_kind(tmp_path, base):
    msg = error_of(write_experiment(tmp_path, variants={"grd": {"a": [1]}}))
    assert "variants.grd" in msg and "did you mean 'grid'?" in msg


def test_bad_override_key_names_variant(tmp_path, base):
    msg = error_of(
        write_experiment(
            tmp_path,
            variants={"list": [{"label": "ok"}, {"label": "typo", "population.workerz": 5}]},
        )
    )
    assert "variants.list[1].population.workerz" in msg
    assert "did you mean 'workers'?" in msg and "variant 'typo'" in msg


def test_bad_override_value_in_grid(tmp_path, base):
    msg = error_of(
        write_experiment(tmp_path, variants={"grid": {"population.vital_forces.share": [0.2, 1.5]}})
    )
    assert "variants.grid.population.vital_forces.share: must be <= 1, got 1.5" in msg
    assert "share=1.5" in msg


def test_bad_common_override(tmp_path, base):
    msg = error_of(write_experiment(tmp_path, overrides={"horizon_monhts": 5}))
    assert "overrides.horizon_monhts: unknown key; did you mean 'horizon_months'?" in msg


def test_missing_base_file(tmp_path):
    msg = error_of(write_experiment(tmp_path, base="nowhere.yaml"))
    assert "exp.yaml: base: base scenario file not found" in msg and "nowhere.yaml" in msg


def test_base_that_is_a_folder_or_an_experiment_is_named_as_such(tmp_path, base):
    """An experiment as base gave one 'unknown key' line per experiment key."""
    (tmp_path / "folder.yaml").mkdir()
    msg = error_of(write_experiment(tmp_path, base="folder.yaml"))
    assert "exp.yaml: base: base scenario is a folder, not a scenario file" in msg
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump({"name": "o", "base": "scenarios/tiny.yaml"}))
    msg = error_of(write_experiment(tmp_path, base="other.yaml"))
    assert "exp.yaml: base: other.yaml is an experiment file" in msg
    assert "unknown key" not in msg


def test_sample_range_outside_the_keys_bounds_is_reported_once(tmp_path, base):
    """It gave one line per sampled variant, under a key path that is not in the file."""
    rng = {"low": 0.1, "high": 200}
    variants = {
        "sample": {
            "method": "latin_hypercube",
            "n": 8,
            "parameters": {"labour_market.job_finding_rate_per_month": rng},
        }
    }
    msg = error_of(write_experiment(tmp_path, variants=variants))
    key = "variants.sample.parameters.labour_market.job_finding_rate_per_month"
    assert msg.count("\n") == 0 and f"{key}: the range low=0.1, high=200" in msg
    assert "must be <= 100" in msg


def test_zip_lists_of_unequal_length(tmp_path, base):
    msg = error_of(
        write_experiment(
            tmp_path, variants={"zip": {"population.workers": [100, 150], "companies.count": [5]}}
        )
    )
    assert "zip lists must have equal length" in msg
    assert "population.workers: 2, companies.count: 1" in msg


def test_two_variant_kinds(tmp_path, base):
    msg = error_of(
        write_experiment(tmp_path, variants={"grid": {"population.workers": [100]}, "list": [{}]})
    )
    assert "give exactly one of grid, zip, list, sample (got grid, list)" in msg


def test_unknown_metric_did_you_mean(tmp_path, base):
    msg = error_of(write_experiment(tmp_path, metrics=["churn_rate_per_year", "churn_rate_per_yr"]))
    assert (
        "metrics[1]: unknown metric 'churn_rate_per_yr'; did you mean 'churn_rate_per_year'?" in msg
    )


def test_metrics_match_summary_keys():
    names = available_metrics()
    summary = simulate(load_scenario(TINY), 1).summary
    assert set(summary) <= set(names)
    assert "payouts_gamed" in names


def test_cli_bad_experiment_exits_2_and_writes_nothing(tmp_path, base, capsys):
    path = write_experiment(tmp_path, replicatons=3)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'replications'?" in err and "Traceback" not in err
    assert not out.exists()


def test_shipped_experiments_validate():
    from pathlib import Path

    files = sorted((Path(__file__).parents[1] / "experiments").glob("*.yaml"))
    assert {f.stem for f in files} >= {
        "payout_rules",
        "vital_force_share",
        "network_structure",
        "sensitivity_morris",
    }
    for f in files:
        design = load_design(f)
        assert len(design.runs) <= 60


def test_validate_accepts_experiment_files_and_checks_every_variant(tmp_path, base, capsys):
    good = write_experiment(tmp_path, variants={"grid": {"population.workers": [100, 120]}})
    assert main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert "ok (experiment exp, 2 variants x 1 replications = 2 runs" in out
    assert "unknown key" not in out

    bad = write_experiment(tmp_path, variants={"grid": {"population.workers": [100, "many"]}})
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: variants.grid.population.workers: must be an integer, got 'many'" in err
    assert "Traceback" not in err


def test_validate_experiment_refuses_set(tmp_path, base, capsys):
    path = write_experiment(tmp_path)
    assert main(["validate", str(path), "--set", "population.workers=5"]) == 2
    assert "--set works with scenario files" in capsys.readouterr().err


def test_sweep_dry_run_lists_runs_and_writes_nothing(tmp_path, base, capsys):
    path = write_experiment(
        tmp_path,
        variants={"list": [{"label": "a"}, {"label": "b", "population.workers": 120}]},
        replications=2,
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    design = load_design(path)
    for spec in design.runs:
        assert spec.run_id in text and str(spec.seed) in text
    assert "4 runs: 4 to run, 0 already done" in text
    assert not out.exists()


def test_dry_run_marks_finished_runs_done_and_duplicates(tmp_path, base):
    from netsim.experiments.design import plan

    path = write_experiment(
        tmp_path, variants={"list": [{"label": "a"}, {"label": "same as a"}]}, replications=1
    )
    design = load_design(path)
    first = design.runs[0].run_id
    (tmp_path / "out" / "runs" / first).mkdir(parents=True)
    (tmp_path / "out" / "runs" / first / "summary.json").write_text("{}")
    assert [r.action for r in plan(design, tmp_path / "out")] == ["done", "duplicate"]


@pytest.mark.parametrize(
    ("data", "key", "expected"),
    [
        ({"replications": 1e30}, "replications", "must be an integer"),
        ({"replications": 10**30}, "replications", "must be <= 10000"),
        ({"replications": True}, "replications", "must be an integer, got true"),
        ({"seed": 2**70}, "seed", "must be <="),
        (
            {"variants": {"grid": {f"k{i}": list(range(10)) for i in range(8)}}},
            "variants",
            "at most 100000",
        ),
        (
            {
                "variants": {
                    "sample": {
                        "method": "latin_hypercube",
                        "n": 10,
                        "parameters": {"horizon_months": {"low": 1, "high": float("inf")}},
                    }
                }
            },
            "variants.sample.parameters.horizon_months.high",
            "must be a finite number",
        ),
    ],
)
def test_experiment_values_are_strict_and_bounded(tmp_path, base, data, key, expected):
    msg = error_of(write_experiment(tmp_path, **data))
    assert f"exp.yaml: {key}" in msg and expected in msg


def test_base_with_a_nul_byte_is_an_input_error(tmp_path, base):
    # Found by the fuzzer: Path.resolve() raised ValueError (exit 1, traceback).
    msg = error_of(write_experiment(tmp_path, base="a\x00b.yaml"))
    assert "exp.yaml: base: not a usable file name" in msg


@pytest.mark.parametrize("kind", ["grid", "zip"])
def test_empty_part_in_a_grid_or_zip_key_is_named_there(tmp_path, base, kind):
    # Found by the fuzzer: it was reported as a problem of the base scenario.
    msg = error_of(write_experiment(tmp_path, variants={kind: {"population..workers": [1]}}))
    assert f"exp.yaml: variants.{kind}.population..workers: empty part in key path" in msg


# --------------------------------------------------------------------------- CI


def test_ci_matches_scipy():
    x = np.array([1.0, 2.5, 3.0, 4.2, 5.1])
    low, high = confidence_interval(x)
    ref = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert low == pytest.approx(ref[0]) and high == pytest.approx(ref[1])
    assert all(np.isnan(confidence_interval([1.0])))


def test_ci_covers_true_mean_95_percent():
    rng = np.random.default_rng(123)
    draws = 4000
    covered = 0
    for _ in range(draws):
        low, high = confidence_interval(rng.normal(10.0, 3.0, size=5))
        covered += low <= 10.0 <= high
    share = covered / draws
    # binomial sd at p=0.95 over 4000 draws is 0.0034; allow ~4 sd
    assert abs(share - 0.95) < 0.015
