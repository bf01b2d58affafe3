"""The command line: exit codes, messages on stderr, nothing written on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netsim.cli import main
from netsim.docgen import scenario_reference_markdown
from netsim.output.console import format_value, month_progress, print_summary

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- validate


def test_validate_ok(tmp_path, capsys):
    path = write(tmp_path, "name: tiny\npopulation: {workers: 300}\nhorizon_months: 24\n")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{path}: ok (scenario tiny, 300 workers, 100 companies, 24 months)"


def test_validate_with_overrides(tmp_path, capsys):
    path = write(tmp_path, "name: tiny\n")
    code = main(
        ["validate", str(path), "--set", "population.workers=500", "--set", "companies.count=7"]
    )
    assert code == 0
    assert "500 workers, 7 companies" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "overrides", "key_path", "expected"),
    [
        (
            "labour_market: {quit_rate_per_mnth: 0.1}\n",
            [],
            "labour_market.quit_rate_per_mnth",
            "did you mean 'quit_rate_per_month'?",
        ),
        ("{}\n", ["population.wrkers=5"], "population.wrkers", "did you mean 'workers'?"),
        ("population: {workers: lots}\n", [], "population.workers", "must be an integer"),
        (
            "vacancies: {replacement_probability: 2}\n",
            [],
            "vacancies.replacement_probability",
            "must be <= 1",
        ),
        ("graph: {generator: smallworld}\n", [], "graph.generator", "unknown graph generator"),
    ],
)
def test_validate_bad_input_exits_2_with_one_message(
    tmp_path, capsys, text, overrides, key_path, expected
):
    path = write(tmp_path, text)
    argv = ["validate", str(path)]
    for item in overrides:
        argv += ["--set", item]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{path}: {key_path}: ")
    assert expected in captured.err
    assert "Traceback" not in captured.err


def test_validate_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.yaml"
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: ") and "not found" in err


def test_usage_error_exits_2(capsys):
    assert main(["validate"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["--help"]) == 0
    capsys.readouterr()


def _run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run(
        [sys.executable, "-m", "netsim", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_python_m_netsim_bad_file_has_no_traceback(tmp_path):
    path = write(tmp_path, "labour_market:\n  quit_rate_per_mnth: 0.01\n", name="typo.yaml")
    proc = _run_module("validate", "typo.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"{path.name}: labour_market.quit_rate_per_mnth: unknown key; "
        "did you mean 'quit_rate_per_month'? (allowed: "
    )


def test_python_m_netsim_malformed_yaml(tmp_path):
    write(tmp_path, "population:\n  workers: [1, 2\n  skills: 3\n", name="broken.yaml")
    proc = _run_module("validate", "broken.yaml", "--set", "seed=3", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("broken.yaml: malformed YAML at line 3, column")


# --------------------------------------------------------------------------- run (error paths)


@pytest.mark.parametrize(
    ("text", "overrides"),
    [
        ("population: {wrkers: 10}\n", []),
        ("{}\n", ["horizon_months=-1"]),
        ("companies: {policy_shares: {embrace: 0.9}}\n", []),
        ("graph: {generator: edge_list, params: {path: nowhere.txt}}\n", []),
    ],
)
def test_run_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, monkeypatch, text, overrides):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, text)
    out = tmp_path / "out"
    argv = ["run", str(path), "--out", str(out), "--seed", "3", "--quiet"]
    for item in overrides:
        argv += ["--set", item]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: ") and "Traceback" not in err
    assert not out.exists()
    assert not (tmp_path / "results").exists()


def test_run_missing_file_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "missing.yaml"]) == 2
    assert capsys.readouterr().err.startswith("missing.yaml: ")
    assert list(tmp_path.iterdir()) == []


def test_run_bad_seed_is_a_usage_error(tmp_path, capsys):
    path = write(tmp_path, "{}\n")
    assert main(["run", str(path), "--seed", "abc"]) == 2
    assert "--seed" in capsys.readouterr().err


def test_run_seed_beyond_the_schema_bound_is_refused_before_running(tmp_path, capsys, monkeypatch):
    """--seed bypassed the bound (2**63 - 1) that a file's seed obeys, and ran."""
    from netsim import api

    monkeypatch.setattr(api, "simulate", lambda *a, **k: pytest.fail("ran"))
    path = write(tmp_path, "{}\n")
    out = tmp_path / "out"
    assert main(["run", str(path), "--seed", str(2**70), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--seed: must be <= 9223372036854775807") and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("seed", [True, -1, 1.5, "3", 2**64])
def test_api_seed_is_checked_like_the_file_seed(seed):
    from netsim import api
    from netsim.scenario import NetsimInputError

    with pytest.raises(NetsimInputError, match="^--seed: must be"):
        api.run({}, seed=seed)


# --------------------------------------------------------------------------- schema and docs


def test_schema_is_json_with_properties(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"population", "companies", "graph", "labour_market"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    workers = schema["$defs"]["Population"]["properties"]["workers"]
    assert workers["type"] == "integer" and workers["unit"] == "workers"


def test_docs_generation_is_deterministic():
    first = scenario_reference_markdown()
    assert first == scenario_reference_markdown()
    assert "`labour_market.quit_rate_per_month`" in first
    assert "`companies.policy_shares.restrict`" in first
    assert "`companies.large_size.median_positions` | number | `200.0`" in first
    assert "months" in first and "per month" in first and "currency" in first
    for name in (
        "barabasi_albert",
        "watts_strogatz",
        "stochastic_block",
        "homophily",
        "edge_list",
        "graphml",
    ):
        assert f"### `{name}`" in first


def test_scenarios_doc_is_current():
    committed = (REPO / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert committed == scenario_reference_markdown(), "run `netsim docs` to regenerate"


def test_docs_write_and_check(tmp_path, capsys):
    page = tmp_path / "docs" / "scenarios.md"
    assert main(["docs", "--check", "--path", str(page)]) == 1
    assert main(["docs", "--path", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == scenario_reference_markdown()
    assert main(["docs", "--check", "--path", str(page)]) == 0
    page.write_text("stale\n", encoding="utf-8")
    assert main(["docs", "--check", "--path", str(page)]) == 1
    assert "out of date" in capsys.readouterr().err


# --------------------------------------------------------------------------- console


def test_format_value():
    assert format_value(1234567) == "1,234,567"
    assert format_value(0.123456) == "0.1235"
    assert format_value(2.0) == "2"
    assert format_value(12345.678) == "12,346"
    assert format_value(1.5e-7) == "1.500e-07"
    assert format_value(float("nan")) == "n/a"
    assert format_value("text") == "text"


def test_print_summary_shows_values_and_path(capsys, tmp_path):
    class Result:
        path = tmp_path / "run"
        summary = {"hires": 1200, "mean_tenure_months": 17.25, "generator": "barabasi_albert"}

    print_summary(Result())
    out = capsys.readouterr().out
    assert "hires" in out and "1,200" in out and "17.25" in out and "barabasi_albert" in out
    assert str(tmp_path / "run") in out.replace("\n", "")


@pytest.mark.parametrize("burn_in", [0, 36])
def test_print_summary_says_when_a_burn_in_was_left_out(capsys, burn_in):
    class Result:
        path = None
        summary = {"hires": 1200}
        manifest = {"burn_in_months": burn_in}

    print_summary(Result())
    said = "after a 36-month burn-in" in capsys.readouterr().out
    assert said == (burn_in > 0)


def test_month_progress_disabled_is_a_noop():
    with month_progress(12.0, enabled=False) as update:
        for t in range(13):
            update(float(t))
    with month_progress(12.0, enabled=True) as update:  # stderr is not a terminal under pytest
        update(6.0)
