"""Figures of platform growth: members over time, and invitations and joins per month.

Shows whether "money, not content, grows the community": with an invite bonus the invitation
rate and so the joins rise (``platform.invite_bonus``, ``invite_base``,
``invite_sensitivity``). A run without the platform, or from before invitations were
counted, gets a note instead. Time in months.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, pandas and matplotlib; never the
engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from netsim.viz.data import has_platform, missing_columns, run_title
from netsim.viz.run_plots import NO_PLATFORM  # (also registers the run figures first)
from netsim.viz.style import OKABE_ITO, draw_note, figure_function, legend_below, new_figure

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["plot_platform_growth"]

_C = OKABE_ITO
_GROWTH = ("time_months", "members", "new_members", "invites", "invite_joins")


def _growth_note(result: RunResult) -> str | None:
    """Why the run cannot give the growth figure, or None if it can."""
    if not has_platform(result):
        return NO_PLATFORM
    gone = missing_columns(result.timeseries, _GROWTH)
    if gone:
        return "This run's time series has no column " + ", ".join(repr(c) for c in gone)
    if result.timeseries.empty:
        return "No rows in this run's time series"
    return None


@figure_function("run", platform_only=True)
def plot_platform_growth(result: RunResult, ax: Axes | Any = None) -> Figure:
    """Platform members by month (top) and, per month, invitations sent, members who joined
    by invitation and members who joined by passing a vacancy on (bottom).

    ``ax`` may be a pair of axes for the two panels. The title names the invite bonus.
    """
    if ax is None:
        fig = new_figure((9.0, 6.5))
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1])
    else:
        top, bottom = ax
        fig = bottom.figure
    note = _growth_note(result)
    bonus = ""
    if has_platform(result):
        p = result.scenario.platform
        bonus = f" (invite bonus {p.invite_bonus:g}, {p.invite_rate_per_month:g}/month at most)"
    title = f"Platform growth{bonus} — {run_title(result)}"
    if note:
        bottom.set_axis_off()
        draw_note(top, note, title)
        return fig
    ts = result.timeseries
    t = ts["time_months"]
    top.plot(t, ts["members"], color=_C["purple"], linewidth=1.8, label="members")
    top.set_ylabel("members (count)")
    top.set_ylim(0, max(1.0, float(ts["members"].max()) * 1.1))
    top.set_title(title)
    flows = ts[ts["time_months"] > 0]  # month 0 has no flows
    tf = flows["time_months"]
    cascade = flows["new_members"] - flows["invite_joins"]
    bottom.step(tf, flows["invites"], where="mid", color=_C["orange"], label="invitations sent")
    bottom.step(tf, flows["invite_joins"], where="mid", color=_C["blue"], label="joined by invite")
    bottom.step(tf, cascade, where="mid", color=_C["green"], label="joined by passing a vacancy on")
    bottom.set_xlabel("time (months)")
    bottom.set_ylabel("per month (count)")
    bottom.set_ylim(bottom=0)
    legend_below(bottom, ncol=3)
    return fig
