"""Figures of a run and of an experiment (matplotlib, no pyplot state).

Every figure function takes a :class:`~netsim.results.RunResult` (or, for experiments, a
DataFrame) and an optional matplotlib ``ax``; it draws into ``ax`` if given, otherwise into a
new :class:`~matplotlib.figure.Figure`, and returns the figure. Figures are built without
``pyplot``, so they work under any backend (files are written with Agg) and leave no global
state behind; in a notebook, ``import matplotlib.pyplot`` once (or ``%matplotlib inline``) and
show a figure by making it the last expression of a cell.

Time is in months, money in currency units, rates per month. Colours are the Okabe–Ito
palette, which stays distinguishable with the common forms of colour blindness.

Run figures: :func:`plot_labour_market`, :func:`plot_churn`, :func:`plot_hires_by_channel`,
:func:`plot_tenure_distribution`, :func:`plot_platform_money` (platform runs only),
:func:`plot_knowledge_mixing`, :func:`plot_chain_lengths` (platform runs only),
:func:`plot_ego_network`. Experiment figures: :func:`plot_metric_vs_parameter`,
:func:`plot_comparison`, :func:`plot_sensitivity`. :func:`run_figures` /
:func:`experiment_figures` return them all by name; :func:`save_figures` and
:func:`plot_dir` write them as PNG and SVG.

**The network figure.** A :class:`RunResult` does not hold the social network, so
:func:`network_at_end` rebuilds it honestly: ``Simulation(result.scenario, result.seed)``
draws the initial network exactly as the run did (construction is deterministic and does
not advance the dynamics), and every ``tie_formed`` event of the event log is added on top,
which gives the network at the end of the run. The edge count is checked against the time
series' final ``edges``; if the event log is off, or the rebuild fails or does not match,
the figure falls back to chains and hires only (no social ties) and says so in its title.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from netsim.results import RunResult

__all__ = [
    "OKABE_ITO",
    "plot_labour_market",
    "plot_churn",
    "plot_hires_by_channel",
    "plot_tenure_distribution",
    "plot_platform_money",
    "plot_knowledge_mixing",
    "plot_chain_lengths",
    "plot_ego_network",
    "network_at_end",
    "choose_ego",
    "plot_metric_vs_parameter",
    "plot_comparison",
    "plot_sensitivity",
    "tidy_comparison",
    "run_figures",
    "experiment_figures",
    "save_figures",
    "plot_dir",
    "has_platform",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
_C = OKABE_ITO
_CYCLE = [_C[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")]

CHANNEL_COLOURS = {
    "market": _C["blue"],
    "word_of_mouth": _C["orange"],
    "platform": _C["green"],
    "internal": _C["purple"],
}
GAMING_COLOURS = {
    "honest": _C["blue"],
    "rotation": _C["vermillion"],
    "sybil": _C["purple"],
    "self_referral": _C["orange"],
}

#: Readable when projected: 12–15 pt on a 9-inch-wide figure.
STYLE = {
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "axes.prop_cycle": mpl.cycler(color=_CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "svg.fonttype": "none",
}

FIGSIZE = (9.0, 5.0)


def _styled(fn: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw under :data:`STYLE` (fonts and colours are fixed when artists are made)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(STYLE):
            return fn(*args, **kwargs)

    return wrapper


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _legend_below(ax: Axes, handles=None, labels=None, ncol: int = 4, **kw: Any) -> None:
    """Legend under the axes, outside the data area."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    # About 0.75 inch below the axes, whatever the figure's height.
    height = ax.figure.get_size_inches()[1] * ax.get_position().height
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.75 / max(height, 0.5)),
        ncol=min(ncol, max(len(handles), 1)),
        frameon=False,
        **kw,
    )


def _title(result: RunResult) -> str:
    return f"{result.scenario.name}, seed {result.seed}"


def _months(result: RunResult) -> pd.DataFrame:
    """The monthly rows after month 0 (flows are zero at month 0)."""
    ts = result.timeseries
    return ts[ts["month"] > 0]


def has_platform(result: RunResult) -> bool:
    """Whether the run had the referral platform (its columns are in the time series)."""
    return "payouts_honest" in result.timeseries.columns


# --------------------------------------------------------------------------- run figures


