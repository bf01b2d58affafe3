"""One live run for the browser: step it month by month, read new rows, export it.

:class:`LiveRun` wraps a :class:`~netsim.model.simulation.Simulation` started with
:meth:`~netsim.model.simulation.Simulation.start` and moved on with
:meth:`~netsim.model.simulation.Simulation.advance`, so what the browser shows after N months
is exactly what ``netsim run`` records for those months. Nothing here imports a web library:
the app (:mod:`netsim.ui.app`) calls it from a worker thread and the tests call it directly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import yaml

from netsim.model.run import collect
from netsim.model.simulation import Simulation
from netsim.output.results import RunResult, write_run
from netsim.scenario.schema import Scenario

__all__ = ["EgoNetwork", "LiveRun", "scenario_yaml", "CHART_FIGURES"]

#: Figures written as PNG by :meth:`LiveRun.export`: file stem -> viz figure function name.
CHART_FIGURES = {
    "ui-labour-market": "plot_labour_market",
    "ui-hires-by-channel": "plot_hires_by_channel",
    "ui-churn": "plot_churn",
    "ui-platform-money": "plot_platform_money",
}


def scenario_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML that ``netsim run`` reproduces exactly (every key set)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False)


@dataclass
class EgoNetwork:
    """The referral network around one busy referrer, ready to draw.

    ``nodes``: one row per node (``node`` id, ``x``, ``y``, ``kind`` in ego / contact /
    referred / company, ``label``); ``edges``: one row per line (``x0, y0, x1, y1``,
    ``kind`` in tie / referral / placement, ``gaming``: honest, rotation, sybil, ...).
    """

    ego: int | None
    #: Platform hires the ego referred (one placement each).
    hires: int = 0
    #: Distinct people among them (a rotated candidate is placed again and again).
    referred: int = 0
    nodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    edges: pd.DataFrame = field(default_factory=pd.DataFrame)


class LiveRun:
    """A run that advances on demand. ``step()`` returns the month rows it added.

    Time in months. ``scenario`` must be resolved (:func:`netsim.model.loading.load_scenario`).
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        start = time.perf_counter()
        self.sim = Simulation(scenario).start()
        self.wall_seconds = time.perf_counter() - start
        self._ego: int | None = None
        self._pos: dict = {}

    @property
    def month(self) -> int:
        """Whole months simulated so far."""
        return self.sim.month_reached

    @property
    def horizon(self) -> int:
        """The last month this run can reach (the scenario's ``horizon_months``, whole)."""
        return int(self.scenario.horizon_months)

    @property
    def finished(self) -> bool:
        """Whether the horizon is reached."""
        return self.month >= self.horizon

    def step(self, months: int = 1) -> pd.DataFrame:
        """Advance ``months`` whole months (not past the horizon); the new month rows."""
        before = len(self.sim.series)
        start = time.perf_counter()
        self.sim.advance(min(self.month + int(months), self.horizon))
        self.wall_seconds += time.perf_counter() - start
        return pd.DataFrame(self.sim.series[before:])

    def rows(self, start: int = 0) -> pd.DataFrame:
        """Month rows from row ``start`` on (row 0 is month 0)."""
        return pd.DataFrame(self.sim.series[start:])

    def result(self) -> RunResult:
        """Every table as it stands now, as a :class:`~netsim.output.results.RunResult`."""
        return collect(self.sim, self.wall_seconds)

    # ------------------------------------------------------------------ ego network
    def ego_network(self, max_contacts: int = 14) -> EgoNetwork:
        """The busiest referrer so far, their contacts, whom they referred and where to.

        The ego is kept while nobody has twice its platform hires, so the picture grows
        rather than jumps; without platform hires it is the best-connected worker.
        """
        sim = self.sim
        chains = (
            sim.platform.chain_table() if sim.platform is not None else pd.DataFrame()
        )
        real = chains[~chains["sybil"].astype(bool)] if len(chains) else chains
        counts = real["referrer"].value_counts() if len(real) else pd.Series(dtype=int)
        if len(counts):
            best = int(counts.idxmax())
            mine = int(counts.get(self._ego, 0)) if self._ego is not None else 0
            if self._ego is None or counts.iloc[0] > 2 * mine:
                self._ego = best
        elif self._ego is None:
            self._ego = int(np.argmax(sim.net.degrees()))
        ego = self._ego
        involved = chains[chains["hire"].isin(
            chains.loc[chains["referrer"] == ego, "hire"]
        )] if len(chains) else chains
        return self._draw(ego, involved, max_contacts)

    def _draw(self, ego: int, involved: pd.DataFrame, max_contacts: int) -> EgoNetwork:
        sim = self.sim
        g = nx.Graph()
        g.add_node(ego, kind="ego")
        edges: list[tuple] = []
        referred: dict[int, str] = {}
        for _, grp in involved.groupby("hire", sort=False):
            worker = int(grp["worker"].iloc[0])
            gaming = str(grp["gaming"].iloc[0]) or "honest"
            referred[worker] = gaming
            company = ("company", int(grp["company"].iloc[0]))
            g.add_node(company, kind="company")
            edges.append((worker, company, "placement", gaming))
            edges.append((ego, worker, "referral", gaming))
        contacts = [c for c in sim.net.neighbours[ego] if c not in referred][:max_contacts]
        for c in contacts:
            g.add_node(c, kind="contact")
            edges.append((ego, c, "tie", "honest"))
        for w in referred:
            if w != ego:
                g.add_node(w, kind="referred")
        for a, b, _, _ in edges:
            g.add_edge(a, b)
        pos = self._layout(g, ego)
        nodes = pd.DataFrame(
            {
                "node": [str(n) for n in g.nodes],
                "x": [pos[n][0] for n in g.nodes],
                "y": [pos[n][1] for n in g.nodes],
                "kind": [g.nodes[n]["kind"] for n in g.nodes],
                "label": [f"firm {n[1]}" if isinstance(n, tuple) else f"worker {n}"
                          for n in g.nodes],
            }
        )
        lines = pd.DataFrame(
            [(pos[a][0], pos[a][1], pos[b][0], pos[b][1], k, gm) for a, b, k, gm in edges],
            columns=["x0", "y0", "x1", "y1", "kind", "gaming"],
        )
        hires = int(involved["hire"].nunique()) if len(involved) else 0
        return EgoNetwork(ego, hires, len(referred), nodes, lines)

    def _layout(self, g: nx.Graph, ego) -> dict:
        """Spring layout seeded from the previous one, ego pinned: old nodes barely move."""
        seed_pos = {n: p for n, p in self._pos.items() if n in g}
        seed_pos[ego] = np.zeros(2)
        if self._pos.get("__ego__") != ego:
            seed_pos = {ego: np.zeros(2)}
        fixed = [ego]
        pos = nx.spring_layout(
            g, pos=seed_pos or None, fixed=fixed, seed=self.scenario.seed, iterations=40
        )
        self._pos = dict(pos)
        self._pos["__ego__"] = ego
        return pos

    # ------------------------------------------------------------------ export
    def export(self, out_dir: str | Path) -> list[Path]:
        """Write the run as it stands into the run folder ``out_dir``; the paths written.

        The folder obeys ``netsim run``'s rules (new, empty, or a run folder of the same
        scenario, which is replaced; else :class:`~netsim.scenario.errors.NetsimInputError`
        and nothing is written). It holds ``scenario.yaml`` (all settings; ``netsim run``
        on it reproduces these tables for every month shown) and ``plots/ui-*.png``.
        """
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from netsim import viz
        from netsim.viz.figure_sets import save_figures

        result = self.result()
        out = write_run(result, out_dir)
        figures = {stem: getattr(viz, fn)(result) for stem, fn in CHART_FIGURES.items()}
        try:
            written = save_figures(figures, out / "plots", formats=("png",))
        finally:
            for fig in figures.values():
                plt.close(fig)
        return [out / "scenario.yaml", *written]
