"""What the figures read from a run, made safe for runs that lack a table or a column.

A run without a platform has empty ``chains`` and ``ledger`` tables; a run folder loaded back
from disk has *column-less* empty tables where an optional parquet file is absent (no event
log, no platform); an older run folder may lack a column a newer figure reads. The figure
functions read the run's tables only through :func:`table` (which returns the table with at
least the columns the figures use, or an empty one with those columns) and check time-series
columns with :func:`missing_columns`, so the absence of a mechanism gives a note in the
figure, never a ``KeyError``.

Also the derived quantities of several figures: completed and current tenures, chain lengths.
Times are in months. May import numpy and pandas; the run result only as a type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = [
    "SCHEMAS",
    "table",
    "missing_columns",
    "has_platform",
    "months",
    "run_title",
    "completed_tenures",
    "current_tenures",
    "chain_lengths",
]

#: The columns (and their dtypes) the figures read from each table of a run.
SCHEMAS: dict[str, dict[str, str]] = {
    "events": {
        "time_months": "float64",
        "kind": "object",
        "detail": "object",
        "worker": "int64",
        "company": "int64",
        "other": "int64",
        "hire": "int64",
    },
    "chains": {
        "hire": "int64",
        "worker": "int64",
        "company": "int64",
        "time_months": "float64",
        "position": "int64",
        "referrer": "int64",
        "sybil": "bool",
        "gaming": "object",
    },
    "workers": {
        "worker": "int64",
        "state": "object",
        "since_months": "float64",
        "vital_force": "bool",
        "degree": "int64",
    },
}


def table(result: RunResult, name: str) -> pd.DataFrame:
    """The run's table ``name`` with at least the columns of :data:`SCHEMAS`.

    A table that is missing (``None``), empty, or lacks any of those columns cannot be read
    by the figures, so an empty table with the schema's columns is returned instead.
    """
    schema = SCHEMAS[name]
    df = getattr(result, name, None)
    if isinstance(df, pd.DataFrame) and len(df) and not missing_columns(df, schema):
        return df
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})


def missing_columns(df: pd.DataFrame | None, columns: Iterable[str]) -> list[str]:
    """The ``columns`` that ``df`` does not have (all of them if ``df`` is None)."""
    have = set(df.columns) if isinstance(df, pd.DataFrame) else set()
    return [c for c in columns if c not in have]


def has_platform(result: RunResult) -> bool:
    """Whether the run had the referral platform (its columns are in the time series)."""
    return not missing_columns(result.timeseries, ("payouts_honest",))


def months(result: RunResult) -> pd.DataFrame:
    """The monthly rows after month 0 (flows are zero at month 0); may be empty."""
    ts = result.timeseries
    if "month" in ts.columns:
        return ts[ts["month"] > 0]
    return ts[ts["time_months"] > 0] if "time_months" in ts.columns else ts.iloc[0:0]


def run_title(result: RunResult) -> str:
    """``<scenario name>, seed <seed>``: the run part of every run figure's title."""
    return f"{result.scenario.name}, seed {result.seed}"


def completed_tenures(result: RunResult) -> np.ndarray:
    """Tenures (months) of jobs that began and ended during the run.

    From the event log: each ``separation`` carries the id of the hire it ends (column
    ``other``), matched to that ``hire``'s time. Jobs held at the start (hire id -1) are left
    out since their start is not in the log; internal moves count as the end of a job. Empty
    without an event log.
    """
    ev = table(result, "events")
    if ev.empty:
        return np.array([])
    kind = ev["kind"].astype(str)
    hires = ev[kind == "hire"].drop_duplicates("hire").set_index("hire")["time_months"]
    seps = ev[(kind == "separation") & (ev["other"] >= 0)]
    start = hires.reindex(seps["other"].to_numpy()).to_numpy(dtype=float)
    tenure = seps["time_months"].to_numpy(dtype=float) - start
    return tenure[np.isfinite(tenure)]


def current_tenures(result: RunResult) -> np.ndarray:
    """Tenures (months) of the jobs held at the end of the run (incomplete spells)."""
    w = table(result, "workers")
    ts = result.timeseries
    if w.empty or "time_months" not in ts.columns or ts.empty:
        return np.array([])
    end = float(ts["time_months"].iloc[-1])
    since = w.loc[w["state"].astype(str) == "employed", "since_months"].to_numpy(dtype=float)
    return end - since[np.isfinite(since)]


def chain_lengths(result: RunResult) -> pd.DataFrame:
    """One row per platform hire: ``hire``, ``length`` (identities in its chain), ``gaming``."""
    ch = table(result, "chains")
    if ch.empty:
        return pd.DataFrame(
            {
                "hire": pd.Series(dtype="int64"),
                "length": pd.Series(dtype="int64"),
                "gaming": pd.Series(dtype="object"),
            }
        )
    g = ch.groupby("hire", sort=True)
    out = pd.DataFrame({"length": g.size(), "gaming": g["gaming"].first().astype(str)})
    out["gaming"] = out["gaming"].replace("", "honest")
    return out.reset_index()
