"""The figure of a calibration: each moment against its target, and the search's progress.

Takes the calibration's tables (``moments``: target, achieved mean and 95% CI per moment;
``evaluations``: the objective of every evaluated point) as DataFrames, so a notebook can
redraw it from ``moments.csv`` and ``evaluations.parquet``. Empty tables give a note.

May import :mod:`netsim.viz.style`, numpy, pandas and matplotlib; never the engine.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from netsim.viz.style import OKABE_ITO, STYLE, draw_note, new_figure

__all__ = ["calibration_figure"]


def calibration_figure(moments: pd.DataFrame, evaluations: pd.DataFrame) -> Figure:
    """Left: achieved / target per moment with its 95% CI (1 = on target). Right: the
    objective of every evaluated point in search order (global design, then Nelder-Mead)."""
    with mpl.rc_context(STYLE):
        fig = new_figure((10.0, 4.2))
        left, right = fig.subplots(1, 2, width_ratios=(1.3, 1.0))
        _moments_panel(left, moments)
        _search_panel(right, evaluations)
        return fig


def _moments_panel(ax, moments: pd.DataFrame) -> None:
    if moments is None or len(moments) == 0:
        draw_note(ax, "no moments", "Moments against targets")
        return
    m = moments.iloc[::-1].reset_index(drop=True)
    scale = m["target"].where(m["target"] != 0, 1.0).abs()
    ratio = m["achieved"] / scale
    err = np.vstack([ratio - m["ci95_low"] / scale, m["ci95_high"] / scale - ratio])
    y = np.arange(len(m))
    ax.axvline(1.0, color="0.4", lw=1, ls="--")
    ax.errorbar(ratio, y, xerr=np.nan_to_num(np.abs(err)), fmt="o", color=OKABE_ITO["blue"],
                capsize=3)  # fmt: skip
    ax.set_yticks(
        y, [f"{n}\n(target {t:.3g})" for n, t in zip(m["moment"], m["target"], strict=True)]
    )
    ax.set_xlabel("achieved / target (95% CI over replications)")
    ax.set_title("Moments against targets")


def _search_panel(ax, evaluations: pd.DataFrame) -> None:
    if evaluations is None or len(evaluations) == 0:
        draw_note(ax, "no evaluations", "Search")
        return
    ev = evaluations
    for phase, colour in (("global", OKABE_ITO["orange"]), ("local", OKABE_ITO["green"])):
        part = ev[ev["phase"] == phase]
        ax.scatter(part["evaluation"], part["objective"], s=14, color=colour, label=phase)
    best = ev["objective"].cummin()
    ax.plot(ev["evaluation"], best, color="0.2", lw=1.2, label="best so far")
    if (ev["objective"] > 0).all():
        ax.set_yscale("log")
    ax.set_xlabel("evaluation (points in search order)")
    ax.set_ylabel("objective J (weighted squared distance)")
    ax.set_title("Search (Sobol, then Nelder-Mead)")
    ax.legend(loc="upper right", frameon=False)
