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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import simpy

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

    # ------------------------------------------------------------------ time and timers
    @property
    def now(self) -> float:
        """The current time (months)."""
        return self._m.env.now

    def after(self, delay_months: float, fn: Callable[[simpy.Event], None]) -> None:
        """Call ``fn(event)`` after ``delay_months``."""
        self._m.env.timeout(delay_months).callbacks.append(fn)

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
        return int(self._m.companies.policy[c])

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

    def staff(self, c: int) -> Sequence[int]:
        """Company c's current staff (read-only view)."""
        return self._m.staff[c]

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

    def satisfaction(self, i: int) -> float:
        """Employed worker i's job satisfaction (0..1)."""
        return self._m.satisfaction[i]

    def history(self, i: int) -> Sequence[tuple[int, float, float]]:
        """Worker i's public job history: completed stints ``(company, start, end)`` (months)."""
        return self._m.history[i]

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

    def schedule_quit(self, i: int, hire_id: int, at_months: float) -> None:
        """Make worker i quit into search at ``at_months`` if still in the stint of ``hire_id``.

        The quit is scheduled just after any payment due at the same moment.
        """
        self._m.schedule_quit(i, hire_id, at_months)