@_styled
def plot_labour_market(result: RunResult, ax: Axes | Any = None) -> Figure:
    """Employment, seeking and unemployment rates and open vacancies by month.

    Without ``ax``: two panels, the employed share on top and the (small) seeking share,
    unemployment rate and open vacancies below. ``ax`` may be a pair of axes for the two
    panels, or one axes for the lower panel alone.
    """
    if ax is None:
        fig = Figure(figsize=(9.0, 6.5), layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2])
    elif isinstance(ax, Axes):
        fig, top, bottom = ax.figure, None, ax
    else:
        top, bottom = ax
        fig = bottom.figure
    ts = result.timeseries
    workers = ts["employed"] + ts["seeking"] + ts["out_of_market"]
    t = ts["time_months"]
    title = f"Labour market by month — {_title(result)}"
    if top is not None:
        top.plot(t, 100 * ts["employed"] / workers, color=_C["blue"], label="employed")
        top.set_ylabel("employed\n(% of workers)")
        lo = float((100 * ts["employed"] / workers).min())
        top.set_ylim(max(0.0, lo - 5), 100)
        top.set_title(title)
    bottom.plot(
        t, 100 * ts["seeking"] / workers, color=_C["orange"], label="seeking (% of workers)"
    )
    bottom.plot(
        t,
        100 * ts["unemployment_rate"],
        color=_C["vermillion"],
        linestyle="--",
        linewidth=1.6,
        label="unemployment rate (% of labour force)",
    )
    bottom.set_xlabel("time (months)")
    bottom.set_ylabel("share (%)")
    bottom.set_ylim(0, max(1.0, float(100 * ts["unemployment_rate"].max()) * 1.25))
    ax2 = bottom.twinx()
    ax2.step(
        t,
        ts["open_vacancies"],
        where="post",
        color=_C["green"],
        linewidth=1.3,
        alpha=0.9,
        label="open vacancies (count)",
    )
    ax2.set_ylabel("open vacancies (count)", color=_C["green"])
    ax2.tick_params(axis="y", colors=_C["green"])
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    ax2.set_ylim(0, max(1.0, float(ts["open_vacancies"].max()) * 1.1))
    h1, l1 = bottom.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    _legend_below(bottom, h1 + h2, l1 + l2, ncol=2)
    if top is None:
        bottom.set_title(title)
    return fig


@_styled
def plot_churn(result: RunResult, ax: Axes | None = None) -> Figure:
    """Churn rate (separations per employed worker per month) and quits per month."""
    fig, ax = _axes(ax)
    m = _months(result)
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
    ax2 = ax.twinx()
    ax2.plot(
        mid,
        100 * m["churn_rate"],
        color=_C["vermillion"],
        label="churn rate (% of employed/month)",
    )
    ax2.set_ylabel("churn rate (% of employed per month)", color=_C["vermillion"])
    ax2.tick_params(axis="y", colors=_C["vermillion"])
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    ax2.set_ylim(0, max(0.5, float(100 * m["churn_rate"].max()) * 1.15) if len(m) else 1)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    _legend_below(ax, h1 + h2, l1 + l2, ncol=2)
    ax.set_title(f"Churn and quits by month — {_title(result)}")
    return fig


@_styled
def plot_hires_by_channel(
    result: RunResult, ax: Axes | None = None, include_internal: bool = True
) -> Figure:
    """Hires per month by channel, as stacked areas (internal moves on top, hatched)."""
    fig, ax = _axes(ax)
    m = _months(result)
    channels = ["market", "word_of_mouth", "platform"] + (["internal"] if include_internal else [])
    channels = [ch for ch in channels if f"hires_{ch}" in m.columns]
    if "platform" in channels and not has_platform(result):
        channels.remove("platform")
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
    ax.set_xlim(0, float(result.timeseries["time_months"].max()))
    ax.set_ylim(bottom=0)
    _legend_below(ax, ncol=4)
    ax.set_title(f"Hires by channel per month — {_title(result)}")
    return fig


def completed_tenures(result: RunResult) -> np.ndarray:
    """Tenures (months) of jobs that began and ended during the run.

    From the event log: each ``separation`` carries the id of the hire it ends (column
    ``other``), matched to that ``hire``'s time. Jobs held at the start (hire id -1) are left
    out since their start is not in the log; internal moves count as the end of a job.
    """
    ev = result.events
    if ev.empty:
        return np.array([])
    hires = ev[ev["kind"] == "hire"].set_index("hire")["time_months"]
    seps = ev[(ev["kind"] == "separation") & (ev["other"] >= 0)]
    start = hires.reindex(seps["other"].to_numpy()).to_numpy()
    tenure = seps["time_months"].to_numpy() - start
    return tenure[np.isfinite(tenure)]


