"""Figures of freelancers and gigs: utilisation over time and gigs per freelancer.

A run without freelancers (no ``utilisation`` column in its time series, no ``contract``
column in its worker table) gets a figure with a note, never an exception. Time in months.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from netsim.viz.data import missing_columns, run_title
from netsim.viz.style import OKABE_ITO, draw_note, figure_function, legend_below, new_figure

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["has_freelancers", "gigs_per_freelancer", "plot_freelance"]

NO_FREELANCERS = "No freelancers in this run"
_SERIES = ("time_months", "utilisation", "freelancing", "freelancers_in_market")


def has_freelancers(result: RunResult) -> bool:
    """Whether the run had freelancing switched on (its columns are in the time series)."""
    return not missing_columns(result.timeseries, ("utilisation",))


def gigs_per_freelancer(result: RunResult) -> pd.Series:
    """Gigs each freelancer started during the run (time-0 gigs left out), zeros included.

    Empty if the run has no worker ``contract`` column or no ``gigs`` table.
    """
    workers = result.workers
    gigs = (getattr(result, "tables", None) or {}).get("gigs")
    if (
        gigs is None
        or missing_columns(workers, ("worker", "contract"))
        or missing_columns(gigs, ("worker", "start_months"))
    ):
        return pd.Series(dtype="int64")
    ids = workers.loc[workers["contract"].astype(str) == "freelancer", "worker"]
    started = gigs.loc[gigs["start_months"] >= 0.0, "worker"].value_counts()
    return started.reindex(ids.to_numpy(), fill_value=0).astype("int64")


@figure_function("run", applies=has_freelancers)
def plot_freelance(result: RunResult, axes: tuple[Axes, Axes] | None = None) -> Figure:
    """Left: utilisation of freelancers' capacity and the share holding a gig, by month.
    Right: the distribution of gigs started per freelancer over the run.

    ``axes`` are two axes to draw into (else a new figure).
    """
    if axes is None:
        fig = new_figure((11.0, 4.8))
        left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    else:
        left, right = axes
        fig = left.figure
    title = f"Freelancers — {run_title(result)}"
    ts = result.timeseries
    if not has_freelancers(result) or missing_columns(ts, _SERIES) or ts.empty:
        draw_note(left, NO_FREELANCERS if not has_freelancers(result) else "No months", title)
        draw_note(right, NO_FREELANCERS if not has_freelancers(result) else "No months")
        return fig
    t = ts["time_months"]
    busy = ts["freelancing"] / ts["freelancers_in_market"].where(ts["freelancers_in_market"] > 0)
    left.plot(t, ts["utilisation"], color=OKABE_ITO["blue"], label="utilisation (gigs / K·n)")
    left.plot(t, busy, color=OKABE_ITO["orange"], linestyle="--", label="share with ≥ 1 gig")
    left.set_ylim(0, 1.05)
    left.set_xlabel("time (months)")
    left.set_ylabel("share of freelancers' capacity")
    legend_below(left, ncol=2)
    left.set_title(title)
    counts = gigs_per_freelancer(result)
    if counts.empty:
        draw_note(right, "No gig table in this run")
        return fig
    top = int(counts.max())
    bins = np.arange(-0.5, top + 1.5, max(1, (top + 1) // 30))
    vital = _vital_flags(result, counts.index)
    groups = [counts[~vital], counts[vital]]
    right.hist(
        groups,
        bins=bins,
        stacked=True,
        color=[OKABE_ITO["green"], OKABE_ITO["purple"]],
        edgecolor="white",
        label=[f"others (n={len(groups[0])})", f"vital forces (n={len(groups[1])})"],
    )
    right.axvline(
        counts.mean(), color=OKABE_ITO["black"], linestyle=":", label=f"mean {counts.mean():.1f}"
    )
    right.set_xlabel("gigs started per freelancer (count)")
    right.set_ylabel("freelancers (count)")
    right.set_title(f"Gigs per freelancer (n={len(counts)})")
    legend_below(right, ncol=2)
    return fig


def _vital_flags(result: RunResult, ids: pd.Index) -> np.ndarray:
    """Whether each worker in ``ids`` is a vital force (all False if the column is missing)."""
    workers = result.workers
    if missing_columns(workers, ("worker", "vital_force")):
        return np.zeros(len(ids), dtype=bool)
    flags = workers.set_index("worker")["vital_force"].astype(bool)
    return flags.reindex(ids, fill_value=False).to_numpy()
