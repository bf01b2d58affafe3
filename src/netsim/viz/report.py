"""One self-contained HTML page for a run folder or an experiment folder.

The page embeds every figure of :mod:`netsim.viz` as a base64 PNG (no external files,
so it can be mailed or archived on its own), the summary table, the resolved scenario YAML,
and for an experiment the comparison table.

May import the other :mod:`netsim.viz` modules, :mod:`netsim.output.results`, pandas, PyYAML and
matplotlib; never the engine.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from matplotlib.figure import Figure

from netsim.viz.experiment_plots import tidy_comparison
from netsim.viz.figure_sets import (
    experiment_figures,
    is_experiment_dir,
    load_experiment_tables,
    load_run,
    run_figures,
    usable_comparison,
)

__all__ = ["figure_to_base64", "run_report_html", "experiment_report_html", "write_report"]

_CSS = """
body { font-family: system-ui, -apple-system, Segoe UI, Roboto, sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid
#ddd; padding-bottom: 0.2em; }
.meta { color: #555; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; } td.key, th.key { text-align: left; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.scroll { overflow-x: auto; }
"""


def figure_to_base64(fig: Figure, dpi: int = 110) -> str:
    """The figure as a base64-encoded PNG."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if value != 0 and abs(value) < 1e-3:
            return f"{value:.3e}"
        return f"{value:.4g}"
    return html.escape(str(value))


def _summary_table(summary: Mapping[str, Any]) -> str:
    rows = "".join(
        f'<tr><td class="key">{html.escape(str(k))}</td><td>{_fmt(v)}</td></tr>'
        for k, v in summary.items()
    )
    return (
        '<table class="summary"><thead><tr><th class="key">metric</th><th>value</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _frame_table(df: pd.DataFrame, cls: str, cell=None) -> str:
    """``df`` as an HTML table; cells formatted by ``cell`` (default: numbers by ``_fmt``)."""
    cell = cell or _fmt
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _comparison_table(comparison: pd.DataFrame) -> str:
    """Variants as rows, metrics as columns, cells ``mean [low, high]``."""
    df = tidy_comparison(comparison)
    name = "label" if "label" in df.columns else "variant"
    cells = df.assign(
        cell=[
            f"{_fmt(m)} [{_fmt(lo)}, {_fmt(hi)}]"
            for m, lo, hi in zip(df["mean"], df["ci95_low"], df["ci95_high"], strict=True)
        ]
    )
    wide = cells.pivot_table(
        index=name, columns="metric", values="cell", aggfunc="first", sort=False
    )
    wide = wide[list(dict.fromkeys(df["metric"]))].reset_index()
    return _frame_table(wide, "comparison", cell=lambda v: html.escape(str(v)))


def _figures_html(figures: Mapping[str, Figure]) -> str:
    if not figures:
        return "<p>No figures: the tables hold no finished runs to draw.</p>"
    parts = []
    for name, fig in figures.items():
        title = fig.axes[0].get_title() if fig.axes else name
        parts.append(
            f'<figure id="fig-{html.escape(name)}"><img alt="{html.escape(title)}" '
            f'src="data:image/png;base64,{figure_to_base64(fig)}">'
            f"<figcaption>{html.escape(name)}</figcaption></figure>"
        )
    return "\n".join(parts)


def _page(title: str, meta: str, sections: list[tuple[str, str]]) -> str:
    body = "\n".join(f"<h2>{html.escape(h)}</h2>\n{content}" for h, content in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="meta">{meta}</p>\n{body}\n</body></html>\n'
    )


def run_report_html(result, figures: Mapping[str, Figure] | None = None) -> str:
    """The report page of a :class:`~netsim.output.results.RunResult`."""
    figures = run_figures(result) if figures is None else figures
    m = result.manifest or {}
    meta = (
        f"{html.escape(result.scenario.description or '')} &middot; seed {result.seed} &middot; "
        f"{result.scenario.horizon_months:g} months &middot; "
        f"{result.scenario.population.workers:,} workers &middot; "
        f"netsim {html.escape(str(m.get('versions', {}).get('netsim', '?')))} &middot; "
        f"created {html.escape(str(m.get('created_utc', '?')))}"
    )
    scenario_yaml = yaml.safe_dump(result.scenario.model_dump(mode="json"), sort_keys=False)
    return _page(
        f"netsim run: {result.scenario.name}, seed {result.seed}",
        meta,
        [
            ("Summary", _summary_table(result.summary)),
            ("Figures", _figures_html(figures)),
            ("Resolved scenario", f"<pre>{html.escape(scenario_yaml)}</pre>"),
        ],
    )


def experiment_report_html(path: str | Path, figures: Mapping[str, Figure] | None = None) -> str:
    """The report page of an experiment folder (``runs.parquet``, ``comparison.parquet``)."""
    path = Path(path)
    tables = load_experiment_tables(path)
    figures = experiment_figures(**tables) if figures is None else figures
    manifest = {}
    if (path / "manifest.json").is_file():
        manifest = json.loads((path / "manifest.json").read_text())
    runs = tables.get("runs", pd.DataFrame())
    status = runs["status"].value_counts().to_dict() if "status" in runs.columns else {}
    summary = {
        "experiment": manifest.get("experiment", path.name),
        "runs": len(runs),
        **{f"runs_{k}": int(v) for k, v in status.items()},
        "variants": int(runs["variant"].nunique()) if "variant" in runs.columns else 0,
        "replications": manifest.get("replications", "?"),
        "varied parameters": ", ".join(tables.get("parameters", [])) or "–",
    }
    sections = [("Summary", _summary_table(summary))]
    comparison = usable_comparison(tables.get("comparison"))
    if comparison is not None:
        sections.append(("Comparison (mean [95% CI] per variant)", _comparison_table(comparison)))
    sections.append(("Figures", _figures_html(figures)))
    sens = tables.get("sensitivity")
    if sens is not None and len(sens):
        sections.append(("Sensitivity indices", _frame_table(sens, "sensitivity")))
    base = path / "base_scenario.yaml"
    design = {
        k: manifest[k] for k in ("file", "base", "seed", "metrics", "varied") if k in manifest
    }
    if base.is_file():
        sections.append(("Base scenario", f"<pre>{html.escape(base.read_text())}</pre>"))
    if design:
        text = yaml.safe_dump(design, sort_keys=False)
        sections.append(("Design", f"<pre>{html.escape(text)}</pre>"))
    return _page(
        f"netsim experiment: {summary['experiment']}",
        f"{html.escape(str(path))} &middot; updated "
        f"{html.escape(str(manifest.get('updated_utc', '?')))}",
        sections,
    )


def write_report(path: str | Path) -> Path:
    """Write ``path/report.html`` for a run or experiment folder; returns the file."""
    path = Path(path)
    if is_experiment_dir(path):
        text = experiment_report_html(path)
    elif (path / "manifest.json").is_file():
        text = run_report_html(load_run(path))
    else:
        raise FileNotFoundError(
            f"{path}: neither a run folder (manifest.json) nor an experiment (runs.parquet)"
        )
    out = path / "report.html"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out