def current_tenures(result: RunResult) -> np.ndarray:
    """Tenures (months) of the jobs held at the end of the run (incomplete spells)."""
    w = result.workers
    end = float(result.timeseries["time_months"].iloc[-1])
    since = w.loc[w["state"] == "employed", "since_months"].to_numpy(dtype=float)
    return end - since[np.isfinite(since)]


@_styled
def plot_tenure_distribution(
    result: RunResult, ax: Axes | None = None, bins: int = 30, quantile: float = 0.98
) -> Figure:
    """Histogram of completed tenures (jobs begun and ended in the run) and current tenures.

    Completed tenures cannot exceed the run's length (they are right-censored by it); jobs
    held at the end include those held since before the start. The x axis ends at the
    ``quantile`` of all tenures; how many longer ones are not shown is stated in the legend.
    """
    fig, ax = _axes(ax)
    done = completed_tenures(result)
    now = current_tenures(result)
    both = np.concatenate([done, now])
    upper = float(np.quantile(both, quantile)) if len(both) else 1.0
    horizon = float(result.scenario.horizon_months)
    upper = max(upper, horizon * 1.05, 1.0)
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
    _legend_below(ax, ncol=1)
    ax.set_title(f"Tenure distribution — {_title(result)}")
    return fig


@_styled
def plot_platform_money(result: RunResult, ax: Axes | None = None) -> Figure:
    """Cumulative payouts to honest and to gaming referrers, fees, and platform members.

    Raises :class:`ValueError` for a run without the referral platform.
    """
    if not has_platform(result):
        raise ValueError("plot_platform_money: the run has no referral platform")
    fig, ax = _axes(ax)
    ts = result.timeseries
    t = ts["time_months"]
    ax.plot(t, ts["fees"].cumsum(), color=_C["black"], linestyle=":", label="fees received")
    ax.plot(t, ts["payouts_honest"].cumsum(), color=_C["blue"], label="payouts, honest")
    ax.plot(t, ts["payouts_gamed"].cumsum(), color=_C["vermillion"], label="payouts, gamed")
    ax.plot(t, ts["platform_margin"], color=_C["green"], linestyle="--", label="platform margin")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("cumulative amount (currency)")
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(_money))
    ax2 = ax.twinx()
    ax2.plot(t, ts["members"], color=_C["purple"], linewidth=1.5, label="platform members")
    ax2.set_ylabel("members (count)", color=_C["purple"])
    ax2.tick_params(axis="y", colors=_C["purple"])
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    ax2.set_ylim(0, max(1.0, float(ts["members"].max()) * 1.1))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    _legend_below(ax, h1 + h2, l1 + l2, ncol=3)
    rule = result.scenario.platform.payout.rule
    ax.set_title(f"Platform money ({rule} rule), cumulative — {_title(result)}")
    return fig


def _money(x: float, _pos: Any = None) -> str:
    ax_ = abs(x)
    if ax_ >= 1e6:
        return f"{x / 1e6:g}M"
    if ax_ >= 1e3:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


@_styled
def plot_knowledge_mixing(result: RunResult, ax: Axes | None = None) -> Figure:
    """Mean knowledge mixing across companies by month (0 = all home-grown)."""
    fig, ax = _axes(ax)
    ts = result.timeseries
    ax.plot(ts["time_months"], ts["knowledge_mixing"], color=_C["green"], label="mean mixing")
    ax.set_xlabel("time (months)")
    ax.set_ylabel("knowledge mixing (index, 0–1)")
    ax.set_ylim(0, max(0.05, float(ts["knowledge_mixing"].max()) * 1.15))
    ax.set_title(f"Knowledge mixing across companies — {_title(result)}")
    return fig


def chain_lengths(result: RunResult) -> pd.DataFrame:
    """One row per platform hire: ``hire``, ``length`` (identities in its chain), ``gaming``."""
    ch = result.chains
    if ch.empty:
        return pd.DataFrame({"hire": [], "length": [], "gaming": []})
    g = ch.groupby("hire", sort=True)
    out = pd.DataFrame({"length": g.size(), "gaming": g["gaming"].first().astype(str)})
    out["gaming"] = out["gaming"].replace("", "honest")
    return out.reset_index()


@_styled
def plot_chain_lengths(result: RunResult, ax: Axes | None = None) -> Figure:
    """Bar chart of referral chain lengths of platform hires, stacked by gaming strategy.

    Raises :class:`ValueError` for a run without the referral platform.
    """
    if not has_platform(result):
        raise ValueError("plot_chain_lengths: the run has no referral platform")
    fig, ax = _axes(ax)
    cl = chain_lengths(result)
    max_len = int(result.scenario.platform.max_chain)
    if len(cl):
        max_len = max(max_len, int(cl["length"].max()))
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
    _legend_below(ax, ncol=4, title="gaming of the chain")
    ax.set_title(f"Referral chain lengths — {_title(result)} ({len(cl)} platform hires)")
    return fig


