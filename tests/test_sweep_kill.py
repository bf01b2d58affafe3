"""A SIGKILLed ``netsim sweep`` leaves no process behind, and resuming it loses nothing.

The sweep runs in its own session, so every process it starts (forkserver, resource
tracker, pool workers) carries the leader's pid as session id and can be found in /proc.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

import netsim

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="needs Linux /proc to list a session"
)

# About 0.15 s per run (idle machine): long enough that runs are in flight when the leader dies.
BASE = {
    "name": "killme",
    "horizon_months": 36,
    "population": {"workers": 1500},
    "companies": {"count": 60, "large_share": 0.1},
    "outputs": {"network_stats_every_months": 12, "network_stats_sample": 50},
}


def session_members(sid: int) -> list[tuple[int, str]]:
    """(pid, state) of every live process whose session id is ``sid`` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended while we looked
            continue
        # fields after "(comm)": state ppid pgrp session ...
        state, _ppid, _pgrp, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state not in ("Z", "X"):
            found.append((int(entry.name), state))
    return found


def sweep_command(exp: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "netsim", "sweep", str(exp), "--out", str(out)]


def finished_runs(out: Path) -> list[str]:
    """Run ids with a complete run folder (hidden folders are half-written temporaries)."""
    return sorted(
        p.parent.name
        for p in (out / "runs").glob("*/summary.json")
        if not p.parent.name.startswith(".")
    )


def comparable(path: Path) -> pd.DataFrame:
    runs = pd.read_parquet(path / "runs.parquet")
    return runs.drop(columns=["wall_time_s"]).sort_values("run_id").reset_index(drop=True)


def write_experiment(tmp_path: Path) -> Path:
    """Nine short runs; returns the experiment file."""
    base = tmp_path / "base.yaml"
    base.write_text(yaml.safe_dump(BASE))
    exp = tmp_path / "exp.yaml"
    experiment = {
        "name": "killme",
        "base": str(base),
        "variants": {"grid": {"population.vital_forces.share": [0.1, 0.3, 0.5]}},
        "replications": 3,
        "seed": 3,
        "metrics": ["hires_external", "churn_rate_per_year"],
    }
    exp.write_text(yaml.safe_dump(experiment))
    return exp


def kill_after_first_run(command: list[str], out: Path) -> list[str]:
    """Start ``command`` in its own session, SIGKILL it once a run folder is finished, and
    assert that no process of the session is left 5 s later; return the finished run ids."""
    leader = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sid = leader.pid
    try:
        deadline = time.monotonic() + 90
        while not finished_runs(out):
            assert leader.poll() is None, leader.stderr.read().decode()
            assert time.monotonic() < deadline, "no run finished within 90 s"
            time.sleep(0.05)
        assert len(session_members(sid)) >= 3, "expected the leader and its worker processes"
        os.kill(leader.pid, signal.SIGKILL)
        leader.wait()  # reap the leader: only its helpers may remain
        end = time.monotonic() + 5
        while (left := session_members(sid)) and time.monotonic() < end:
            time.sleep(0.05)
        assert not left, f"processes of the killed sweep still alive after 5 s: {left}"
    finally:
        if leader.poll() is None:
            leader.kill()
        for pid, _ in session_members(sid):  # never leave strays behind for other tests
            os.kill(pid, signal.SIGKILL)
        leader.stderr.close()
    finished = finished_runs(out)
    assert 0 < len(finished) < 9, "the kill should have interrupted the sweep"
    return finished


def test_killed_pool_sweep_leaves_nothing_running_and_resumes_identically(tmp_path):
    exp = write_experiment(tmp_path)
    killed = tmp_path / "killed"
    command = [*sweep_command(exp, killed), "--workers", "2", "-q"]
    finished = kill_after_first_run(command, killed)

    resumed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{9 - len(finished)} run now, {len(finished)} resumed" in resumed.stdout
    assert not [p for p in (killed / "runs").iterdir() if p.name.startswith(".")]
    whole = netsim.sweep(exp, executor="serial", out=tmp_path / "whole")
    pd.testing.assert_frame_equal(comparable(killed), comparable(whole.path))


def test_killed_dask_sweep_leaves_nothing_running(tmp_path):
    exp = write_experiment(tmp_path)
    out = tmp_path / "killed"
    kill_after_first_run(
        [*sweep_command(exp, out), "--workers", "2", "-q", "--executor", "dask"], out
    )


def _hold_and_report(main_pid: int, conn) -> None:
    """In a child: hold a lifeline to ``main_pid``, then report ``main_alive()`` on request."""
    from netsim.experiments import executors

    executors._watch = lambda: None  # only the explicit check, so the child can report
    executors.hold_lifeline(main_pid, die_with_parent=False)
    while conn.recv() == "alive?":
        conn.send(executors.main_alive())


def _hold(main_pid: int) -> None:
    from netsim.experiments import executors

    executors.hold_lifeline(main_pid, die_with_parent=False)
    time.sleep(60)


def test_lifeline_sees_the_main_process_die_and_ends_the_worker():
    # Not "fork": earlier tests (Dask) leave threads in this process, and a fork taken while
    # one of them holds a lock can deadlock the child.
    ctx = multiprocessing.get_context("spawn")
    main = subprocess.Popen(["sleep", "60"])  # stands in for the sweep's main process
    other = subprocess.Popen(["sleep", "60"])
    try:
        parent_end, child_end = ctx.Pipe()
        reporter = ctx.Process(target=_hold_and_report, args=(main.pid, child_end))
        worker = ctx.Process(target=_hold, args=(other.pid,))
        reporter.start()
        worker.start()
        parent_end.send("alive?")
        assert parent_end.poll(30), "the reporter did not answer"
        assert parent_end.recv() is True
        main.kill()
        main.wait()
        parent_end.send("alive?")  # what _execute asks before writing a run folder
        assert parent_end.poll(30), "the reporter did not answer"
        assert parent_end.recv() is False
        parent_end.send("stop")
        other.kill()
        worker.join(5)  # the watching thread ends the worker at once
        assert worker.exitcode == -signal.SIGKILL
    finally:
        for proc in (main, other):
            proc.kill()
            proc.wait()
        for child in (reporter, worker):
            if child.is_alive():
                child.kill()
            child.join()
