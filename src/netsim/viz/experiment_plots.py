"""Figures of an experiment: a metric against a parameter, variants side by side, sensitivity.

Each takes the experiment's tables as DataFrames (``runs``: one row per run; ``comparison``:
mean and 95% CI per variant and metric; ``sensitivity``: Sobol or Morris indices) and an
optional matplotlib ``ax``, and returns the figure. Empty tables, or a parameter or metric the
table does not have, give a figure with a note naming what is missing (and the closest
name), never an exception.

May import :mod:`netsim.viz.style`, numpy, pandas, scipy and matplotlib; never the engine.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from netsim.viz.style import (
    CYCLE,
    OKABE_ITO,
    axes_of,
    draw_note,
    figure_function,
    label,
    legend_below,
)

__all__ = [
    "tidy_comparison",
    "plot_metric_vs_parameter",
    "plot_comparison",
    "plot_sensitivity",
]

_C = OKABE_ITO
_STATS = ("mean", "ci95_low", "ci95_high")


def tidy_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison table in long form: ``variant, metric, mean, std, ci95_low, ...``.

    Accepts the long form itself, a (variant, metric) MultiIndex, or wide columns
    ``(metric, statistic)`` with the variant as index. Raises :class:`ValueError` for a
    table with neither form.
    """
    df = comparison
    if isinstance(df.columns, pd.MultiIndex):
        df = df.stack(level=0, future_stack=True)
        df.index = df.index.set_names(["variant", "metric"])
        return df.reset_index()
    if {"variant", "metric"} <= set(df.columns):
        return df.reset_index(drop=True)
    names = [n for n in df.index.names if n is not None]
    if names:
        df = df.reset_index()
        if "variant" not in df.columns:
            df = df.rename(columns={names[0]: "variant"})
    if "metric" not in df.columns:
        raise ValueError("comparison needs 'variant' and 'metric' columns or index levels")
    return df


