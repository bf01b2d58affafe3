"""Figures of viral job campaigns (:mod:`netsim.mechanisms.campaigns`).

:func:`plot_campaign_reach`: every campaign's reach against its budget, by size class,
coloured by the hires it brought. A run without campaigns gets a note, never an exception.
Money in currency units.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

# Imported first so that the general run figures register (and read) before this one.
from netsim.viz import run_plots  # noqa: F401
from netsim.viz.data import missing_columns, run_title
from netsim.viz.style import axes_of, draw_note, figure_function, legend_below, money

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["plot_campaign_reach"]

_COLUMNS = ("size_class", "budget", "reach", "hires")
_MARKERS = {"sme": ("o", "SMEs"), "large": ("s", "large companies")}
#: Hires per campaign: 0, 1, 2, 3-4, 5 and more (hires are clipped at 10 for the colours).
_HIRE_BOUNDS = [-0.5, 0.5, 1.5, 2.5, 4.5, 10.5]


def _campaigns(result: RunResult) -> pd.DataFrame | None:
    """The run's campaigns table, or None if it has none (or an unreadable one)."""
    df = (getattr(result, "tables", None) or {}).get("campaigns")
    if not isinstance(df, pd.DataFrame) or missing_columns(df, _COLUMNS):
        return None
    return df


@figure_function("run", stem="campaign_reach", table="campaigns")
def plot_campaign_reach(result: RunResult, ax: Axes | None = None) -> Figure:
    """Reach (people) of every campaign against its budget, by size class, coloured by hires.

    The legend gives each class's campaigns and cost per hire (total budget / total hires),
    the figure title the platform's fee per hire that a campaign must beat to pay.
    """
    fig, ax = axes_of(ax)
    title = f"Viral job campaigns: reach vs budget — {run_title(result)}"
    df = _campaigns(result)
    if df is None:
        draw_note(ax, "No viral job campaigns in this run", title)
        return fig
    if df.empty:
        draw_note(ax, "Campaigns were on, but no company launched one", title)
        return fig
    cmap = mpl.colormaps["viridis"].resampled(len(_HIRE_BOUNDS) - 1)
    norm = mpl.colors.BoundaryNorm(_HIRE_BOUNDS, cmap.N)
    points, handles = None, []
    for cls, (marker, label) in _MARKERS.items():
        d = df[df["size_class"].astype(str) == cls]
        if d.empty:
            continue
        hires = int(d["hires"].sum())
        cost = f"{d['budget'].sum() / hires:,.0f} per hire" if hires else "no hire"
        points = ax.scatter(
            d["budget"],
            d["reach"],
            c=d["hires"].clip(upper=10),
            cmap=cmap,
            norm=norm,
            marker=marker,
            s=36,
            alpha=0.8,
            edgecolors="black",
            linewidths=0.4,
        )
        handles.append(
            mpl.lines.Line2D(
                [],
                [],
                linestyle="",
                marker=marker,
                color="0.6",
                markeredgecolor="black",
                label=f"{label}: {len(d)} campaigns, {cost}",
            )
        )
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1.0)
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(money))
    ax.set_xlabel("campaign budget (currency, log scale)")
    ax.set_ylabel("people reached (log scale)")
    if points is not None:
        bar = fig.colorbar(points, ax=ax, ticks=[0, 1, 2, 3.5, 7.5])
        bar.ax.set_yticklabels(["0", "1", "2", "3–4", "5+"])
        bar.set_label("hires from the campaign")
    fee = getattr(getattr(result.scenario, "platform", None), "fee_per_hire", np.nan)
    legend_below(ax, handles, [h.get_label() for h in handles], ncol=1)
    ax.set_title(f"{title}\n(a campaign pays below the platform fee of {fee:,.0f} per hire)")
    return fig
