"""Docking with Calvó-Armengol & Jackson (AER 2004): word of mouth on a fixed network.

In continuous time: every worker hears of a job at rate ``a`` (per month); an unemployed
hearer takes it; an employed hearer passes it to a uniformly drawn unemployed neighbour,
and the news is lost if there is none; jobs end at rate ``b``. Nothing else happens.

netsim runs this model as a scenario (:func:`caj_scenario`: ``always_hiring`` demand, job
finding and on-the-job news at rate ``a`` with ``on_the_job_news: pass_to_contact``, quits at
rate ``b``, every other process off) on a graph read from an edge list. The exact answer is
the stationary law of the continuous-time Markov chain on the 2^n employment states of the
graph (:func:`caj_exact`, for graphs of up to 14 nodes). :func:`caj_observed` measures the
same quantities on a run, from its event log. Many disjoint copies of a small graph in one
run give independent replications at the cost of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from netsim.model.loading import load_scenario
from netsim.scenario.schema import Scenario

__all__ = [
    "CAJStats",
    "caj_exact",
    "caj_exit_hazard",
    "caj_scenario",
    "caj_observed",
    "write_copies",
]


@dataclass(frozen=True)
class CAJStats:
    """Stationary unemployment and the employment correlation of neighbours (Pearson, mean
    over edges); NaN where a graph has no edges."""

    unemployment: float
    neighbour_correlation: float


def _generator(g: nx.Graph, a: float, b: float) -> tuple[np.ndarray, list]:
    nodes = list(g.nodes)
    n = len(nodes)
    if n > 14:
        raise ValueError(f"the exact chain has 2^n states; n = {n} is too many (at most 14)")
    idx = {v: k for k, v in enumerate(nodes)}
    nbrs = [[idx[u] for u in g.neighbors(v)] for v in nodes]
    size = 1 << n
    q = np.zeros((size, size))
    for s in range(size):  # bit k set: worker k employed
        for k in range(n):
            if s >> k & 1:
                q[s, s & ~(1 << k)] += b
                continue
            rate = a  # own news
            for j in nbrs[k]:
                if s >> j & 1:  # employed neighbour j passes news to one of its unemployed
                    u_j = sum(1 for m in nbrs[j] if not s >> m & 1)
                    rate += a / u_j
            q[s, s | 1 << k] += rate
        q[s, s] = -q[s].sum()
    return q, nodes


def _stationary(q: np.ndarray) -> np.ndarray:
    """Solve pi Q = 0 with sum(pi) = 1 (one balance equation replaced by the normalisation)."""
    size = q.shape[0]
    lhs = np.vstack([q.T[:-1], np.ones(size)])
    rhs = np.zeros(size)
    rhs[-1] = 1.0
    return np.linalg.solve(lhs, rhs)


def caj_exact(g: nx.Graph, a: float, b: float) -> CAJStats:
    """The stationary law of the Calvó-Armengol-Jackson chain on ``g`` (rates per month)."""
    q, nodes = _generator(g, a, b)
    n, size = len(nodes), q.shape[0]
    pi = _stationary(q)
    emp = np.array([[s >> k & 1 for k in range(n)] for s in range(size)], dtype=float)
    p = pi @ emp
    idx = {v: k for k, v in enumerate(nodes)}
    corr = []
    for u, v in g.edges:
        i, j = idx[u], idx[v]
        cov = float(pi @ (emp[:, i] * emp[:, j])) - p[i] * p[j]
        corr.append(cov / np.sqrt(p[i] * (1 - p[i]) * p[j] * (1 - p[j])))
    return CAJStats(float(1 - p.mean()), float(np.mean(corr)) if corr else float("nan"))


def caj_exit_hazard(
    g: nx.Graph, a: float, b: float, node, windows: list[tuple[float, float]]
) -> list[float]:
    """Exact hazard of leaving unemployment for ``node`` in each window of spell length
    ``(lo, hi)`` months (``hi`` may be ``inf``): expected exits over expected months at risk.

    A spell starts from the stationary flow into unemployment (the chain's states weighted by
    pi times the job-ending rate b); the spell's survival is ``p0 exp(Q_U t) 1`` with Q_U
    the generator restricted to the states in which ``node`` is unemployed.
    """
    from scipy.linalg import expm

    q, nodes = _generator(g, a, b)
    k = nodes.index(node)
    pi = _stationary(q)
    unemployed = [s for s in range(q.shape[0]) if not s >> k & 1]
    p0 = np.array([pi[s | 1 << k] * b for s in unemployed])
    p0 /= p0.sum()
    qu = q[np.ix_(unemployed, unemployed)]
    inv = np.linalg.inv(qu)
    ones = np.ones(len(unemployed))

    def survival_and_integral(t: float) -> tuple[float, np.ndarray]:
        if np.isinf(t):
            return 0.0, np.zeros(len(unemployed))
        e = expm(qu * t)
        return float(p0 @ e @ ones), e

    out = []
    for lo, hi in windows:
        s_lo, e_lo = survival_and_integral(lo)
        s_hi, e_hi = survival_and_integral(hi)
        at_risk = float(p0 @ inv @ (e_hi - e_lo) @ ones)
        out.append((s_lo - s_hi) / at_risk)
    return out


def write_copies(g: nx.Graph, copies: int, path: str | Path) -> nx.Graph:
    """Write ``copies`` disjoint copies of ``g`` (nodes relabelled 0..) as GraphML.

    GraphML, unlike an edge list, keeps isolated nodes (isolated workers are the control
    group: their unemployment is b/(a+b) and their exit hazard constant).
    """
    big = nx.disjoint_union_all([g] * copies)
    nx.write_graphml(big, path)
    return big


def caj_scenario(graph_file: str | Path, workers: int, a: float, b: float,
                 horizon_months: float = 240.0) -> Scenario:  # fmt: skip
    """A scenario that is the Calvó-Armengol-Jackson model on the GraphML graph in
    ``graph_file`` (:func:`write_copies`)."""
    return load_scenario(
        {
            "name": "caj_docking",
            "horizon_months": horizon_months,
            "population": {
                "workers": workers,
                "initial_employment_rate": a / (a + b),
                "vital_forces": {"share": 0.0},
            },
            "companies": {"count": 20},
            "graph": {"generator": "graphml", "params": {"path": str(graph_file)}},
            "labour_market": {
                "demand": "always_hiring",
                "job_finding_rate_per_month": a,
                "on_the_job_search_rate_per_month": a,
                "on_the_job_news": "pass_to_contact",
                "quit_rate_per_month": b,
                "dismissal_rate_per_month": 0.0,
                "exit_rate_per_month": 0.0,
                "probation_dismissal_probability": 0.0,
                "satisfaction_sensitivity": 0.0,
                "restrict_quit_multiplier": 1.0,
                "cross_skill_fit": 1.0,
                "reservation_wage_ratio": 0.0,
                "word_of_mouth_rate_per_month": 0.0,
            },
            "ties": {"colleague_tie_rate_per_month": 0.0},
            "outputs": {"network_stats_every_months": 0},
        }
    )


def initial_employment(events: pd.DataFrame, workers: pd.DataFrame) -> np.ndarray:
    """Every worker's employment (0/1) at time 0, which the event log does not record.

    A worker whose first hire-or-separation is a separation was employed; one whose first
    is a hire was not; one with neither kept its state to the end (the worker table).
    """
    flows = events[events["kind"].isin(["hire", "separation"])]
    first = flows.drop_duplicates("worker")
    out = (workers["state"] == "employed").to_numpy().astype(np.int8)
    out[first["worker"].to_numpy()] = (first["kind"] == "separation").to_numpy()
    return out


def employment_paths(events: pd.DataFrame, initial: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Employment (0/1) of every worker at each of ``times`` (months), from the event log.

    ``initial`` is every worker's employment at time 0 (after the initial hires).
    """
    ev = events[events["kind"].isin(["hire", "separation"]) & (events["time_months"] > 0)]
    out = np.empty((len(times), len(initial)), dtype=np.int8)
    state = initial.astype(np.int8).copy()
    t_ev = ev["time_months"].to_numpy()
    w_ev = ev["worker"].to_numpy()
    is_hire = (ev["kind"] == "hire").to_numpy()
    k = 0
    for m, t in enumerate(times):
        while k < len(t_ev) and t_ev[k] <= t:
            state[w_ev[k]] = 1 if is_hire[k] else 0
            k += 1
        out[m] = state
    return out


