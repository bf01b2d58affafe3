"""Calibration by the method of simulated moments: :func:`calibrate`.

Given a targets file (:mod:`netsim.experiments.calibration_spec`), the fit minimises

    J(theta) = sum_k (mean_r m_k(theta, seed_r) - target_k)^2 / v_k

over the named scenario keys theta within their ranges, where ``m_k`` are the moments of
:mod:`netsim.experiments.moments` and ``v_k`` is the sampling variance of the mean of
moment k over the replications (estimated once, pooled over the global design's points), so
each moment counts by how precisely the model can measure it. Every point is run with the
same replication seeds (common random numbers), so differences between points are not
seed noise and the surface is smooth enough for a local search.

The search is a scrambled Sobol design over the ranges (scipy's quasi-Monte Carlo), then
Nelder-Mead (scipy) from the design's best point, in coordinates scaled to the unit cube.
Runs go through the sweep's executors (serial, local process pool, Dask). Each run's
moments are stored as ``moments/<run id>.json`` as soon as it ends, so an interrupted
calibration resumes where it stopped: the search is deterministic, replays the finished
evaluations from disk and runs only what is missing. Outputs: see :func:`write_calibration`.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netsim.experiments.calibration_spec import CalibrationSpec
from netsim.experiments.design import RunSpec, derive_seeds, run_id
from netsim.experiments.executors import atomic_write, run_all
from netsim.experiments.moments import MOMENTS, compute_moments
from netsim.experiments.tables import confidence_interval

__all__ = ["CalibrationResult", "calibrate", "Evaluator"]


@dataclass
class CalibrationResult:
    """The fit: best values, moments achieved (mean, 95% CI), every evaluation."""

    name: str
    fitted: dict[str, Any]
    objective: float
    moments: pd.DataFrame  #: one row per moment: target, achieved, CI, weight, source
    evaluations: pd.DataFrame  #: one row per evaluated point, in search order
    weights: dict[str, float]
    seeds: list[int]
    fitted_scenario: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


class Evaluator:
    """Runs points (R replications each, common seeds) and caches every run's moments."""

    def __init__(
        self,
        spec: CalibrationSpec,
        root: Path,
        executor: str = "local",
        workers: int | None = None,
        scheduler: str | None = None,
    ) -> None:
        t = spec.targets
        self.spec = spec
        self.root = root
        self.executor, self.workers, self.scheduler = executor, workers, scheduler
        self.names = list(t.moments)
        self.seeds = derive_seeds(t.seed, 1, t.replications)[0]
        (root / "moments").mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, Any]] = []
        self.runs_done = 0

    def values(self, u: np.ndarray) -> dict[str, Any]:
        """Scenario values of a point given in unit-cube coordinates ``u``."""
        out = {}
        for x, (key, rng) in zip(u, self.spec.targets.parameters.items(), strict=True):
            v = rng.low + float(np.clip(x, 0.0, 1.0)) * (rng.high - rng.low)
            out[key] = int(round(v)) if rng.integer else v
        return out

    def run_points(self, points: list[dict[str, Any]]) -> list[np.ndarray]:
        """Moments of every point: an array (replications x moments) each."""
        specs = []
        for params in points:
            sc = self.spec.scenario_at(params)
            specs.append([RunSpec(run_id(sc, s), 0, "", r, s, sc, params)
                          for r, s in enumerate(self.seeds)])  # fmt: skip
        todo = [s for group in specs for s in group if not self._cached(s.run_id)]
        todo = list({s.run_id: s for s in todo}.values())
        if todo:
            # Moments are computed in the worker: only a dict per run comes back, and no run
            # folder is written and read again.
            moments_of = partial(
                compute_moments,
                names=list(MOMENTS),
                burn_in_months=self.spec.targets.burn_in_months,
            )
            run_all(
                todo, self.root, self.executor, self.workers, self.scheduler, self._done, moments_of
            )
        return [np.array([self._load(s.run_id) for s in group]) for group in specs]

    def _cached(self, rid: str) -> bool:
        return (self.root / "moments" / f"{rid}.json").is_file()

    def _load(self, rid: str) -> list[float]:
        data = json.loads((self.root / "moments" / f"{rid}.json").read_text())
        return [float(data[name]) if data[name] is not None else math.nan for name in self.names]

    def _done(self, status: dict) -> None:
        """A run ended: keep its moments (computed in the worker, see :meth:`run_points`)."""
        rid = status["run_id"]
        if status["status"] != "ok":
            raise RuntimeError(f"calibration run {rid} failed:\n{status.get('error', '')}")
        values = status["reduced"]
        clean = {k: (None if math.isnan(v) else v) for k, v in values.items()}
        atomic_write(self.root / "moments" / f"{rid}.json", json.dumps(clean, indent=1) + "\n")
        self.runs_done += 1


