"""The Python entry points: :func:`run` a scenario, :func:`load` a run folder.

>>> import netsim
>>> result = netsim.run("scenarios/baseline.yaml", seed=7)      # doctest: +SKIP
>>> result.timeseries.plot(x="month", y="unemployment_rate")     # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from netsim.config import load_scenario
from netsim.model.simulation import Simulation
from netsim.results import RunResult, build_manifest, load, write_run
from netsim.scenario import Scenario
from netsim.summary import summarize

__all__ = ["run", "load", "default_run_dir", "simulate"]


def default_run_dir(scenario: Scenario, seed: int, root: str | Path = "results") -> Path:
    """Where ``netsim run`` writes by default: ``results/<scenario name>/seed-<seed>``."""
    return Path(root) / scenario.name / f"seed-{seed}"


def simulate(scenario: Scenario, seed: int | None = None, progress=None) -> RunResult:
    """Run a validated scenario in memory and collect its tables (nothing is written)."""
    seed = scenario.seed if seed is None else int(seed)
    resolved = scenario.model_copy(update={"seed": seed})
    start = time.perf_counter()
    sim = Simulation(resolved, seed).run(progress=progress)
    timeseries = sim.timeseries()
    workers = sim.worker_table()
    events = sim.events()
    summary = summarize(
        timeseries,
        workers,
        np.asarray(sim.completed_tenures),
        seed=seed,
        horizon_months=resolved.horizon_months,
        n_companies=sim.companies.n,
        events=sim.n_events,
    )
    companies = sim.company_table()
    extra = {}
    if sim.platform is not None:
        summary.update(sim.platform.summary(sim.env.now))
        extra = {"ledger": sim.platform.ledger.to_frame(), "chains": sim.platform.chain_table()}
    wall = time.perf_counter() - start
    return RunResult(
        scenario=resolved,
        seed=seed,
        timeseries=timeseries,
        events=events,
        workers=workers,
        companies=companies,
        summary=summary,
        manifest=build_manifest(resolved, seed, wall, sim.n_events),
        **extra,
    )


def run(
    scenario: str | Path | dict[str, Any] | Scenario,
    seed: int | None = None,
    *,
    out: str | Path | None = None,
    progress: bool = False,
    overrides: Sequence[str] = (),
) -> RunResult:
    """Run a scenario (file path, dict or :class:`Scenario`) and return its tables.

    ``seed`` overrides the scenario's seed; ``overrides`` are ``"path.to.key=value"``
    strings as for ``netsim run --set``. With ``out`` the run folder is written there
    atomically and ``result.path`` points to it; without, nothing is written.
    """
    sc = load_scenario(scenario, overrides)
    if progress:
        from netsim.console import month_progress

        with month_progress(sc.horizon_months, enabled=True) as update:
            result = simulate(sc, seed, progress=update)
    else:
        result = simulate(sc, seed)
    if out is not None:
        write_run(result, out)
    return result


# Re-exported so ``netsim.api.load`` and ``netsim.load`` are the same function.
load = load
