"""Output folders: netsim never destroys what it did not write (``run`` and ``sweep``).

A run may replace only a missing or empty folder or its own run folder of the same scenario;
a sweep may only resume its own experiment folder. Everything else is refused with exit 2
before anything runs, and the folder is left byte for byte as it was. Runs with ``--set``
overrides get their own default folder. Folders and files get the modes the umask gives.
"""

from __future__ import annotations

import importlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import netsim
from conftest import TINY
from netsim import api
from netsim.cli import main
from netsim.model.loading import load_scenario
from netsim.output.results import RUN_EXTRAS, RUN_FILES, check_run_dir, write_run
from netsim.scenario.errors import NetsimInputError

REPO = Path(__file__).resolve().parents[1]



@pytest.fixture
def scenario_file(tmp_path) -> Path:
    """The tiny scenario as a file, outside the folders the tests write into."""
    path = tmp_path / "in" / "tiny.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(TINY))
    return path


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """An empty working folder, made the current folder (default results go here)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def forbidden(*args, **kwargs):
    raise AssertionError("a simulation ran although the output folder was refused")


@pytest.fixture
def no_simulation(monkeypatch):
    """Make any run fail loudly: a refusal must come before the run."""
    monkeypatch.setattr(api, "simulate", forbidden)


@pytest.fixture
def no_sweep_run(monkeypatch):
    """Make any run of a sweep fail loudly (validating an experiment may still simulate a
    tiny scenario in memory to list its metrics)."""
    executors = importlib.import_module("netsim.experiments.executors")
    monkeypatch.setattr(executors, "simulate", forbidden)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` (hidden ones too) with its bytes (None for folders)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def user_folder(path: Path) -> Path:
    """A folder of the user's: a file, a sub-folder with a file, a hidden file."""
    (path / "sub").mkdir(parents=True)
    (path / "notes.txt").write_text("my notes\n")
    (path / "sub" / "data.csv").write_text("a,b\n1,2\n")
    (path / ".hidden").write_bytes(b"\x00\x01")
    return path


def run_cli(scenario_file: Path, *extra: str) -> int:
    return main(["run", str(scenario_file), "-q", *extra])


def refused(capsys, folder) -> str:
    """The stderr of a refusal, checked for the folder's name and the absence of a traceback."""
    err = capsys.readouterr().err
    assert f"output folder {folder}" in err
    assert "Nothing was written" in err
    assert "Traceback" not in err
    return err


# --------------------------------------------------------------------------- run --out


def test_user_folder_is_refused_and_untouched(scenario_file, work, capsys, no_simulation):
    folder = user_folder(work / "mine")
    before = snapshot(folder)
    assert run_cli(scenario_file, "--out", str(folder)) == 2
    err = refused(capsys, folder)
    assert "notes.txt" in err and "such as" in err
    assert snapshot(folder) == before
    assert sorted(p.name for p in work.iterdir()) == ["mine"]  # no temp folder either


def test_results_folder_itself_is_refused(scenario_file, work, capsys):
    results = work / "results"
    results.mkdir()
    (results / "README.md").write_text("# results\n")
    assert run_cli(scenario_file, "--out", str(results / "earlier")) == 0
    capsys.readouterr()
    before = snapshot(results)
    assert run_cli(scenario_file, "--out", "results") == 2
    refused(capsys, "results")
    assert snapshot(results) == before


@pytest.mark.parametrize("target", [".", "..", str(REPO)])
def test_current_folder_its_parents_and_the_repo_are_refused_before_running(
    scenario_file, work, capsys, no_simulation, target
):
    (work / "keep.txt").write_text("keep\n")
    before = snapshot(work.parent)
    assert run_cli(scenario_file, "--out", target) == 2
    refused(capsys, target)
    assert snapshot(work.parent) == before


def test_empty_current_folder_is_refused_too(scenario_file, work, capsys, no_simulation):
    assert run_cli(scenario_file, "--out", ".") == 2
    assert "current folder" in refused(capsys, ".")
    assert list(work.iterdir()) == []


def test_rerun_replaces_its_own_run_folder(scenario_file, work):
    out = work / "run"
    assert run_cli(scenario_file, "--out", str(out)) == 0
    first = (out / "summary.json").read_bytes()
    # netsim's later additions (figures, report) do not stop a re-run ...
    (out / "plots").mkdir()
    (out / "plots" / "x.png").write_bytes(b"png")
    (out / "report.html").write_text("<html></html>")
    (out / "summary.json").write_text("{}")
    assert run_cli(scenario_file, "--out", str(out)) == 0
    # ... and the folder is replaced as a whole: the same results, nothing old left over.
    assert (out / "summary.json").read_bytes() == first
    assert not (out / "plots").exists() and not (out / "report.html").exists()
    assert sorted(p.name for p in work.iterdir()) == ["run"]


