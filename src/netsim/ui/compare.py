"""Compare mode: two variants on the same world and seed, side by side, difference shaded.

Variant A is the sidebar's settings; variant B is A with the changes typed as ``key=value``
lines (``--set`` syntax, validated the same way). Both runs use the same seed, so every random
stream starts alike (common random numbers): the world is drawn identically and differences
come from the rule, not from luck. :class:`PairRun` steps both in one engine thread, so
their month rows arrive together.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import panel as pn

from netsim.model.loading import load_scenario
from netsim.scenario.errors import NetsimInputError
from netsim.scenario.schema import Scenario
from netsim.ui.charts import OKABE_ITO, ChartSpec, LiveCharts, Series
from netsim.ui.engine_thread import EngineThread
from netsim.ui.live import LiveRun
from netsim.ui.settings import ui_message

__all__ = ["COMPARED", "CompareView", "PairRun", "variant_b"]

#: Month-row columns compared: (column, label, cumulative).
COMPARED = (
    ("unemployment_rate", "Unemployment rate", False),
    ("churn_rate", "Churn rate (per month)", False),
    ("payouts_gamed", "Payouts to gaming referrers (cumulative)", True),
    ("payouts_honest", "Payouts to honest referrers (cumulative)", True),
)
#: Totals in the comparison table: (column, label, how: sum or mean over months 1..).
TOTALS = (
    ("unemployment_rate", "mean unemployment rate", "mean"),
    ("churn_rate", "mean churn rate (per month)", "mean"),
    ("hires_platform", "platform hires", "sum"),
    ("payouts_honest", "payouts, honest", "sum"),
    ("payouts_gamed", "payouts, gamed", "sum"),
    ("kickbacks", "kickbacks to rotated candidates", "sum"),
    ("detections", "detections", "sum"),
)
_A, _B = OKABE_ITO["blue"], OKABE_ITO["vermillion"]


def variant_b(a: Scenario, changes: str) -> Scenario:
    """Variant B: scenario ``a`` with ``changes`` (``key=value`` lines, ``#`` comments).

    Raises :class:`~netsim.scenario.errors.NetsimInputError` as ``netsim run --set`` would.
    """
    lines = [ln.strip() for ln in changes.splitlines()]
    overrides = [ln for ln in lines if ln and not ln.startswith("#")]
    data = a.model_dump(mode="json")
    data["name"] = f"{a.name}-b"
    return load_scenario(data, overrides)


class PairRun:
    """Variants A and B stepped together; rows carry ``a_<column>`` and ``b_<column>``."""

    def __init__(self, a: Scenario, b: Scenario) -> None:
        self.a, self.b = LiveRun(a), LiveRun(b)

    @property
    def month(self) -> int:
        """Months both variants have reached."""
        return min(self.a.month, self.b.month)

    @property
    def horizon(self) -> int:
        """The shorter of the two horizons (months)."""
        return min(self.a.horizon, self.b.horizon)

    @property
    def finished(self) -> bool:
        """Whether the common horizon is reached."""
        return self.month >= self.horizon

    def step(self, months: int = 1) -> pd.DataFrame:
        """Advance both by ``months``; their new rows side by side."""
        to = min(self.month + months, self.horizon)
        ra, rb = self.a.step(to - self.a.month), self.b.step(to - self.b.month)
        return pair_rows(ra, rb)

    def ego_network(self):
        """No network picture in compare mode."""
        return None


def pair_rows(ra: pd.DataFrame, rb: pd.DataFrame) -> pd.DataFrame:
    """Month rows of A and B joined on ``month`` (missing columns count as 0)."""
    cols = {c for c, _, _ in COMPARED} | {c for c, _, _ in TOTALS}
    out = pd.DataFrame({"month": ra["month"].to_numpy()})
    for c in sorted(cols):
        out[f"a_{c}"] = ra[c].to_numpy() if c in ra else 0.0
        out[f"b_{c}"] = rb[c].to_numpy() if c in rb else 0.0
    return out


def _specs() -> tuple[ChartSpec, ...]:
    return tuple(
        ChartSpec(
            f"compare-{c}",
            label,
            "",
            (Series(f"a_{c}", "A", _A, cumulative=cum), Series(f"b_{c}", "B", _B, cumulative=cum)),
        )
        for c, label, cum in COMPARED
    )


def totals_table(rows: pd.DataFrame) -> pd.DataFrame:
    """A, B and B − A of :data:`TOTALS` over the months in ``rows`` (month 0 left out)."""
    body = rows[rows["month"] > 0]
    records = []
    for c, label, how in TOTALS:
        a = getattr(body[f"a_{c}"], how)() if len(body) else 0.0
        b = getattr(body[f"b_{c}"], how)() if len(body) else 0.0
        records.append({"quantity": label, "A": float(a), "B": float(b), "B − A": float(b - a)})
    return pd.DataFrame(records)


def _table_html(t: pd.DataFrame) -> str:
    def fmt(x: float) -> str:
        return f"{x:,.4f}" if abs(x) < 10 else f"{x:,.0f}"

    rows = []
    for r in t.itertuples(index=False):
        d = r[3]
        colour = "#D55E00" if d > 0 else "#0072B2" if d < 0 else "#777"
        rows.append(
            f"<tr><td>{html.escape(r[0])}</td><td>{fmt(r[1])}</td><td>{fmt(r[2])}</td>"
            f"<td style='color:{colour};font-weight:bold'>{'+' if d > 0 else ''}{fmt(d)}</td></tr>"
        )
    return (
        "<table class='netsim-compare'><tr><th>over the months so far</th><th>A</th><th>B</th>"
        "<th>B − A</th></tr>" + "".join(rows) + "</table>"
    )


class CompareView:
    """The Compare tab of a lecture session.

    ``current`` returns the sidebar's scenario (variant A), ``speed`` the chosen speed
    (months per second); both are read when the lecturer presses *Run A and B*.
    """

    def __init__(self, current: Callable[[], Scenario], speed: Callable[[], float]) -> None:
        self.current, self.speed = current, speed
        self.changes = pn.widgets.TextAreaInput(
            name="Variant B: changes to A (one key=value per line)",
            value="platform.payout.rule=deferred\n"
                  "platform.payout.params={bonus: 2000, retention_months: 12}",
            height=90, width=520,
        )
        self.run_b = pn.widgets.Button(name="Run A and B", button_type="success")
        self.pause_b = pn.widgets.Button(name="Pause both", button_type="warning")
        self.run_b.on_click(lambda _e: self.run())
        self.pause_b.on_click(lambda _e: self.engine and self.engine.pause())
        self.message = pn.pane.Alert("", alert_type="danger", visible=False)
        self.status = pn.pane.Markdown("A: the sidebar's settings. B: A with the changes. "
                                       "Same world, same seed (common random numbers).",
                                       css_classes=["netsim-compare-status"])
        self.charts = LiveCharts(_specs(), height=210)
        for spec in self.charts.specs:
            a, b = (s.column for s in spec.series)
            self.charts.figures[spec.name].varea(
                x="month", y1=a, y2=b, source=self.charts.sources[spec.name],
                fill_color="#F0E442", fill_alpha=0.45, legend_label="B − A",
            )
        self.table = pn.pane.HTML(_table_html(totals_table(pair_rows(*[pd.DataFrame(
            {"month": []})] * 2))), css_classes=["netsim-compare-table"])
        self.engine: EngineThread | None = None
        self.pair: PairRun | None = None
        self.rows: list[pd.DataFrame] = []
        figs = [pn.pane.Bokeh(f, sizing_mode="stretch_width") for f in self.charts.figures.values()]
        self.layout = pn.Column(
            pn.Row(self.changes, pn.Column(self.run_b, self.pause_b)), self.message, self.status,
            self.table, pn.GridBox(*figs, ncols=2, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    def run(self) -> None:
        """Start both variants afresh from month 0 and run them."""
        a = self.current()
        try:
            b = variant_b(a, self.changes.value)
        except NetsimInputError as exc:
            self.message.object, self.message.visible = ui_message(exc), True
            return
        self.message.visible = False
        self.close()
        self.pair = PairRun(a, b)
        self.engine = EngineThread(self.pair, speed=self.speed())  # type: ignore[arg-type]
        self.charts.clear()
        self.rows = []
        self.engine.run()

    def refresh(self) -> None:
        """Move queued rows into the charts and the table (the periodic callback)."""
        if self.engine is None:
            return
        ups = self.engine.drain()
        new = [u.rows for u in ups if not u.rows.empty]
        if not new:
            return
        rows = pd.concat(new, ignore_index=True)
        self.rows.append(rows)
        self.charts.push(rows)
        self.table.object = _table_html(totals_table(pd.concat(self.rows, ignore_index=True)))
        self.status.object = f"**Compare: month {self.pair.month} of {self.pair.horizon}**"

    def close(self) -> None:
        """End the pair's engine thread."""
        if self.engine is not None:
            self.engine.stop()
