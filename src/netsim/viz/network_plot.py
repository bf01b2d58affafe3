"""The ego-network figure: one worker's social ties and the referral chains through them.

:func:`network_at_end` reads the final social network from the run's edge list (``edges``).
A run folder of an older netsim has none; then it rebuilds it: the initial network is drawn
again from the scenario and seed (construction is deterministic and does not advance the
dynamics), and every ``tie_formed`` event of the event log is added on top. The edge count
is checked against the time series' final ``edges``; if the event log is off, or the
rebuild fails or does not match, the figure draws chains and hires only (no social ties) and
says so in its title. A run without platform hires shows the best-connected worker's ties,
and says that too.

May import :mod:`netsim.viz.style`, :mod:`netsim.viz.data`, networkx, numpy, pandas and
matplotlib. The one use of the engine is the rebuild of the initial network in
:func:`initial_network`, imported lazily inside it and guarded: a failed rebuild degrades the
figure, it never breaks it.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from netsim.viz.data import run_title, table
from netsim.viz.style import GAMING_COLOURS, OKABE_ITO, axes_of, draw_note, figure_function

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = ["initial_network", "network_at_end", "choose_ego", "plot_ego_network"]

_C = OKABE_ITO
Node = Any  # a worker id (int) or ("company", id)


def initial_network(result: RunResult) -> nx.Graph | None:
    """The run's social network before month 0, drawn again from its scenario and seed.

    ``None`` (with a warning) if it cannot be rebuilt, e.g. a graph file that has moved.
    """
    try:
        # The world is drawn first from the run's own streams, so it is the run's network.
        from netsim.engine.rng import spawn_generators
        from netsim.world.build import build_world

        gens = spawn_generators(result.seed)
        return build_world(result.scenario, gens["population"], gens["graph"]).net.to_networkx()
    except Exception as exc:  # noqa: BLE001 - any failure only costs the figure its ties
        warnings.warn(f"could not rebuild the network: {exc}", stacklevel=2)
        return None


def network_at_end(result: RunResult) -> nx.Graph | None:
    """The social network at the end of the run, rebuilt; ``None`` if that is impossible.

    From the run's edge list (``edges``, written by every run since ties can decay) if it
    has one; else :func:`initial_network` plus the ``tie_formed`` events, returned only if
    its edge count at the last month end matches the time series' ``edges`` there.
    """
    if _edge_list(result) is not None:
        return result.graph()
    ev = table(result, "events")
    if ev.empty or not result.scenario.outputs.event_log:
        return None
    G = initial_network(result)
    if G is None:
        return None
    ties = ev[ev["kind"].astype(str) == "tie_formed"].sort_values("time_months", kind="stable")
    ts = result.timeseries
    last = ts.iloc[-1] if len(ts) and {"edges", "time_months"} <= set(ts.columns) else None
    # The check is made at the last month end recorded; a horizon that is not a whole number
    # of months forms a few more ties after it, which are added once the check has passed.
    checked = last is None or not np.isfinite(last["edges"])
    for u, v, origin, tm in zip(
        ties["worker"], ties["other"], ties["detail"].astype(str), ties["time_months"], strict=True
    ):
        if not checked and tm > last["time_months"]:
            if not _edges_match(G, last["edges"]):
                return None
            checked = True
        G.add_edge(int(u), int(v), origin=origin, time_months=float(tm))
    if not checked and not _edges_match(G, last["edges"]):
        return None
    return G


def _edge_list(result: RunResult) -> pd.DataFrame | None:
    """The run's ``edges`` table if it has a usable one (older run folders have none)."""
    edges = (getattr(result, "tables", None) or {}).get("edges")
    if isinstance(edges, pd.DataFrame) and {"source", "target"} <= set(edges.columns):
        return edges
    return None


def _edges_match(G: nx.Graph, recorded: float) -> bool:
    """Whether the rebuilt ``G`` has the recorded number of ties (else warn)."""
    if G.number_of_edges() == int(recorded):
        return True
    warnings.warn(
        f"rebuilt network has {G.number_of_edges()} ties, the run recorded {int(recorded)}; "
        "drawing chains only",
        stacklevel=3,
    )
    return False