def network_at_end(result: RunResult) -> nx.Graph | None:
    """The social network at the end of the run, rebuilt; ``None`` if that is impossible.

    The initial network is drawn again by ``Simulation(result.scenario, result.seed)`` (the
    same generator stream as the run), and the ``tie_formed`` events are added. The result is
    only returned if its edge count matches the time series' final ``edges``.
    """
    from netsim.model.simulation import Simulation

    ev = result.events
    if ev.empty or not result.scenario.outputs.event_log:
        return None
    try:
        sim = Simulation(result.scenario, result.seed)
    except Exception as exc:  # e.g. a graph file that has moved since the run
        warnings.warn(f"could not rebuild the network: {exc}", stacklevel=2)
        return None
    G = sim.net.to_networkx()
    ties = ev[ev["kind"] == "tie_formed"]
    for u, v, origin, tm in zip(
        ties["worker"], ties["other"], ties["detail"].astype(str), ties["time_months"], strict=True
    ):
        G.add_edge(int(u), int(v), origin=origin, time_months=float(tm))
    final_edges = result.timeseries["edges"].iloc[-1]
    if np.isfinite(final_edges) and G.number_of_edges() != int(final_edges):
        warnings.warn(
            f"rebuilt network has {G.number_of_edges()} ties, the run ended with "
            f"{int(final_edges)}; drawing chains only",
            stacklevel=2,
        )
        return None
    return G


def choose_ego(result: RunResult) -> int:
    """A worker worth looking at: the referrer with most rotation hires, else most hires.

    Without platform hires: the worker with the highest final degree.
    """
    cl = result.chains
    if not cl.empty:
        real = cl[~cl["sybil"]] if "sybil" in cl.columns else cl
        rot = real[real["gaming"].astype(str) == "rotation"]
        pool = rot if len(rot) else real
        if len(pool):
            return int(pool["referrer"].value_counts().idxmax())
    return int(result.workers["degree"].idxmax())


