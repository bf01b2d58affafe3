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
Design points that coincide (same parameters and seed) share one run folder: each distinct
run is executed once. The executors (and how their processes end when this one is killed)
are in :mod:`netsim.experiments.executors`; the tables in :mod:`netsim.experiments.tables`.

Note: ``netsim.sweep`` is the function; this module is ``sys.modules["netsim.experiments.sweep"]``.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from netsim.experiments.design import ExperimentDesign, RunSpec, load_design
from netsim.scenario.errors import NetsimInputError

if TYPE_CHECKING:
    import pandas as pd

# pandas, scipy, SALib and the engine load on first use (``import netsim`` stays light); the
# table helpers are re-exported from here lazily, see ``__getattr__`` below.
_FROM_TABLES = ("ID_COLUMNS", "comparison_table", "confidence_interval", "sensitivity_table")

__all__ = ["ExperimentResult", "load_experiment", "sweep"]

EXECUTORS = ("local", "dask", "serial")


def __getattr__(name: str) -> Any:
    """The table helpers of :mod:`netsim.experiments.tables`, imported when first asked for."""
    if name in _FROM_TABLES:
        from netsim.experiments import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    if scheduler is not None:
        from netsim.experiments.executors import check_scheduler_address

        check_scheduler_address(scheduler)  # before anything is written
    if workers is not None and workers < 1:
        raise NetsimInputError(f"workers must be >= 1, got {workers}")
    root = Path(out) if out is not None else Path("results") / design.name
    from netsim.output.folders import prepare_experiment_dir

    # Only a new folder or this experiment's own folder (resume); refused before any run.
    prepare_experiment_dir(root, design.name)

    from netsim.experiments.executors import atomic_write, run_all, write_failure
    from netsim.experiments.tables import write_tables
    from netsim.output.results import write_run

    root.mkdir(parents=True, exist_ok=True)
    (root / "runs").mkdir(exist_ok=True)
    _clean_stale(root)
    atomic_write(
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
                write_failure(root, rid, status["error"])
            failed.append(rid)

    try:
        with _progress(len(unique), len(skipped), enabled=progress, name=design.name) as tick:

            def on_done(status: dict) -> None:
                done(status)
                tick(status["status"])

            if todo:
                run_all(todo, root, executor, workers, scheduler, on_done)
    finally:
        # Normal end, failure or Ctrl-C: tables from every finished run folder.
        result = ExperimentResult(root, *write_tables(root, design))
        _write_manifest(root, design, started=False, result=result)
    result.executed, result.skipped, result.failed = executed, skipped, failed
    return result


def _finished(root: Path, rid: str) -> bool:
    return (root / "runs" / rid / "summary.json").is_file()


def _clean_stale(root: Path) -> None:
    """Remove hidden temporary folders left by a run killed while writing: only folders
    holding nothing but run files (a user's hidden file in runs/ is not ours to delete)."""
    from netsim.output.folders import is_run_leftover

    for p in (root / "runs").glob(".*"):
        if is_run_leftover(p):
            shutil.rmtree(p, ignore_errors=True)


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


# --------------------------------------------------------------------------- manifest


def _write_manifest(
    root: Path,
    design: ExperimentDesign,
    *,
    started: bool,
    result: ExperimentResult | None = None,
) -> None:
    from netsim.experiments.executors import atomic_write
    from netsim.output.results import package_versions

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
    atomic_write(root / "manifest.json", json.dumps(manifest, indent=2, default=_json) + "\n")


def _json(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


# --------------------------------------------------------------------------- reading back


def load_experiment(path: str | Path) -> ExperimentResult:
    """Read an experiment results folder written by :func:`sweep` (or ``netsim sweep``)."""
    import pandas as pd

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