def test_everything_netsim_writes_into_a_run_folder_keeps_it_replaceable(scenario_file, work):
    """A platform run with figures and a report: every name is on the allow-list."""
    platform = ["--set", "platform.enabled=true", "--set", "platform.gaming.rotation_share=0.2"]
    assert run_cli(scenario_file, *platform, "--out", "run", "--plot") == 0
    assert main(["report", "run"]) == 0
    names = {p.name for p in (work / "run").iterdir()}
    assert {"ledger.parquet", "chains.parquet", "plots", "report.html"} <= names
    assert names <= RUN_FILES | RUN_EXTRAS
    assert run_cli(scenario_file, *platform, "--out", "run") == 0


def test_empty_folder_is_used(scenario_file, work):
    (work / "empty").mkdir()
    assert run_cli(scenario_file, "--out", "empty") == 0
    assert (work / "empty" / "manifest.json").is_file()


def test_run_folder_of_another_scenario_is_refused(scenario_file, work, capsys):
    out = work / "run"
    assert run_cli(scenario_file, "--out", str(out)) == 0
    capsys.readouterr()
    before = snapshot(out)
    assert run_cli(scenario_file, "--set", "name=other", "--out", str(out)) == 2
    assert "scenario 'tiny', not 'other'" in refused(capsys, out)
    assert snapshot(out) == before


def test_run_folder_with_a_user_file_is_refused(scenario_file, work, capsys, no_simulation):
    out = work / "run"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"scenario_name": "tiny", "seed": 1}))
    (out / "my_analysis.ipynb").write_text("{}")
    before = snapshot(out)
    assert run_cli(scenario_file, "--out", str(out)) == 2
    assert "my_analysis.ipynb" in refused(capsys, out)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "plant",
    [
        lambda plots: (plots / "my_notes.txt").write_text("mine"),
        lambda plots: (plots / "drafts").mkdir(),
        lambda plots: (plots / "fig.png").symlink_to(plots.parents[1] / "elsewhere.png"),
    ],
    ids=["user file", "sub-folder", "link"],
)
def test_user_content_inside_plots_is_refused(scenario_file, work, capsys, no_simulation, plant):
    """Replacing a run folder deletes its plots/ too, so plots/ may hold only figures."""
    out = work / "run"
    (out / "plots").mkdir(parents=True)
    (out / "manifest.json").write_text(json.dumps({"scenario_name": "tiny", "seed": 1}))
    (out / "plots" / "labour_market.png").write_bytes(b"png")
    (work / "elsewhere.png").write_bytes(b"mine")
    plant(out / "plots")
    before = snapshot(out)
    assert run_cli(scenario_file, "--out", str(out)) == 2
    assert "plots/" in refused(capsys, out)
    assert snapshot(out) == before


def test_plots_as_a_link_is_refused(scenario_file, work, capsys, no_simulation):
    """A plots link could point at the user's own folder of pictures."""
    out = work / "run"
    out.mkdir()
    (work / "mine").mkdir()
    (work / "mine" / "holiday.png").write_bytes(b"png")
    (out / "manifest.json").write_text(json.dumps({"scenario_name": "tiny", "seed": 1}))
    (out / "plots").symlink_to(work / "mine")
    assert run_cli(scenario_file, "--out", str(out)) == 2
    assert "plots (not a folder of figures)" in refused(capsys, out)
    assert (work / "mine" / "holiday.png").read_bytes() == b"png"


@pytest.mark.parametrize("manifest", ["not json", "[1, 2]", '{"experiment": "tiny"}'])
def test_folder_with_a_foreign_manifest_is_refused(
    scenario_file, work, capsys, no_simulation, manifest
):
    out = work / "run"
    out.mkdir()
    (out / "manifest.json").write_text(manifest)
    assert run_cli(scenario_file, "--out", str(out)) == 2
    refused(capsys, out)
    assert (out / "manifest.json").read_text() == manifest


def test_file_symlink_and_file_in_the_path_are_refused(scenario_file, work, capsys, no_simulation):
    (work / "file").write_text("data\n")
    (work / "target").mkdir()
    (work / "link").symlink_to(work / "target")
    for out in ("file", "link", "file/below"):
        assert run_cli(scenario_file, "--out", out) == 2
        refused(capsys, out)
    assert (work / "file").read_text() == "data\n"
    assert (work / "link").is_symlink() and list((work / "target").iterdir()) == []


