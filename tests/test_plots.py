"""Every figure function draws the expected axes and series on a small real run.

The second half draws every registered figure function on every shipped scenario, in memory
and loaded back from its run folder, and on runs that lack a mechanism (no event log, no
platform members, half a month, a bare run folder), so a figure that fails on some run
cannot ship.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import netsim
from conftest import small_scenario
from netsim import viz as plots
from shipped_runs import ROOT, SCENARIOS, name, shipped_run


@pytest.fixture(scope="module")
def result():
    sc = small_scenario(
        platform={
            "enabled": True,
            "member_share": 0.3,
            "gaming": {"rotation_share": 0.3, "sybil_share": 0.1},
        }
    )
    return netsim.simulate(sc, 3)


@pytest.fixture(scope="module")
def baseline():
    return netsim.simulate(small_scenario(), 3)


def texts(fig):
    """Every text drawn in the figure's axes (notes, annotations), titles excluded."""
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def labels(fig):
    return [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes]


def test_labour_market(result):
    fig = plots.plot_labour_market(result)
    assert isinstance(fig, Figure)
    top, bottom, right = fig.axes
    assert len(top.lines) == 1 and len(bottom.lines) == 2 and len(right.lines) == 1
    assert bottom.get_xlabel() == "time (months)"
    assert right.get_ylabel() == "open vacancies (count)"
    assert "Labour market" in top.get_title()


def test_churn(result):
    fig = plots.plot_churn(result)
    ax, ax2 = fig.axes
    assert len(ax.patches) == len(result.timeseries) - 1
    assert len(ax2.lines) == 1 and "churn rate" in ax2.get_ylabel()
    assert ax.get_xlabel() == "time (months)"


def test_hires_by_channel(result, baseline):
    fig = plots.plot_hires_by_channel(result)
    ax = fig.axes[0]
    assert len(ax.collections) == 4  # market, word of mouth, platform, internal
    assert ax.get_ylabel() == "hires (count per month)"
    assert len(plots.plot_hires_by_channel(baseline).axes[0].collections) == 3


def test_tenure(result):
    done = plots.completed_tenures(result)
    assert len(done) > 0 and (done >= 0).all()
    assert done.max() <= result.scenario.horizon_months
    fig = plots.plot_tenure_distribution(result)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "tenure (months)"
    assert len(ax.get_legend().get_texts()) == 3


def test_platform_money(result, baseline):
    fig = plots.plot_platform_money(result)
    ax, ax2 = fig.axes
    assert len(ax.lines) == 4 and len(ax2.lines) == 1
    assert ax.get_ylabel() == "cumulative amount (currency)"
    gamed = ax.lines[2].get_ydata()[-1]
    assert gamed == pytest.approx(result.timeseries["payouts_gamed"].sum())
    note = plots.plot_platform_money(baseline)  # no platform: a note, not an exception
    assert "No referral platform" in " ".join(texts(note))


def test_knowledge_mixing(result):
    ax = plots.plot_knowledge_mixing(result).axes[0]
    assert len(ax.lines) == 1 and "knowledge mixing" in ax.get_ylabel()


def test_chain_lengths(result):
    cl = plots.chain_lengths(result)
    assert len(cl) == result.summary["platform_hires"]
    ax = plots.plot_chain_lengths(result).axes[0]
    assert ax.get_ylabel() == "platform hires (count)"
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == len(cl)


def test_network_rebuild_matches_run(result):
    G = plots.network_at_end(result)
    assert G is not None
    assert G.number_of_edges() == int(result.timeseries["edges"].iloc[-1])
    assert result.workers["degree"].tolist() == [G.degree(i) for i in range(len(result.workers))]


def test_ego_network(result):
    ego = plots.choose_ego(result)
    assert ego in set(result.chains["referrer"])
    fig = plots.plot_ego_network(result)
    ax = fig.axes[0]
    assert f"worker {ego}" in ax.get_title()
    assert "rebuilt" in ax.get_title()
    assert len(ax.patches) >= 1  # referral arrows