def choose_ego(result: RunResult) -> int | None:
    """A worker worth looking at: the referrer with most rotation hires, else most hires.

    Without platform hires: the worker with the highest final degree; ``None`` if the run
    has no worker table.
    """
    cl = table(result, "chains")
    real = cl[~cl["sybil"].astype(bool)]
    rot = real[real["gaming"].astype(str) == "rotation"]
    pool = rot if len(rot) else real
    if len(pool):
        return int(pool["referrer"].value_counts().idxmax())
    workers = table(result, "workers")
    if workers.empty:
        return None
    return int(workers.loc[workers["degree"].idxmax(), "worker"])


def _chains_of(result: RunResult, ego: int) -> pd.DataFrame:
    """Every chain position of the platform hires the ego took part in (as referrer or hire)."""
    chains = table(result, "chains")
    mine = chains.loc[(chains["referrer"] == ego) | (chains["worker"] == ego), "hire"].unique()
    return chains[chains["hire"].isin(mine)].sort_values(["hire", "position"])


def _referral_arrows(involved: pd.DataFrame) -> dict[tuple[int, int], dict[str, Any]]:
    """Referral steps between owners, identity -> next identity -> hire: count and gaming."""
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
    return arrows


def _placements(involved: pd.DataFrame) -> dict[tuple[int, Node], dict[str, Any]]:
    """Where each hire of those chains went: (worker, company node) -> months and gaming."""
    out: dict[tuple[int, Node], dict[str, Any]] = {}
    for _hid, grp in involved.groupby("hire", sort=False):
        key = (int(grp["worker"].iloc[0]), ("company", int(grp["company"].iloc[0])))
        rec = out.setdefault(key, {"months": [], "gaming": "honest"})
        rec["months"].append(float(grp["time_months"].iloc[0]))
        rec["gaming"] = str(grp["gaming"].iloc[0]) or "honest"
    return out


def _neighbourhood(
    G: nx.Graph | None, ego: int, chain_nodes: set[int], max_neighbours: int
) -> tuple[nx.Graph, int]:
    """The ego, its chain partners and its strongest contacts; and how many were left out."""
    if G is None or ego not in G:
        H = nx.Graph()
        H.add_node(ego)
        H.add_nodes_from(chain_nodes)
        return H, 0
    nbrs = list(G.neighbors(ego))
    first = [n for n in nbrs if n in chain_nodes]
    rest = sorted(
        (n for n in nbrs if n not in chain_nodes),
        key=lambda n: -G.edges[ego, n].get("strength", 0.0),
    )
    keep = set(first + rest[: max(0, max_neighbours - len(first))]) | chain_nodes | {ego}
    H = G.subgraph(keep).copy()
    return H, len(nbrs) - len([n for n in nbrs if n in keep])


def _layout(H: nx.Graph, ego: int, seed: int) -> dict[Node, np.ndarray]:
    """Spring layout with the ego pinned at the centre (seeded, so figures are reproducible)."""
    pos = nx.spring_layout(H, seed=seed, k=1.2 / math.sqrt(max(len(H), 1)), iterations=200)
    pos[ego] = np.array([0.0, 0.0])
    if len(H) > 1:
        pos = nx.spring_layout(H, pos=pos, fixed=[ego], seed=seed, iterations=50)
    return pos


def _draw_companies(ax: Axes, H: nx.Graph, pos: dict, placements: dict) -> None:
    companies = [n for n in H.nodes if isinstance(n, tuple)]
    for (w, c), rec in placements.items():
        colour = GAMING_COLOURS.get(rec["gaming"], _C["blue"])
        nx.draw_networkx_edges(
            H, pos, edgelist=[(w, c)], ax=ax, edge_color=colour, width=1.4, style=":"
        )
    if not companies:
        return
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
        months = sorted(m for (_w, cc), rec in placements.items() if cc == c for m in rec["months"])
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


def _draw_people(
    ax: Axes, H: nx.Graph, pos: dict, ego: int, vital: pd.Series, ring_nodes: set[int]
) -> None:
    people = [n for n in H.nodes if not isinstance(n, tuple)]
    is_vital = vital.reindex(people).fillna(False).to_numpy(dtype=bool)
    nx.draw_networkx_nodes(
        H,
        pos,
        nodelist=people,
        ax=ax,
        node_color=[
            _C["black"] if n == ego else (_C["orange"] if v else _C["sky_blue"])
            for n, v in zip(people, is_vital, strict=True)
        ],
        node_size=[420 if n == ego else 160 for n in people],
        edgecolors=[_C["vermillion"] if n in ring_nodes else "white" for n in people],
        linewidths=[3.0 if n in ring_nodes else 0.8 for n in people],
    )
    nx.draw_networkx_labels(H, pos, labels={ego: str(ego)}, ax=ax, font_color="white", font_size=9)


