"""Run an experiment: every (variant, replication), resumable, on one machine or a cluster.

:func:`sweep` validates the experiment (nothing is written if it is bad), then runs each
missing run and writes its folder ``runs/<run_id>/`` atomically as soon as it finishes.
Runs whose folder already holds a ``summary.json`` are skipped, so re-running an interrupted
sweep loses nothing and repeats nothing. A run that raises is recorded in
``failures/<run_id>.txt`` and the sweep goes on. At the end (and on Ctrl-C) the tables are
rebuilt from the finished run folders::

    results/<experiment>/
        experiment.yaml        the resolved experiment
        manifest.json          versions, seeds, design
        runs/<run_id>/         one run folder per finished run (netsim.results layout)
        failures/<run_id>.txt  traceback of each failed run
        runs.parquet/.csv      one row per run: ids, seed, varied parameters, every metric
        comparison.parquet/.csv  per variant and metric: mean, std, 95% CI (t), n
        sensitivity.parquet/.csv Sobol or Morris indices (sampled designs only)

Each run is a pure function of its resolved scenario and seed, both fixed in the parent, so
the tables are identical bit for bit whatever the executor and the number of workers.

Note: ``netsim.sweep`` is the function; this module is ``sys.modules["netsim.sweep"]``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from netsim.api import simulate
from netsim.errors import NetsimInputError
from netsim.experiment import ExperimentDesign, RunSpec, load_design
from netsim.results import package_versions, write_run
from netsim.scenario import Scenario

__all__ = ["ExperimentResult", "confidence_interval", "load_experiment", "sweep"]

EXECUTORS = ("local", "dask", "serial")
ID_COLUMNS = ("run_id", "variant", "label", "replication", "seed", "status")


@dataclass
class ExperimentResult:
    """An experiment's tables (pandas) and where they live.

    ``executed``, ``skipped`` and ``failed`` list run ids of the sweep that produced this
    object (empty when read back with :func:`load_experiment`).
    """

    path: Path
    runs: pd.DataFrame
    comparison: pd.DataFrame
    sensitivity: pd.DataFrame | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        ok = int((self.runs["status"] == "ok").sum()) if len(self.runs) else 0
        return (
            f"ExperimentResult(path={str(self.path)!r}, runs={len(self.runs)}, ok={ok}, "
            f"variants={self.runs['variant'].nunique() if len(self.runs) else 0})"
        )


# --------------------------------------------------------------------------- the worker


def _execute(run_id: str, scenario: Scenario, seed: int, out_root: str | None) -> dict:
    """Run one simulation (in a worker process). Pure apart from writing its own folder.

    With ``out_root`` the run folder (or failure file) is written here and a small status
    dict returned; without (remote clusters), the :class:`RunResult` travels back instead.
    """
    start = time.perf_counter()
    try:
        result = simulate(scenario, seed)
    except Exception:
        text = traceback.format_exc()
        if out_root is not None:
            _write_failure(Path(out_root), run_id, text)
        return {"run_id": run_id, "status": "failed", "error": text, "result": None}
    if out_root is not None:
        write_run(result, Path(out_root) / "runs" / run_id)
        result = None
    return {
        "run_id": run_id,
        "status": "ok",
        "result": result,
        "wall_time_s": time.perf_counter() - start,
    }


def _write_failure(root: Path, run_id: str, text: str) -> None:
    folder = root / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_write(folder / f"{run_id}.txt", text)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- the sweep


def sweep(
    experiment: str | Path | Mapping[str, Any] | ExperimentDesign,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    out: str | Path | None = None,
    progress: bool = False,
) -> ExperimentResult:
    """Run every missing run of an experiment (file, dict or design); return its tables.

    ``executor``: ``"local"`` (a process pool over ``workers`` processes, default all cores;
    one worker runs in this process), ``"dask"`` (``distributed.Client(scheduler)``, or a
    ``LocalCluster`` of ``workers`` processes) or ``"serial"`` (this process). ``out``:
    results folder (default ``results/<experiment name>/``). Bad input raises
    :class:`NetsimInputError` before anything is written.
    """
    design = experiment if isinstance(experiment, ExperimentDesign) else load_design(experiment)
    if executor not in EXECUTORS:
        raise NetsimInputError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    if scheduler is not None and executor != "dask":
        raise NetsimInputError("a scheduler address needs the dask executor (--executor dask)")
    if workers is not None and workers < 1:
        raise NetsimInputError(f"workers must be >= 1, got {workers}")
    root = Path(out) if out is not None else Path("results") / design.name

    root.mkdir(parents=True, exist_ok=True)
    (root / "runs").mkdir(exist_ok=True)
    _clean_stale(root)
    _atomic_write(
        root / "experiment.yaml",
        yaml.safe_dump(design.resolved_dict(), sort_keys=False, allow_unicode=True),
    )
    _write_manifest(root, design, started=True)

    unique: dict[str, RunSpec] = {}
    for spec in design.runs:
        unique.setdefault(spec.run_id, spec)
    skipped = [rid for rid in unique if _finished(root, rid)]
    todo = [spec for rid, spec in unique.items() if rid not in set(skipped)]
    executed: list[str] = []
    failed: list[str] = []

    def done(status: dict) -> None:
        rid = status["run_id"]
        if status["status"] == "ok":
            if status.get("result") is not None:  # came back from a remote worker
                write_run(status["result"], root / "runs" / rid)
            (root / "failures" / f"{rid}.txt").unlink(missing_ok=True)
            executed.append(rid)
        else:
            if not (root / "failures" / f"{rid}.txt").exists():
                _write_failure(root, rid, status["error"])
            failed.append(rid)

    try:
        with _progress(len(unique), len(skipped), enabled=progress, name=design.name) as tick:

            def on_done(status: dict) -> None:
                done(status)
                tick(status["status"])

            if todo:
                _run_all(todo, root, executor, workers, scheduler, on_done)
    finally:
        # Normal end, failure or Ctrl-C: tables from every finished run folder.
        result = _write_tables(root, design)
        _write_manifest(root, design, started=False, result=result)
    result.executed, result.skipped, result.failed = executed, skipped, failed
    return result


def _finished(root: Path, rid: str) -> bool:
    return (root / "runs" / rid / "summary.json").is_file()


def _clean_stale(root: Path) -> None:
    """Remove hidden temporary folders left by a run killed while writing."""
    for p in (root / "runs").glob(".*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def _run_all(
    todo: list[RunSpec],
    root: Path,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    on_done: Callable[[dict], None],
) -> None:
    n = workers or os.cpu_count() or 1
    if executor == "serial" or (executor == "local" and min(n, len(todo)) == 1):
        for spec in todo:
            on_done(_execute(spec.run_id, spec.scenario, spec.seed, str(root)))
    elif executor == "local":
        _run_pool(todo, root, min(n, len(todo)), on_done)
    else:
        _run_dask(todo, root, n, scheduler, on_done)


def _pool_context():
    """Worker processes forked from a server that has imported netsim once.

    'forkserver' is as safe as 'spawn' (the server holds no threads or locks of ours) but
    a worker starts in milliseconds instead of re-importing numpy, pandas and netsim (about
    a second each), which matters for short sweeps. Falls back to 'spawn' where
    'forkserver' does not exist (Windows).
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["netsim.api"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_pool(todo: list[RunSpec], root: Path, n: int, on_done) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=n, mp_context=_pool_context())
    try:
        pending = {pool.submit(_execute, s.run_id, s.scenario, s.seed, str(root)): s for s in todo}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                spec = pending.pop(fut)
                on_done(_status_of(fut, spec))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _status_of(fut, spec: RunSpec) -> dict:
    """The worker's status dict, or a failure if the worker itself died."""
    try:
        return fut.result()
    except Exception:
        return {"run_id": spec.run_id, "status": "failed", "error": traceback.format_exc()}