def test_ax_argument_reuses_figure(result):
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.plot_knowledge_mixing(result, ax=ax) is fig


def test_run_figures_and_save(result, tmp_path):
    from netsim.viz.style import FIGURES

    # Every registered run figure of a mechanism this platform run has.
    n_run = sum(
        info.kind == "run" and info.mechanism_present(result) for _, info in FIGURES.values()
    )
    figs = plots.run_figures(result)
    assert len(figs) == n_run >= 8
    # PNG only: PNG and SVG together are written by `netsim plot` in test_report.
    written = plots.save_figures(figs, tmp_path, formats=("png",))
    assert len(written) == n_run and all(p.stat().st_size > 0 for p in written)


# ------------------------------------------------------------------ experiments (synthetic)


@pytest.fixture(scope="module")
def experiment():
    rng = np.random.default_rng(0)
    rows = []
    for v, rule in enumerate(["flat", "clawback", "recursive"]):
        for fee in (2000.0, 4000.0):
            for rep in range(4):
                rows.append(
                    {
                        "run_id": f"{v}-{fee}-{rep}",
                        "variant": v,
                        "label": rule,
                        "replication": rep,
                        "seed": rep,
                        "status": "ok",
                        "platform.payout.rule": rule,
                        "platform.fee_per_hire": fee,
                        "platform_margin": fee * 5 + rng.normal(0, 500),
                        "churn_rate_per_year": 0.3 + rng.normal(0, 0.01),
                    }
                )
    runs = pd.DataFrame(rows)
    comp = []
    for (v, label), g in runs.groupby(["variant", "label"]):
        for m in ("platform_margin", "churn_rate_per_year"):
            x = g[m]
            h = 2.0 * x.std() / np.sqrt(len(x))
            comp.append(
                {
                    "variant": v,
                    "label": label,
                    "metric": m,
                    "mean": x.mean(),
                    "std": x.std(),
                    "ci95_low": x.mean() - h,
                    "ci95_high": x.mean() + h,
                    "n": len(x),
                }
            )
    sens = pd.DataFrame(
        {
            "metric": "platform_margin",
            "parameter": ["platform.fee_per_hire", "platform.reach"],
            "method": "sobol",
            "S1": [0.7, 0.1],
            "S1_conf": [0.05, 0.04],
            "ST": [0.75, 0.15],
            "ST_conf": [0.06, 0.05],
        }
    )
    return runs, pd.DataFrame(comp), sens


def test_metric_vs_parameter(experiment):
    runs, _, _ = experiment
    ax = plots.plot_metric_vs_parameter(runs, "platform.fee_per_hire", "platform_margin").axes[0]
    assert len(ax.lines) == 1 and len(ax.collections) == 1  # mean line and CI band
    assert ax.get_xlabel() == "platform.fee per hire"
    by = plots.plot_metric_vs_parameter(
        runs, "platform.fee_per_hire", "platform_margin", by="label"
    ).axes[0]
    assert len(by.lines) == 3
    cat = plots.plot_metric_vs_parameter(runs, "platform.payout.rule", "platform_margin").axes[0]
    assert [t.get_text() for t in cat.get_xticklabels()] == ["clawback", "flat", "recursive"]


def test_comparison(experiment):
    _, comp, _ = experiment
    ax = plots.plot_comparison(comp, "platform_margin", baseline="flat").axes[0]
    assert len(ax.patches) == 3
    assert {t.get_text() for t in ax.get_yticklabels()} == {"flat", "clawback", "recursive"}
    assert ax.get_xlabel() == "platform margin"
    wide = comp.set_index(["variant", "metric"])
    assert len(plots.tidy_comparison(wide)) == len(comp)
    note = plots.plot_comparison(comp, "platform_margins")  # a typo: a note, with the fix
    assert "did you mean 'platform_margin'" in " ".join(texts(note))


def test_sensitivity(experiment):
    _, _, sens = experiment
    ax = plots.plot_sensitivity(sens).axes[0]
    assert len(ax.patches) == 4  # S1 and ST for two parameters
    morris = pd.DataFrame(
        {"parameter": ["a", "b", "c"], "mu_star": [3.0, 1.0, 0.5], "mu_star_conf": [0.5, 0.3, 0.1]}
    )
    assert len(plots.plot_sensitivity(morris).axes[0].patches) == 3


