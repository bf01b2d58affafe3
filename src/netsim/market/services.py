"""The market's services: everything a mechanism may ask of, or do to, the labour market.

A mechanism (the referral platform, and every later one) holds a :class:`MarketServices`
and subscribes to the engine's hooks (:mod:`netsim.engine.hooks`); it never touches the
market's attributes. Ids are ints (workers ``0..n-1``, companies ``0..m-1``, vacancies in
order of opening); times are in months.

Read-only views (``skills``, ``states``, ``employers``, ``contacts``, ``staff``, ``contracts``,
``gigs``) hand out the market's own lists for loops on the hot path: a mechanism reads them
and never writes to them. Vacancies are positions (for employees) or projects (for
freelancers, :mod:`netsim.market.gigs`); :meth:`MarketServices.apply` takes either.

Ties change only through ``add_tie``, ``refresh_tie``, ``enable_tie_decay`` and ``prune_ties``
(the tie-dynamics mechanism, :mod:`netsim.mechanisms.ties`); ``network`` is the social network
itself, for read-outs (statistics, edge lists).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import simpy

from netsim.engine.hooks import Post
from netsim.market.state import EMPLOYED, FREELANCING, OUT, SEEKING, V_OPEN

if TYPE_CHECKING:
    import numpy as np

    from netsim.engine.rng import FastStream
    from netsim.market.gigbook import GigBook
    from netsim.market.ledger import Ledger
    from netsim.market.state import MarketState
    from netsim.world.build import World
    from netsim.world.network import SocialNetwork

#: Screening of a candidacy: ``screen(worker, chain)`` is False to reject it.
Screen = Callable[[int, tuple[int, ...]], bool]


class MarketServices:
    """A facade over one labour market (see the module docstring)."""

    #: Worker state codes, as in :attr:`states` (FREELANCING: a freelancer holding a gig).
    SEEKING, EMPLOYED, OUT, FREELANCING = SEEKING, EMPLOYED, OUT, FREELANCING

    def __init__(self, market: MarketState) -> None:
        self._m = market
        # The market's own timer function in place of the method below: mechanisms set a
        # timer on most of their events (a platform hop, a post), one call frame less each.
        self.call_in = market._call_in

    # ------------------------------------------------------------------ time and timers
    @property
    def now(self) -> float:
        """The current time (months)."""
        return self._m.env.now

    def after(self, delay_months: float, fn: Callable[[simpy.Event], None]) -> None:
        """Call ``fn(event)`` after ``delay_months``."""
        self._m.env.timeout(delay_months).callbacks.append(fn)

    def call_in(self, delay_months: float, fn: Callable, a: object, b: object) -> None:
        """Call ``fn(a, b)`` after ``delay_months``: a plain timer, no SimPy event, ranked
        as :meth:`after` would rank it (:mod:`netsim.engine.environment`). Cheaper than
        ``after`` for a mechanism's many small timers; ``a``, ``b`` spare a closure."""
        self._m._call_in(delay_months, fn, a, b)

    def timeout(self, delay_months: float) -> simpy.Timeout:
        """A SimPy timeout event ``delay_months`` from now, for a mechanism's own process."""
        return self._m.env.timeout(delay_months)

    def count_event(self) -> None:
        """Count one model event (a mechanism's timer that fired) in the run's event total."""
        self._m.n_events += 1

    @property
    def ledger(self) -> Ledger:
        """The run's money ledger (book every payment here; currency units, months)."""
        return self._m.ledger

    # ------------------------------------------------------------------ the world
    @property
    def world(self) -> World:
        """The run's workers, companies and social network (static attributes)."""
        return self._m.world

    @property
    def n_workers(self) -> int:
        """Number of workers."""
        return self._m.workers.n

    @property
    def n_companies(self) -> int:
        """Number of companies."""
        return self._m.companies.n

    @property
    def base_salary(self) -> float:
        """The scenario's base salary (currency per month)."""
        return self._m.base_salary

    def company_pay(self, c: int) -> float:
        """Company c's pay level (multiplier on the base salary)."""
        return self._m.pay[c]

    def company_policy(self, c: int) -> int:
        """Company c's staff network policy code (0 restrict, 1 neutral, 2 embrace)."""
        return self._m.policy[c]

    def company_alive(self, c: int) -> bool:
        """Whether company c is in business (False: a dormant slot or a closed firm)."""
        return self._m.alive[c]

    def brand(self, c: int) -> float:
        """Company c's current brand (0 for a firm not in business)."""
        return self._m.brand[c]

    def is_large(self, c: int) -> bool:
        """Whether company c is large (else an SME)."""
        return self._m.is_large[c]

    def staff(self, c: int) -> Sequence[int]:
        """Company c's current staff (read-only view)."""
        return self._m.staff[c]

    def open_vacancies(self, c: int) -> int:
        """Number of company c's vacancies open on the market."""
        return len(self._m.open_market[c])

    def open_vacancy_counts(self) -> np.ndarray:
        """Every company's number of vacancies open on the market (int64, O(companies): for
        a monthly update)."""
        lists = self._m.open_market
        return np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))

    @property
    def company_policies(self) -> Sequence[int]:
        """Every company's staff network policy code, by company (read-only view)."""
        return self._m.policy

    @property
    def large_companies(self) -> Sequence[bool]:
        """Whether each company is large, by company (read-only view)."""
        return self._m.is_large

    def staff_satisfaction(self) -> tuple[np.ndarray, np.ndarray]:
        """Per company: the sum of its staff's satisfaction and its head count (O(workers),
        vectorised: meant for a monthly update)."""
        m = self._m
        employer = np.frombuffer(m.employer, dtype=np.int64)
        sat = np.frombuffer(m.satisfaction, dtype=np.float64)
        on = employer >= 0
        n = m.companies.n
        heads = np.bincount(employer[on], minlength=n)
        return np.bincount(employer[on], weights=sat[on], minlength=n), heads

    # ------------------------------------------------------------------ workers
    @property
    def skills(self) -> Sequence[int]:
        """Every worker's skill, indexed by worker (read-only view)."""
        return self._m.skill_of

    @property
    def states(self) -> Sequence[int]:
        """Every worker's state code (SEEKING, EMPLOYED, OUT, FREELANCING), by worker (read-only
        view)."""
        return self._m.state

    def state_codes(self) -> np.ndarray:
        """Every worker's state code as a read-only ``uint8`` NumPy view (live, no copy): for
        reading many workers' states at once (``state_codes()[ids]``)."""
        view = np.frombuffer(self._m.state, dtype=np.uint8)
        view.flags.writeable = False
        return view

    @property
    def employers(self) -> Sequence[int]:
        """Every worker's employer (-1 if none), by worker (read-only view)."""
        return self._m.employer

    def contacts(self, i: int) -> Sequence[int]:
        """Worker i's contacts in the social network (read-only view)."""
        return self._m.net.neighbours[i]

    def random_contact(self, i: int, rand: FastStream) -> int:
        """A uniformly chosen contact of worker i (drawn from ``rand``), or -1 if none."""
        return self._m.net.random_neighbour(i, rand)

    # ------------------------------------------------------------------ ties
    @property
    def network(self) -> SocialNetwork:
        """The live social network, for read-outs; change it only through the tie services."""
        return self._m.net

    def add_tie(self, u: int, v: int, strength: float, origin: str) -> bool:
        """Tie workers u and v now (``strength`` 0..1, ``origin`` a short name); True if new.

        An existing tie is refreshed instead and keeps the stronger strength and its origin.
        """
        return self._m.net.add_tie(u, v, strength, origin, self._m.env.now)

    def refresh_tie(self, u: int, v: int) -> bool:
        """Refresh the tie u–v now (its decay clock restarts); False if there is none."""
        return self._m.net.refresh(u, v, self._m.env.now)

    def tie_origin(self, u: int, v: int) -> str | None:
        """Why the tie u–v exists (its origin), or None if there is none."""
        rec = self._m.net.tie(u, v)
        return None if rec is None else rec[1]

    def enable_tie_decay(
        self, half_life_months: float, threshold: float, last_contact_ages: np.ndarray | None
    ) -> None:
        """Let ties decay from now on (see :class:`netsim.world.tie_decay.TieDecay`)."""
        self._m.net.enable_decay(
            half_life_months, threshold, self._m.horizon, last_contact_ages
        )

    def prune_ties(self, month: int, keep: Callable[[int, int], bool] | None = None) -> int:
        """Remove the ties that have decayed below the threshold by month end ``month``
        (those with ``keep(u, v)`` true are refreshed instead); returns how many."""
        return self._m.net.prune_due(month, keep)

    def state(self, i: int) -> int:
        """Worker i's state code (SEEKING, EMPLOYED or OUT)."""
        return self._m.state[i]

    def employer(self, i: int) -> int:
        """Worker i's employer, or -1."""
        return self._m.employer[i]

    def skill(self, i: int) -> int:
        """Worker i's skill."""
        return self._m.skill_of[i]

    def stint_hire(self, i: int) -> int:
        """The hire id that began worker i's current stint with its employer (-1 if none)."""
        return self._m.stint_hire[i] if self._m.state[i] == EMPLOYED else -1

    def satisfaction(self, i: int) -> float:
        """Employed worker i's job satisfaction (0..1)."""
        return self._m.satisfaction[i]

    def history(self, i: int) -> Sequence[tuple[int, float, float]]:
        """Worker i's public job history: completed stints ``(company, start, end)`` (months)."""
        return self._m.history.get(i, ())

    # ------------------------------------------------------------------ vacancies
    def vacancy_company(self, v: int) -> int:
        """The company of vacancy v."""
        return self._m.vac_company[v]

    def vacancy_skill(self, v: int) -> int:
        """The skill vacancy v asks for."""
        return self._m.vac_skill[v]

    def vacancy_kind(self, v: int) -> str:
        """'project' (a gig for a freelancer) or 'position' (a job for an employee)."""
        return "project" if v in self._m.project_len else "position"

    def project_length(self, v: int) -> float:
        """The drawn length of project v (months; NaN for a position)."""
        return self._m.project_len.get(v, float("nan"))

    # ------------------------------------------------------------------ freelancers
    @property
    def freelancing(self) -> bool:
        """Whether the run has freelancers or projects at all."""
        return self._m.freelancers

    def is_freelancer(self, i: int) -> bool:
        """Whether worker i is a freelancer (contract type; employees hold positions)."""
        m = self._m
        return bool(m.freelancers and m.contract[i])

    @property
    def contracts(self) -> Sequence[int]:
        """Every worker's contract type (1 freelancer, 0 employee; empty if freelancing is off)."""
        return self._m.contract

    @property
    def max_clients(self) -> int:
        """The most gigs a freelancer holds at once (K)."""
        return self._m.sc.freelance.max_clients

    @property
    def n_open_projects(self) -> int:
        """Project vacancies open on the market now."""
        return self._m.n_open_projects if self._m.freelancers else 0

    @property
    def gigs(self) -> GigBook:
        """Every gig of the run and each freelancer's current gigs (read-only view)."""
        return self._m.gigs

    def vacancy_open(self, v: int) -> bool:
        """Whether vacancy v is open on the market (not filled, expired or internal)."""
        return self._m.vac_status[v] == V_OPEN

    # ------------------------------------------------------------------ actions
    def apply(
        self,
        i: int,
        v: int,
        channel: str,
        chain: tuple[int, ...] = (),
        screen: Screen | None = None,
    ) -> bool:
        """Worker i applies to open vacancy v through ``channel``; returns whether i was hired.

        A candidacy with a referral ``chain`` is first screened by ``screen(i, chain)``
        (only if i could apply at all: not out of the market, not already at the company).
        The hire calls the ``hire`` hooks with the chain.
        """
        m = self._m
        c = m.vac_company[v]
        if m.employer[i] == c or m.state[i] == OUT:
            return False
        if chain and screen is not None and not screen(i, chain):
            return False
        return m._apply(i, c, v, channel, chain)

    def hold(self, i: int, channel: str, until_months: float = math.inf) -> None:
        """Worker i declines offers through every channel but ``channel`` until ``until_months``.

        E.g. a rotation pair keeps its candidate off the ordinary market between placements
        (``channel="platform"``). A second call replaces the first; :meth:`release` ends it.
        Costs nothing on the hot path while nobody is held.
        """
        self._m.held[i] = (channel, until_months)

    def release(self, i: int) -> None:
        """End worker i's :meth:`hold` (if any): offers through every channel count again."""
        self._m.held.pop(i, None)

    def held_until(self, i: int) -> float:
        """When worker i's :meth:`hold` ends (months; -inf if not held)."""
        held = self._m.held.get(i)
        return -math.inf if held is None else held[1]

    def schedule_quit(self, i: int, hire_id: int, at_months: float) -> None:
        """Make worker i quit into search at ``at_months`` if still in the stint of ``hire_id``.

        The quit is scheduled just after any payment due at the same moment.
        """
        self._m.schedule_quit(i, hire_id, at_months)

    # ------------------------------------------------------------------ firms that live
    def activate_company(
        self,
        c: int,
        *,
        brand: float,
        positions: int,
        pay: float,
        main_skill: int,
        policy: int,
        vacancies: int,
    ) -> list[int]:
        """Open dormant company slot c for business (see :mod:`netsim.market.lifecycle`):
        its brand, positions (weight of its growth vacancies), pay level, main skill and
        policy, with ``vacancies`` vacancies opened at once. Returns their ids."""
        return self._m._activate_company(
            c,
            brand=brand,
            positions=positions,
            pay=pay,
            main_skill=main_skill,
            policy=policy,
            vacancies=vacancies,
        )

    def close_company(self, c: int) -> list[int]:
        """Company c closes: vacancies withdrawn, staff separated (reason ``'firm_exit'``)
        into search. Returns the workers let go."""
        return self._m._close_company(c)

    def set_brands(self, brands: Sequence[float]) -> None:
        """Set every company's brand (one per company, >= 0; 0 for firms not in business)
        and rebuild the open-market search weights (O(companies))."""
        self._m._set_brands(brands)

    def set_policy(self, c: int, policy: int) -> None:
        """Set company c's staff network policy (0 restrict, 1 neutral, 2 embrace)."""
        self._m._set_policy(c, policy)

    def set_hire_satisfaction_shift(self, c: int, shift: float) -> None:
        """Shift the satisfaction of company c's future hires by ``shift`` (clipped to 0..1)."""
        self._m.sat_shift[c] = float(shift)

    def set_hire_satisfaction_shifts(
        self, companies: Sequence[int], shifts: Sequence[float]
    ) -> None:
        """:meth:`set_hire_satisfaction_shift` for many companies at once (pairwise)."""
        sat_shift = self._m.sat_shift
        for c, shift in zip(companies, shifts, strict=True):
            sat_shift[c] = float(shift)

    def set_satisfaction(self, i: int, sat: float) -> None:
        """Employed worker i's satisfaction becomes ``sat`` (clipped to 0..1); its quit
        hazard follows (its timer is redrawn)."""
        self._m._set_satisfaction(i, sat)

    def publish_post(self, i: int, c: int, tone: int) -> None:
        """Worker i posts publicly about company c (tone +1 or -1): the ``post`` hooks see it."""
        hooks = self._m.hooks.post
        if hooks:
            post = Post(self._m.env.now, i, c, tone)
            for hook in hooks:
                hook(post)
