"""Headline metrics of a run, computed from its tables.

Rates are per month unless the name says otherwise; tenures are in months. The summary is
a deterministic function of scenario and seed (no wall time in it), so it can be compared
against a golden file.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from netsim.output.recorder import CHANNELS, MECHANISM_CHANNELS


def _last_valid(series: pd.Series) -> float:
    valid = series.dropna()
    return float(valid.iloc[-1]) if len(valid) else math.nan


#: A job counts as long (the seeds' "lifetime employment") from ten years of elapsed tenure.
LONG_JOB_MONTHS = 120.0


def _stints_per_worker(workers: pd.DataFrame) -> float:
    """Completed stints per worker (the length of a public CV), mean over all workers."""
    if "completed_stints" not in workers.columns or not len(workers):
        return math.nan
    return float(workers["completed_stints"].mean())


def _long_job_share(employed: pd.DataFrame, horizon_months: float) -> float:
    """Share of employed workers whose current job has lasted >= LONG_JOB_MONTHS at the end
    (elapsed tenure, months; initial jobs count from their back-dated start)."""
    if "since_months" not in employed.columns or not len(employed):
        return math.nan
    elapsed = float(horizon_months) - employed["since_months"].to_numpy(dtype=float)
    return float(np.mean(elapsed >= LONG_JOB_MONTHS))


def summarize(
    timeseries: pd.DataFrame,
    workers: pd.DataFrame,
    completed_tenures_months: np.ndarray,
    *,
    seed: int,
    horizon_months: float,
    n_companies: int,
    engine_events: int,
    logged_events: int,
) -> dict[str, Any]:
    """The run's summary dict (flat: name -> number).

    ``engine_events`` counts the model events the engine processed (every fired timer or
    SimPy event: searches, quits, probation ends, vacancy expiries, platform steps), logged
    or not; ``logged_events`` counts the rows of the event log (0 when
    ``outputs.event_log`` is off). The two differ: not every processed event is logged and
    one processed event may log several rows.
    """
    ts = timeseries
    months = ts[ts["month"] > 0]
    second_half = months[months["month"] > months["month"].max() / 2] if len(months) else months
    prev = ts.shift(1)
    seeking_exposure = float(prev.loc[ts["month"] > 0, "seeking"].sum())
    employed_exposure = float(prev.loc[ts["month"] > 0, "employed"].sum())
    hires_ext = int(months["hires"].sum())
    hires_all = hires_ext + int(months["hires_internal"].sum())
    employed = workers[workers["state"] == "employed"]
    vital = workers["vital_force"].to_numpy()

    out: dict[str, Any] = {
        "seed": seed,
        "horizon_months": horizon_months,
        "workers": len(workers),
        "companies": n_companies,
        "engine_events": engine_events,
        "logged_events": logged_events,
        "employed_final": int(ts["employed"].iloc[-1]),
        "seeking_final": int(ts["seeking"].iloc[-1]),
        "unemployment_rate_final": float(ts["unemployment_rate"].iloc[-1]),
        "unemployment_rate_mean_second_half": float(second_half["unemployment_rate"].mean()),
        "open_vacancies_final": int(ts["open_vacancies"].iloc[-1]),
        "hires_external": hires_ext,
        "hires_per_month": hires_ext / max(len(months), 1),
    }
    for ch in CHANNELS:
        if ch in MECHANISM_CHANNELS:
            continue
        if ch == "internal":
            out["internal_share_of_all_hires"] = (
                int(months["hires_internal"].sum()) / hires_all if hires_all else 0.0
            )
        else:
            out[f"hire_share_{ch}"] = (
                int(months[f"hires_{ch}"].sum()) / hires_ext if hires_ext else 0.0
            )
    out.update(
        {
            "job_finding_rate_per_month": (
                int(months["hires_from_seeking"].sum()) / seeking_exposure
                if seeking_exposure
                else math.nan
            ),
            "separation_to_search_rate_per_month": (
                int(months["employed_to_seeking"].sum()) / employed_exposure
                if employed_exposure
                else math.nan
            ),
            "churn_rate_per_month_mean": float(months["churn_rate"].mean()),
            "churn_rate_per_year": float(months["churn_rate"].mean()) * 12.0,
            "mean_tenure_months_final": float(ts["mean_tenure_months"].iloc[-1]),
            "mean_completed_tenure_months": (
                float(np.mean(completed_tenures_months))
                if len(completed_tenures_months)
                else math.nan
            ),
            "mean_salary_employed_final": (
                float(employed["salary"].mean()) if len(employed) else math.nan
            ),
            "jobs_held_mean_vital_forces": (
                float(workers.loc[vital, "jobs_held"].mean()) if vital.any() else math.nan
            ),
            "jobs_held_mean_others": (
                float(workers.loc[~vital, "jobs_held"].mean()) if (~vital).any() else math.nan
            ),
            "stints_per_worker_mean": _stints_per_worker(workers),
            "long_job_share_final": _long_job_share(employed, horizon_months),
            "knowledge_mixing_final": float(ts["knowledge_mixing"].iloc[-1]),
            "ties_final": int(ts["edges"].iloc[-1]),
            "clustering_final": _last_valid(ts["clustering"]),
            "giant_component_share_final": _last_valid(ts["giant_component_share"]),
            "two_hop_share_final": _last_valid(ts["two_hop_share"]),
        }
    )
    return out