@_styled
def plot_ego_network(
    result: RunResult,
    worker: int | None = None,
    ax: Axes | None = None,
    *,
    graph: nx.Graph | None = None,
    max_neighbours: int = 40,
    seed: int = 1,
) -> Figure:
    """The ego network of ``worker`` with the referral chains that pass through it.

    Grey lines are social ties at the end of the run (see :func:`network_at_end`); arrows are
    referrals of platform hires that involve the ego (coloured by the chain's gaming, from
    each referrer to the next and on to the hired worker). Rotation rings — a referrer and the
    contact they place again and again — are circled in vermillion, with the number of
    placements on the arrow. ``worker`` defaults to :func:`choose_ego`. At most
    ``max_neighbours`` contacts are drawn (chain members first, then the strongest ties).
    """
    fig, ax = _axes(ax, figsize=(9.0, 8.0))
    ego = choose_ego(result) if worker is None else int(worker)
    G = network_at_end(result) if graph is None else graph
    chains = result.chains
    involved = pd.DataFrame()
    if not chains.empty:
        hires_with_ego = chains.loc[
            (chains["referrer"] == ego) | (chains["worker"] == ego), "hire"
        ].unique()
        involved = chains[chains["hire"].isin(hires_with_ego)].sort_values(["hire", "position"])

    # Referral arrows: identity -> next identity -> hired worker, drawn between owners.
    arrows: dict[tuple[int, int], dict[str, Any]] = {}
    for _hid, grp in involved.groupby("hire", sort=False):
        path = [int(r) for r in grp["referrer"]] + [int(grp["worker"].iloc[0])]
        gaming = str(grp["gaming"].iloc[0]) or "honest"
        for a, b in zip(path[:-1], path[1:], strict=True):
            if a == b:  # a sybil's fake identities collapse onto their owner
                continue
            rec = arrows.setdefault((a, b), {"n": 0, "gaming": gaming})
            rec["n"] += 1
            if gaming != "honest":
                rec["gaming"] = gaming
    chain_nodes = {n for pair in arrows for n in pair}
    # Where each hire of those chains went: company nodes ("company", c), with the months.
    placements: dict[tuple[int, tuple[str, int]], list[float]] = {}
    placement_gaming: dict[tuple[int, tuple[str, int]], str] = {}
    for _hid, grp in involved.groupby("hire", sort=False):
        key = (int(grp["worker"].iloc[0]), ("company", int(grp["company"].iloc[0])))
        placements.setdefault(key, []).append(float(grp["time_months"].iloc[0]))
        placement_gaming[key] = str(grp["gaming"].iloc[0]) or "honest"

    H = nx.Graph()
    H.add_node(ego)
    if G is not None and ego in G:
        nbrs = list(G.neighbors(ego))
        first = [n for n in nbrs if n in chain_nodes]
        rest = sorted(
            (n for n in nbrs if n not in chain_nodes),
            key=lambda n: -G.edges[ego, n].get("strength", 0.0),
        )
        keep = set(first + rest[: max(0, max_neighbours - len(first))]) | chain_nodes | {ego}
        H = G.subgraph(keep).copy()
        n_hidden = len(nbrs) - len([n for n in nbrs if n in keep])
    else:
        H.add_nodes_from(chain_nodes)
        n_hidden = 0
    H.add_nodes_from(chain_nodes)
    H.add_edges_from(placements)  # for the layout only; drawn separately below
    companies = [n for n in H.nodes if isinstance(n, tuple)]
    people = [n for n in H.nodes if not isinstance(n, tuple)]
    ties = [(u, v) for u, v in H.edges if not isinstance(u, tuple) and not isinstance(v, tuple)]

    pos = nx.spring_layout(H, seed=seed, k=1.2 / math.sqrt(max(len(H), 1)), iterations=200)
    pos[ego] = np.array([0.0, 0.0])
    pos = nx.spring_layout(H, pos=pos, fixed=[ego], seed=seed, iterations=50)

    rings = {pair for pair, rec in arrows.items() if rec["gaming"] == "rotation" and rec["n"] > 1}
    ring_nodes = {n for pair in rings for n in pair}
    workers = result.workers.set_index("worker")
    vital = workers["vital_force"].reindex(people).fillna(False).to_numpy(dtype=bool)

    nx.draw_networkx_edges(H, pos, edgelist=ties, ax=ax, edge_color="#999999", width=0.8, alpha=0.6)
    for w, c in placements:
        colour = GAMING_COLOURS.get(placement_gaming[(w, c)], _C["blue"])
        nx.draw_networkx_edges(
            H, pos, edgelist=[(w, c)], ax=ax, edge_color=colour, width=1.4, style=":"
        )
    if companies:
        nx.draw_networkx_nodes(
            H,
            pos,
            nodelist=companies,
            ax=ax,
            node_shape="s",
            node_color="white",
            edgecolors=_C["black"],
            linewidths=1.2,
            node_size=260,
        )
        labels = {}
        for c in companies:
            months = sorted(m for (_w, cc), ms in placements.items() if cc == c for m in ms)
            when = ", ".join(f"m{m:.0f}" for m in months[:3]) + ("…" if len(months) > 3 else "")
            labels[c] = f"company {c[1]}\n(hired {when})"
        nx.draw_networkx_labels(
            H,
            {c: pos[c] + np.array([0.0, -0.075]) for c in companies},
            labels=labels,
            ax=ax,
            font_size=9,
            verticalalignment="top",
        )
    colours = [
        _C["black"] if n == ego else (_C["orange"] if v else _C["sky_blue"])
        for n, v in zip(people, vital, strict=True)
    ]
    sizes = [420 if n == ego else 160 for n in people]
    edgecolors = [_C["vermillion"] if n in ring_nodes else "white" for n in people]
    linewidths = [3.0 if n in ring_nodes else 0.8 for n in people]
    nx.draw_networkx_nodes(
        H,
        pos,
        nodelist=people,
        ax=ax,
        node_color=colours,
        node_size=sizes,
        edgecolors=edgecolors,
        linewidths=linewidths,
    )
    for (a, b), rec in arrows.items():
        colour = GAMING_COLOURS.get(rec["gaming"], _C["blue"])
        nx.draw_networkx_edges(
            H,
            pos,
            edgelist=[(a, b)],
            ax=ax,
            arrows=True,
            arrowstyle="-|>",
            arrowsize=18,
            width=1.5 + 0.6 * min(rec["n"], 5),
            edge_color=colour,
            connectionstyle="arc3,rad=0.15",
            nodelist=[a, b],
            node_size=[420 if n == ego else 160 for n in (a, b)],
        )
        if rec["n"] > 1:
            mid = (pos[a] + pos[b]) / 2
            ax.annotate(
                f"×{rec['n']}",
                mid,
                fontsize=11,
                color=colour,
                fontweight="bold",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    nx.draw_networkx_labels(H, pos, labels={ego: str(ego)}, ax=ax, font_color="white", font_size=9)
    ax.set_axis_off()
    ax.margins(0.15)
    handles = [
        Line2D([], [], marker="o", ls="", color=_C["black"], ms=11, label=f"ego: worker {ego}"),
        Line2D([], [], marker="o", ls="", color=_C["orange"], ms=8, label="vital force"),
        Line2D([], [], marker="o", ls="", color=_C["sky_blue"], ms=8, label="other worker"),
        Line2D([], [], color="#999999", label="social tie (end of run)"),
    ]
    if companies:
        handles += [
            Line2D([], [], marker="s", ls="", mfc="white", mec=_C["black"], ms=9, label="company"),
            Line2D([], [], color=_C["black"], ls=":", label="platform hire into company"),
        ]
    used = {rec["gaming"] for rec in arrows.values()}
    handles += [
        Line2D([], [], color=GAMING_COLOURS[g], lw=2.5, marker=">", label=f"referral, {g}")
        for g in GAMING_COLOURS
        if g in used
    ]
    if ring_nodes:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                mfc="white",
                mec=_C["vermillion"],
                mew=3,
                ms=10,
                label="rotation ring",
            )
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    source = "ties rebuilt from scenario + tie events" if G is not None else "no ties: chains only"
    hidden = f", {n_hidden} more contacts not shown" if n_hidden > 0 else ""
    ax.set_title(
        f"Ego network of worker {ego} and its referral chains — {_title(result)}\n"
        f"({source}{hidden})",
        fontsize=13,
    )
    return fig


