"""The labour-market engine: workers, companies and vacancies on a social graph, in SimPy.

Time is in **months** (a SimPy time unit is one month). Every process is a Poisson process
or a deterministic deadline; nothing polls:

* **Per-worker timers.** A worker's hazards depend on its own state (visibility, mobility,
  satisfaction, probation), so each worker holds one pending timer for the *sum* of its
  current hazards (competing risks: the event type is drawn when it fires). A state change
  bumps the worker's epoch; a timer whose epoch is stale is ignored when it fires.
* **Aggregate processes.** Where every worker faces the same constant rate (colleague
  ties) or the rate is constant in total (growth vacancies), one SimPy process
  draws the next event for the whole population and picks who it concerns. Rates that
  depend on state (e.g. only employed workers form colleague ties) are handled exactly by
  thinning against the constant population size.
* **Per-vacancy timers.** An open vacancy expires, is filled internally, or sends word of
  mouth to a contact of its company's staff, each on its own timer.
* **Deadlines.** Probation ends are single timers.

Equal-time events run in SimPy's insertion order, so a run is a deterministic function
of its scenario and seed. Extensions (the referral platform, payout rules) subscribe to
:attr:`Simulation.on_hire` and :attr:`Simulation.on_separation`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
import pandas as pd
import simpy

from netsim.deadlines import DeadlineQueue
from netsim.gctools import gc_relaxed
from netsim.graphs import GRAPH_GENERATORS, PeopleAttributes
from netsim.knowledge import KnowledgeStocks
from netsim.netstats import network_statistics
from netsim.network import SocialNetwork
from netsim.platform import ReferralPlatform
from netsim.population import POLICIES, SIZE_CLASSES, draw_companies, draw_workers
from netsim.recorder import CHANNELS, SEPARATION_REASONS, EventLog, MonthCounters
from netsim.rng import FastStream, spawn_generators
from netsim.sampling import FenwickSampler
from netsim.scenario import Scenario

SEEKING, EMPLOYED, OUT = 0, 1, 2
STATES = ("seeking", "employed", "out")

V_OPEN, V_INTERNAL, V_FILLED, V_EXPIRED = 0, 1, 2, 3

#: Longest initial tenure drawn for workers employed at time 0 (months).
MAX_INITIAL_TENURE_MONTHS = 480.0


@dataclass(frozen=True)
class Hire:
    """A hire as extensions see it (times in months)."""

    hire_id: int
    time_months: float
    worker: int
    company: int
    vacancy: int
    channel: str
    salary: float  #: currency per month
    previous_employer: int  #: -1 if hired from search
    chain: tuple[int, ...] = ()  #: referral chain (platform hires; fake identities < 0)


@dataclass(frozen=True)
class Separation:
    """The end of a hire (times in months)."""

    hire_id: int
    time_months: float
    worker: int
    company: int
    reason: str
    tenure_months: float
    #: The hire that began this stint with the company (internal moves start new hires but
    #: not new stints); extensions that track hires across internal moves key on this.
    stint_hire_id: int = -1


class Simulation:
    """One run of the labour market. Build it, call :meth:`run`, read the tables.

    ``seed`` determines every random draw, through :func:`netsim.rng.spawn_generators`.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.sc = sc = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        gens = spawn_generators(self.seed)
        self.rand = FastStream(gens["dynamics"])
        self._stats_rng = gens["statistics"]
        self.gens = gens

        self.workers = draw_workers(sc, gens["population"])
        self.companies = draw_companies(sc, gens["population"])
        self.env = simpy.Environment()
        self.log = EventLog(sc.outputs.event_log)
        self.month = MonthCounters()
        self.on_hire: list[Callable[[Hire], None]] = []
        self.on_separation: list[Callable[[Separation], None]] = []
        #: Called with a worker id whenever that worker starts seeking.
        self.on_seeking: list[Callable[[int], None]] = []
        self.n_events = 0
        self.n_stale = 0
        self.series: list[dict] = []
        self._progress: Callable[[float], None] | None = None

        self._build_graph(gens["graph"])
        self._init_rates()
        self._init_companies()
        self.knowledge = KnowledgeStocks(
            self.companies.n, sc.knowledge.carry, sc.knowledge.depreciation_rate_per_month
        )
        self.platform: ReferralPlatform | None = None
        if sc.platform.enabled:
            # Created before the initial vacancies are posted, so it sees them too.
            self.platform = ReferralPlatform(self, gens["platform"])
        self._init_workers(gens["population"])

    # ------------------------------------------------------------------ set-up
    def _build_graph(self, gen: np.random.Generator) -> None:
        g = self.sc.graph
        cls = GRAPH_GENERATORS.get(g.generator)
        params = cls.Params.model_validate(g.params)
        w = self.workers
        people = PeopleAttributes(
            n=w.n, skill=w.skill, vital=w.vital, degree_weight=w.degree_weight
        )
        graph = cls().build(people, params, gen)
        origin = "file" if g.generator in ("edge_list", "graphml") else "initial"
        self.net = SocialNetwork.from_networkx(
            graph, strength=g.initial_tie_strength, origin=origin
        )
        regions = [graph.nodes[i].get("region", -1) for i in range(w.n)]
        self.region = np.asarray(regions, dtype=np.int32)

    def _init_rates(self) -> None:
        lm = self.sc.labour_market
        w = self.workers
        demand_ok = lm.job_finding_rate_per_month
        self.find_rate = (demand_ok * w.visibility).tolist()
        self.ojs_rate = (lm.on_the_job_search_rate_per_month * w.mobility).tolist()
        self.quit_base = (lm.quit_rate_per_month * w.mobility).tolist()
        self.exit_rate = lm.exit_rate_per_month
        self.dismiss_rate = lm.dismissal_rate_per_month
        self.reentry_rate = lm.reentry_rate_per_month
        self.always_hiring = lm.demand == "always_hiring"
        # Plain-float copies of per-worker attributes: list indexing and float arithmetic are
        # several times faster than NumPy scalars in the event loop.
        self.skill_of = w.skill.tolist()
        self.productivity = w.productivity.tolist()
        self.sat_sensitivity = lm.satisfaction_sensitivity
        self.base_salary = lm.base_salary
        self.offer_sigma = lm.offer_sigma
        self.cross_skill_fit = lm.cross_skill_fit
        self.probation = self.sc.companies.probation_months
        self.onboarding = self.sc.companies.onboarding_months
        self.horizon = self.sc.horizon_months
        # Scenario constants read on every event, as plain attributes.
        self.tip_rate = lm.word_of_mouth_rate_per_month
        self.replacement_probability = self.sc.vacancies.replacement_probability
        self.vacancy_mean_months = self.sc.vacancies.mean_duration_months
        self.n_skills = self.sc.population.skills
        self.skill_focus = self.sc.companies.skill_focus
        self.switch_premium = lm.switch_premium
        self.reservation_ratio = lm.reservation_wage_ratio
        self._recent_hires: deque[tuple[float, int, int]] = deque()
        self.probation_dismissal = lm.probation_dismissal_probability

    def _init_companies(self) -> None:
        c = self.companies
        m = c.n
        self.brand = c.brand.tolist()
        self.pay = c.pay.tolist()
        self.main_skill = c.main_skill.tolist()
        self.is_large = (c.size_class == 1).tolist()
        self.quit_mult = np.where(
            c.policy == 0, self.sc.labour_market.restrict_quit_multiplier, 1.0
        ).tolist()
        self.staff: list[list[int]] = [[] for _ in range(m)]
        self.open_market: list[list[int]] = [[] for _ in range(m)]
        self.company_hires = [0] * m  # external hires (each one onboarded)
        self.company_internal_moves = [0] * m
        self.company_separations = [0] * m
        self.vacancy_sampler = FenwickSampler(m)
        self.n_open_market = 0
        self._internal_open = 0
        # Vacancy table (index = vacancy id).
        self.vac_company: list[int] = []
        self.vac_skill: list[int] = []
        self.vac_opened: list[float] = []
        self.vac_status: list[int] = []
        self.vac_pos: list[int] = []
        # Most vacancies are filled before they expire: keep expiries out of SimPy's queue.
        self.expiries = DeadlineQueue(
            self.env, self._expire, lambda v: self.vac_status[v] == V_OPEN
        )
        # Static brand weights for 'always_hiring' demand and growth vacancies.
        self._brand_cum = list(accumulate(self.brand))
        self._pos_cum = list(accumulate(c.positions.tolist()))

    def _init_workers(self, gen: np.random.Generator) -> None:
        sc = self.sc
        w = self.workers
        n = w.n
        lm = sc.labour_market
        self.state = [SEEKING] * n
        self.employer = [-1] * n
        self.since = [0.0] * n
        self.salary = [0.0] * n
        self.satisfaction = [0.0] * n
        self.quit_rate = [0.0] * n  # quit hazard in the current job (1/month)
        self.fit = [1.0] * n
        self.channel = [""] * n
        self.hire_id = [-1] * n
        self.stint_hire = [-1] * n  # hire that began the current stint with the company
        self.epoch = [0] * n
        self._far: dict[int, list[tuple[float, int, int]]] = {}  # month -> worker timers
        self.pos_in_company = [-1] * n
        self.last_employer = [-1] * n
        self.last_salary = (lm.base_salary * w.productivity).tolist()
        self.n_jobs = [0] * n
        self.income_salary = [0.0] * n
        self.paid_until = [0.0] * n
        self.completed_tenures: list[float] = []
        self.history: list[list[tuple[int, float, float]]] = [[] for _ in range(n)]
        self.n_hires = 0
        self.employed_count = 0
        self.seeking_count = n
        self.out_count = 0
        self._since_sum = 0.0

        # Fill positions: employed workers take random slots; leftover slots are vacancies.
        positions = self.companies.positions
        slots = np.repeat(np.arange(self.companies.n), positions)
        gen.shuffle(slots)
        n_employed = min(round(n * sc.population.initial_employment_rate), len(slots))
        employed = gen.permutation(n)[:n_employed]
        sats = gen.beta(2.0, 2.0, size=n_employed)
        noise = np.exp(lm.offer_sigma * gen.standard_normal(n_employed))
        tenure_draw = gen.standard_exponential(n_employed)
        for k, i in enumerate(employed.tolist()):
            c = int(slots[k])
            sat = float(sats[k])
            rate = self._quit_rate(i, c, sat) + self.dismiss_rate + self.exit_rate
            # Memoryless hazards: the elapsed tenure of a stationary stock is exponential.
            elapsed = MAX_INITIAL_TENURE_MONTHS
            if rate > 0.0:
                elapsed = min(float(tenure_draw[k]), MAX_INITIAL_TENURE_MONTHS * rate) / rate
            salary = lm.base_salary * w.productivity[i] * self.pay[c] * noise[k]
            self._employ(i, c, -elapsed, float(salary), sat, 1.0, "initial", -1)
        if not self.always_hiring:
            for c in slots[n_employed:].tolist():
                self._open_vacancy(int(c), "initial")
        for i in range(n):
            self._schedule_worker(i)

    # ------------------------------------------------------------------ helpers
    def _quit_rate(self, i: int, c: int, sat: float) -> float:
        """Worker i's quit hazard at company c with satisfaction sat (1/month)."""
        return self.quit_base[i] * math.exp(self.sat_sensitivity * (0.5 - sat)) * self.quit_mult[c]

    def _employ(
        self,
        i: int,
        c: int,
        t: float,
        salary: float,
        sat: float,
        fit: float,
        channel: str,
        hire_id: int,
    ) -> None:
        """Put worker i into company c from time t (no logging, no hooks)."""
        if self.state[i] == SEEKING:
            self.seeking_count -= 1
        self.state[i] = EMPLOYED
        self.employer[i] = c
        self.since[i] = t
        self.salary[i] = salary
        self.satisfaction[i] = sat
        self.quit_rate[i] = self._quit_rate(i, c, sat)
        self.fit[i] = fit
        self.channel[i] = channel
        self.hire_id[i] = hire_id
        self.stint_hire[i] = hire_id
        self.paid_until[i] = max(t, 0.0)
        if t > -self.onboarding:
            self._recent_hires.append((t, i, hire_id))
        staff = self.staff[c]
        self.pos_in_company[i] = len(staff)
        staff.append(i)
        self.n_jobs[i] += 1
        self.employed_count += 1
        self._since_sum += t

    def _unemploy(self, i: int, t: float) -> int:
        """Take worker i out of its company at time t; returns the company."""
        c = self.employer[i]
        staff = self.staff[c]
        p = self.pos_in_company[i]
        last = staff.pop()
        if last != i:
            staff[p] = last
            self.pos_in_company[last] = p
        self.pos_in_company[i] = -1
        start = self.since[i]
        self.history[i].append((c, start, t))
        self.completed_tenures.append(t - start)
        self._accrue_salary(i, t)
        self.last_employer[i] = c
        self.last_salary[i] = self.salary[i]
        self.employer[i] = -1
        self.employed_count -= 1
        self._since_sum -= start
        return c

    def _accrue_salary(self, i: int, t: float) -> None:
        """Book worker i's salary income up to time t (months)."""
        self.income_salary[i] += self.salary[i] * (t - self.paid_until[i])
        self.paid_until[i] = t

    def _offer(self, i: int, c: int) -> float:
        """A wage offer to worker i from company c (currency per month)."""
        return (
            self.base_salary
            * self.productivity[i]
            * self.pay[c]
            * math.exp(self.offer_sigma * self.rand.normal())
        )

    def _draw_vacancy_skill(self, c: int) -> int:
        if self.rand.random() < self.skill_focus:
            return self.main_skill[c]
        return self.rand.integers(self.n_skills)

    # ------------------------------------------------------------------ timers
    def _timer(self, delay: float, fn: Callable[[simpy.Event], None]) -> None:
        """Call ``fn(event)`` after ``delay`` months."""
        self.env.timeout(delay).callbacks.append(fn)

    def _schedule_worker(self, i: int) -> None:
        """(Re)start worker i's competing-risks timer for its current state.

        An employed worker's total hazard steps up by the dismissal rate when probation
        ends. The waiting time is drawn by inverting that piecewise-constant hazard (one
        unit exponential), so the end of probation needs no event and no re-draw.
        """
        self.epoch[i] += 1
        st = self.state[i]
        if st == EMPLOYED:
            early = self.quit_rate[i] + self.ojs_rate[i] + self.exit_rate
            late = early + self.dismiss_rate
            left = self.since[i] + self.probation - self.env.now  # probation still to run
            e = self.rand.exponential(1.0)
            if left > 0.0 and e < early * left:
                delay = e / early
            elif late <= 0.0:
                return
            elif left > 0.0:
                delay = left + (e - early * left) / late
            else:
                delay = e / late
        else:
            rate = self.find_rate[i] + self.exit_rate if st == SEEKING else self.reentry_rate
            if rate <= 0.0:
                return
            delay = self.rand.exponential(rate)
        if delay > 1.0:
            # Far timers wait in the bucket of the month they fall in and enter SimPy's queue
            # when that month starts: the queue stays small (cheaper heap operations), and
            # a timer superseded before then never becomes an event at all.
            fire = self.env.now + delay
            if fire <= self.horizon:  # a timer past the horizon would never fire
                self._far.setdefault(int(fire), []).append((fire, i, self.epoch[i]))
            return
        self._start_worker_timer(i, self.epoch[i], delay)

    def _start_worker_timer(self, i: int, epoch: int, delay: float) -> None:
        # The timer carries the worker and epoch itself: no closure per event.
        ev = self.env.timeout(delay)
        ev.worker = i
        ev.epoch = epoch
        ev.callbacks.append(self._worker_event)

    def _release_far_timers(self, month: int) -> None:
        """Move the far timers falling in [month, month + 1) into SimPy's queue."""
        now, epoch = self.env.now, self.epoch
        for fire, i, ep in self._far.pop(month, ()):
            if epoch[i] == ep:
                self._start_worker_timer(i, ep, fire - now)
            else:
                self.n_stale += 1

    def _in_probation(self, i: int) -> bool:
        """Whether employed worker i is still in probation now."""
        return self.env.now < self.since[i] + self.probation

    def _worker_event(self, ev: simpy.Event) -> None:
        """A worker's competing-risks timer fired (ignored if the worker's state moved on)."""
        self.n_events += 1
        i = ev.worker
        if self.epoch[i] != ev.epoch:
            self.n_stale += 1
            return
        st = self.state[i]
        if st == SEEKING:
            self._seeking_event(i)
        elif st == EMPLOYED:
            self._employed_event(i)
        else:
            self._reenter(i)

    def _schedule_probation_end(self, i: int, at: float) -> None:
        n_jobs = self.n_jobs[i]  # identifies the stint: it changes with every new employer
        self._timer(max(at - self.env.now, 0.0), lambda _ev: self._probation_end(i, n_jobs))

    # ------------------------------------------------------------------ worker events
    def _seeking_event(self, i: int) -> None:
        u = self.rand.random() * (self.find_rate[i] + self.exit_rate)
        if u < self.exit_rate:
            self._exit_market(i)
            return
        self._search(i, "market")
        if self.state[i] == SEEKING:
            self._schedule_worker(i)

    def _employed_event(self, i: int) -> None:
        c = self.employer[i]
        quit_rate = self.quit_rate[i]
        dismiss = 0.0 if self._in_probation(i) else self.dismiss_rate
        total = quit_rate + dismiss + self.exit_rate + self.ojs_rate[i]
        u = self.rand.random() * total
        if u < quit_rate:
            self._separate(i, "quit")
            self._to_seeking(i)
        elif u < quit_rate + dismiss:
            self._separate(i, "dismissal")
            self._to_seeking(i)
        elif u < quit_rate + dismiss + self.exit_rate:
            self._exit_market(i)
        else:
            self._search(i, "market")
            if self.employer[i] == c:
                self._schedule_worker(i)

    def _probation_end(self, i: int, n_jobs: int) -> None:
        self.n_events += 1
        if self.n_jobs[i] != n_jobs or self.state[i] != EMPLOYED:
            return  # that job has already ended
        if self.rand.random() < self.probation_dismissal * (1.0 - self.fit[i]):
            self._separate(i, "probation_dismissal")
            self._to_seeking(i)

    def _to_seeking(self, i: int) -> None:
        self.state[i] = SEEKING
        self.seeking_count += 1
        self.month.employed_to_seeking += 1
        self._schedule_worker(i)
        for hook in self.on_seeking:
            hook(i)

    def _exit_market(self, i: int) -> None:
        t = self.env.now
        if self.state[i] == EMPLOYED:
            self._separate(i, "exit")
            self.month.employed_to_out += 1
        else:
            self.seeking_count -= 1
            self.month.seeking_to_out += 1
        self.state[i] = OUT
        self.out_count += 1
        self.month.market_exits += 1
        self.log.log(t, "market_exit", worker=i)
        self._schedule_worker(i)

    def _reenter(self, i: int) -> None:
        self.state[i] = SEEKING
        self.out_count -= 1
        self.seeking_count += 1
        self.month.market_entries += 1
        self.log.log(self.env.now, "market_entry", worker=i)
        self._schedule_worker(i)
        for hook in self.on_seeking:
            hook(i)

    # ------------------------------------------------------------------ matching
    def _search(self, i: int, channel: str) -> None:
        """Worker i meets an opening on the open market (brand-weighted) and applies."""
        if self.always_hiring:
            c = bisect_right(self._brand_cum, self.rand.random() * self._brand_cum[-1])
            self._apply(i, min(c, len(self._brand_cum) - 1), -1, channel)
            return
        if self.n_open_market == 0:
            return
        c = self.vacancy_sampler.sample(self.rand.random())
        if c < 0:
            return
        self._apply(i, c, self.rand.choice(self.open_market[c]), channel)

    def _apply(self, i: int, c: int, v: int, channel: str, chain: tuple[int, ...] = ()) -> bool:
        """Worker i applies to vacancy v at company c (v = -1: created on demand).

        ``chain`` is the referral chain of a platform candidacy, screened by the platform's
        defences first. Returns whether i was hired.
        """
        if self.employer[i] == c or self.state[i] == OUT:
            return False
        if chain and not self.platform.admit(i, chain):
            return False
        skill = self.vac_skill[v] if v >= 0 else self._draw_vacancy_skill(c)
        fit = 1.0 if skill == self.skill_of[i] else self.cross_skill_fit
        if fit < 1.0 and self.rand.random() >= fit:
            return False
        offer = self._offer(i, c)
        if self.state[i] == EMPLOYED:
            if offer < self.salary[i] * (1.0 + self.switch_premium):
                return False
        elif offer < self.reservation_ratio * self.last_salary[i]:
            return False
        if v < 0:
            v = self._open_vacancy(c, "on_demand", skill=skill, market_only=True)
        self._hire(i, v, channel, offer, fit, chain)
        return True

    def _hire(
        self, i: int, v: int, channel: str, salary: float, fit: float, chain: tuple[int, ...] = ()
    ) -> None:
        t = self.env.now
        c = self.vac_company[v]
        self._close_vacancy(v, V_FILLED)
        prev = -1
        if self.state[i] == EMPLOYED:
            prev = self.employer[i]
            self._separate(i, "job_to_job")
        else:
            self.month.hires_from_seeking += 1
        source = prev if prev >= 0 else self.last_employer[i]
        self.knowledge.transfer(source, c, t)
        hid = self.n_hires
        self.n_hires += 1
        self._employ(i, c, t, salary, self.rand.beta22(), fit, channel, hid)
        self.company_hires[c] += 1
        self.month.hires[channel] += 1
        self.log.log(t, "hire", channel, i, c, v, prev, salary, hid)
        # Only a hire that may fail probation needs an event when probation ends.
        if self.probation > 0.0 and self.probation_dismissal * (1.0 - fit) > 0.0:
            self._schedule_probation_end(i, t + self.probation)
        self._schedule_worker(i)
        if self.on_hire:
            hire = Hire(hid, t, i, c, v, channel, salary, prev, chain)
            for hook in self.on_hire:
                hook(hire)

    def _separate(self, i: int, reason: str) -> None:
        """Worker i leaves its employer (the caller sets the new state)."""
        t = self.env.now
        start = self.since[i]
        hid = self.hire_id[i]
        c = self._unemploy(i, t)
        self.company_separations[c] += 1
        self.month.separations[reason] += 1
        self.log.log(t, "separation", reason, i, c, -1, hid, float("nan"), hid)
        if not self.always_hiring and self.rand.random() < self.replacement_probability:
            self._open_vacancy(c, "replacement")
        if self.on_separation:
            sep = Separation(hid, t, i, c, reason, t - start, self.stint_hire[i])
            for hook in self.on_separation:
                hook(sep)

    # ------------------------------------------------------------------ vacancies
    def _open_vacancy(
        self, c: int, origin: str, skill: int | None = None, market_only: bool = False
    ) -> int:
        v = len(self.vac_company)
        self.vac_company.append(c)
        self.vac_skill.append(self._draw_vacancy_skill(c) if skill is None else skill)
        self.vac_opened.append(self.env.now)
        self.vac_pos.append(-1)
        self.month.vacancies_opened += 1
        self.log.log(self.env.now, "vacancy_opened", origin, company=c, vacancy=v)
        vs = self.sc.vacancies
        internal = (
            not market_only
            and self.is_large[c]
            and self.staff[c]
            and self.rand.random() < vs.internal_fill_share
        )
        if internal:
            self.vac_status.append(V_INTERNAL)
            self._internal_open += 1
            self._timer(
                self.rand.exponential(1.0 / vs.internal_fill_months),
                lambda _ev: self._fill_internally(v),
            )
        else:
            self.vac_status.append(V_OPEN)
            if not market_only:
                self._post(v)
        return v

    def _post(self, v: int) -> None:
        """Put vacancy v on the open market until filled or expired."""
        c = self.vac_company[v]
        self.vac_status[v] = V_OPEN
        lst = self.open_market[c]
        self.vac_pos[v] = len(lst)
        lst.append(v)
        self.n_open_market += 1
        self.vacancy_sampler.add(c, self.brand[c])
        self.expiries.add(self.env.now + self.rand.exponential(1.0 / self.vacancy_mean_months), v)
        self._schedule_tip(v)
        if self.platform is not None:
            self.platform.post(v)

    def schedule_quit(self, i: int, hire_id: int, at: float) -> None:
        """Make worker i quit into search at ``at`` (months) if still in the stint of ``hire_id``.

        Used by strategies that choose how long to stay (rotation gaming). The quit is
        scheduled just after any payment due at the same moment.
        """

        def quit_now(_ev) -> None:
            self.n_events += 1
            if self.state[i] == EMPLOYED and self.stint_hire[i] == hire_id:
                self._separate(i, "quit")
                self._to_seeking(i)

        self._timer(max(at - self.env.now, 0.0) + 1e-9, quit_now)

    def _close_vacancy(self, v: int, status: int) -> None:
        if self.vac_status[v] == V_OPEN and self.vac_pos[v] >= 0:
            c = self.vac_company[v]
            lst = self.open_market[c]
            p = self.vac_pos[v]
            last = lst.pop()
            if last != v:
                lst[p] = last
                self.vac_pos[last] = p
            self.vac_pos[v] = -1
            self.n_open_market -= 1
            self.vacancy_sampler.add(c, -self.brand[c])
        self.vac_status[v] = status

    def _expire(self, v: int) -> None:
        """Open vacancy v expires unfilled (called by the expiry DeadlineQueue)."""
        self.n_events += 1
        self._close_vacancy(v, V_EXPIRED)
        self.month.vacancies_expired += 1
        self.log.log(self.env.now, "vacancy_expired", company=self.vac_company[v], vacancy=v)

    def _fill_internally(self, v: int) -> None:
        """A large company moves one of its own staff into vacancy v."""
        self.n_events += 1
        if self.vac_status[v] != V_INTERNAL:
            return
        self._internal_open -= 1
        c = self.vac_company[v]
        staff = self.staff[c]
        if not staff:
            self._post(v)
            return
        t = self.env.now
        i = self.rand.choice(staff)
        self._close_vacancy(v, V_FILLED)
        salary = max(self.salary[i], self._offer(i, c))
        hid = self.n_hires
        self.n_hires += 1
        self.company_internal_moves[c] += 1
        self.month.hires["internal"] += 1
        self.month.separations["internal_move"] += 1
        self.log.log(
            t,
            "separation",
            "internal_move",
            i,
            c,
            -1,
            self.hire_id[i],
            float("nan"),
            self.hire_id[i],
        )
        self.log.log(t, "hire", "internal", i, c, v, c, salary, hid)
        # Tenure with the company continues (as in tenure statistics); the worker's old role
        # becomes the next vacancy, so internal moves form vacancy chains.
        self._accrue_salary(i, t)
        self.salary[i] = salary
        self.hire_id[i] = hid
        if self.rand.random() < self.replacement_probability:
            self._open_vacancy(c, "replacement")

    # ------------------------------------------------------------------ aggregate processes
    def _growth_process(self):
        total = self._pos_cum[-1] if self._pos_cum else 0
        rate = self.sc.vacancies.growth_rate_per_month * total
        if rate <= 0.0 or self.always_hiring:
            return
        while True:
            yield self.env.timeout(self.rand.exponential(rate))
            self.n_events += 1
            c = bisect_right(self._pos_cum, self.rand.random() * total)
            self._open_vacancy(min(c, len(self._pos_cum) - 1), "growth")

    def _schedule_tip(self, v: int) -> None:
        rate = self.tip_rate
        if rate > 0.0:
            self._timer(self.rand.exponential(rate), lambda _ev: self._tip(v))

    def _tip(self, v: int) -> None:
        """Word of mouth: a random staff member passes news of open vacancy v on.

        As in Calvó-Armengol & Jackson (2004), the news goes to a contact who is seeking;
        if the staff member knows no seeker, it goes to a random contact, who passes it to
        one of their own seeking contacts (two hops at most). The vacancy keeps sending
        news while it is open.
        """
        self.n_events += 1
        if self.vac_status[v] != V_OPEN:
            return
        self._schedule_tip(v)
        c = self.vac_company[v]
        staff = self.staff[c]
        if not staff:
            return
        rand = self.rand
        teller = rand.choice(staff)
        seeker = self._random_seeking_contact(teller)
        if seeker < 0:
            friend = self.net.random_neighbour(teller, rand)
            if friend < 0 or self.employer[friend] == c:
                return
            seeker = self._random_seeking_contact(friend)
        if seeker >= 0:
            self._apply(seeker, c, v, "word_of_mouth")

    def _random_seeking_contact(self, i: int) -> int:
        """A uniformly chosen seeking contact of worker i, or -1 if none."""
        state = self.state
        seekers = [k for k in self.net.neighbours[i] if state[k] == SEEKING]
        return self.rand.choice(seekers) if seekers else -1

    def _colleague_tie_process(self):
        """Each employed worker befriends a random colleague at a constant rate (thinning)."""
        n = self.workers.n
        ties = self.sc.ties
        rate = ties.colleague_tie_rate_per_month * n
        if rate <= 0.0:
            return
        state, employer, staff, rand, net = (
            self.state,
            self.employer,
            self.staff,
            self.rand,
            self.net,
        )
        while True:
            yield self.env.timeout(rand.exponential(rate))
            self.n_events += 1
            i = rand.integers(n)
            if state[i] != EMPLOYED:
                continue
            mates = staff[employer[i]]
            if len(mates) < 2:
                continue
            j = rand.choice(mates)
            if j != i and net.add_tie(i, j, ties.colleague_tie_strength, "colleague", self.env.now):
                self.month.ties_formed += 1
                self.log.log(
                    self.env.now,
                    "tie_formed",
                    "colleague",
                    i,
                    employer[i],
                    other=j,
                    value=ties.colleague_tie_strength,
                )

    def _month_process(self):
        horizon = self.sc.horizon_months
        every = self.sc.outputs.network_stats_every_months
        self._record_month(0)
        m = 0
        while m + 1 <= horizon:
            yield self.env.timeout(1.0)
            m += 1
            self._release_far_timers(m)
            self._record_month(m, with_network=every > 0 and m % every < 1e-9)
            self.vacancy_sampler.rebuild()
            if self._progress is not None:
                self._progress(float(m))

    # ------------------------------------------------------------------ records
    def _record_month(self, m: int, with_network: bool = False) -> None:
        t = self.env.now
        mc = self.month
        prev_employed = self.series[-1]["employed"] if self.series else self.employed_count
        separations = sum(v for k, v in mc.separations.items() if k != "internal_move")
        labour_force = self.employed_count + self.seeking_count
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
        if self.platform is not None:
            row.update(self.platform.month_row())
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

    def _count_onboarding(self, t: float) -> int:
        """Employed workers hired less than ``onboarding_months`` before t (no output yet).

        Walks only the hires of the last onboarding period, kept in a queue, instead of
        every worker each month.
        """
        recent = self._recent_hires
        horizon = t - self.onboarding
        while recent and recent[0][0] <= horizon:
            recent.popleft()
        stint, state = self.stint_hire, self.state
        return sum(1 for _, i, hid in recent if stint[i] == hid and state[i] == EMPLOYED)

    # ------------------------------------------------------------------ run
    def run(self, progress: Callable[[float], None] | None = None) -> Simulation:
        """Simulate until ``horizon_months``; ``progress(t_months)`` is called each month."""
        self._progress = progress
        env = self.env
        procs = [self._growth_process(), self._colleague_tie_process(), self._month_process()]
        if self.platform is not None:
            self.platform.start()
            procs.append(self.platform.invite_process())
        for proc in procs:
            env.process(proc)
        with gc_relaxed():
            env.run(until=self.sc.horizon_months + 1e-9)
        return self

    # ------------------------------------------------------------------ tables
    def timeseries(self) -> pd.DataFrame:
        """Month-end stocks and within-month flows, one row per month (month 0 = start)."""
        return pd.DataFrame(self.series)

    def events(self) -> pd.DataFrame:
        """The event log (empty if switched off)."""
        return self.log.to_frame()

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
                "jobs_held": np.asarray(self.n_jobs, dtype=np.int32),
                "completed_stints": np.asarray([len(h) for h in self.history], dtype=np.int32),
                "degree": np.asarray([len(a) for a in self.net.neighbours], dtype=np.int32),
                "income_salary": income,
                **(self.platform.worker_columns() if self.platform is not None else {}),
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
                "policy": pd.Categorical.from_codes(c.policy, categories=list(POLICIES)),
                "initial_positions": c.positions,
                "employees": np.asarray([len(s) for s in self.staff], dtype=np.int32),
                "open_vacancies": vac,
                "brand": c.brand,
                "pay": c.pay,
                "main_skill": c.main_skill.astype(np.int16),
                "hires": np.asarray(self.company_hires, dtype=np.int32),
                "internal_moves": np.asarray(self.company_internal_moves, dtype=np.int32),
                "onboarding_costs": np.asarray(self.company_hires, dtype=np.float64)
                * self.sc.companies.onboarding_cost,
                "separations": np.asarray(self.company_separations, dtype=np.int32),
                "knowledge_foreign": self.knowledge.foreign(t),
                "knowledge_mixing": self.knowledge.mixing(t),
                "knowledge_origins": [self.knowledge.origins(k) for k in range(c.n)],
            }
        )
