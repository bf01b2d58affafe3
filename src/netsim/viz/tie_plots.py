"""Figures of ties that grow and fade: reunions per year, and the skill community within
two hops over time (see :mod:`netsim.mechanisms.ties`).

Each takes a :class:`~netsim.output.results.RunResult` and an optional matplotlib ``ax`` and
returns the figure. A run without the tie-dynamics mechanism (or an older run folder) gets a
figure with a note saying so, never an exception. Time is in months.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from netsim.viz.data import missing_columns, months, run_title
from netsim.viz.style import OKABE_ITO, axes_of, draw_note, figure_function, legend_below

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["plot_reunions", "plot_two_hop_within_skill"]

_C = OKABE_ITO
NO_TIES = "No tie dynamics in this run (ties.dynamics.enabled is false)"


def _note(result: RunResult, columns: tuple[str, ...]) -> str | None:
    """Why the run cannot give the figure, or None if it can."""
    ts = result.timeseries
    if missing_columns(ts, columns):
        return NO_TIES
    if months(result).empty:
        return "No completed month in this run's time series"
    return None


def _has_tie_dynamics(result) -> bool:
    """Whether the run had the tie-dynamics mechanism (its monthly columns)."""
    return "reunions" in getattr(result, "timeseries", {})


@figure_function("run", applies=_has_tie_dynamics)
def plot_reunions(result: RunResult, ax: Axes | None = None) -> Figure:
    """Reunions (hires into a firm where a former colleague works): monthly counts as bars,
    and the trailing 12-month sum (reunions per year) as a line."""
    fig, ax = axes_of(ax)
    title = f"Former colleagues meeting again — {run_title(result)}"
    note = _note(result, ("time_months", "reunions"))
    if note:
        draw_note(ax, note, title)
        return fig
    m = months(result)
    mid = m["time_months"] - 0.5  # flows of month m happen between m - 1 and m
    ax.bar(mid, m["reunions"], width=0.9, color=_C["sky_blue"], label="reunions per month")
    per_year = m["reunions"].rolling(12, min_periods=12).sum()
    ax.plot(m["time_months"], per_year, color=_C["vermillion"], label="last 12 months")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("hires into a firm with a former colleague")
    ax.set_ylim(
        0, max(1.0, float(per_year.max(skipna=True) or 0), float(m["reunions"].max())) * 1.1
    )
    legend_below(ax, ncol=2)
    ax.set_title(title)
    return fig


@figure_function("run", applies=_has_tie_dynamics)
def plot_two_hop_within_skill(result: RunResult, ax: Axes | None = None) -> Figure:
    """The share of one's skill community within two ties (the "national IT community"),
    beside the share of everyone within two ties, in the months they were measured; the
    number of ties on the right axis."""
    fig, ax = axes_of(ax)
    title = f"Skill community within two ties — {run_title(result)}"
    note = _note(result, ("time_months", "two_hop_share_within_skill", "edges"))
    if note:
        draw_note(ax, note, title)
        return fig
    ts = result.timeseries
    measured = ts.dropna(subset=["two_hop_share_within_skill"])
    t = measured["time_months"]
    ax.plot(
        t,
        100 * measured["two_hop_share_within_skill"],
        marker="o",
        color=_C["blue"],
        label="own skill community within two ties (%)",
    )
    if "two_hop_share" in measured:
        ax.plot(
            t,
            100 * measured["two_hop_share"],
            marker="s",
            linestyle="--",
            color=_C["orange"],
            label="everyone within two ties (%)",
        )
    ax.set_xlabel("time (months)")
    ax.set_ylabel("share within two ties (%)")
    ax.set_ylim(0, max(1.0, 100 * float(measured["two_hop_share_within_skill"].max())) * 1.2)
    ax2 = ax.twinx()
    ax2.plot(ts["time_months"], ts["edges"], color=_C["black"], alpha=0.5, label="ties (count)")
    ax2.set_ylabel("ties (count)")
    ax2.set_ylim(0, float(ts["edges"].max()) * 1.15 or 1.0)
    ax2.grid(False)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    legend_below(ax, h1 + h2, l1 + l2, ncol=3)
    ax.set_title(title)
    return fig