def test_experiment_figures(experiment):
    runs, comp, sens = experiment
    figs = plots.experiment_figures(runs, comp, sens)
    assert "platform_margin_vs_platform_fee_per_hire" in figs
    assert "compare_platform_margin" in figs and "sensitivity_platform_margin" in figs


# ------------------------------------------------ every figure x every shipped scenario

#: Discovered from the registry, so a new figure function is tested without editing this file.
RUN_FIGURES = sorted(n for n, (_f, info) in plots.FIGURES.items() if info.kind == "run")
EXPERIMENT_FIGURES = sorted(
    n for n, (_f, info) in plots.FIGURES.items() if info.kind == "experiment"
)


def test_every_public_figure_function_is_registered():
    public = {n for n in plots.__all__ if n.startswith("plot_") and n != "plot_dir"}
    assert public == set(plots.FIGURES), "decorate figure functions with @figure_function"
    assert len(RUN_FIGURES) >= 8 and len(EXPERIMENT_FIGURES) >= 3


def render(fig, source: str = "disk"):
    """Draw the figure to PNG bytes (errors of layout and text only appear here).

    Drawing is the slow part and depends on the data, not on where it came from, so a run's
    in-memory figures are only built; the same run loaded from disk is drawn.
    """
    assert isinstance(fig, Figure) and fig.axes
    if source == "memory":
        return True
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40)
    return buf.getvalue()


@pytest.mark.parametrize("figure", RUN_FIGURES)
@pytest.mark.parametrize("source", ["memory", "disk"])
@pytest.mark.parametrize("path", SCENARIOS, ids=name)
def test_figure_on_every_shipped_scenario(path, source, figure, tmp_path_factory):
    run = shipped_run(path, (), tmp_path_factory)[source]
    fn, _info = plots.FIGURES[figure]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. a failed network rebuild would warn
        assert render(fn(run), source)


#: Runs that lack something a figure shows (all on the baseline world, small).
EDGE_CASES = {
    "no_event_log": ("outputs.event_log=false",),
    "half_a_month": ("horizon_months=0.5",),
    "platform_without_members": ("platform.enabled=true", "platform.member_share=0.0"),
}


@pytest.mark.parametrize("figure", RUN_FIGURES)
@pytest.mark.parametrize("source", ["memory", "disk"])
@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_figure_on_runs_lacking_a_mechanism(case, source, figure, tmp_path_factory):
    run = shipped_run(ROOT / "scenarios" / "baseline.yaml", EDGE_CASES[case], tmp_path_factory)
    fn, _info = plots.FIGURES[figure]
    assert render(fn(run[source]), source)


def _bare(run):
    """A run folder of an older netsim: optional tables absent, a few series columns only."""
    keep = ["month", "time_months", "employed", "seeking", "out_of_market"]
    return dataclasses.replace(
        run,
        timeseries=run.timeseries[keep],
        events=pd.DataFrame(),
        workers=pd.DataFrame(),
        companies=pd.DataFrame(),
        chains=pd.DataFrame(),
        ledger=pd.DataFrame(),
    )


@pytest.mark.parametrize("figure", RUN_FIGURES)
def test_figure_on_a_bare_run(figure, tmp_path_factory):
    run = _bare(
        shipped_run(ROOT / "scenarios" / "platform_flat.yaml", (), tmp_path_factory)["disk"]
    )
    fn, _info = plots.FIGURES[figure]
    fig = fn(run)
    assert render(fig)
    assert texts(fig), "nothing to show: the figure says why"