def test_python_api_follows_the_same_rules(scenario_file, work, no_simulation):
    folder = user_folder(work / "mine")
    before = snapshot(folder)
    with pytest.raises(NetsimInputError, match="output folder .*mine"):
        netsim.run(scenario_file, out=folder)
    with pytest.raises(NetsimInputError, match="current folder"):
        check_run_dir(".", "tiny")
    assert snapshot(folder) == before


def test_write_run_refuses_a_user_folder(small, work):
    result = api.simulate(small, seed=1)
    folder = user_folder(work / "mine")
    before = snapshot(folder)
    with pytest.raises(NetsimInputError, match="notes.txt"):
        write_run(result, folder)
    assert snapshot(folder) == before
    assert write_run(result, work / "new") == work / "new"
    assert write_run(result, work / "new") == work / "new"  # its own folder: replaced


def test_leftovers_of_killed_runs_are_removed_but_not_a_live_runs(scenario_file, work):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = [work / ".run.tmp-x", work / f".run.tmp-{dead_pid}-ab12", work / ".run.old-x"]
        for p in stale:
            p.mkdir()
            (p / "summary.json").write_text("{}")
        busy = work / f".run.tmp-{live.pid}-cd34"
        busy.mkdir()
        other = work / ".other.tmp-x"  # a leftover of another folder: not ours to judge
        other.mkdir()
        assert run_cli(scenario_file, "--out", "run") == 0
        assert not any(p.exists() for p in stale)
        assert busy.is_dir() and other.is_dir()
    finally:
        live.kill()
        live.wait()


KILLED_WHILE_WRITING = """
import os, signal, sys
import netsim.output.results as results
from netsim.api import run

def killed(src, dst):  # SIGKILL after the folder is written, before it is renamed into place
    os.kill(os.getpid(), signal.SIGKILL)

results._replace_dir = killed
run(sys.argv[1], out=sys.argv[2])
"""


def test_folder_of_a_run_killed_while_writing_is_removed_by_the_next_run(scenario_file, work):
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_WRITING, str(scenario_file), "run"],
        cwd=work,
        check=False,
    )
    assert killed.returncode == -9
    leftovers = [p for p in work.iterdir() if p.name.startswith(".run.tmp-")]
    assert len(leftovers) == 1 and (leftovers[0] / "summary.json").is_file()
    assert not (work / "run").exists()
    assert run_cli(scenario_file, "--out", "run") == 0
    assert sorted(p.name for p in work.iterdir()) == ["run"]


# --------------------------------------------------------------------------- default folder


def test_overrides_get_their_own_default_folder(scenario_file, work, capsys):
    assert run_cli(scenario_file) == 0
    plain = work / "results" / "tiny" / "seed-1"
    assert f"results written to {Path('results/tiny/seed-1')}" in capsys.readouterr().out
    before = snapshot(plain)

    assert run_cli(scenario_file, "--set", "population.workers=160", "--set", "seed=1") == 0
    out = capsys.readouterr().out
    folders = sorted(p.name for p in (work / "results").iterdir())
    assert len(folders) == 2 and folders[0] == "tiny" and folders[1].startswith("tiny-")
    changed = work / "results" / folders[1] / "seed-1"
    assert f"results written to {changed.relative_to(work)}" in out
    assert json.loads((changed / "summary.json").read_text())["workers"] == 160
    assert snapshot(plain) == before  # the plain run is untouched

    # The folder names the resolved scenario: the same settings give the same folder, and
    # an override that changes nothing (or only the seed) is the plain scenario.
    same = api.default_run_dir(
        load_scenario(scenario_file, ["seed=1", "population.workers=160"]),
        1,
        plain=load_scenario(scenario_file),
    )
    assert same == Path("results") / folders[1] / "seed-1"
    for overrides in (["population.workers=150"], ["seed=9"]):
        sc = load_scenario(scenario_file, overrides)
        assert api.default_run_dir(sc, 9, plain=load_scenario(scenario_file)) == Path(
            "results/tiny/seed-9"
        )


# --------------------------------------------------------------------------- modes


def modes(folder: Path) -> set[tuple[str, int]]:
    """``("d"|"f", permission bits)`` of ``folder`` and everything below it."""
    paths = [folder, *folder.rglob("*")]
    return {("d" if p.is_dir() else "f", stat.S_IMODE(p.stat().st_mode)) for p in paths}


@pytest.mark.parametrize(("umask", "dirs", "files"), [(0o022, 0o755, 0o644), (0o077, 0o700, 0o600)])
def test_run_folder_modes_follow_the_umask(scenario_file, work, umask, dirs, files):
    old = os.umask(umask)
    try:
        assert run_cli(scenario_file, "--out", "run") == 0
    finally:
        os.umask(old)
    assert modes(work / "run") == {("d", dirs), ("f", files)}


