"""One run of the model: the world, the labour market and the mechanisms, assembled and run.

:class:`Simulation` builds the :class:`~netsim.world.build.World` from the scenario, the
:class:`~netsim.market.labour_market.LabourMarket` on it, and the mechanisms (today the
referral platform), which attach through the engine's hooks and the market's services. It
then runs the engine's loop, writing one record per month (:meth:`Simulation.timeseries`).

Time is in **months** (a SimPy time unit is one month). With ``burn_in_months`` B > 0 the
market starts at time -B and runs alone until month 0, when the mechanisms launch
(:meth:`Simulation._launch`) and the outputs begin: every table, log and summary covers
months 0..horizon only (see docs/ODD.md, section 5). Every process is a Poisson process
or a deterministic deadline; nothing polls. Equal-time events run in SimPy's insertion
order, so a run is a deterministic function of its scenario and seed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netsim.engine.environment import ModelEnvironment, timer_slot_months
from netsim.engine.gctools import gc_relaxed
from netsim.engine.hooks import Hire, Hooks, MonthEnd, Separation
from netsim.engine.loop import Mechanism, run_processes
from netsim.engine.rng import spawn_generators
from netsim.kernel import attach_kernel
from netsim.market.labour_market import LabourMarket
from netsim.market.state import EMPLOYED, STATES, V_INTERNAL
from netsim.mechanisms.campaigns import Campaigns
from netsim.mechanisms.firms import LivingFirms, dormant_slots
from netsim.mechanisms.freelance import FreelanceOutputs
from netsim.mechanisms.screening import CompanyScreening
from netsim.mechanisms.ties import TieDynamics
from netsim.output.recorder import CHANNELS, SEPARATION_REASONS, EventLog
from netsim.platform.referral_platform import ReferralPlatform
from netsim.scenario.schema import Scenario
from netsim.world.build import build_world
from netsim.world.edgelist import edge_frame
from netsim.world.netstats import network_statistics
from netsim.world.population import POLICIES, SIZE_CLASSES, with_dormant_companies

if TYPE_CHECKING:
    from netsim.kernel.bridge import CompiledMarket

__all__ = ["Simulation", "Hire", "Separation", "EMPLOYED", "STATES"]


class Simulation(LabourMarket):
    """One run of the labour market. Build it, call :meth:`run`, read the tables.

    ``seed`` determines every random draw, through :func:`netsim.engine.rng.spawn_generators`.
    Mechanisms subscribe to :attr:`hooks` (see :mod:`netsim.engine.hooks`).
    """

    def __init__(
        self, scenario: Scenario, seed: int | None = None, kernel: str | None = None
    ) -> None:
        sc = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        gens = spawn_generators(self.seed)
        self.gens = gens
        world = build_world(sc, gens["population"], gens["graph"])
        #: Whole months the market runs before month 0, when the outputs start.
        self.burn_in = int(sc.burn_in_months)
        if sc.firms.enabled:  # company slots for the firms that enter during the run
            world.companies = with_dormant_companies(world.companies, dormant_slots(sc))
        super().__init__(
            sc,
            world,
            gens["dynamics"],
            ModelEnvironment(
                initial_time=-self.burn_in, slot_months=timer_slot_months(world.workers.n)
            ),
            EventLog(sc.outputs.event_log),
            freelance=gens["freelance"],
        )
        self._stats_rng = gens["statistics"]
        self.series: list[dict] = []
        self._progress: Callable[[float], None] | None = None
        self._jobs_before = [0] * world.workers.n  # jobs begun before month 0 (burn-in)
        #: The referral platform, if the scenario enables it.
        self.platform: ReferralPlatform | None = None
        #: Mechanisms attached to the market (:class:`netsim.engine.loop.Mechanism`).
        self.mechanisms: list[Mechanism] = []
        if sc.platform.enabled:
            # Attached before the initial vacancies are posted, so it sees them too.
            self.platform = ReferralPlatform(
                sc, self.services(), self.hooks, gens["platform"], gens["invites"]
            )
            self.mechanisms.append(self.platform)
        if sc.campaigns.enabled:
            # Attached before the initial vacancies are posted: campaigns target them too.
            self.mechanisms.append(Campaigns(sc, self.services(), self.hooks, gens["campaigns"]))
        if self.freelancers:
            self.mechanisms.append(FreelanceOutputs(self.services(), self.hooks))
        if sc.ties.dynamics.enabled:
            self.mechanisms.append(TieDynamics(sc, self.services(), self.hooks, gens["ties"]))
        if sc.screening.enabled:
            # Companies' own screening of every applicant's public record.
            self.mechanisms.append(
                CompanyScreening(sc, self.services(), self.hooks, gens["screening"])
            )
        #: Firms that live (entry, exit, brand, posts, staff policy), if enabled.
        self.firms: LivingFirms | None = None
        if sc.firms.enabled:
            self.firms = LivingFirms(sc, self.services(), self.hooks, gens["firms"], gens["posts"])
            self.mechanisms.append(self.firms)
        if self.burn_in:
            self.log.enabled = False  # until month 0 (:meth:`_launch`)
            with self._muted_hooks():
                self.populate(gens["population"])
        else:
            self.populate(gens["population"])
        #: The compiled kernel that runs the market's events (:mod:`netsim.kernel`), or None
        #: when the Python market runs them; chosen when the run starts (``kernel``: 'auto',
        #: 'compiled' or 'python'; see :func:`netsim.kernel.attach_kernel`).
        self.kernel: CompiledMarket | None = None
        self._kernel_choice = kernel

    # ------------------------------------------------------------------ burn-in
    @contextmanager
    def _muted_hooks(self):
        """Within the burn-in the market calls an empty set of hooks: the mechanisms (and
        any listener attached to :attr:`hooks`) hear nothing before month 0."""
        hooks, self.hooks = self.hooks, Hooks()
        try:
            yield
        finally:
            self.hooks = hooks

    def _launch(self) -> None:
        """Month 0 after a burn-in: start the outputs and launch the mechanisms.

        Flow counters restart (event log, engine events, per-company hires and separations,
        completed tenures, jobs held); stocks carry over (employment, tenure, satisfaction,
        ties, job histories, knowledge). The mechanisms then see the market as at the start
        of a run without burn-in: the open vacancies are posted to them, then they start.
        """
        self.log.enabled = self.sc.outputs.event_log
        self.n_events = 0
        self.completed_tenures.clear()
        for counts in (self.company_hires, self.company_internal_moves, self.company_separations):
            counts[:] = [0] * len(counts)
        # jobs_held counts jobs held from month 0: the current one and those begun since.
        self._jobs_before = [
            n - (1 if s == EMPLOYED else 0) for n, s in zip(self.n_jobs, self.state, strict=True)
        ]
        posted = sorted(v for lists in self._open_lists() for lst in lists for v in lst)
        for v in posted:
            for hook in self.hooks.vacancy_posted:
                hook(v)
        for mechanism in self.mechanisms:
            mechanism.start()
            for proc in mechanism.processes():
                self.env.process(proc)
        if self.kernel is not None:
            self.kernel.launch()

    def _open_lists(self) -> list[list[list[int]]]:
        """The per-company lists of open vacancies (positions, and projects if any)."""
        return [self.open_market, self.open_projects] if self.freelancers else [self.open_market]

    # ------------------------------------------------------------------ monthly record
    def _month_process(self):
        horizon = self.sc.horizon_months
        every = self.sc.outputs.network_stats_every_months
        m = -self.burn_in
        while m < 0:  # the burn-in: no record, the month's counters are dropped
            yield self.env.timeout(1.0)
            m += 1
            self._month_start(m)
            self.month.reset()
            self._rebuild_samplers()
            if m == 0:
                self._launch()
        self._sync_kernel()
        self._record_month(0)
        while m + 1 <= horizon:
            yield self.env.timeout(1.0)
            m += 1
            self._month_start(m)
            self._record_month(m, with_network=every > 0 and m % every < 1e-9)
            self._rebuild_samplers()
            if self._progress is not None:
                self._progress(float(m))

    def _sync_kernel(self) -> None:
        """Write the compiled kernel's state back into the Python market (if there is one)."""
        if self.kernel is not None:
            self.kernel.sync()

    def _month_start(self, m: int) -> None:
        """The start of month m: the Python state brought up to date, far timers released."""
        if self.kernel is not None:
            self.kernel.sync(lists=False)  # the record reads no staff or vacancy list
            self.kernel.release_workers(m)
        else:
            self.timers.release(m)

    def _rebuild_samplers(self) -> None:
        """The monthly rebuild of the vacancy samplers (clears accumulated rounding)."""
        if self.kernel is not None:
            self.kernel.rebuild_sampler()
        else:
            self.vacancy_sampler.rebuild()
        if self.freelancers:
            self.project_sampler.rebuild()

    def _record_month(self, m: int, with_network: bool = False) -> None:
        t = self.env.now
        mc = self.month
        prev_employed = self.series[-1]["employed"] if self.series else self.employed_count
        separations = sum(v for k, v in mc.separations.items() if k != "internal_move")
        labour_force = self.employed_count + self.seeking_count + self.freelancing_count
        row = {
            "month": m,
            "time_months": t,
            "employed": self.employed_count,
            "seeking": self.seeking_count,
            "out_of_market": self.out_count,
            "unemployment_rate": self.seeking_count / labour_force if labour_force else 0.0,
            "open_vacancies": self.n_open_market,
            "internal_vacancies": 0,
            "vacancies_opened": mc.vacancies_opened,
            "vacancies_expired": mc.vacancies_expired,
        }
        for ch in CHANNELS:
            row[f"hires_{ch}"] = mc.hires[ch]
        row["hires"] = sum(mc.hires[ch] for ch in CHANNELS if ch != "internal")
        for reason in SEPARATION_REASONS:
            row[f"separations_{reason}"] = mc.separations[reason]
        row["separations"] = separations
        row["quits"] = mc.separations["quit"] + mc.separations["job_to_job"]
        row["hires_from_seeking"] = mc.hires_from_seeking
        row["employed_to_seeking"] = mc.employed_to_seeking
        row["employed_to_out"] = mc.employed_to_out
        row["seeking_to_out"] = mc.seeking_to_out
        row["market_exits"] = mc.market_exits
        row["market_entries"] = mc.market_entries
        row["ties_formed"] = mc.ties_formed
        row["churn_rate"] = separations / prev_employed if (m > 0 and prev_employed) else 0.0
        row["mean_tenure_months"] = (
            t - self._since_sum / self.employed_count if self.employed_count else 0.0
        )
        row["in_onboarding"] = self._count_onboarding(t)
        hooks = self.hooks.month_end
        if hooks:
            ev = MonthEnd(m, t, row)
            for hook in hooks:
                hook(ev)
        row["knowledge_mixing"] = float(self.knowledge.mixing(t).mean())
        stats = {
            "edges": float(self.net.n_edges),
            "mean_degree": np.nan,
            "clustering": np.nan,
            "giant_component_share": np.nan,
            "two_hop_share": np.nan,
        }
        if with_network or m == 0:
            stats.update(
                network_statistics(self.net, self._stats_rng, self.sc.outputs.network_stats_sample)
            )
        row.update(stats)
        row["internal_vacancies"] = self._internal_open
        self.series.append(row)
        mc.reset()

    # ------------------------------------------------------------------ run
    def run(self, progress: Callable[[float], None] | None = None) -> Simulation:
        """Simulate until ``horizon_months``; ``progress(t_months)`` is called each month."""
        if self.burn_in:  # one path for run and stepping: both pass time 0 exactly
            return self.start(progress).advance(self.sc.horizon_months)
        self._progress = progress
        run_processes(self.env, self._start_processes(), self.sc.horizon_months + 1e-9)
        self._sync_kernel()
        return self

    def _start_processes(self) -> list:
        # Chosen now, when every mechanism and listener has subscribed to the hooks.
        self.kernel = attach_kernel(self, self.burn_in, self._kernel_choice)
        market = self.kernel.processes() if self.kernel is not None else self.processes()
        procs = [*market, self._month_process()]
        if self.burn_in:
            return procs  # the mechanisms launch at month 0 (:meth:`_launch`)
        for mechanism in self.mechanisms:
            mechanism.start()
            procs.extend(mechanism.processes())
        return procs

    def start(self, progress: Callable[[float], None] | None = None) -> Simulation:
        """Start the run without advancing time; then call :meth:`advance` (live stepping).

        ``start()`` followed by ``advance`` to ``horizon_months`` in any number of steps
        gives exactly the tables of :meth:`run`: each step stops just after a month's end.
        """
        self._progress = progress
        for proc in self._start_processes():  # the order of run_processes: it fixes ties
            self.env.process(proc)
        if self.burn_in:
            # Run the burn-in up to time 0 exactly (the month-0 events, the launch first, come
            # with the first advance), so later times are as without burn-in, bit for bit.
            with gc_relaxed(), self._muted_hooks():
                self.env.run(until=0.0)
            self._sync_kernel()
        return self

    def advance(self, to_months: float) -> Simulation:
        """Simulate up to ``to_months`` (capped at ``horizon_months``); needs :meth:`start`."""
        until = min(float(to_months), self.sc.horizon_months) + 1e-9
        if until > self.env.now:
            with gc_relaxed():
                self.env.run(until=until)
            self._sync_kernel()
        return self

    @property
    def month_reached(self) -> int:
        """Whole months simulated so far (the last month with a row in :meth:`timeseries`)."""
        return int(self.series[-1]["month"]) if self.series else 0

    # ------------------------------------------------------------------ tables
    def timeseries(self) -> pd.DataFrame:
        """Month-end stocks and within-month flows, one row per month (month 0 = start)."""
        return pd.DataFrame(self.series)

    def events(self) -> pd.DataFrame:
        """The event log (empty if switched off)."""
        return self.log.to_frame()

    def _completed_stints(self) -> np.ndarray:
        """Completed stints per worker (int32)."""
        count = np.zeros(self.workers.n, dtype=np.int32)
        if self.history:
            count[np.fromiter(self.history, np.int64)] = list(map(len, self.history.values()))
        return count

    def worker_table(self) -> pd.DataFrame:
        """One row per worker at the end of the run."""
        t = self.env.now
        w = self.workers
        employed = np.asarray(self.state) == EMPLOYED
        income = [
            inc + (self.salary[i] * (t - self.paid_until[i]) if self.state[i] == EMPLOYED else 0.0)
            for i, inc in enumerate(self.income_salary)
        ]
        return pd.DataFrame(
            {
                "worker": np.arange(w.n, dtype=np.int32),
                "skill": w.skill.astype(np.int16),
                "productivity": w.productivity,
                "vital_force": w.vital,
                "region": self.region,
                "state": pd.Categorical.from_codes(
                    np.asarray(self.state, dtype=np.int8), categories=list(STATES)
                ),
                "employer": np.asarray(self.employer, dtype=np.int32),
                "since_months": np.where(employed, self.since, np.nan),
                "channel": np.where(employed, self.channel, ""),
                "salary": np.where(employed, self.salary, 0.0),
                "satisfaction": np.where(employed, self.satisfaction, np.nan),
                "jobs_held": np.asarray(self.n_jobs, dtype=np.int32)
                - np.asarray(self._jobs_before, dtype=np.int32),
                "completed_stints": self._completed_stints(),
                "degree": np.asarray([len(a) for a in self.net.neighbours], dtype=np.int32),
                "income_salary": income,
                **self._mechanism_output("worker_columns"),
            }
        )

    def company_table(self) -> pd.DataFrame:
        """One row per company at the end of the run."""
        t = self.env.now
        c = self.companies
        vac = np.zeros(c.n, dtype=np.int32)
        for k, lst in enumerate(self.open_market):
            vac[k] = len(lst)
        for v, s in enumerate(self.vac_status):
            if s == V_INTERNAL:
                vac[self.vac_company[v]] += 1
        return pd.DataFrame(
            {
                "company": np.arange(c.n, dtype=np.int32),
                "size_class": pd.Categorical.from_codes(
                    c.size_class, categories=list(SIZE_CLASSES)
                ),
                "policy": pd.Categorical.from_codes(
                    np.asarray(self.policy, dtype=np.int8), categories=list(POLICIES)
                ),
                "initial_positions": c.positions,
                "employees": np.asarray([len(s) for s in self.staff], dtype=np.int32),
                "open_vacancies": vac,
                "brand": np.asarray(self.brand, dtype=np.float64),  # current (brands move)
                "pay": np.asarray(self.pay, dtype=np.float64),
                "main_skill": np.asarray(self.main_skill).astype(np.int16),
                "hires": np.asarray(self.company_hires, dtype=np.int32),
                "internal_moves": np.asarray(self.company_internal_moves, dtype=np.int32),
                "onboarding_costs": np.asarray(self.company_hires, dtype=np.float64)
                * self.sc.companies.onboarding_cost,
                "separations": np.asarray(self.company_separations, dtype=np.int32),
                "knowledge_foreign": self.knowledge.foreign(t),
                "knowledge_mixing": self.knowledge.mixing(t),
                "knowledge_origins": [self.knowledge.origins(k) for k in range(c.n)],
                **self._mechanism_output("company_columns"),
            }
        )

    def mechanism_summary(self) -> dict:
        """Every mechanism's headline numbers for ``summary.json`` (in attachment order)."""
        return self._mechanism_output("summary", self.env.now)

    def mechanism_tables(self) -> dict:
        """Every mechanism's own tables by name (see :class:`~netsim.engine.loop.MechanismOutputs`).

        The platform's ledger and chains are :class:`~netsim.output.results.RunResult` fields
        of their own and not repeated here. Every run gets ``edges``, the final social
        network as an edge list (:func:`netsim.world.edgelist.edge_frame`).
        """
        tables = self._mechanism_output("tables")
        tables.setdefault("edges", edge_frame(self.net, self.env.now, self.employer))
        return tables

    def _mechanism_output(self, method: str, *args) -> dict:
        """Merge the dicts that the mechanisms having ``method`` return (attachment order)."""
        out: dict = {}
        for mechanism in self.mechanisms:
            fn = getattr(mechanism, method, None)
            if fn is not None:
                out.update(fn(*args))
        return out