def _run_dask(todo: list[RunSpec], root: Path, n: int, scheduler: str | None, on_done) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        out_root: str | None = str(root)  # same machine: workers write their own folders
    else:
        client = Client(scheduler)
        out_root = None  # remote workers may not share our disk: results come back here
    try:
        futures = {
            client.submit(
                _execute, s.run_id, s.scenario, s.seed, out_root, key=f"netsim-{s.run_id}"
            ): s
            for s in todo
        }
        for fut in as_completed(futures):
            on_done(_status_of(fut, futures[fut]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _progress:
    """A rich progress bar over runs with ETA, on stderr (a no-op when disabled)."""

    def __init__(self, total: int, already: int, *, enabled: bool, name: str) -> None:
        self.total, self.already, self.name = total, already, name
        self.enabled = enabled and _stderr_is_terminal()
        self.failed = 0

    def __enter__(self):
        if not self.enabled:
            return lambda status: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn(f"sweep {self.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("runs{task.fields[failed]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.__enter__()
        self.task = self.bar.add_task("runs", total=self.total, failed="")
        self.bar.update(self.task, completed=self.already)

        def tick(status: str) -> None:
            if status != "ok":
                self.failed += 1
            failed = f" ({self.failed} failed)" if self.failed else ""
            self.bar.update(self.task, advance=1, failed=failed)

        return tick

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- tables


def _write_tables(root: Path, design: ExperimentDesign) -> ExperimentResult:
    runs = _runs_table(root, design)
    comparison = comparison_table(runs, design.metrics, design.varied)
    _write_frame(runs, root, "runs")
    _write_frame(comparison, root, "comparison")
    sensitivity = None
    if design.problem is not None and design.experiment.variants.sample.method != "latin_hypercube":
        sensitivity = sensitivity_table(runs, design)
        _write_frame(sensitivity, root, "sensitivity")
    return ExperimentResult(path=root, runs=runs, comparison=comparison, sensitivity=sensitivity)


def _runs_table(root: Path, design: ExperimentDesign) -> pd.DataFrame:
    rows = []
    for spec in design.runs:
        folder = root / "runs" / spec.run_id
        row: dict[str, Any] = {
            "run_id": spec.run_id,
            "variant": spec.variant,
            "label": spec.label,
            "replication": spec.replication,
            "seed": spec.seed,
        }
        if (folder / "summary.json").is_file():
            row["status"] = "ok"
            summary = json.loads((folder / "summary.json").read_text())
            manifest = json.loads((folder / "manifest.json").read_text())
            row["wall_time_s"] = manifest.get("wall_time_s", math.nan)
        elif (root / "failures" / f"{spec.run_id}.txt").is_file():
            row["status"] = "failed"
            summary = {}
            row["wall_time_s"] = math.nan
        else:
            continue  # not run yet (interrupted sweep)
        row.update(spec.params)
        for key, value in summary.items():
            if key != "seed":
                row[key] = value
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=[*ID_COLUMNS, *design.varied, *design.metrics])
    for m in design.metrics:
        if m not in frame:
            frame[m] = math.nan
    ordered = [*ID_COLUMNS, *design.varied, "wall_time_s"]
    return frame[ordered + [c for c in frame.columns if c not in ordered]]


def _write_frame(frame: pd.DataFrame, root: Path, name: str) -> None:
    for ext in ("parquet", "csv"):
        target = root / f"{name}.{ext}"
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=root)
        os.close(fd)
        try:
            if ext == "parquet":
                frame.to_parquet(tmp, index=False)
            else:
                frame.to_csv(tmp, index=False)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def confidence_interval(values: Iterable[float], level: float = 0.95) -> tuple[float, float]:
    """Two-sided t interval for the mean of ``values`` (NaN with fewer than two values)."""
    from scipy import stats

    x = np.asarray([v for v in values if v is not None and not pd.isna(v)], dtype=float)
    if len(x) < 2:
        return math.nan, math.nan
    mean = float(x.mean())
    half = float(stats.t.ppf(0.5 + level / 2, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x)))
    return mean - half, mean + half


def comparison_table(runs: pd.DataFrame, metrics: list[str], varied: list[str]) -> pd.DataFrame:
    """Per variant and metric: mean, std, ci95_low, ci95_high (t distribution), n."""
    columns = ["variant", "label", *varied, "metric", "mean", "std", "ci95_low", "ci95_high", "n"]
    ok = runs[runs["status"] == "ok"] if len(runs) else runs
    rows = []
    for variant, group in ok.groupby("variant", sort=True):
        first = group.iloc[0]
        for m in metrics:
            x = pd.to_numeric(group[m], errors="coerce").dropna().to_numpy(dtype=float)
            low, high = confidence_interval(x)
            rows.append(
                {
                    "variant": int(variant),
                    "label": first["label"],
                    **{k: first[k] for k in varied},
                    "metric": m,
                    "mean": float(x.mean()) if len(x) else math.nan,
                    "std": float(x.std(ddof=1)) if len(x) > 1 else math.nan,
                    "ci95_low": low,
                    "ci95_high": high,
                    "n": len(x),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def sensitivity_table(runs: pd.DataFrame, design: ExperimentDesign) -> pd.DataFrame:
    """Sobol (S1, ST) or Morris (mu, mu_star, sigma) indices per metric and parameter.

    Uses the replication mean of each sample point; a metric with a missing point (a failed
    or unfinished run) gets NaN indices.
    """
    from SALib.analyze import morris, sobol

    sample = design.experiment.variants.sample
    problem = design.problem
    n_points = len(design.variants)
    ok = runs[runs["status"] == "ok"] if len(runs) else runs
    rows = []
    seed = int(design.experiment.seed)
    for m in design.metrics:
        y = np.full(n_points, math.nan)
        if len(ok):
            means = pd.to_numeric(ok[m], errors="coerce").groupby(ok["variant"]).mean()
            y[means.index.to_numpy(dtype=int)] = means.to_numpy(dtype=float)
        complete = bool(np.isfinite(y).all())
        # A constant output has no variance to split (and SALib divides by it).
        usable = complete and float(np.nanstd(y)) > 0
        for name in problem["names"]:
            row: dict[str, Any] = {"metric": m, "parameter": name, "method": sample.method}
            if sample.method == "sobol":
                row.update(dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf"), math.nan))
            else:
                row.update(dict.fromkeys(("mu", "mu_star", "sigma", "mu_star_conf"), math.nan))
            rows.append(row)
        if not usable:
            continue
        with np.errstate(all="ignore"):
            if sample.method == "sobol":
                res = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
                keys = ("S1", "S1_conf", "ST", "ST_conf")
            else:
                res = morris.analyze(
                    problem, design.sample_matrix, y, num_levels=sample.num_levels, seed=seed
                )
                keys = ("mu", "mu_star", "sigma", "mu_star_conf")
        for i in range(problem["num_vars"]):
            row = rows[len(rows) - problem["num_vars"] + i]
            for k in keys:
                row[k] = float(res[k][i])
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- manifest


def _write_manifest(
    root: Path,
    design: ExperimentDesign,
    *,
    started: bool,
    result: ExperimentResult | None = None,
) -> None:
    exp = design.experiment
    status: dict[str, Any] = {"planned": len(design.runs)}
    if result is not None and len(result.runs):
        counts = result.runs["status"].value_counts()
        status.update({k: int(v) for k, v in counts.items()})
    manifest = {
        "experiment": exp.name,
        "file": design.file,
        "base": str(design.base_path),
        "seed": exp.seed,
        "replications": exp.replications,
        "common_random_numbers": exp.common_random_numbers,
        "versions": package_versions(),
        "command": " ".join(sys.argv),
        "updated_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "state": "running" if started else "finished",
        "runs_status": status,
        "metrics": design.metrics,
        "varied": design.varied,
        "variants": [
            {"variant": v.index, "label": v.label, "params": v.params} for v in design.variants
        ],
        "runs": [
            {"run_id": s.run_id, "variant": s.variant, "replication": s.replication, "seed": s.seed}
            for s in design.runs
        ],
    }
    if design.problem is not None:
        manifest["sample"] = {
            "method": exp.variants.sample.method,
            "problem": design.problem,
            "matrix": design.sample_matrix.tolist(),
        }
    _atomic_write(root / "manifest.json", json.dumps(manifest, indent=2, default=_json) + "\n")


def _json(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


# --------------------------------------------------------------------------- reading back


def load_experiment(path: str | Path) -> ExperimentResult:
    """Read an experiment results folder written by :func:`sweep` (or ``netsim sweep``)."""
    path = Path(path)
    if not (path / "runs.parquet").is_file():
        raise FileNotFoundError(f"{path}: not a netsim experiment folder (no runs.parquet)")
    manifest_file = path / "manifest.json"
    sens = path / "sensitivity.parquet"
    return ExperimentResult(
        path=path,
        runs=pd.read_parquet(path / "runs.parquet"),
        comparison=pd.read_parquet(path / "comparison.parquet"),
        sensitivity=pd.read_parquet(sens) if sens.is_file() else None,
        manifest=json.loads(manifest_file.read_text()) if manifest_file.is_file() else {},
    )
