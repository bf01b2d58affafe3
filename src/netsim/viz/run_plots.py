"""Time-series and distribution figures of one run.

Labour market, churn, hires by channel, tenure distribution, platform money, knowledge
mixing and referral chain lengths. Each takes a :class:`~netsim.output.results.RunResult` and an
optional matplotlib ``ax``, and returns the figure. A run that lacks what a figure shows (no
platform, no platform hires, no completed month, a column an older run folder does not have)
gets a figure with a note saying so, never an exception. Time is in months, money in
currency units, rates per month.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, numpy, pandas and matplotlib;
never the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from netsim.viz.data import (
    chain_lengths,
    completed_tenures,
    current_tenures,
    has_platform,
    missing_columns,
    months,
    run_title,
)
from netsim.viz.style import (
    CHANNEL_COLOURS,
    GAMING_COLOURS,
    OKABE_ITO,
    axes_of,
    draw_note,
    figure_function,
    legend_below,
    money,
    new_figure,
)

if TYPE_CHECKING:
    import pandas as pd

    from netsim.output.results import RunResult

__all__ = [
    "plot_labour_market",
    "plot_churn",
    "plot_hires_by_channel",
    "plot_tenure_distribution",
    "plot_platform_money",
    "plot_knowledge_mixing",
    "plot_chain_lengths",
]

_C = OKABE_ITO
NO_PLATFORM = "No referral platform in this run"


def _blank(df: pd.DataFrame, columns: tuple[str, ...], rows: str = "rows") -> str | None:
    """Why the time-series table ``df`` cannot give the figure, or None if it can."""
    gone = missing_columns(df, columns)
    if gone:
        return "This run's time series has no column " + ", ".join(repr(c) for c in gone)
    if df.empty:
        return f"No {rows} in this run's time series"
    return None


def _twin(ax: Axes, colour: str, ylabel: str) -> Axes:
    """A right-hand y axis in ``colour`` for a second quantity."""
    ax2 = ax.twinx()
    ax2.set_ylabel(ylabel, color=colour)
    ax2.tick_params(axis="y", colors=colour)
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    return ax2


def _legend_of_both(ax: Axes, ax2: Axes, ncol: int) -> None:
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    legend_below(ax, h1 + h2, l1 + l2, ncol=ncol)


_LABOUR = ("time_months", "employed", "seeking", "out_of_market", "unemployment_rate")


@figure_function("run")
def plot_labour_market(result: RunResult, ax: Axes | Any = None) -> Figure:
    """Employment, seeking and unemployment rates and open vacancies by month.

    Without ``ax``: two panels, the employed share on top and the (small) seeking share,
    unemployment rate and open vacancies below. ``ax`` may be a pair of axes for the two
    panels, or one axes for the lower panel alone.
    """
    if ax is None:
        fig = new_figure((9.0, 6.5))
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2])
    elif isinstance(ax, Axes):
        fig, top, bottom = ax.figure, None, ax
    else:
        top, bottom = ax
        fig = bottom.figure
    ts = result.timeseries
    title = f"Labour market by month — {run_title(result)}"
    note = _blank(ts, _LABOUR)
    if note:
        for a in (top, bottom):
            if a is not None:
                a.set_axis_off()
        draw_note(bottom, note)
        (top if top is not None else bottom).set_title(title)
        return fig
    # Freelancers holding a gig are a stock of their own (runs with freelancers only).
    freelancing = ts["freelancing"] if "freelancing" in ts.columns else 0
    workers = (ts["employed"] + ts["seeking"] + ts["out_of_market"] + freelancing).clip(lower=1)
    t = ts["time_months"]
    if top is not None:
        employed = 100 * ts["employed"] / workers
        top.plot(t, employed, color=_C["blue"], label="employed")
        if "freelancing" in ts.columns:
            in_work = 100 * (ts["employed"] + freelancing) / workers
            top.plot(t, in_work, color=_C["blue"], linestyle="--", label="employed + freelancing")
            top.legend(loc="lower right", fontsize=9)
        top.set_ylabel("employed\n(% of workers)")
        top.set_ylim(max(0.0, float(employed.min()) - 5), 100)
        top.set_title(title)
    bottom.plot(
        t, 100 * ts["seeking"] / workers, color=_C["orange"], label="seeking (% of workers)"
    )
    unemployment = 100 * ts["unemployment_rate"].fillna(0.0)
    bottom.plot(
        t,
        unemployment,
        color=_C["vermillion"],
        linestyle="--",
        linewidth=1.6,
        label="unemployment rate (% of labour force)",
    )
    bottom.set_xlabel("time (months)")
    bottom.set_ylabel("share (%)")
    bottom.set_ylim(0, max(1.0, float(unemployment.max()) * 1.25))
    if "open_vacancies" in ts.columns:
        ax2 = _twin(bottom, _C["green"], "open vacancies (count)")
        ax2.step(
            t,
            ts["open_vacancies"],
            where="post",
            color=_C["green"],
            linewidth=1.3,
            alpha=0.9,
            label="open vacancies (count)",
        )
        ax2.set_ylim(0, max(1.0, float(ts["open_vacancies"].max()) * 1.1))
        _legend_of_both(bottom, ax2, ncol=2)
    else:  # an older run folder without the vacancy count
        legend_below(bottom, ncol=2)
    if top is None:
        bottom.set_title(title)
    return fig


@figure_function("run")
def plot_churn(result: RunResult, ax: Axes | None = None) -> Figure:
    """Churn rate (separations per employed worker per month) and quits per month."""
    fig, ax = axes_of(ax)
    title = f"Churn and quits by month — {run_title(result)}"
    m = months(result)
    note = _blank(m, ("time_months", "quits", "churn_rate"), rows="completed month")
    if note:
        draw_note(ax, note, title)
        return fig
    mid = m["time_months"] - 0.5  # flows of month m happen between m - 1 and m
    ax.bar(
        mid,
        m["quits"],
        width=0.9,
        color=_C["sky_blue"],
        alpha=0.7,
        label="quits incl. job-to-job (count/month)",
    )
    ax.set_xlabel("time (months)")
    ax.set_ylabel("quits (count per month)")
    ax2 = _twin(ax, _C["vermillion"], "churn rate (% of employed per month)")
    churn = 100 * m["churn_rate"].fillna(0.0)
    ax2.plot(mid, churn, color=_C["vermillion"], label="churn rate (% of employed/month)")
    ax2.set_ylim(0, max(0.5, float(churn.max()) * 1.15))
    _legend_of_both(ax, ax2, ncol=2)
    ax.set_title(title)
    return fig


@figure_function("run", stem="hires_by_channel")
def plot_hires_by_channel(
    result: RunResult, ax: Axes | None = None, include_internal: bool = True
) -> Figure:
    """Hires per month by channel, as stacked areas (internal moves on top, hatched)."""
    fig, ax = axes_of(ax)
    title = f"Hires by channel per month — {run_title(result)}"
    m = months(result)
    channels = ["market", "word_of_mouth", "platform"] + (["internal"] if include_internal else [])
    channels = [ch for ch in channels if f"hires_{ch}" in m.columns]
    if "hires_campaign" in m.columns and m["hires_campaign"].sum() > 0:
        channels.insert(3, "campaign")  # only runs with viral campaigns have such hires
    if "platform" in channels and not has_platform(result):
        channels.remove("platform")
    note = _blank(m, ("time_months",), rows="completed month")
    if note is None and not channels:
        note = "This run's time series has no hires_<channel> columns"
    if note:
        draw_note(ax, note, title)
        return fig
    ys = [m[f"hires_{ch}"].to_numpy(dtype=float) for ch in channels]
    labels = [ch.replace("_", " ") + (" moves" if ch == "internal" else "") for ch in channels]
    polys = ax.stackplot(
        m["time_months"],
        *ys,
        labels=labels,
        colors=[CHANNEL_COLOURS[ch] for ch in channels],
        alpha=0.85,
        step="pre",
    )
    for poly, ch in zip(polys, channels, strict=True):
        if ch == "internal":
            poly.set_hatch("//")
            poly.set_edgecolor("white")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("hires (count per month)")
    ax.set_xlim(0, float(m["time_months"].max()))
    ax.set_ylim(bottom=0)
    legend_below(ax, ncol=4)
    ax.set_title(title)
    return fig


@figure_function("run", stem="tenure")
def plot_tenure_distribution(
    result: RunResult, ax: Axes | None = None, bins: int = 30, quantile: float = 0.98
) -> Figure:
    """Histogram of completed tenures (jobs begun and ended in the run) and current tenures.

    Completed tenures cannot exceed the run's length (they are right-censored by it); jobs
    held at the end include those held since before the start. The x axis ends at the
    ``quantile`` of all tenures; how many longer ones are not shown is stated in the legend.
    Completed tenures need the event log (``outputs.event_log``).
    """
    fig, ax = axes_of(ax)
    title = f"Tenure distribution — {run_title(result)}"
    done = completed_tenures(result)
    now = current_tenures(result)
    if not len(done) and not len(now):
        draw_note(ax, "No completed jobs and no jobs held at the end of this run", title)
        return fig
    both = np.concatenate([done, now])
    horizon = float(result.scenario.horizon_months)
    upper = max(float(np.quantile(both, quantile)), horizon * 1.05, 1.0)
    edges = np.linspace(0.0, upper, bins + 1)
    if len(done):
        ax.hist(
            np.clip(done, 0, upper),
            bins=edges,
            color=_C["blue"],
            alpha=0.75,
            label=f"completed jobs (n={len(done)}, mean {np.mean(done):.1f} months)",
        )
    if len(now):
        hidden = int(np.sum(now > upper))
        more = f"; {hidden} longer than {upper:.0f} not shown" if hidden else ""
        ax.hist(
            now[now <= upper],
            bins=edges,
            histtype="step",
            color=_C["vermillion"],
            linewidth=2.2,
            label=f"jobs held at the end (n={len(now)}, mean {np.mean(now):.1f} months{more})",
        )
    ax.axvline(horizon, color=_C["black"], linestyle=":", linewidth=1.5, label="length of the run")
    ax.set_xlim(0, upper)
    ax.set_xlabel("tenure (months)")
    ax.set_ylabel("jobs (count)")
    legend_below(ax, ncol=1)
    ax.set_title(title)
    return fig


_MONEY = ("time_months", "fees", "payouts_honest", "payouts_gamed", "platform_margin", "members")


@figure_function("run", platform_only=True)
def plot_platform_money(result: RunResult, ax: Axes | None = None) -> Figure:
    """Cumulative payouts to honest and to gaming referrers, fees, and platform members.

    A run without the referral platform gets a note instead of curves.
    """
    fig, ax = axes_of(ax)
    rule = f" ({result.scenario.platform.payout.rule} rule)" if has_platform(result) else ""
    title = f"Platform money{rule}, cumulative — {run_title(result)}"
    note = NO_PLATFORM if not rule else _blank(result.timeseries, _MONEY)
    if note:
        draw_note(ax, note, title)
        return fig
    ts = result.timeseries
    t = ts["time_months"]
    ax.plot(t, ts["fees"].cumsum(), color=_C["black"], linestyle=":", label="fees received")
    ax.plot(t, ts["payouts_honest"].cumsum(), color=_C["blue"], label="payouts, honest")
    ax.plot(t, ts["payouts_gamed"].cumsum(), color=_C["vermillion"], label="payouts, gamed")
    ax.plot(t, ts["platform_margin"], color=_C["green"], linestyle="--", label="platform margin")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("cumulative amount (currency)")
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(money))
    ax2 = _twin(ax, _C["purple"], "members (count)")
    ax2.plot(t, ts["members"], color=_C["purple"], linewidth=1.5, label="platform members")
    ax2.set_ylim(0, max(1.0, float(ts["members"].max()) * 1.1))
    _legend_of_both(ax, ax2, ncol=3)
    ax.set_title(title)
    return fig


@figure_function("run")
def plot_knowledge_mixing(result: RunResult, ax: Axes | None = None) -> Figure:
    """Mean knowledge mixing across companies by month (0 = all home-grown)."""
    fig, ax = axes_of(ax)
    title = f"Knowledge mixing across companies — {run_title(result)}"
    ts = result.timeseries
    note = _blank(ts, ("time_months", "knowledge_mixing"))
    if note:
        draw_note(ax, note, title)
        return fig
    ax.plot(ts["time_months"], ts["knowledge_mixing"], color=_C["green"], label="mean mixing")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("knowledge mixing (index, 0–1)")
    ax.set_ylim(0, max(0.05, float(ts["knowledge_mixing"].max()) * 1.15))
    ax.set_title(title)
    return fig


@figure_function("run", platform_only=True)
def plot_chain_lengths(result: RunResult, ax: Axes | None = None) -> Figure:
    """Bar chart of referral chain lengths of platform hires, stacked by gaming strategy.

    A run without the platform, or without platform hires, gets a note instead of bars.
    """
    fig, ax = axes_of(ax)
    cl = chain_lengths(result)
    title = f"Referral chain lengths — {run_title(result)} ({len(cl)} platform hires)"
    if not has_platform(result) or cl.empty:
        draw_note(ax, NO_PLATFORM if not has_platform(result) else "No platform hires", title)
        return fig
    max_len = max(int(result.scenario.platform.max_chain), int(cl["length"].max()))
    x = np.arange(1, max_len + 1)
    bottom = np.zeros(len(x))
    for strategy, colour in GAMING_COLOURS.items():
        sub = cl[cl["gaming"] == strategy]
        if strategy != "honest" and sub.empty:
            continue
        counts = sub["length"].value_counts().reindex(x, fill_value=0).to_numpy()
        ax.bar(
            x,
            counts,
            bottom=bottom,
            color=colour,
            width=0.8,
            label=f"{strategy.replace('_', ' ')} (n={len(sub)})",
        )
        bottom += counts
    ax.set_xticks(x)
    ax.set_xlabel("chain length (referrer identities, incl. fake ones)")
    ax.set_ylabel("platform hires (count)")
    legend_below(ax, ncol=4, title="gaming of the chain")
    ax.set_title(title)
    return fig
