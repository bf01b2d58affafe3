"""An experiment's tables: one row per run, per-variant comparison, sensitivity indices.

Built from the finished run folders of a sweep (see :mod:`netsim.experiments.sweep`), written as
Parquet and CSV. Durations are in seconds (``wall_time_s``); model times in months.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netsim.experiments.design import ExperimentDesign
from netsim.output.folders import mkstemp

__all__ = [
    "ID_COLUMNS",
    "comparison_table",
    "confidence_interval",
    "sensitivity_table",
    "write_tables",
]

ID_COLUMNS = ("run_id", "variant", "label", "replication", "seed", "status")


def write_tables(
    root: Path, design: ExperimentDesign
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Rebuild and write runs, comparison and (sampled designs) sensitivity tables.

    Read from the finished run folders under ``root/runs`` and failure files under
    ``root/failures``; returns ``(runs, comparison, sensitivity or None)``.
    """
    runs = _runs_table(root, design)
    comparison = comparison_table(runs, design.metrics, design.varied)
    _write_frame(runs, root, "runs")
    _write_frame(comparison, root, "comparison")
    sensitivity = None
    if design.problem is not None and design.experiment.variants.sample.method != "latin_hypercube":
        sensitivity = sensitivity_table(runs, design)
        _write_frame(sensitivity, root, "sensitivity")
    return runs, comparison, sensitivity


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
        fd, tmp = mkstemp(prefix=f".{target.name}.", dir=root)  # umask's mode, not 0600
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
