"""Terminal output of the command line: run summaries and a progress bar in simulated months."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

__all__ = ["format_value", "month_progress", "print_summary"]


def format_value(value: Any) -> str:
    """A summary value for people: integers with separators, floats to 4 significant digits."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if value == 0:
            return "0"
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if 1e3 <= abs(value) < 1e15:
            return f"{value:,.0f}"
        if abs(value) >= 1e-3:
            return f"{value:.4g}"
        return f"{value:.3e}"
    return str(value)


def print_summary(result: Any, console: Console | None = None) -> None:
    """Print ``result.summary`` (a flat dict) as a two-column table, then ``result.path``."""
    console = console or Console(highlight=False)
    summary: Mapping[str, Any] = getattr(result, "summary", None) or {}
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("metric", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    for key, value in summary.items():
        table.add_row(str(key), format_value(value))
    if summary:
        console.print(table)
    burn_in = (getattr(result, "manifest", None) or {}).get("burn_in_months", 0)
    if summary and burn_in:
        # Say it here: "horizon_months 120" alone hides the months the market ran first.
        console.print(
            f"(after a {burn_in:g}-month burn-in, which these figures exclude)", soft_wrap=True
        )
    path = getattr(result, "path", None)
    if path is not None:
        console.print(f"results written to {path}", soft_wrap=True)


@contextmanager
def month_progress(total_months: float, enabled: bool = True) -> Iterator[Callable[[float], None]]:
    """Yield ``update(t_months)`` that drives a transient progress bar on stderr.

    The bar shows months simulated out of ``total_months`` and the time remaining. It is a
    no-op when disabled or when stderr is not a terminal. Calls are cheap: the bar is redrawn
    only after at least 1/500 of the horizon has passed.
    """
    if not enabled or total_months <= 0 or not _stderr_is_terminal():
        yield _noop
        return

    step = total_months / 500.0
    progress = Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed:.1f}/{task.total:g} months"),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("run", total=total_months)
    last = [-math.inf]

    def update(t_months: float) -> None:
        if t_months - last[0] >= step or t_months >= total_months:
            last[0] = t_months
            progress.update(task, completed=min(t_months, total_months))

    with progress:
        yield update


def _noop(t_months: float) -> None:
    return None


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