# --------------------------------------------------------------------------- sweep --out


@pytest.fixture
def experiment(scenario_file) -> dict:
    """Two variants x one replication of the tiny scenario."""
    return {
        "name": "exp",
        "base": str(scenario_file),
        "variants": {"grid": {"population.vital_forces.share": [0.1, 0.4]}},
        "replications": 1,
        "seed": 5,
        "metrics": ["churn_rate_per_year"],
    }


@pytest.fixture
def experiment_file(experiment, scenario_file) -> Path:
    path = scenario_file.parent / "exp.yaml"
    path.write_text(yaml.safe_dump(experiment))
    return path


def sweep_cli(experiment_file: Path, *extra: str) -> int:
    return main(["sweep", str(experiment_file), "--executor", "serial", "-q", *extra])


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["sweep", "dry run"])
@pytest.mark.parametrize("target", ["mine", "results", ".", "run"])
def test_sweep_refuses_folders_it_did_not_write(
    experiment_file, scenario_file, work, capsys, no_sweep_run, target, dry_run
):
    """A dry run refuses the same folders as the sweep: it never plans what would fail."""
    user_folder(work / "mine")
    (work / "results").mkdir()
    (work / "results" / "README.md").write_text("# results\n")
    # a run folder is no experiment folder
    (work / "run").mkdir()
    (work / "run" / "manifest.json").write_text(json.dumps({"scenario_name": "tiny"}))
    before = snapshot(work)
    assert sweep_cli(experiment_file, "--out", target, *dry_run) == 2
    refused(capsys, target)
    assert snapshot(work) == before


def test_user_files_that_look_like_leftovers_are_kept(scenario_file, work):
    """'.run.old-backup' beside 'run' matched the leftover pattern and was deleted."""
    (work / ".run.old-backup").write_text("mine\n")  # a file: netsim leaves only folders
    (work / ".run.tmp-mine").mkdir()
    (work / ".run.tmp-mine" / "notes.txt").write_text("mine\n")
    (work / ".run.old-1").mkdir()  # pid 1 never ends, but even so: a user's folder
    (work / ".run.old-1" / "data.csv").write_text("a\n")
    os.symlink(work / ".run.tmp-mine", work / ".run.tmp-link")
    before = snapshot(work)
    assert run_cli(scenario_file, "--out", "run") == 0
    after = snapshot(work)
    assert {k: v for k, v in after.items() if not k.startswith("run")} == before


def test_sweep_resumes_only_its_own_experiment(experiment, experiment_file, work, capsys):
    assert sweep_cli(experiment_file, "--out", "exp") == 0
    runs = sorted(p.name for p in (work / "exp" / "runs").iterdir())
    assert len(runs) == 2
    # leftovers of a killed sweep: temp files of its tables, manifest and failures
    stale = [
        work / "exp" / ".manifest.json.ab12cd34",
        work / "exp" / ".runs.parquet.x_y0z9qq",
    ]
    (work / "exp" / "failures").mkdir()
    stale.append(work / "exp" / "failures" / f".{runs[0]}.txt.abcdefgh")
    for p in stale:
        p.write_text("half")
    # a run folder half written by a killed worker (netsim leaves folders, never files)
    half_run = work / "exp" / "runs" / f".{runs[0]}.tmp-x"
    half_run.mkdir()
    (half_run / "manifest.json").write_text("half")
    stale.append(half_run)
    # a user's hidden file in runs/ is kept
    (work / "exp" / "runs" / ".my_index").write_text("mine\n")
    (work / "exp" / "notes.md").write_text("mine\n")  # a user's note is kept by a resume
    capsys.readouterr()
    assert sweep_cli(experiment_file, "--out", "exp") == 0
    assert "2 resumed" in capsys.readouterr().out
    assert not any(p.exists() for p in stale)
    assert (work / "exp" / "notes.md").read_text() == "mine\n"
    assert (work / "exp" / "runs" / ".my_index").read_text() == "mine\n"

    other = dict(experiment, name="other")
    with pytest.raises(NetsimInputError, match="experiment 'exp', not 'other'"):
        netsim.sweep(other, executor="serial", out=work / "exp")


@pytest.mark.parametrize(("umask", "dirs", "files"), [(0o022, 0o755, 0o644), (0o077, 0o700, 0o600)])
def test_sweep_folder_modes_follow_the_umask(experiment_file, work, umask, dirs, files):
    old = os.umask(umask)
    try:
        assert sweep_cli(experiment_file, "--out", "exp") == 0
    finally:
        os.umask(old)
    assert modes(work / "exp") == {("d", dirs), ("f", files)}