def _draw_arrows(ax: Axes, H: nx.Graph, pos: dict, ego: int, arrows: dict) -> None:
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
            ax.annotate(
                f"×{rec['n']}",
                (pos[a] + pos[b]) / 2,
                fontsize=11,
                color=colour,
                fontweight="bold",
                ha="center",
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )


def _legend(ax: Axes, ego: int, has_companies: bool, used: set[str], rings: bool) -> None:
    def dot(colour: str, text: str, ms: float = 8, **kw: Any) -> Line2D:
        return Line2D([], [], marker="o", ls="", color=colour, ms=ms, label=text, **kw)

    handles = [
        dot(_C["black"], f"ego: worker {ego}", ms=11),
        dot(_C["orange"], "vital force"),
        dot(_C["sky_blue"], "other worker"),
        Line2D([], [], color="#999999", label="social tie (end of run)"),
    ]
    if has_companies:
        handles += [
            Line2D([], [], marker="s", ls="", mfc="white", mec=_C["black"], ms=9, label="company"),
            Line2D([], [], color=_C["black"], ls=":", label="platform hire into company"),
        ]
    handles += [
        Line2D([], [], color=GAMING_COLOURS[g], lw=2.5, marker=">", label=f"referral, {g}")
        for g in GAMING_COLOURS
        if g in used
    ]
    if rings:
        handles.append(dot("white", "rotation ring", ms=10, mec=_C["vermillion"], mew=3))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


@figure_function("run", network=True)
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
    Without platform hires the figure shows the ego's social ties and says so.
    """
    fig, ax = axes_of(ax, figsize=(9.0, 8.0))
    ego = choose_ego(result) if worker is None else int(worker)
    if ego is None:
        draw_note(ax, "No worker table in this run", f"Ego network — {run_title(result)}")
        return fig
    G = network_at_end(result) if graph is None else graph
    involved = _chains_of(result, ego)
    arrows = _referral_arrows(involved)
    placements = _placements(involved)
    chain_nodes = {n for pair in arrows for n in pair}
    H, n_hidden = _neighbourhood(G, ego, chain_nodes, max_neighbours)
    H.add_edges_from(placements)  # for the layout only; drawn separately
    title = f"Ego network of worker {ego} — {run_title(result)}"
    if G is None and not arrows:
        why = "the event log is off" if not result.scenario.outputs.event_log else "no rebuild"
        draw_note(ax, f"No social ties ({why}) and no platform hires to draw", title)
        return fig
    pos = _layout(H, ego, seed)
    rings = {pair for pair, rec in arrows.items() if rec["gaming"] == "rotation" and rec["n"] > 1}
    ring_nodes = {n for pair in rings for n in pair}
    ties = [(u, v) for u, v in H.edges if not isinstance(u, tuple) and not isinstance(v, tuple)]
    nx.draw_networkx_edges(H, pos, edgelist=ties, ax=ax, edge_color="#999999", width=0.8, alpha=0.6)
    _draw_companies(ax, H, pos, placements)
    workers = table(result, "workers").set_index("worker")
    _draw_people(ax, H, pos, ego, workers["vital_force"], ring_nodes)
    _draw_arrows(ax, H, pos, ego, arrows)
    ax.set_axis_off()
    ax.margins(0.15)
    used = {rec["gaming"] for rec in arrows.values()}
    _legend(ax, ego, bool(placements), used, bool(ring_nodes))
    source = "no ties: chains only"
    if G is not None:
        from_list = _edge_list(result) is not None
        source = (
            "ties rebuilt from the run's edge list"
            if from_list
            else "ties rebuilt from scenario + tie events"
        )
    hidden = f", {n_hidden} more contacts not shown" if n_hidden > 0 else ""
    chains = " and its referral chains" if arrows else ""
    none = "" if arrows else "; no platform hires in this run"
    ax.set_title(
        f"Ego network of worker {ego}{chains} — {run_title(result)}\n({source}{hidden}{none})",
        fontsize=13,
    )
    return fig