# --------------------------------------------------------------------------- experiments

_STATS = ("mean", "std", "ci95_low", "ci95_high", "n")


def tidy_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison table in long form: ``variant, metric, mean, std, ci95_low, ...``.

    Accepts the long form itself, a (variant, metric) MultiIndex, or wide columns
    ``(metric, statistic)`` with the variant as index.
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


def _label(name: str) -> str:
    return name.replace("_", " ")


@_styled
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
    fig, ax = _axes(ax)
    groups = [(None, runs)] if by is None else list(runs.groupby(by, sort=True))
    numeric = pd.api.types.is_numeric_dtype(runs[parameter])
    cats = sorted(runs[parameter].astype(str).unique()) if not numeric else []
    for i, (name, grp) in enumerate(groups):
        colour = _CYCLE[i % len(_CYCLE)]
        rows = []
        for value, sub in grp.groupby(parameter, sort=True):
            mean, lo, hi = _ci95(sub[metric].to_numpy(dtype=float))
            rows.append((value, mean, lo, hi, len(sub)))
        stats = pd.DataFrame(rows, columns=["x", "mean", "lo", "hi", "n"])
        label = f"{name}" if name is not None else ("mean" if numeric else "mean with 95% CI")
        if numeric:
            ax.plot(stats["x"], stats["mean"], marker="o", color=colour, label=label)
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
                label=label,
            )
    if not numeric:
        ax.set_xticks(range(len(cats)), cats, rotation=20, ha="right")
    n = runs.groupby(parameter).size()
    reps = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
    band = Patch(color=_CYCLE[0], alpha=0.25, label="95% CI of the mean")
    handles, labels = ax.get_legend_handles_labels()
    if numeric:
        handles, labels = handles + [band], labels + [band.get_label()]
    _legend_below(ax, handles, labels, ncol=4)
    ax.set_xlabel(_label(parameter))
    ax.set_ylabel(_label(metric))
    ax.set_title(f"{_label(metric)} against {_label(parameter)} ({reps} runs per point)")
    return fig