def calibrate(
    spec: CalibrationSpec,
    out: str | Path,
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CalibrationResult:
    """Fit ``spec``'s keys to its target moments; resumable in ``out`` (see module docstring)."""
    from scipy.optimize import minimize
    from scipy.stats import qmc

    t = spec.targets
    root = Path(out)
    ev = Evaluator(spec, root, executor, workers, scheduler)
    say = progress or (lambda _msg: None)
    d = len(t.parameters)
    targets = np.array([t.moments[m].target for m in ev.names])

    with warnings.catch_warnings():
        # A prefix of any length is still low-discrepancy; powers of two are only better
        # balanced, so the user's number of points is kept rather than rounded up.
        warnings.filterwarnings("ignore", message=".*balance properties of Sobol.*")
        design = qmc.Sobol(d, scramble=True, seed=np.random.default_rng(t.seed)).random(
            t.search.global_points
        )
    say(f"global design: {len(design)} points x {t.replications} replications")
    global_moments = ev.run_points([ev.values(u) for u in design])
    var = _pooled_variance(global_moments) / t.replications
    floor = (1e-3 * np.maximum(np.abs(targets), 1e-3)) ** 2
    weights = 1.0 / np.maximum(var, floor)

    def objective(ms: np.ndarray) -> float:
        mean = np.nanmean(ms, axis=0) if np.isfinite(ms).any() else ms[0]
        if not np.all(np.isfinite(mean)):
            return math.inf
        return float(np.sum(weights * (mean - targets) ** 2))

    def record(phase: str, u: np.ndarray, ms: np.ndarray) -> float:
        j = objective(ms)
        row = {"phase": phase, "evaluation": len(ev.rows), **ev.values(u), "objective": j}
        row.update({m: float(np.nanmean(ms[:, k])) for k, m in enumerate(ev.names)})
        ev.rows.append(row)
        return j

    scores = [record("global", u, ms) for u, ms in zip(design, global_moments, strict=True)]
    best = int(np.argmin(scores))
    x0 = design[best]

    if t.search.local_evaluations > 0:
        say(f"local search: Nelder-Mead, at most {t.search.local_evaluations} points")

        def f(u: np.ndarray) -> float:
            return record("local", u, ev.run_points([ev.values(u)])[0])

        simplex = [x0] + [np.clip(x0 + 0.1 * np.eye(d)[i], 0.0, 1.0) for i in range(d)]
        minimize(
            f,
            x0,
            method="Nelder-Mead",
            bounds=[(0.0, 1.0)] * d,
            options={
                "maxfev": t.search.local_evaluations,
                "initial_simplex": np.array(simplex),
                "xatol": 1e-3,
                "fatol": 1e-3,
            },
        )
    table = pd.DataFrame(ev.rows)
    best_row = table.loc[table["objective"].idxmin()]
    fitted = {k: _plain(best_row[k]) for k in t.parameters}
    final = ev.run_points([fitted])[0]
    return CalibrationResult(
        name=t.name,
        fitted=fitted,
        objective=float(best_row["objective"]),
        moments=_moment_table(spec, ev.names, final, weights),
        evaluations=table,
        weights=dict(zip(ev.names, weights.tolist(), strict=True)),
        seeds=ev.seeds,
        fitted_scenario=spec.scenario_at(fitted).model_dump(mode="json"),
        path=root,
    )


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _pooled_variance(groups: list[np.ndarray]) -> np.ndarray:
    """Mean over points of each moment's variance across replications (NaN-safe)."""
    with np.errstate(invalid="ignore"):
        per_point = np.array([np.nanvar(g, axis=0, ddof=1) for g in groups])
    out = np.nanmean(np.where(np.isfinite(per_point), per_point, np.nan), axis=0)
    return np.where(np.isfinite(out), out, 0.0)


def _moment_table(
    spec: CalibrationSpec, names: list[str], ms: np.ndarray, weights: np.ndarray
) -> pd.DataFrame:
    rows = []
    for k, name in enumerate(names):
        tgt = spec.targets.moments[name]
        low, high = confidence_interval(ms[:, k])
        mean = float(np.nanmean(ms[:, k]))
        rows.append(
            {
                "moment": name,
                "unit": MOMENTS[name].unit,
                "target": tgt.target,
                "achieved": mean,
                "ci95_low": low,
                "ci95_high": high,
                "weight": float(weights[k]),
                "contribution": float(weights[k] * (mean - tgt.target) ** 2),
                "source": tgt.source,
            }
        )
    return pd.DataFrame(rows)


def check_calibration_dir(out: str | Path, name: str) -> Path:
    """``out`` if calibration ``name`` may write there (new, empty, or its own folder)."""
    from netsim.output.folders import check_experiment_dir

    return check_experiment_dir(out, name, kind="calibration")


def write_calibration(result: CalibrationResult, spec: CalibrationSpec, out: str | Path) -> Path:
    """Write the fit into ``out`` (each file atomically) and return the folder.

    ``manifest.json`` (fitted values, objective, weights, seeds, targets, versions),
    ``moments.csv`` (target, achieved mean and 95% CI, weight, source per moment),
    ``evaluations.parquet`` (every evaluated point), ``fitted.yaml`` (the base scenario with
    the fitted values: ``netsim run fitted.yaml`` reproduces the fit's runs).
    """
    import yaml

    from netsim.output.results import package_versions

    root = Path(out)
    manifest = {
        "calibration": result.name,
        "targets_file": spec.file,
        "base_scenario": str(spec.base_path),
        "targets": spec.targets.model_dump(mode="json"),
        "fitted": result.fitted,
        "objective": result.objective,
        "weights": result.weights,
        "seeds": result.seeds,
        "evaluations": len(result.evaluations),
        "versions": package_versions(),
    }
    atomic_write(root / "manifest.json", json.dumps(manifest, indent=2, default=_plain) + "\n")
    atomic_write(root / "moments.csv", result.moments.to_csv(index=False))
    tmp = root / ".evaluations.parquet.tmp"
    result.evaluations.to_parquet(tmp, index=False)
    tmp.replace(root / "evaluations.parquet")
    scenario = dict(result.fitted_scenario)
    scenario["description"] = (
        f"Calibrated by netsim calibrate {spec.file or result.name}: "
        + ", ".join(f"{k}={v:.6g}" for k, v in result.fitted.items())
    )
    atomic_write(root / "fitted.yaml", yaml.safe_dump(scenario, sort_keys=False))
    return root
