"""The look shared by every figure: palette, fonts, figure class, legends and notes.

Holds the Okabe–Ito palette, the rc style every figure is drawn under, :class:`NetsimFigure`
(a matplotlib ``Figure`` that shows itself inline in Jupyter under any backend), the
:func:`figure_function` decorator that styles a figure function and registers it (so the
figure sets, the report and the tests find every figure without a hand-written list), and
small drawing helpers (legend below the axes, a "nothing to show" note).

May import matplotlib and the standard library only; no other netsim module.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "CYCLE",
    "CHANNEL_COLOURS",
    "GAMING_COLOURS",
    "STYLE",
    "FIGSIZE",
    "NetsimFigure",
    "new_figure",
    "FigureInfo",
    "FIGURES",
    "figure_function",
    "axes_of",
    "legend_below",
    "draw_note",
    "money",
    "label",
    "stem",
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
#: Colour cycle of line and bar series, in the order series are drawn.
CYCLE = [_C[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")]

#: Colour of each hiring channel, the same in every figure.
CHANNEL_COLOURS = {
    "market": _C["blue"],
    "word_of_mouth": _C["orange"],
    "platform": _C["green"],
    "internal": _C["purple"],
    "campaign": _C["sky_blue"],
}
#: Colour of each referrer strategy (honest or a kind of gaming).
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
    "axes.prop_cycle": mpl.cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "lines.linewidth": 2.0,
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "svg.fonttype": "none",
}

#: Default figure size (inches).
FIGSIZE = (9.0, 5.0)


class NetsimFigure(Figure):
    """A matplotlib ``Figure`` that IPython/Jupyter displays as a PNG.

    Figures are built without ``pyplot`` (no global state, any backend), and such figures
    have no display hook of their own: unless the inline backend happens to be active, a
    notebook prints ``<Figure size 900x650 with 3 Axes>``. ``_repr_png_`` makes the figure
    show itself whatever the backend (``MPLBACKEND=Agg`` included).
    """

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi, bbox_inches="tight")
        return buf.getvalue()


def new_figure(figsize: tuple[float, float] = FIGSIZE, **kwargs: Any) -> NetsimFigure:
    """A new constrained-layout :class:`NetsimFigure` (size in inches), e.g. to compose panels."""
    kwargs.setdefault("layout", "constrained")
    return NetsimFigure(figsize=figsize, **kwargs)


@dataclass(frozen=True)
class FigureInfo:
    """What the figure sets need to know about a figure function.

    ``kind`` is ``"run"`` (takes a RunResult) or ``"experiment"`` (takes DataFrames);
    ``stem`` is the file name of a run figure; ``platform_only`` figures are left out of a
    run's figure set when the run had no referral platform (they would only show the note);
    ``network`` marks the (slow) ego-network figure, which the figure set can skip;
    ``table`` names the mechanism table a figure draws (e.g. ``campaigns``): it is left out
    of the figure set of a run without that table, as ``platform_only`` figures are;
    ``applies(result)``, if given, says whether the run has the mechanism a figure shows
    (a run figure set leaves the figure out otherwise; called directly it draws a note).
    """

    kind: str
    stem: str = ""
    platform_only: bool = False
    network: bool = False
    table: str = ""
    applies: Callable[[Any], bool] | None = None

    def mechanism_present(self, result: Any) -> bool:
        """Whether ``result`` has the mechanism this figure shows (True for core figures)."""
        if self.table and self.table not in (getattr(result, "tables", None) or {}):
            return False
        return self.applies is None or bool(self.applies(result))


#: Every figure function, in definition order, with its :class:`FigureInfo`.
FIGURES: dict[str, tuple[Callable[..., Figure], FigureInfo]] = {}


def figure_function(
    kind: str,
    stem: str = "",
    *,
    platform_only: bool = False,
    network: bool = False,
    table: str = "",
    applies: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[..., Figure]], Callable[..., Figure]]:
    """Decorate a figure function: draw it under :data:`STYLE` and register it in :data:`FIGURES`.

    The rc style is applied while drawing because fonts and colours are fixed when artists
    are made; registration lets the figure sets and the tests discover every figure.
    """
    if kind not in ("run", "experiment"):
        raise ValueError(f"figure kind must be 'run' or 'experiment', got {kind!r}")

    def decorate(fn: Callable[..., Figure]) -> Callable[..., Figure]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Figure:
            with mpl.rc_context(STYLE):
                return fn(*args, **kwargs)

        name = stem or fn.__name__.removeprefix("plot_")
        info = FigureInfo(kind, name, platform_only, network, table, applies)
        wrapper.figure_info = info  # type: ignore[attr-defined]
        FIGURES[fn.__name__] = (wrapper, info)
        return wrapper

    return decorate


def axes_of(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    """``(figure, ax)`` of the given axes, or of a new :class:`NetsimFigure` with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(figsize)
    return fig, fig.add_subplot()


def legend_below(ax: Axes, handles=None, labels=None, ncol: int = 4, **kw: Any) -> None:
    """Legend under the axes, outside the data area (nothing if there is nothing to list)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
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


def draw_note(ax: Axes, note: str, title: str | None = None) -> None:
    """Say in the middle of ``ax`` why there is nothing to draw (e.g. no platform hires).

    A figure with nothing to show stays a figure, so a figure set, a report or a notebook
    never stops at a run that lacks one mechanism.
    """
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        note,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color="#444444",
        wrap=True,
        bbox={"boxstyle": "round,pad=0.6", "fc": "#f3f3f3", "ec": "#bbbbbb"},
    )
    if title is not None:
        ax.set_title(title)


def money(x: float, _pos: Any = None) -> str:
    """Tick label of an amount of money: 1.5k, 2M."""
    size = abs(x)
    if size >= 1e6:
        return f"{x / 1e6:g}M"
    if size >= 1e3:
        return f"{x / 1e3:g}k"
    return f"{x:g}"


def label(name: str) -> str:
    """A column name as axis text (underscores to spaces)."""
    return name.replace("_", " ")


def stem(name: str) -> str:
    """A column name as a file-name stem (only letters, digits, ``-`` and ``_``)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
