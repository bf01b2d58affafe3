"""The live charts: Bokeh figures whose data sources grow by streamed month rows.

Each chart is a :class:`ChartSpec` (columns of the month rows, optionally cumulated) drawn
into one Bokeh figure over one ``ColumnDataSource`` named ``chart-<name>``, so that new rows
are sent to the browser as a small ``stream`` patch, not as the whole table (what keeps a
10,000-worker run at dozens of months per second). The Bokeh toolbar's save tool downloads
each chart as PNG in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, LinearAxis, Range1d
from bokeh.palettes import Colorblind8
from bokeh.plotting import figure

__all__ = [
    "CHANNEL_COLOURS",
    "CHARTS",
    "ChartSpec",
    "GAMING_COLOURS",
    "LiveCharts",
    "NetworkChart",
    "OKABE_ITO",
    "Series",
]

# The static figures' colours (netsim.viz.style), from Bokeh's copy of the Okabe-Ito palette:
# importing netsim.viz would import matplotlib and cost the page a second at start-up.
# tests/test_ui.py checks that both stay the same.
_BLUE, _ORANGE, _YELLOW, _GREEN, _SKY, _VERMILLION, _PURPLE, _BLACK = Colorblind8
#: Okabe-Ito colours by name (as :data:`netsim.viz.style.OKABE_ITO`).
OKABE_ITO = {
    "black": _BLACK, "orange": _ORANGE, "sky_blue": _SKY, "green": _GREEN,
    "yellow": _YELLOW, "blue": _BLUE, "vermillion": _VERMILLION, "purple": _PURPLE,
}  # fmt: skip
#: Colour of each hiring channel (as :data:`netsim.viz.style.CHANNEL_COLOURS`).
CHANNEL_COLOURS = {"market": _BLUE, "word_of_mouth": _ORANGE, "platform": _GREEN,
                   "internal": _PURPLE, "campaign": _SKY,
                   "employee_referral": _VERMILLION}  # fmt: skip
#: Colour of each referrer strategy (as :data:`netsim.viz.style.GAMING_COLOURS`).
GAMING_COLOURS = {"honest": _BLUE, "rotation": _VERMILLION, "sybil": _PURPLE,
                  "self_referral": _ORANGE}  # fmt: skip


@dataclass(frozen=True)
class Series:
    """One line: month-row ``column``, legend ``label``, ``colour``; ``cumulative`` sums it.

    ``right`` puts it on a second y axis (a quantity of another unit).
    """

    column: str
    label: str
    colour: str
    cumulative: bool = False
    right: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """One chart: ``name`` (the data source is ``chart-<name>``), title, y label, lines."""

    name: str
    title: str
    y_label: str
    series: tuple[Series, ...]
    right_label: str = ""


_C = OKABE_ITO
#: The live charts of the lecture view, in page order.
CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "unemployment",
        "Unemployment rate",
        "share of the labour force",
        (Series("unemployment_rate", "unemployment", _C["blue"]),),
    ),
    ChartSpec(
        "hires",
        "Hires by channel (per month)",
        "hires",
        tuple(
            Series(f"hires_{ch}", ch.replace("_", " "), colour)
            for ch, colour in CHANNEL_COLOURS.items()
        ),
    ),
    ChartSpec(
        "churn",
        "Churn (separations per employed worker per month)",
        "churn rate",
        (Series("churn_rate", "churn rate", _C["vermillion"]),),
    ),
    ChartSpec(
        "payouts",
        "Payouts, honest vs gamed (cumulative)",
        "currency",
        (
            Series("payouts_honest", "honest", GAMING_COLOURS["honest"], cumulative=True),
            Series("payouts_gamed", "gamed", GAMING_COLOURS["rotation"], cumulative=True),
            Series("kickbacks", "kickbacks", _C["orange"], cumulative=True),
        ),
    ),
    ChartSpec(
        "platform",
        "Platform members and margin",
        "members",
        (
            Series("members", "members", _C["purple"]),
            Series("platform_margin", "margin", _C["green"], right=True),
        ),
        right_label="margin (currency)",
    ),
)


def _columns(spec: ChartSpec) -> list[str]:
    return ["month", *(s.column for s in spec.series)]


class LiveCharts:
    """The figures of :data:`CHARTS` and their data; :meth:`push` appends month rows.

    ``push`` and ``clear`` must run with the Bokeh document lock (a Panel periodic or
    widget callback), never in a worker thread.
    """

    def __init__(self, specs: tuple[ChartSpec, ...] = CHARTS, height: int = 230) -> None:
        self.specs = specs
        self.sources = {s.name: ColumnDataSource(_empty(s), name=f"chart-{s.name}") for s in specs}
        self.figures = {s.name: self._figure(s, height) for s in specs}
        self._totals: dict[str, float] = {}

    def _figure(self, spec: ChartSpec, height: int):
        fig = figure(
            title=spec.title,
            height=height,
            sizing_mode="stretch_width",
            x_axis_label="month",
            y_axis_label=spec.y_label,
            tools="pan,wheel_zoom,box_zoom,reset,save",
            name=f"figure-{spec.name}",
        )
        src = self.sources[spec.name]
        if any(s.right for s in spec.series):
            fig.extra_y_ranges = {"right": Range1d(start=-1, end=1)}
            fig.add_layout(LinearAxis(y_range_name="right", axis_label=spec.right_label), "right")
        left = []
        for s in spec.series:
            r = fig.line(
                "month",
                s.column,
                source=src,
                color=s.colour,
                line_width=2,
                legend_label=s.label,
                **({"y_range_name": "right"} if s.right else {}),
            )
            if not s.right:
                left.append(r)
        fig.y_range.renderers = left  # the left axis fits its own lines only
        fig.add_tools(HoverTool(tooltips=[("month", "@month")] + [
            (s.label, f"@{s.column}{{0,0.[000]}}") for s in spec.series
        ]))
        fig.legend.location = "top_left"
        fig.legend.click_policy = "hide"
        fig.legend.label_text_font_size = "9pt"
        fig.toolbar.logo = None
        return fig

    def clear(self) -> None:
        """Empty every chart (a new run)."""
        self._totals.clear()
        for spec in self.specs:
            self.sources[spec.name].data = _empty(spec)
            fig = self.figures[spec.name]
            if "right" in fig.extra_y_ranges:
                fig.extra_y_ranges["right"].update(start=-1, end=1)

    def push(self, rows: pd.DataFrame) -> None:
        """Append month rows (columns a chart lacks, e.g. without a platform, count as 0)."""
        if rows.empty:
            return
        for spec in self.specs:
            new = {"month": rows["month"].tolist()}
            for s in spec.series:
                col = rows[s.column] if s.column in rows else pd.Series(0.0, index=rows.index)
                col = col.astype(float).fillna(0.0)
                if s.cumulative:
                    key = f"{spec.name}.{s.column}"
                    sums = col.cumsum() + self._totals.get(key, 0.0)
                    self._totals[key] = float(sums.iloc[-1])
                    col = sums
                new[s.column] = col.tolist()
            self.sources[spec.name].stream(new)
            self._fit_right(spec)

    def _fit_right(self, spec: ChartSpec) -> None:
        right = [s.column for s in spec.series if s.right]
        if not right:
            return
        data = self.sources[spec.name].data
        values = [v for c in right for v in data[c]]
        lo, hi = min(values + [0.0]), max(values + [0.0])
        pad = 0.05 * (hi - lo) or 1.0
        self.figures[spec.name].extra_y_ranges["right"].update(start=lo - pad, end=hi + pad)


def _empty(spec: ChartSpec) -> dict[str, list]:
    return {c: [] for c in _columns(spec)}


#: Node colours of the referral network by kind.
_NODE_COLOURS = {
    "ego": _C["black"],
    "contact": "#BBBBBB",
    "referred": _C["sky_blue"],
    "company": "#FFFFFF",
}


class NetworkChart:
    """The referral network around a busy referrer (:class:`netsim.ui.live.EgoNetwork`).

    Grey lines are social ties, coloured arrows referrals (blue honest, red rotation, ...),
    dotted lines placements of the referred at firms (squares).
    """

    def __init__(self, height: int = 320) -> None:
        self.nodes = ColumnDataSource(
            {"x": [], "y": [], "kind": [], "label": [], "colour": [], "marker": []},
            name="network-nodes",
        )
        self.edges = ColumnDataSource(
            {"x0": [], "y0": [], "x1": [], "y1": [], "colour": [], "width": [], "dash": []},
            name="network-edges",
        )
        fig = figure(
            title="Referral network around a busy referrer",
            height=height,
            sizing_mode="stretch_width",
            tools="pan,wheel_zoom,reset,save",
            name="figure-network",
            match_aspect=True,
        )
        fig.segment("x0", "y0", "x1", "y1", source=self.edges, color="colour", line_width="width")
        r = fig.scatter(
            "x", "y", source=self.nodes, size=11, fill_color="colour", line_color="black",
            marker="marker",
        )
        fig.add_tools(HoverTool(renderers=[r], tooltips=[("", "@label"), ("role", "@kind")]))
        fig.axis.visible = False
        fig.grid.visible = False
        fig.toolbar.logo = None
        self.figure = fig

    def show(self, ego) -> None:
        """Draw ``ego`` (an :class:`~netsim.ui.live.EgoNetwork`); needs the document lock."""
        n, e = ego.nodes, ego.edges
        if n.empty:
            self.clear()
            return
        self.nodes.data = {
            "x": n["x"].tolist(),
            "y": n["y"].tolist(),
            "kind": n["kind"].tolist(),
            "label": n["label"].tolist(),
            "colour": [_NODE_COLOURS[k] for k in n["kind"]],
            "marker": ["square" if k == "company" else "circle" for k in n["kind"]],
        }
        colours = [
            "#CCCCCC" if k == "tie" else GAMING_COLOURS.get(g, _C["blue"])
            for k, g in zip(e["kind"], e["gaming"], strict=True)
        ]
        self.edges.data = {
            "x0": e["x0"].tolist(),
            "y0": e["y0"].tolist(),
            "x1": e["x1"].tolist(),
            "y1": e["y1"].tolist(),
            "colour": colours,
            "width": [1.0 if k == "tie" else 2.5 if k == "referral" else 1.5 for k in e["kind"]],
            "dash": ["solid" if k != "placement" else "dotted" for k in e["kind"]],
        }
        self.figure.title.text = (
            f"Referral network around worker {ego.ego}: referred {ego.referred} "
            f"people, {ego.hires} placements"
        )

    def clear(self) -> None:
        """Empty the network chart (a new run)."""
        self.nodes.data = {k: [] for k in self.nodes.data}
        self.edges.data = {k: [] for k in self.edges.data}