@_styled
def plot_comparison(
    comparison: pd.DataFrame,
    metric: str,
    ax: Axes | None = None,
    *,
    baseline: str | None = None,
) -> Figure:
    """Variants side by side: mean of ``metric`` with its 95% CI as error bars.

    ``comparison`` is the experiment's comparison table (see :func:`tidy_comparison`).
    ``baseline`` names a variant drawn as a dashed reference line.
    """
    df = tidy_comparison(comparison)
    df = df[df["metric"] == metric]
    if df.empty:
        raise ValueError(f"plot_comparison: no metric {metric!r} in the comparison")
    fig, ax = _axes(ax, figsize=(9.0, max(3.0, 1.0 + 0.55 * len(df))))
    df = df.reset_index(drop=True)
    y = np.arange(len(df))[::-1]
    colours = [_CYCLE[i % len(_CYCLE)] for i in range(len(df))]
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
    names = df["label"] if "label" in df.columns else df["variant"]
    ax.set_yticks(y, [str(v) for v in names])
    if baseline is not None and (names.astype(str) == str(baseline)).any():
        ref = float(df.loc[names.astype(str) == str(baseline), "mean"].iloc[0])
        ax.axvline(ref, color=_C["vermillion"], linestyle="--", label=f"{baseline} mean")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(_label(metric))
    ax.set_ylabel("variant")
    n = df["n"] if "n" in df.columns else pd.Series([np.nan])
    reps = f"{int(n.min())}" if n.min() == n.max() else f"{int(n.min())}–{int(n.max())}"
    _legend_below(ax, ncol=2)
    ax.set_title(f"{_label(metric)} by variant (mean and 95% CI, {reps} runs each)")
    return fig


def _sensitivity_columns(df: pd.DataFrame) -> list[tuple[str, str | None]]:
    """(index, confidence column) pairs present: Sobol S1/ST or Morris mu_star."""
    out = []
    for name in ("S1", "ST", "mu_star"):
        if name in df.columns:
            conf = f"{name}_conf" if f"{name}_conf" in df.columns else None
            out.append((name, conf))
    if not out:
        raise ValueError("sensitivity table needs S1/ST or mu_star columns")
    return out


@_styled
def plot_sensitivity(
    sensitivity: pd.DataFrame, metric: str | None = None, ax: Axes | None = None
) -> Figure:
    """Sensitivity indices per parameter as bars with confidence intervals.

    Sobol tables (``S1``, ``ST`` with ``*_conf``) give grouped bars; Morris tables give
    ``mu_star`` with ``mu_star_conf``. With a ``metric`` column, ``metric`` selects one
    output (default: the first).
    """
    df = sensitivity
    if "parameter" not in df.columns:
        df = df.reset_index()
        df = df.rename(columns={df.columns[0]: "parameter"})
    if "metric" in df.columns:
        metric = metric if metric is not None else str(df["metric"].iloc[0])
        df = df[df["metric"] == metric]
    indices = _sensitivity_columns(df)
    fig, ax = _axes(ax, figsize=(9.0, max(3.5, 1.2 + 0.6 * len(df))))
    df = df.reset_index(drop=True)
    y = np.arange(len(df))[::-1].astype(float)
    h = 0.8 / len(indices)
    labels = {"S1": "first order S1", "ST": "total order ST", "mu_star": "Morris μ*"}
    colours = {"S1": _C["blue"], "ST": _C["orange"], "mu_star": _C["green"]}
    for i, (name, conf) in enumerate(indices):
        offset = (len(indices) - 1) / 2 * h - i * h
        err = df[conf].to_numpy(dtype=float) if conf else None
        ax.barh(
            y + offset,
            df[name],
            height=h * 0.9,
            xerr=err,
            color=colours[name],
            capsize=4,
            error_kw={"elinewidth": 1.3},
            label=labels[name] + (" (± 95% conf.)" if conf else ""),
        )
    ax.set_yticks(y, [_label(str(p)) for p in df["parameter"]])
    ax.grid(axis="y", visible=False)
    ax.axvline(0, color=_C["black"], linewidth=0.8)
    kind = "Morris elementary effects" if indices[0][0] == "mu_star" else "Sobol indices"
    ax.set_xlabel("index" if kind.startswith("Sobol") else f"μ* (units of {metric or 'output'})")
    _legend_below(ax, ncol=2)
    ax.set_title(f"Sensitivity of {_label(metric) if metric else 'the output'} ({kind})")
    return fig


# --------------------------------------------------------------------------- collections


def run_figures(result: RunResult, *, network: bool = True) -> dict[str, Figure]:
    """Every figure that applies to the run, by file stem, in reading order."""
    figs: dict[str, Figure] = {
        "labour_market": plot_labour_market(result),
        "churn": plot_churn(result),
        "hires_by_channel": plot_hires_by_channel(result),
        "tenure": plot_tenure_distribution(result),
        "knowledge_mixing": plot_knowledge_mixing(result),
    }
    if has_platform(result):
        figs["platform_money"] = plot_platform_money(result)
        figs["chain_lengths"] = plot_chain_lengths(result)
    if network:
        figs["ego_network"] = plot_ego_network(result)
    return figs