def _ci95(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and Student-t 95% interval of the mean."""
    from scipy import stats

    v = values[np.isfinite(values)]
    if len(v) == 0:
        return math.nan, math.nan, math.nan
    mean = float(v.mean())
    if len(v) < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v)))
    return mean, mean - half, mean + half


def _absent(what: str, name: str, choices: Iterable[str]) -> str:
    """``No metric 'x' (did you mean 'y'?)`` for a column the table lacks."""
    choices = [str(c) for c in choices]
    close = difflib.get_close_matches(str(name), choices, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"No {what} {name!r} in this table{hint}"


def _replicates(n: pd.Series) -> str:
    """``4`` or ``2–5``: runs per point, for titles."""
    if n.empty or n.isna().all():
        return "?"
    lo, hi = int(n.min()), int(n.max())
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


@figure_function("experiment")
def plot_metric_vs_parameter(
    runs: pd.DataFrame,
    parameter: str,
    metric: str,
    ax: Axes | None = None,
    *,
    by: str | None = None,
) -> Figure:
    """Mean of ``metric`` over replications against ``parameter``, with a 95% CI band.

    ``runs`` has one row per run with the parameter and metric as columns. ``by`` (e.g.
    ``"variant"``) draws one line per group. A non-numeric parameter gets points with error
    bars instead of a band.
    """
    fig, ax = axes_of(ax)
    title = f"{label(metric)} against {label(parameter)}"
    for what, name in (("parameter", parameter), ("metric", metric), ("group column", by)):
        if name is not None and name not in runs.columns:
            draw_note(ax, _absent(what, name, runs.columns), title)
            return fig
    if runs.empty:
        draw_note(ax, "No runs to draw", title)
        return fig
    groups = [(None, runs)] if by is None else list(runs.groupby(by, sort=True))
    numeric = pd.api.types.is_numeric_dtype(runs[parameter])
    cats = sorted(runs[parameter].astype(str).unique()) if not numeric else []
    for i, (name, grp) in enumerate(groups):
        colour = CYCLE[i % len(CYCLE)]
        rows = [
            (value, *_ci95(sub[metric].to_numpy(dtype=float)))
            for value, sub in grp.groupby(parameter, sort=True)
        ]
        stats = pd.DataFrame(rows, columns=["x", "mean", "lo", "hi"])
        text = f"{name}" if name is not None else ("mean" if numeric else "mean with 95% CI")
        if numeric:
            ax.plot(stats["x"], stats["mean"], marker="o", color=colour, label=text)
            ax.fill_between(
                stats["x"], stats["lo"], stats["hi"], color=colour, alpha=0.25, linewidth=0
            )
        else:
            x = np.array([cats.index(str(v)) for v in stats["x"]], dtype=float)
            x += (i - (len(groups) - 1) / 2) * 0.12
            ax.errorbar(
                x,
                stats["mean"],
                yerr=[stats["mean"] - stats["lo"], stats["hi"] - stats["mean"]],
                fmt="o",
                capsize=5,
                color=colour,
                label=text,
            )
    if not numeric:
        ax.set_xticks(range(len(cats)), cats, rotation=20, ha="right")
    handles, labels = ax.get_legend_handles_labels()
    if numeric:
        band = Patch(color=CYCLE[0], alpha=0.25, label="95% CI of the mean")
        handles, labels = handles + [band], labels + [band.get_label()]
    legend_below(ax, handles, labels, ncol=4)
    ax.set_xlabel(label(parameter))
    ax.set_ylabel(label(metric))
    reps = _replicates(runs.groupby(parameter).size())
    ax.set_title(f"{title} ({reps} runs per point)")
    return fig


@figure_function("experiment")
def plot_comparison(
    comparison: pd.DataFrame,
    metric: str,
    ax: Axes | None = None,
    *,
    baseline: str | None = None,
) -> Figure:
    """Variants side by side: mean of ``metric`` with its 95% CI as error bars.

    ``comparison`` is the experiment's comparison table (see :func:`tidy_comparison`).
    ``baseline`` names a variant drawn as a dashed reference line. A metric the table does
    not have gives a note naming the closest metric it has.
    """
    title = f"{label(metric)} by variant"
    try:
        df = tidy_comparison(comparison)
    except ValueError as exc:
        df, note = None, f"Not a comparison table: {exc}"
    else:
        note = None
        if df.empty or "metric" not in df.columns or (df["metric"] != metric).all():
            have = dict.fromkeys(df["metric"].astype(str)) if "metric" in df.columns else {}
            note = _absent("metric", metric, have) if len(df) else "The comparison is empty"
        elif missing := [c for c in _STATS if c not in df.columns]:
            note = f"The comparison has no column {', '.join(map(repr, missing))}"
    if note:
        fig, ax = axes_of(ax)
        draw_note(ax, note, title)
        return fig
    df = df[df["metric"] == metric].reset_index(drop=True)
    fig, ax = axes_of(ax, figsize=(9.0, max(3.0, 1.0 + 0.55 * len(df))))
    y = np.arange(len(df))[::-1]
    colours = [CYCLE[i % len(CYCLE)] for i in range(len(df))]
    ax.barh(y, df["mean"], color=colours, alpha=0.35, height=0.6)
    ax.errorbar(
        df["mean"],
        y,
        xerr=[df["mean"] - df["ci95_low"], df["ci95_high"] - df["mean"]],
        fmt="o",
        color=_C["black"],
        capsize=6,
        linewidth=1.8,
        label="mean with 95% CI",
    )
    names = (df["label"] if "label" in df.columns else df["variant"]).astype(str)
    ax.set_yticks(y, list(names))
    if baseline is not None and (names == str(baseline)).any():
        ref = float(df.loc[names == str(baseline), "mean"].iloc[0])
        ax.axvline(ref, color=_C["vermillion"], linestyle="--", label=f"{baseline} mean")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label(metric))
    ax.set_ylabel("variant")
    reps = _replicates(df["n"] if "n" in df.columns else pd.Series(dtype=float))
    legend_below(ax, ncol=2)
    ax.set_title(f"{title} (mean and 95% CI, {reps} runs each)")
    return fig


def _sensitivity_columns(df: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(index, confidence column) pairs present: Sobol S1/ST or Morris mu_star."""
    out = []
    for name in ("S1", "ST", "mu_star"):
        if name in df.columns:
            conf = f"{name}_conf" if f"{name}_conf" in df.columns else None
            out.append((name, conf))
    return out


def _sensitivity_rows(sensitivity: pd.DataFrame, metric: str | None) -> pd.DataFrame:
    """The table with a ``parameter`` column, limited to ``metric`` if it has a metric column."""
    df = sensitivity
    if "parameter" not in df.columns and len(df.columns):
        df = df.reset_index()
        df = df.rename(columns={df.columns[0]: "parameter"})
    if "metric" in df.columns and len(df):
        df = df[df["metric"] == (metric if metric is not None else df["metric"].iloc[0])]
    return df.reset_index(drop=True)


@figure_function("experiment")
def plot_sensitivity(
    sensitivity: pd.DataFrame, metric: str | None = None, ax: Axes | None = None
) -> Figure:
    """Sensitivity indices per parameter as bars with confidence intervals.

    Sobol tables (``S1``, ``ST`` with ``*_conf``) give grouped bars; Morris tables give
    ``mu_star`` with ``mu_star_conf``. With a ``metric`` column, ``metric`` selects one
    output (default: the first).
    """
    if metric is None and "metric" in sensitivity.columns and len(sensitivity):
        metric = str(sensitivity["metric"].iloc[0])
    df = _sensitivity_rows(sensitivity, metric)
    indices = _sensitivity_columns(df)
    title = f"Sensitivity of {label(metric) if metric else 'the output'}"
    if df.empty or not indices:
        fig, ax = axes_of(ax)
        note = "No sensitivity indices (S1/ST or mu_star) in this table"
        if df.empty and metric is not None and "metric" in sensitivity.columns:
            note = _absent("metric", metric, dict.fromkeys(sensitivity["metric"].astype(str)))
        draw_note(ax, note, title)
        return fig
    fig, ax = axes_of(ax, figsize=(9.0, max(3.5, 1.2 + 0.6 * len(df))))
    y = np.arange(len(df))[::-1].astype(float)
    h = 0.8 / len(indices)
    names = {"S1": "first order S1", "ST": "total order ST", "mu_star": "Morris μ*"}
    colours = {"S1": _C["blue"], "ST": _C["orange"], "mu_star": _C["green"]}
    for i, (name, conf) in enumerate(indices):
        ax.barh(
            y + (len(indices) - 1) / 2 * h - i * h,
            df[name],
            height=h * 0.9,
            xerr=df[conf].to_numpy(dtype=float) if conf else None,
            color=colours[name],
            capsize=4,
            error_kw={"elinewidth": 1.3},
            label=names[name] + (" (± 95% conf.)" if conf else ""),
        )
    ax.set_yticks(y, [label(str(p)) for p in df["parameter"]])
    ax.grid(axis="y", visible=False)
    ax.axvline(0, color=_C["black"], linewidth=0.8)
    kind = "Morris elementary effects" if indices[0][0] == "mu_star" else "Sobol indices"
    ax.set_xlabel("index" if kind.startswith("Sobol") else f"μ* (units of {metric or 'output'})")
    legend_below(ax, ncol=2)
    ax.set_title(f"{title} ({kind})")
    return fig