def caj_observed(
    result, g: nx.Graph, copies: int, burn_in_months: float = 24.0, groups: int = 20
) -> tuple[CAJStats, CAJStats]:
    """Unemployment and neighbour correlation of a run on ``copies`` disjoint copies of ``g``
    (as written by :func:`write_copies`), sampled monthly after the burn-in; and their
    standard errors, by a grouped jackknife over the copies (which are independent).

    The correlation is pooled over edges and months (each edge oriented as in ``g``), which
    equals the mean over edges of :func:`caj_exact` when all edges of ``g`` are alike (a dyad,
    a cycle, a complete graph, a star).
    """
    ev = result.events
    initial = initial_employment(ev, result.workers)
    horizon = float(result.timeseries["time_months"].max())
    times = np.arange(np.floor(burn_in_months) + 1, horizon + 1e-9, 1.0)
    paths = employment_paths(ev, initial, times)
    k = g.number_of_nodes()
    per_copy = paths[:, : copies * k].reshape(len(times), copies, k)  # month, copy, node
    nodes = {v: i for i, v in enumerate(g.nodes)}
    ends = np.array([(nodes[u], nodes[v]) for u, v in g.edges], dtype=np.int64).reshape(-1, 2)

    def stats(keep: np.ndarray) -> CAJStats:
        sub = per_copy[:, keep, :]
        u = 1.0 - float(sub.mean())
        if len(ends) == 0:
            return CAJStats(u, float("nan"))
        x, y = sub[:, :, ends[:, 0]].ravel(), sub[:, :, ends[:, 1]].ravel()
        return CAJStats(u, float(np.corrcoef(x, y)[0, 1]))

    full = stats(np.arange(copies))
    folds = np.array_split(np.arange(copies), groups)
    loo = [stats(np.setdiff1d(np.arange(copies), f)) for f in folds]
    scale = (groups - 1) / groups
    se = CAJStats(
        float(np.sqrt(scale * np.sum([(s.unemployment - full.unemployment) ** 2 for s in loo]))),
        float(np.sqrt(scale * np.sum([(s.neighbour_correlation - full.neighbour_correlation) ** 2
                                      for s in loo]))),
    )  # fmt: skip
    return full, se
