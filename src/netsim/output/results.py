"""A run's results: the tables, the summary, the manifest, and their run folder.

A run folder holds::

    manifest.json      resolved scenario, seed, versions, wall time, event count
    scenario.yaml      the resolved scenario (every default filled in), re-runnable
    summary.json       headline metrics (deterministic for a scenario and seed)
    timeseries.parquet month-end stocks and within-month flows (also timeseries.csv)
    events.parquet     the event log (if outputs.event_log)
    workers.parquet    one row per worker at the end
    companies.parquet  one row per company at the end
    ledger.parquet     every payment (platform, firms' own bonuses, campaigns), if any
    chains.parquet     the referral chain of every platform hire (with a platform)
    <table>.parquet    a mechanism's own table (:attr:`RunResult.tables`), e.g. edges

Folders are written atomically: everything goes to a hidden sibling folder which is renamed
into place only when complete, so an interrupted run leaves no half-written folder (the next
run into the same place removes such a leftover).

Which folders a run may write into or replace is decided by :mod:`netsim.output.folders`
(netsim never destroys what it did not write); its checks are re-exported here.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from netsim.output.folders import (  # noqa: F401  (re-exported: the folder rules)
    RUN_EXTRAS,
    RUN_FILES,
    check_experiment_dir,
    check_run_dir,
    is_run_leftover,
    make_dir,
    mkstemp,
    prepare_experiment_dir,
    remove_stale_siblings,
)
from netsim.scenario.schema import Scenario

if TYPE_CHECKING:
    import networkx as nx

#: Packages whose versions every manifest records.
RECORDED_PACKAGES = (
    "netsim",
    "simpy",
    "networkx",
    "numpy",
    "scipy",
    "pandas",
    "pyarrow",
    "pydantic",
    "PyYAML",
    "numba",
)


@dataclass
class RunResult:
    """The outcome of one run: pandas tables plus summary and manifest dicts.

    Times in the tables are in months since the start of the run.
    """

    scenario: Scenario
    seed: int
    timeseries: pd.DataFrame
    events: pd.DataFrame
    workers: pd.DataFrame
    companies: pd.DataFrame
    summary: dict[str, Any]
    manifest: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    #: Every payment of the referral platform (empty without a platform).
    ledger: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: One row per chain position of every platform hire (empty without a platform).
    chains: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The mechanisms' own tables by name (e.g. ``edges``), each written as ``<name>.parquet``.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def graph(self) -> nx.Graph:
        """The run's final social network as an ``nx.Graph`` (from the ``edges`` table).

        Nodes are all workers ``0..n-1``; edges carry ``origin``, ``strength`` (0..1),
        ``created_months`` and ``refreshed_months`` (see
        :func:`netsim.world.edgelist.edges_to_networkx`). Empty edges for a run folder
        written before netsim exported its edge list.
        """
        from netsim.world.edgelist import edges_to_networkx

        return edges_to_networkx(self.tables.get("edges"), n_nodes=len(self.workers))

    def __repr__(self) -> str:
        where = f", path={str(self.path)!r}" if self.path else ""
        return (
            f"RunResult(scenario={self.scenario.name!r}, seed={self.seed}, "
            f"months={len(self.timeseries) - 1}, events={len(self.events)}{where})"
        )


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a result depends on."""
    out = {"python": platform.python_version()}
    for name in RECORDED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(
    scenario: Scenario,
    seed: int,
    wall_time_s: float,
    engine_events: int,
    logged_events: int,
    market: str = "python",
) -> dict:
    """The provenance record of a run (event counts as in the summary; wall time in s).

    ``market`` says which implementation ran the market's events, 'python' or 'compiled'
    (:mod:`netsim.kernel`; the results are the same).
    """
    return {
        "scenario_name": scenario.name,
        "seed": seed,
        # Months the market ran before the outputs' month 0 (also in the scenario).
        "burn_in_months": scenario.burn_in_months,
        "scenario": scenario.model_dump(mode="json"),
        "versions": package_versions(),
        "platform": f"{platform.system()} {platform.machine()}",
        "command": " ".join(sys.argv),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(wall_time_s, 3),
        "engine_events": engine_events,
        "logged_events": logged_events,
        "market": market,
    }


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def _dump_json(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, default=_json_default, allow_nan=True) + "\n")


def write_run(result: RunResult, out_dir: str | Path) -> Path:
    """Write ``result`` into ``out_dir`` atomically and return it.

    ``out_dir`` must pass :func:`check_run_dir` (a missing or empty folder, or a run folder of
    the same scenario, which is replaced); otherwise :class:`NetsimInputError` is raised and
    nothing is written. Leftovers of killed runs next to ``out_dir`` are removed first.
    """
    out_dir = check_run_dir(out_dir, result.scenario.name)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_siblings(out_dir)
    tmp = make_dir(out_dir.parent, f".{out_dir.name}.tmp-{os.getpid()}-")
    try:
        _dump_json(result.manifest, tmp / "manifest.json")
        (tmp / "scenario.yaml").write_text(
            yaml.safe_dump(result.scenario.model_dump(mode="json"), sort_keys=False)
        )
        _dump_json(result.summary, tmp / "summary.json")
        result.timeseries.to_parquet(tmp / "timeseries.parquet", index=False)
        result.timeseries.to_csv(tmp / "timeseries.csv", index=False)
        if result.scenario.outputs.event_log:
            result.events.to_parquet(tmp / "events.parquet", index=False)
        result.workers.to_parquet(tmp / "workers.parquet", index=False)
        result.companies.to_parquet(tmp / "companies.parquet", index=False)
        if result.scenario.platform.enabled or len(result.ledger):
            result.ledger.to_parquet(tmp / "ledger.parquet", index=False)
        if result.scenario.platform.enabled:
            result.chains.to_parquet(tmp / "chains.parquet", index=False)
        for name, table in result.tables.items():
            if f"{name}.parquet" not in RUN_FILES:
                raise ValueError(f"mechanism table {name!r} is not in RUN_FILES")
            table.to_parquet(tmp / f"{name}.parquet", index=False)
        _replace_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result.path = out_dir
    return out_dir


def _replace_dir(src: Path, dst: Path) -> None:
    """Move the finished folder ``src`` to ``dst``, replacing any old ``dst``."""
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
        os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dst)


def load(path: str | Path) -> RunResult:
    """Read a run folder written by :func:`write_run` (or ``netsim run``)."""
    path = Path(path)
    if not (path / "manifest.json").is_file():
        raise FileNotFoundError(f"{path}: not a netsim run folder (no manifest.json)")
    manifest = json.loads((path / "manifest.json").read_text())
    summary = json.loads((path / "summary.json").read_text())
    scenario = Scenario.model_validate(manifest["scenario"])

    def optional(name: str) -> pd.DataFrame:
        f = path / f"{name}.parquet"
        return pd.read_parquet(f) if f.exists() else pd.DataFrame()

    core = {"timeseries", "events", "workers", "companies", "ledger", "chains"}
    tables = {
        f.stem: pd.read_parquet(f)
        for f in sorted(path.glob("*.parquet"))
        if f.name in RUN_FILES and f.stem not in core
    }
    return RunResult(
        tables=tables,
        ledger=optional("ledger"),
        chains=optional("chains"),
        scenario=scenario,
        seed=int(manifest["seed"]),
        timeseries=pd.read_parquet(path / "timeseries.parquet"),
        events=optional("events"),
        workers=pd.read_parquet(path / "workers.parquet"),
        companies=pd.read_parquet(path / "companies.parquet"),
        summary=summary,
        manifest=manifest,
        path=path,
    )
