"""Figures of the companies' screening of applicants' public record.

:func:`plot_hire_rate_by_history`: hires per application, and the share screened out, by
the number of short stints the internet still remembered at the application, one line per
screening rule (from the run's ``screening`` table, :mod:`netsim.mechanisms.screening`). A
run without screening gets a note, never an exception.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.lines import Line2D

from netsim.viz.data import run_title
from netsim.viz.style import CYCLE, axes_of, draw_note, figure_function, legend_below

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from netsim.output.results import RunResult

__all__ = ["plot_hire_rate_by_history", "MIN_APPLICATIONS"]

#: Points resting on fewer applications than this are left out (too noisy to read).
MIN_APPLICATIONS = 20
_COLUMNS = ("rule", "short_stints", "applications", "screened_out", "hires")


@figure_function(
    "run", stem="hire_rate_by_history", applies=lambda r: "screening" in (r.tables or {})
)
def plot_hire_rate_by_history(result: RunResult, ax: Axes | None = None) -> Figure:
    """Hires per application (solid) and share screened out (dashed) by short stints in
    memory, one colour per screening rule; the last point on the x axis stands for "that
    many or more". Points with fewer than :data:`MIN_APPLICATIONS` applications are left out.
    """
    fig, ax = axes_of(ax)
    title = f"Hiring chances by public record — {run_title(result)}"
    table = result.tables.get("screening")
    if table is None or table.empty or any(c not in table.columns for c in _COLUMNS):
        draw_note(ax, "No company screening in this run (screening.enabled is false)", title)
        return fig
    by = table.groupby(["rule", "short_stints"], observed=True)[
        ["applications", "screened_out", "hires"]
    ].sum()
    by = by[by["applications"] >= MIN_APPLICATIONS]
    if by.empty:
        draw_note(ax, f"No count of short stints with {MIN_APPLICATIONS}+ applications", title)
        return fig
    cap = int(table["short_stints"].max())
    handles = []
    for k, rule in enumerate(dict.fromkeys(by.index.get_level_values("rule"))):
        sub = by.loc[rule]
        x = sub.index.to_numpy()
        colour = CYCLE[k % len(CYCLE)]
        apps = sub["applications"].to_numpy()
        ax.plot(x, sub["hires"].to_numpy() / apps, color=colour, marker="o")
        ax.plot(x, sub["screened_out"].to_numpy() / apps, color=colour, marker="x", ls="--")
        handles.append(Line2D([], [], color=colour, label=f"{rule} ({int(apps.sum())} appl.)"))
    handles.append(Line2D([], [], color="grey", marker="o", label="hires per application"))
    handles.append(Line2D([], [], color="grey", marker="x", ls="--", label="share screened out"))
    ticks = np.arange(0, max(cap, 1) + 1)
    ax.set_xticks(ticks, [str(t) for t in ticks[:-1]] + [f"{ticks[-1]}+"])
    ax.set_xlabel(
        f"short stints in memory (< {result.scenario.screening.short_stint_months:g} months, "
        f"within {result.scenario.screening.memory_months:g} months)"
    )
    ax.set_ylabel("per application (0–1)")
    ax.set_ylim(0, 1)
    legend_below(ax, handles=handles, labels=[h.get_label() for h in handles], ncol=2)
    ax.set_title(title)
    return fig
