"""Every figure of a run or an experiment at once, and writing them into a folder.

:func:`run_figures` draws every registered run figure (see
:func:`netsim.viz.style.figure_function`: a new figure function is included without editing
this module); :func:`experiment_figures` draws the experiment figures that the tables
support; :func:`save_figures` writes figures as PNG and SVG; :func:`plot_dir` does all of it
for a run or experiment folder on disk.

May import the other :mod:`netsim.viz` modules, :mod:`netsim.output.results` (loading run folders),
:mod:`netsim.scenario.errors`, pandas and matplotlib; never the engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.figure import Figure

# Imported for their figure registrations (run figures in reading order).
from netsim.viz import campaign_plots, freelance_plots, network_plot, run_plots, tie_plots  # noqa: F401,E501
from netsim.viz.data import has_platform
from netsim.viz.experiment_plots import (
    plot_comparison,
    plot_metric_vs_parameter,
    plot_sensitivity,
    tidy_comparison,
)
from netsim.viz.style import FIGURES, stem

if TYPE_CHECKING:
    from netsim.output.results import RunResult

__all__ = [
    "run_figures",
    "experiment_figures",
    "save_figures",
    "is_experiment_dir",
    "load_experiment_tables",
    "load_run",
    "plot_dir",
    "usable_comparison",
]


def run_figures(result: RunResult, *, network: bool = True) -> dict[str, Figure]:
    """Every figure that applies to the run, by file stem, in reading order.

    Platform figures are left out of a run without the referral platform, a mechanism's
    figures out of a run without that mechanism; ``network=False``
    leaves out the ego network (which rebuilds the social network, the slowest figure).
    """
    platform = has_platform(result)
    figs: dict[str, Figure] = {}
    # Registration order is the reading order, except that the network comes last.
    for fn, info in sorted(FIGURES.values(), key=lambda item: item[1].network):
        if info.kind != "run" or (info.platform_only and not platform):
            continue
        if not info.mechanism_present(result):
            continue  # the run lacks the mechanism the figure shows
        if info.network and not network:
            continue
        figs[info.stem] = fn(result)
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


def usable_comparison(comparison: pd.DataFrame | None) -> pd.DataFrame | None:
    """The comparison in long form if it has rows and mean/CI columns, else ``None``."""
    if comparison is None or not len(comparison):
        return None
    try:
        tidy = tidy_comparison(comparison)
    except ValueError:  # not a comparison table: its figures are left out
        return None
    return tidy if {"metric", "mean", "ci95_low", "ci95_high"} <= set(tidy.columns) else None


def experiment_figures(
    runs: pd.DataFrame | None = None,
    comparison: pd.DataFrame | None = None,
    sensitivity: pd.DataFrame | None = None,
    *,
    parameters: Iterable[str] | None = None,
    metrics: Iterable[str] | None = None,
    max_metrics: int = 8,
) -> dict[str, Figure]:
    """Figures of an experiment, by file stem (none for empty tables).

    ``parameters`` are the swept columns of ``runs`` (default: its columns with a dot in
    the name, like ``platform.fee_per_hire``, that take more than one value); ``metrics``
    default to those of the comparison table, else numeric columns of ``runs``.
    """
    figs: dict[str, Figure] = {}
    tidy = usable_comparison(comparison)
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
            if p not in runs.columns:
                continue
            if tidy is not None and not pd.api.types.is_numeric_dtype(runs[p]):
                continue  # a categorical parameter: the comparison figures show the same
            for m in metrics:
                if m in runs.columns:
                    figs[f"{stem(m)}_vs_{stem(p)}"] = plot_metric_vs_parameter(runs, p, m)
    if tidy is not None:
        for m in metrics:
            if (tidy["metric"] == m).any():
                figs[f"compare_{stem(m)}"] = plot_comparison(tidy, m)
    if sensitivity is not None and len(sensitivity):
        if "metric" in sensitivity.columns:
            for m in dict.fromkeys(sensitivity["metric"]):
                figs[f"sensitivity_{stem(str(m))}"] = plot_sensitivity(sensitivity, str(m))
        else:
            figs["sensitivity"] = plot_sensitivity(sensitivity)
    return figs


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


def _unreadable(path: Path, exc: Exception):
    from netsim.scenario.errors import NetsimInputError

    return NetsimInputError(f"cannot read this results folder: {exc}", file=str(path))


def load_experiment_tables(path: str | Path) -> dict[str, Any]:
    """``runs``, ``comparison``, ``sensitivity`` (and ``parameters``, ``metrics`` if known).

    Reads the manifest and the parquet files present; a file that cannot be read raises
    :class:`~netsim.scenario.errors.NetsimInputError` naming the folder.
    """
    path = Path(path)
    out: dict[str, Any] = {}
    try:
        manifest = path / "manifest.json"
        if manifest.is_file():
            info = json.loads(manifest.read_text())
            if info.get("varied"):
                out["parameters"] = list(info["varied"])
            if info.get("metrics"):
                out["metrics"] = list(info["metrics"])
        for name in ("runs", "comparison", "sensitivity"):
            f = path / f"{name}.parquet"
            if f.is_file():
                out[name] = pd.read_parquet(f)
    except (OSError, ValueError) as exc:  # JSON and Arrow errors are ValueErrors
        raise _unreadable(path, exc) from None
    return out


def load_run(path: str | Path) -> RunResult:
    """:func:`netsim.output.results.load`, with an unreadable folder reported as bad input."""
    from netsim.output.results import load

    path = Path(path)
    try:
        return load(path)
    except (OSError, ValueError, KeyError) as exc:  # missing file, bad JSON/Arrow, old manifest
        raise _unreadable(path, exc) from None


def plot_dir(path: str | Path, formats: Iterable[str] = ("png", "svg")) -> list[Path]:
    """Plot a run folder or an experiment folder into ``path/plots/``; returns the files."""
    path = Path(path)
    if is_experiment_dir(path):
        figs = experiment_figures(**load_experiment_tables(path))
    elif (path / "manifest.json").is_file():
        figs = run_figures(load_run(path))
    else:
        raise FileNotFoundError(
            f"{path}: neither a run folder (manifest.json) nor an experiment (runs.parquet)"
        )
    return save_figures(figs, path / "plots", formats)