def _numeric_metrics(runs: pd.DataFrame, exclude: Iterable[str]) -> list[str]:
    skip = set(exclude) | {
        "seed",
        "run",
        "run_id",
        "replication",
        "variant",
        "label",
        "status",
        "wall_time_s",
        "index",
    }
    return [
        c
        for c in runs.columns
        if c not in skip and "." not in c and pd.api.types.is_numeric_dtype(runs[c])
    ]


def experiment_figures(
    runs: pd.DataFrame | None = None,
    comparison: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    *,
    parameters: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    max_metrics: int = 8,
) -> dict[str, Figure]:
    """Figures of an experiment, by file stem.

    ``parameters`` are the swept columns of ``runs`` (default: its columns with a dot in
    the name, like ``platform.fee_per_hire``, that take more than one value); ``metrics``
    default to those of the comparison table, else numeric columns of ``runs``.
    """
    figs: dict[str, Figure] = {}
    tidy = tidy_comparison(comparison) if comparison is not None and len(comparison) else None
    if metrics is None:
        if tidy is not None:
            metrics = list(dict.fromkeys(tidy["metric"]))
        elif runs is not None:
            metrics = _numeric_metrics(runs, parameters or ())
        else:
            metrics = []
    metrics = list(metrics)[:max_metrics]
    if runs is not None and "status" in runs.columns:
        runs = runs[runs["status"] == "ok"]
    if runs is not None and len(runs):
        if parameters is None:
            parameters = [c for c in runs.columns if "." in c and runs[c].nunique() > 1]
        for p in parameters:
            if tidy is not None and not pd.api.types.is_numeric_dtype(runs[p]):
                continue  # a categorical parameter: the comparison figures show the same
            for m in metrics:
                if m in runs.columns:
                    figs[f"{_stem(m)}_vs_{_stem(p)}"] = plot_metric_vs_parameter(runs, p, m)
    if tidy is not None:
        for m in metrics:
            if (tidy["metric"] == m).any():
                figs[f"compare_{_stem(m)}"] = plot_comparison(tidy, m)
    if sensitivity is not None and len(sensitivity):
        if "metric" in sensitivity.columns:
            for m in dict.fromkeys(sensitivity["metric"]):
                figs[f"sensitivity_{_stem(str(m))}"] = plot_sensitivity(sensitivity, str(m))
        else:
            figs["sensitivity"] = plot_sensitivity(sensitivity)
    return figs


def _stem(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def save_figures(
    figures: Mapping[str, Figure], out_dir: str | Path, formats: Iterable[str] = ("png", "svg")
) -> list[Path]:
    """Write each figure as ``out_dir/<name>.<format>``; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figures.items():
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, bbox_inches="tight")
            written.append(path)
    return written


def is_experiment_dir(path: str | Path) -> bool:
    """An experiment folder holds ``runs.parquet``; a run folder holds ``manifest.json``."""
    return (Path(path) / "runs.parquet").is_file()


def load_experiment_tables(path: str | Path) -> dict[str, Any]:
    """``runs``, ``comparison``, ``sensitivity`` (and ``parameters`` if known) of a folder.

    Uses ``netsim.load_experiment`` when available, else reads the parquet files present.
    """
    path = Path(path)
    try:
        from netsim import load_experiment  # type: ignore[attr-defined]
    except ImportError:
        load_experiment = None
    out: dict[str, Any] = {}
    manifest = path / "manifest.json"
    if manifest.is_file():
        import json

        info = json.loads(manifest.read_text())
        if info.get("varied"):
            out["parameters"] = list(info["varied"])
        if info.get("metrics"):
            out["metrics"] = list(info["metrics"])
    if load_experiment is not None:
        exp = load_experiment(path)
        for name in ("runs", "comparison", "sensitivity"):
            value = getattr(exp, name, None)
            if isinstance(value, pd.DataFrame):
                out[name] = value
    for name in ("runs", "comparison", "sensitivity"):
        f = path / f"{name}.parquet"
        if name not in out and f.is_file():
            out[name] = pd.read_parquet(f)
    return out


def plot_dir(path: str | Path, formats: Iterable[str] = ("png", "svg")) -> list[Path]:
    """Plot a run folder or an experiment folder into ``path/plots/``; returns the files."""
    path = Path(path)
    if is_experiment_dir(path):
        figs = experiment_figures(**load_experiment_tables(path))
    elif (path / "manifest.json").is_file():
        from netsim.results import load

        figs = run_figures(load(path))
    else:
        raise FileNotFoundError(
            f"{path}: neither a run folder (manifest.json) nor an experiment (runs.parquet)"
        )
    return save_figures(figs, path / "plots", formats)
