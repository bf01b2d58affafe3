"""Figures of firms that live: brand and quits over time by staff network policy.

A run without firms that live (``firms.enabled`` off, so no ``brand_<policy>`` columns)
gets a figure with a note, never an exception. Time in months.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from netsim.viz.data import missing_columns, months, run_title
from netsim.viz.style import OKABE_ITO, draw_note, figure_function, legend_below, new_figure

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["plot_brand_by_policy"]

#: Staff network policies and their colours (restrict warm, embrace cool).
POLICY_COLOURS = {
    "restrict": OKABE_ITO["vermillion"],
    "neutral": OKABE_ITO["black"],
    "embrace": OKABE_ITO["blue"],
}
NO_FIRMS = "No firms that live in this run (firms.enabled is off)"


@figure_function(
    "run", stem="brand_by_policy", applies=lambda r: "firms" in (r.tables or {})
)
def plot_brand_by_policy(result: RunResult, ax=None) -> Figure:
    """Brand of the firms in business relative to their long-run brand, by staff network
    policy (top: exp of the mean reputation index, i.e. the geometric mean of brand / long-run
    brand, log scale), and their quits per head per year over the trailing 12 months
    (bottom), by month.

    ``ax`` may be a pair of axes for the two panels. The alienation spiral shows as a
    restricting firms' brand that keeps falling while their quits rise; neutral firms stay
    near 1. (The arithmetic mean brand, ``brand_<policy>``, mixes in firm size and entry.)
    """
    if ax is None:
        fig = new_figure((9.0, 7.0))
        top, bottom = fig.subplots(2, 1, sharex=True)
    else:
        top, bottom = ax
        fig = top.figure
    title = f"Brand and quits by staff network policy — {run_title(result)}"
    ts = result.timeseries
    kinds = ("reputation", "quits", "staff")
    columns = ["time_months"] + [f"{k}_{p}" for p in POLICY_COLOURS for k in kinds]
    note = NO_FIRMS if missing_columns(ts, columns) else None
    if note is None and months(result).empty:
        note = "No completed month in this run's time series"
    if note:
        draw_note(top, note, title)
        bottom.set_axis_off()
        return fig
    m = months(result)
    for policy, colour in POLICY_COLOURS.items():
        brand = np.exp(ts[f"reputation_{policy}"].to_numpy(dtype=float))
        if np.isfinite(brand).any():
            top.plot(ts["time_months"], brand, color=colour, label=policy)
        quits = m[f"quits_{policy}"].rolling(12, min_periods=1).sum()
        heads = m[f"staff_{policy}"].rolling(12, min_periods=1).sum()
        rate = 12.0 * quits / heads.where(heads > 0)
        if np.isfinite(rate.to_numpy(dtype=float)).any():
            bottom.plot(m["time_months"], rate, color=colour, label=policy)
    top.axhline(1.0, color=OKABE_ITO["black"], linewidth=0.8, linestyle=":")
    top.set_ylabel("brand / long-run brand\n(geometric mean, log scale)")
    top.set_yscale("log")
    top.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    top.yaxis.set_minor_formatter(NullFormatter())
    top.set_title(title)
    bottom.set_ylabel("quits per head per year\n(trailing 12 months)")
    bottom.set_xlabel("time (months)")
    bottom.set_ylim(bottom=0)
    legend_below(bottom, ncol=3)
    return fig
