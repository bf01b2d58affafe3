"""The viz room: figures of runs and experiments, and the HTML report.

Every figure function takes a :class:`~netsim.output.results.RunResult` (or, for experiments,
DataFrames) and an optional matplotlib ``ax``; it draws into ``ax`` if given, otherwise into a
new figure, and returns the figure. Figures are built without ``pyplot``, so they work under
any backend (files are written with Agg) and leave no global state behind; a figure returned
as the last expression of a notebook cell shows inline as a PNG under any backend. A run
that lacks what a figure shows (no platform, no platform hires, no event log, a zero-length
run, a run folder without an optional table) gets a figure with a note saying so, never an
exception.

Time is in months, money in currency units, rates per month. Colours are the Okabe–Ito
palette, which stays distinguishable with the common forms of colour blindness.

Modules, one concept each:

- :mod:`~netsim.viz.style`: palette, rc style, the displayable figure class, the figure
  registry (:func:`~netsim.viz.style.figure_function`), legend and note helpers;
- :mod:`~netsim.viz.data`: safe access to a run's tables, tenures and chain lengths;
- :mod:`~netsim.viz.run_plots`: time-series and distribution figures of one run;
- :mod:`~netsim.viz.freelance_plots`: freelancers' utilisation and gigs per freelancer;
- :mod:`~netsim.viz.network_plot`: the ego network with its referral chains;
- :mod:`~netsim.viz.campaign_plots`: viral job campaigns, reach against budget;
- :mod:`~netsim.viz.experiment_plots`: metric against parameter, comparison, sensitivity;
- :mod:`~netsim.viz.figure_sets`: all figures of a run or experiment, saving, plot folders;
- :mod:`~netsim.viz.report`: one self-contained HTML page per run or experiment folder.

What the room may import: :mod:`netsim.output.results` and :mod:`netsim.scenario.errors`
(output and input errors), pandas, numpy, scipy, networkx and matplotlib; never the engine or
the market, except the guarded lazy redraw of a run's initial world
(:mod:`netsim.world.build` with the run's own random streams) in
:func:`~netsim.viz.network_plot.initial_network`.
Nothing below the command line imports this room, so matplotlib is loaded only by figure
and report commands.
"""

from __future__ import annotations

from netsim.viz.campaign_plots import plot_campaign_reach
from netsim.viz.data import chain_lengths, completed_tenures, current_tenures, has_platform
from netsim.viz.experiment_plots import (
    plot_comparison,
    plot_metric_vs_parameter,
    plot_sensitivity,
    tidy_comparison,
)
from netsim.viz.figure_sets import (
    experiment_figures,
    is_experiment_dir,
    load_experiment_tables,
    plot_dir,
    run_figures,
    save_figures,
)
from netsim.viz.freelance_plots import plot_freelance
from netsim.viz.network_plot import choose_ego, network_at_end, plot_ego_network
from netsim.viz.report import (
    experiment_report_html,
    figure_to_base64,
    run_report_html,
    write_report,
)
from netsim.viz.run_plots import (
    plot_chain_lengths,
    plot_churn,
    plot_hires_by_channel,
    plot_knowledge_mixing,
    plot_labour_market,
    plot_platform_money,
    plot_tenure_distribution,
)
from netsim.viz.style import (
    CHANNEL_COLOURS,
    FIGURES,
    GAMING_COLOURS,
    OKABE_ITO,
    STYLE,
    NetsimFigure,
    new_figure,
)
from netsim.viz.tie_plots import plot_reunions, plot_two_hop_within_skill

__all__ = [
    "OKABE_ITO",
    "CHANNEL_COLOURS",
    "GAMING_COLOURS",
    "STYLE",
    "FIGURES",
    "NetsimFigure",
    "new_figure",
    "plot_labour_market",
    "plot_churn",
    "plot_hires_by_channel",
    "plot_tenure_distribution",
    "plot_platform_money",
    "plot_knowledge_mixing",
    "plot_chain_lengths",
    "plot_campaign_reach",
    "plot_freelance",
    "plot_reunions",
    "plot_two_hop_within_skill",
    "plot_ego_network",
    "network_at_end",
    "choose_ego",
    "plot_metric_vs_parameter",
    "plot_comparison",
    "plot_sensitivity",
    "tidy_comparison",
    "completed_tenures",
    "current_tenures",
    "chain_lengths",
    "has_platform",
    "run_figures",
    "experiment_figures",
    "save_figures",
    "plot_dir",
    "is_experiment_dir",
    "load_experiment_tables",
    "figure_to_base64",
    "run_report_html",
    "experiment_report_html",
    "write_report",
]
