"""The labour market's state: workers, companies and vacancies as flat lists, and the
bookkeeping every channel shares (employ, unemploy, wage offers, salary accrual).

Static attributes come from the :class:`~netsim.world.build.World`; the mutable state the
event loop touches on every event lives here as plain Python lists, which index several
times faster than NumPy scalars. Time is in months, money in currency units (salaries per
month). The market's behaviour is split by concept into mixins, one module each, combined
in :class:`netsim.market.labour_market.LabourMarket`.
"""

from __future__ import annotations

import math
import operator
from array import array
from collections import deque
from collections.abc import Callable
from functools import reduce
from itertools import accumulate

import numpy as np
import simpy

from netsim.engine.deadlines import DeadlineQueue, FifoDeadlines
from netsim.engine.environment import timer_scheduler
from netsim.engine.hooks import Hooks
from netsim.engine.rng import FastStream
from netsim.engine.sampling import FenwickSampler
from netsim.engine.timers import WorkerTimers
from netsim.market.gigbook import GigBook
from netsim.market.ledger import Ledger
from netsim.output.recorder import EventLog, MonthCounters
from netsim.scenario.schema import Scenario
from netsim.world.build import World
from netsim.world.knowledge import KnowledgeStocks

# Codes fit in a byte (MarketState.state is a bytearray); SEEKING must stay 0, the initial state.
SEEKING, EMPLOYED, OUT, FREELANCING = 0, 1, 2, 3
#: Names of the worker states, indexed by code ('freelancing': a freelancer holding >= 1 gig,
#: see :mod:`netsim.market.gigs`; a freelancer without a gig is 'seeking').
STATES = ("seeking", "employed", "out", "freelancing")

V_OPEN, V_INTERNAL, V_FILLED, V_EXPIRED = 0, 1, 2, 3

#: Longest initial tenure drawn for workers employed at time 0 (months).
MAX_INITIAL_TENURE_MONTHS = 480.0


def _floats(values: np.ndarray | float, n: int = 0) -> array:
    """A typed float array: from a NumPy array, or ``n`` copies of one value.

    Per-worker numbers live in typed arrays, not lists: a list holds a pointer to a boxed
    number elsewhere in memory, so each read of a random worker's value costs two cache
    misses instead of one, which is much of why time per event grew with the population.
    """
    if isinstance(values, np.ndarray):
        return array("d", np.ascontiguousarray(values, dtype=np.float64).tobytes())
    return array("d", [float(values)]) * n


def _view(values: array) -> np.ndarray:
    """A writable NumPy view of a typed per-worker array (``'d'`` or ``'q'``), no copy."""
    return np.frombuffer(values, dtype=np.float64 if values.typecode == "d" else np.int64)


def _ints(value: int, n: int) -> array:
    """A typed int64 array of ``n`` copies of ``value`` (see :func:`_floats` for why)."""
    return array("q", [value]) * n


