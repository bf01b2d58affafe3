"""Run one scenario in memory and collect its tables: :func:`simulate`."""

from __future__ import annotations

import time

import numpy as np

from netsim.model.simulation import Simulation
from netsim.output.results import RunResult, build_manifest
from netsim.output.summary import summarize
from netsim.scenario.schema import Scenario

__all__ = ["collect", "simulate"]


def simulate(scenario: Scenario, seed: int | None = None, progress=None) -> RunResult:
    """Run a validated scenario in memory and collect its tables (nothing is written)."""
    seed = scenario.seed if seed is None else int(seed)
    resolved = scenario.model_copy(update={"seed": seed})
    start = time.perf_counter()
    sim = Simulation(resolved, seed).run(progress=progress)
    return collect(sim, time.perf_counter() - start)


def collect(sim: Simulation, wall_seconds: float) -> RunResult:
    """The tables of a simulation as they stand (finished, or stopped early by the UI).

    ``wall_seconds`` is the run time recorded in the manifest.
    """
    resolved, seed = sim.sc, sim.seed
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
        engine_events=sim.n_events,
        logged_events=len(events),
    )
    companies = sim.company_table()
    summary.update(sim.mechanism_summary())
    extra = {"ledger": sim.ledger.to_frame()} if len(sim.ledger) else {}
    if sim.platform is not None:
        extra = {"ledger": sim.ledger.to_frame(), "chains": sim.platform.chain_table()}
    wall = wall_seconds
    return RunResult(
        scenario=resolved,
        seed=seed,
        timeseries=timeseries,
        events=events,
        workers=workers,
        companies=companies,
        summary=summary,
        manifest=build_manifest(
            resolved,
            seed,
            wall,
            sim.n_events,
            len(events),
            market="compiled" if sim.kernel is not None else "python",
        ),
        tables=sim.mechanism_tables(),
        **extra,
    )
