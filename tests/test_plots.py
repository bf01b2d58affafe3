"""Every figure function draws the expected axes and series on a small real run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import netsim
from conftest import small_scenario
from netsim import plots


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
    with pytest.raises(ValueError):
        plots.plot_platform_money(baseline)


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
    figs = plots.run_figures(result)
    assert len(figs) == 8
    written = plots.save_figures(figs, tmp_path)
    assert len(written) == 16 and all(p.stat().st_size > 0 for p in written)


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
    with pytest.raises(ValueError):
        plots.plot_comparison(comp, "nope")


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