class MarketState:
    """Workers, companies and vacancies of one run, and the shared bookkeeping."""

    def __init__(
        self,
        scenario: Scenario,
        world: World,
        dynamics: np.random.Generator,
        env: simpy.Environment,
        log: EventLog,
        freelance: np.random.Generator | None = None,
    ) -> None:
        self.sc = sc = scenario
        self.rand = FastStream(dynamics)
        self.world = world
        self.workers = world.workers
        self.companies = world.companies
        self.net = world.net
        self.region = world.region
        self.env = env
        #: ``call_in(delay, fn, a, b)``: the model's plain timers (no SimPy event per timer).
        self._call_in = timer_scheduler(env)
        self.log = log
        self.month = MonthCounters()
        #: The hook interface mechanisms subscribe to (see :mod:`netsim.engine.hooks`).
        self.hooks = Hooks()
        #: The run's money ledger: every payment of the platform and of other mechanisms.
        self.ledger = Ledger()
        self.n_events = 0
        self._init_rates()
        self._init_companies()
        self.timers = WorkerTimers(env, world.workers.n, sc.horizon_months, self._worker_event)
        self.epoch = self.timers.epoch
        self.knowledge = KnowledgeStocks(
            self.companies.n, sc.knowledge.carry, sc.knowledge.depreciation_rate_per_month
        )
        # Freelancers and gigs (market/gigs.py): inert unless the scenario switches them on.
        self.freelancers = sc.freelance.enabled
        self.gigs = GigBook(world.workers.n)
        self.project_len: dict[int, float] = {}  # project vacancy -> length (months)
        self.freelancing_count = 0
        self.contract: list[int] = []
        if self.freelancers:
            self._init_freelance(freelance)

    @property
    def n_stale(self) -> int:
        """Worker timers that fired or were released after their worker moved on."""
        return self.timers.n_stale

    def _init_rates(self) -> None:
        lm = self.sc.labour_market
        w = self.workers
        demand_ok = lm.job_finding_rate_per_month
        self.find_rate = _floats(demand_ok * w.visibility)
        self.ojs_rate = _floats(lm.on_the_job_search_rate_per_month * w.mobility)
        self.quit_base = _floats(lm.quit_rate_per_month * w.mobility)
        self.exit_rate = lm.exit_rate_per_month
        self.dismiss_rate = lm.dismissal_rate_per_month
        self.reentry_rate = lm.reentry_rate_per_month
        self.always_hiring = lm.demand == "always_hiring"
        self.pass_news = lm.on_the_job_news == "pass_to_contact"
        self.referral_information = lm.referral_information
        # Plain-float copies of per-worker attributes: list indexing and float arithmetic are
        # several times faster than NumPy scalars in the event loop.
        self.skill_of = w.skill.tolist()
        self.productivity = _floats(w.productivity)
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
        # Staff network policy and whether the firm is in business: both may change during
        # a run (firm life cycle, policy rules; :mod:`netsim.market.lifecycle`).
        self.policy = c.policy.tolist()
        self.alive = (c.positions > 0).tolist()  # dormant slots have no positions
        # Shift of a new hire's satisfaction at each company (0: none; set by mechanisms).
        self.sat_shift = [0.0] * m
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
        # Numbers that are not small ints in typed arrays (see _floats); statuses and skills
        # are small ints, which Python shares, so a list of them costs no extra cache miss.
        self.vac_company = array("q")
        self.vac_skill: list[int] = []
        self.vac_opened = array("d")
        self.vac_status: list[int] = []
        self.vac_pos = array("q")
        # Most vacancies are filled before they expire: keep expiries out of SimPy's queue.
        self.expiries = DeadlineQueue(
            self.env, self._expire, lambda v: self.vac_status[v] == V_OPEN
        )
        # Ends of probation: one fixed delay after each hire, so they come in time order.
        self.probation_ends = FifoDeadlines(self.env, self._probation_end_due)
        # Static brand weights for 'always_hiring' demand and growth vacancies.
        self._brand_cum = list(accumulate(self.brand))
        self.growth_weight = c.positions.tolist()  # positions of firms in business
        self._pos_cum = list(accumulate(self.growth_weight))

    def populate(self, gen: np.random.Generator) -> None:
        """Fill positions at the start (time 0, or minus the burn-in) from the ``population``
        stream and start every worker's timer.

        Call it after the mechanisms have subscribed to the hooks, so that they see the
        initial vacancies too.
        """
        sc = self.sc
        w = self.workers
        n = w.n
        lm = sc.labour_market
        # One byte per worker (codes 0..3; SEEKING is 0): mechanisms read many workers' states
        # at once through a NumPy view of it (MarketServices.state_codes).
        self.state = bytearray(n)
        self.employer = _ints(-1, n)
        self.since = _floats(0.0, n)
        self.salary = _floats(0.0, n)
        self.satisfaction = _floats(0.0, n)
        self.quit_rate = _floats(0.0, n)  # quit hazard in the current job (1/month)
        self.fit = _floats(1.0, n)
        self.channel = [""] * n
        self.hire_id = _ints(-1, n)
        self.stint_hire = _ints(-1, n)  # hire that began the current stint with the company
        self.pos_in_company = _ints(-1, n)
        self.last_employer = _ints(-1, n)
        self.last_salary = _floats(lm.base_salary * w.productivity)
        self.n_jobs = _ints(0, n)
        self.income_salary = _floats(0.0, n)
        self.paid_until = _floats(0.0, n)
        self.completed_tenures: list[float] = []
        # Completed stints (company, start, end) per worker who has any: most workers of a
        # large run have none for years, and a million empty lists cost ~1 s and 60 MB.
        self.history: dict[int, list[tuple[int, float, float]]] = {}
        # Workers who decline offers through every channel but one until a time (months):
        # worker -> (channel, until); see MarketServices.hold. Empty unless a mechanism holds.
        self.held: dict[int, tuple[str, float]] = {}
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
        companies = slots[:n_employed]
        gig = np.zeros(n_employed, dtype=bool)
        if self.freelancers:
            gig = np.asarray(self.contract, dtype=bool)[employed]
            for k in np.flatnonzero(gig).tolist():
                # The slot is the company's demand for a project.
                self._initial_gig(int(employed[k]), int(companies[k]))
        job = ~gig
        self._employ_initial(employed[job], companies[job], sats[job], noise[job], tenure_draw[job])
        if not self.always_hiring:
            for c in slots[n_employed:].tolist():
                self._open_vacancy(int(c), "initial")
        for i in range(n):
            self._schedule_worker(i)

    def _employ_initial(
        self,
        workers: np.ndarray,
        companies: np.ndarray,
        sats: np.ndarray,
        noise: np.ndarray,
        tenure_draw: np.ndarray,
    ) -> None:
        """Put each of ``workers`` into its company at the start, all at once.

        Worker ``workers[k]`` joins ``companies[k]`` with satisfaction ``sats[k]``, a
        wage-offer noise factor ``noise[k]`` and a unit exponential ``tenure_draw[k]`` for
        the tenure already served (months). The numbers are those of one :meth:`_employ`
        per worker in this order, to the bit (the same operations, elementwise; ``math.exp``
        as in :meth:`_quit_rate`); a loop of calls took ~5 s at 1,000,000 workers.
        """
        n_new = len(workers)
        if n_new == 0:
            return
        now, lm = self.env.now, self.sc.labour_market
        climate = np.fromiter(
            map(math.exp, (self.sat_sensitivity * (0.5 - sats)).tolist()), np.float64, n_new
        )
        quit_rate = _view(self.quit_base)[workers] * climate * np.asarray(self.quit_mult)[companies]
        rate = quit_rate + self.dismiss_rate + self.exit_rate
        # Memoryless hazards: the elapsed tenure of a stationary stock is exponential.
        elapsed = np.full(n_new, MAX_INITIAL_TENURE_MONTHS)
        live = rate > 0.0
        elapsed[live] = np.minimum(tenure_draw, MAX_INITIAL_TENURE_MONTHS * rate)[live] / rate[live]
        since = now - elapsed
        pay = np.asarray(self.pay)[companies]
        salary = lm.base_salary * self.workers.productivity[workers] * pay * noise
        np.frombuffer(self.state, dtype=np.uint8)[workers] = EMPLOYED
        _view(self.employer)[workers] = companies
        _view(self.since)[workers] = since
        _view(self.salary)[workers] = salary
        _view(self.satisfaction)[workers] = sats
        _view(self.quit_rate)[workers] = quit_rate
        _view(self.paid_until)[workers] = np.maximum(since, 0.0)
        _view(self.n_jobs)[workers] += 1
        channel = self.channel
        for i in workers.tolist():  # fit 1.0 and hire ids -1 are the arrays' defaults
            channel[i] = "initial"
        recent = np.flatnonzero(since > now - self.onboarding)
        self._recent_hires.extend(
            (t, i, -1)
            for t, i in zip(since[recent].tolist(), workers[recent].tolist(), strict=True)
        )
        self._join_staff(workers, companies)
        self.seeking_count -= n_new
        self.employed_count += n_new
        # Summed one by one, in order, as _employ does.
        self._since_sum = reduce(operator.add, since.tolist(), self._since_sum)

    def _join_staff(self, workers: np.ndarray, companies: np.ndarray) -> None:
        """Append ``workers`` to their ``companies``' staff lists, in order, with positions."""
        order = np.argsort(companies, kind="stable")
        members, owners = workers[order], companies[order]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        sizes = np.diff(np.r_[starts, len(owners)])
        held = np.array([len(self.staff[c]) for c in owners[starts].tolist()], dtype=np.int64)
        pos = np.arange(len(owners)) - np.repeat(starts - held, sizes)
        _view(self.pos_in_company)[members] = pos
        for c, group in zip(owners[starts].tolist(), np.split(members, starts[1:]), strict=True):
            self.staff[c].extend(group.tolist())

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
        self.paid_until[i] = max(t, 0.0)  # income counts from month 0 (after any burn-in)
        if t > self.env.now - self.onboarding:
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
        stints = self.history.get(i)
        if stints is None:
            self.history[i] = [(c, start, t)]
        else:
            stints.append((c, start, t))
        self.completed_tenures.append(t - start)
        self._accrue_salary(i, t)
        self.last_employer[i] = c
        self.last_salary[i] = self.salary[i]
        self.employer[i] = -1
        self.employed_count -= 1
        self._since_sum -= start
        return c

    def _accrue_salary(self, i: int, t: float) -> None:
        """Book worker i's salary income up to time t (months); none before month 0."""
        if t > self.paid_until[i]:  # a job ending within the burn-in earned nothing counted
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

    def _timer(self, delay: float, fn: Callable[[simpy.Event], None]) -> None:
        """Call ``fn(event)`` after ``delay`` months (as :func:`netsim.engine.timers.after`)."""
        self.env.timeout(delay).callbacks.append(fn)

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
