"""Moments of a run that calibration targets: labour-market facts measured on the outputs.

Each moment is a function of one run's tables (:class:`~netsim.output.results.RunResult`)
and a burn-in (months excluded from the start), registered in :data:`MOMENTS` with its
unit and a one-line definition. Flows are pooled over the months after the burn-in (sum of
events over sum of the stock at risk), which weights every month by its exposure and is
the maximum-likelihood rate of a constant hazard.

Rates are per month unless the name says ``annual``; tenures in years (the facts they
are compared with are quoted in years).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from netsim.output.results import RunResult

__all__ = ["MOMENTS", "Moment", "compute_moments", "CONTACT_CHANNELS"]

#: Hiring channels through which a job is found via contacts (word of mouth, a referral by a
#: platform member or by the firm's own staff): the "about half of jobs" of Granovetter.
CONTACT_CHANNELS = ("word_of_mouth", "platform", "employee_referral")
#: Separation reasons that are quits (a quit into search, or a move to another job).
QUIT_REASONS = ("quit", "job_to_job")


@dataclass(frozen=True)
class Moment:
    """A named moment: ``fn(result, burn_in_months) -> float``, its unit and definition."""

    name: str
    unit: str
    definition: str
    fn: Callable[[RunResult, float], float]


MOMENTS: dict[str, Moment] = {}


def _moment(name: str, unit: str, definition: str):
    def register(fn):
        MOMENTS[name] = Moment(name, unit, definition, fn)
        # The registered definition is the function's docstring: one text, in both places.
        fn.__doc__ = f"{definition} Unit: {unit}; months before ``burn_in`` (months) are left out."
        return fn

    return register


def _after(ts: pd.DataFrame, burn_in: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The months after the burn-in, and the month before each (the stock at risk)."""
    ts = ts.sort_values("month").reset_index(drop=True)
    keep = ts.index[(ts["time_months"] > burn_in) & (ts.index > 0)]
    return ts.loc[keep], ts.loc[keep - 1]


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan


@_moment("unemployment_rate", "fraction", "Mean month-end share of the labour force seeking.")
def unemployment_rate(result: RunResult, burn_in: float) -> float:
    now, _ = _after(result.timeseries, burn_in)
    return float(now["unemployment_rate"].mean()) if len(now) else math.nan


@_moment(
    "annual_separation_rate",
    "1/year",
    "Separations from employers (any reason but internal moves) per employee-year.",
)
def annual_separation_rate(result: RunResult, burn_in: float) -> float:
    now, before = _after(result.timeseries, burn_in)
    return 12.0 * _ratio(now["separations"].sum(), before["employed"].sum())


@_moment(
    "monthly_job_finding_rate",
    "1/month",
    "Hires of seeking workers per seeker-month (Shimer's f).",
)
def monthly_job_finding_rate(result: RunResult, burn_in: float) -> float:
    now, before = _after(result.timeseries, burn_in)
    return _ratio(now["hires_from_seeking"].sum(), before["seeking"].sum())


@_moment(
    "monthly_separation_rate",
    "1/month",
    "Moves from employment into search per employee-month (Shimer's s).",
)
def monthly_separation_rate(result: RunResult, burn_in: float) -> float:
    now, before = _after(result.timeseries, burn_in)
    return _ratio(now["employed_to_seeking"].sum(), before["employed"].sum())


@_moment(
    "contacts_share",
    "fraction",
    "Share of external hires made through contacts (word of mouth, platform, staff referral).",
)
def contacts_share(result: RunResult, burn_in: float) -> float:
    now, _ = _after(result.timeseries, burn_in)
    cols = [f"hires_{ch}" for ch in CONTACT_CHANNELS if f"hires_{ch}" in now]
    return _ratio(now[cols].to_numpy().sum(), now["hires"].sum())


@_moment(
    "median_tenure_years",
    "years",
    "Median elapsed tenure of the workers employed at the end of the run.",
)
def median_tenure_years(result: RunResult, burn_in: float) -> float:
    w = result.workers
    end = float(result.timeseries["time_months"].max())
    since = w.loc[w["state"] == "employed", "since_months"].to_numpy(dtype=float)
    return float(np.median(end - since)) / 12.0 if len(since) else math.nan


@_moment(
    "referred_quit_ratio",
    "ratio",
    "Quit hazard of hires through contacts over that of open-market hires (hired after the "
    "burn-in; quits per month of tenure). Needs the event log.",
)
def referred_quit_ratio(result: RunResult, burn_in: float) -> float:
    ev = result.events
    if ev is None or len(ev) == 0:
        return math.nan
    end = float(result.timeseries["time_months"].max())
    hires = ev[(ev["kind"] == "hire") & (ev["time_months"] > burn_in)]
    hires = hires[["hire", "time_months", "detail"]].set_index("hire")
    seps = ev[ev["kind"] == "separation"].drop_duplicates("hire").set_index("hire")
    stop = seps["time_months"].reindex(hires.index).fillna(end)
    quit_ = seps["detail"].reindex(hires.index).isin(QUIT_REASONS)
    exposure = (stop - hires["time_months"]).to_numpy()
    channel = hires["detail"].astype(str).to_numpy()

    def hazard(mask: np.ndarray) -> float:
        return _ratio(quit_.to_numpy()[mask].sum(), exposure[mask].sum())

    return _ratio(hazard(np.isin(channel, CONTACT_CHANNELS)), hazard(channel == "market"))


def compute_moments(result: RunResult, names: list[str], burn_in_months: float) -> dict:
    """The named moments of one run (NaN where a run lacks what a moment needs)."""
    return {name: float(MOMENTS[name].fn(result, burn_in_months)) for name in names}