def test_notes_say_what_is_missing(tmp_path_factory):
    base = shipped_run(ROOT / "scenarios" / "baseline.yaml", (), tmp_path_factory)["disk"]
    assert "No referral platform in this run" in texts(plots.plot_chain_lengths(base))
    ego = plots.plot_ego_network(base)
    assert "no platform hires in this run" in ego.axes[0].get_title()
    assert "rebuilt" in ego.axes[0].get_title()  # the baseline's ties are still drawn
    assert len(ego.axes[0].collections) >= 2  # ties and people
    idle = shipped_run(
        ROOT / "scenarios" / "baseline.yaml",
        EDGE_CASES["platform_without_members"],
        tmp_path_factory,
    )["disk"]
    assert "No platform hires" in texts(plots.plot_chain_lengths(idle))
    short = shipped_run(
        ROOT / "scenarios" / "baseline.yaml", EDGE_CASES["half_a_month"], tmp_path_factory
    )
    assert "No completed month in this run's time series" in texts(
        plots.plot_churn(short["memory"])
    )
    bare = _bare(base)
    assert "No worker table in this run" in texts(plots.plot_ego_network(bare))
    assert any("'knowledge_mixing'" in t for t in texts(plots.plot_knowledge_mixing(bare)))


def test_run_figures_of_a_baseline_leave_platform_figures_out(tmp_path_factory):
    base = shipped_run(ROOT / "scenarios" / "baseline.yaml", (), tmp_path_factory)["disk"]
    figs = plots.run_figures(base)
    assert list(figs)[-1] == "ego_network"
    assert "platform_money" not in figs and "chain_lengths" not in figs
    # Mechanisms' figures (campaigns, freelancers, ...) are left out of a baseline run.
    mechanism = {
        info.stem
        for _f, info in plots.FIGURES.values()
        if info.kind == "run" and not info.mechanism_present(base)
    }
    assert {"campaign_reach", "freelance"} <= mechanism and not mechanism & set(figs)
    stems = {info.stem for _f, info in plots.FIGURES.values() if info.kind == "run"}
    assert set(figs) == stems - {"platform_money", "chain_lengths"} - mechanism


_EXPERIMENT_ARGS = {"parameter": "platform.fee_per_hire", "metric": "platform_margin"}


@pytest.mark.parametrize("figure", EXPERIMENT_FIGURES)
@pytest.mark.parametrize("table", ["empty", "no_columns", "wrong_columns"])
def test_experiment_figure_on_empty_tables(figure, table):
    df = {
        "empty": pd.DataFrame({"variant": [], "metric": [], "mean": []}),
        "no_columns": pd.DataFrame(),
        "wrong_columns": pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}),
    }[table]
    fn, _info = plots.FIGURES[figure]
    params = list(inspect.signature(fn).parameters.values())
    args = [df]  # the table comes first
    for p in params[1:]:
        if p.default is inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD:
            assert p.name in _EXPERIMENT_ARGS, f"add an argument for {figure}({p.name}=...)"
            args.append(_EXPERIMENT_ARGS[p.name])
    fig = fn(*args)
    assert render(fig) and texts(fig), "an empty table gives a note"


def test_figures_show_inline_in_notebooks(result):
    fig = plots.plot_churn(result)
    png = fig._repr_png_()  # what IPython displays, whatever the matplotlib backend
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    composed = plots.new_figure((14, 5))
    left, right = composed.subplots(1, 2)
    plots.plot_knowledge_mixing(result, ax=left)
    assert composed._repr_png_().startswith(b"\x89PNG")


def test_viz_imports_only_what_its_docstring_allows():
    # viz may import itself, results (output) and errors, never the engine's run; the one
    # exception is the guarded, lazy redraw of a run's initial network by the world builder.
    allowed = ("netsim.viz", "netsim.output.results", "netsim.scenario.errors")
    found = []
    for path in sorted(Path(plots.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text())
        owner = {}  # import node -> the function it is in (TYPE_CHECKING blocks included)
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                owner.update({id(n): fn.name for n in ast.walk(fn)})
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for mod in names:
                if mod.startswith("netsim") and not mod.startswith(allowed):
                    found.append((path.stem, owner.get(id(node), "<module>"), mod))
    assert set(found) == {
        ("network_plot", "initial_network", "netsim.engine.rng"),
        ("network_plot", "initial_network", "netsim.world.build"),
    }
