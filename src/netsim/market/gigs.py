"""Freelancers and gigs: projects of finite length, held by freelancers for up to K clients.

A worker's contract type is drawn once (scenario section ``freelance``): an *employee* holds
at most one position (``employer``, ``staff``); a *freelancer* holds 0..K gigs, kept in the
:class:`~netsim.market.gigbook.GigBook`, never in ``employer``/``staff``. Employees apply
only to positions, freelancers only to projects (:meth:`Gigs._apply_gig`).

State codes: a freelancer with no gig is ``SEEKING`` (in the ``seeking`` stock and the
unemployment rate), one with at least one gig is ``FREELANCING`` (its own stock, in the
labour force, never in ``employed``); both may leave the market (``OUT``).

Processes (rates per month, times in months):

* **Project demand**: one aggregate Poisson process, rate ``sme_rate_per_month`` × SMEs +
  ``large_rate_per_month`` × large companies; each event opens a project vacancy (origin
  ``project``) with a lognormal length drawn at opening. Projects are never filled
  internally; they go on the open market, send word of mouth, and reach the platform through
  the ``vacancy_posted`` hooks like any vacancy.
* **Freelancer search**: the worker's competing-risks timer (no extra timer): a freelancer
  below K meets a project at ``search_rate_per_month`` × visibility (brand-weighted, as
  positions); it exits the market at ``exit_rate_per_month`` (ending its gigs, reason
  ``exit``).
* **Gig ends** are deadlines (:class:`~netsim.engine.deadlines.DeadlineQueue`): at
  start + length the gig ends (reason ``gig_end``) and the ``separation`` hooks fire, so a
  payout rule's retention sees it; a freelancer whose last gig ends starts seeking.

Random draws of contract types, project arrivals and lengths, and gigs at time 0 come from
the run's ``freelance`` stream; offers and fit from the market's own stream.
"""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np

from netsim.engine.deadlines import DeadlineQueue
from netsim.engine.hooks import Hire, Separation
from netsim.engine.rng import FastStream
from netsim.engine.sampling import FenwickSampler
from netsim.market.state import FREELANCING, OUT, SEEKING, V_FILLED, _floats


class Gigs:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: freelancers and gigs."""

    # ------------------------------------------------------------------ set-up
    def _init_freelance(self, gen: np.random.Generator | None) -> None:
        """Draw contract types and set freelancers' rates (only when freelancing is on)."""
        fc = self.sc.freelance
        w = self.workers
        n = w.n
        if gen is None:
            raise ValueError("freelancing needs the run's 'freelance' random stream")
        self.frand = FastStream(gen)
        self.max_gigs = fc.max_clients
        self.rate_premium = fc.rate_premium
        self.gig_length_mu = math.log(fc.length_median_months)
        self.gig_length_sigma = fc.length_sigma
        vital = np.asarray(w.vital, dtype=bool)
        m = fc.vital_force_multiplier
        p_other = fc.share / (1.0 - vital.mean() + vital.mean() * m) if n else 0.0
        p = np.where(vital, min(1.0, m * p_other), min(1.0, p_other))
        contract = gen.random(n) < p
        self.contract = contract.astype(np.int8).tolist()
        idx = np.flatnonzero(contract)
        search = fc.search_rate_per_month * np.asarray(w.visibility, dtype=np.float64)
        for i in idx.tolist():
            self.find_rate[i] = float(search[i])
        # Freelancers' reservation: a share of their standard rate (pay 1, no noise).
        self._standard_rate = _floats(
            self.rate_premium * self.base_salary * np.asarray(w.productivity, dtype=np.float64)
        )
        self.gig_ends = DeadlineQueue(self.env, self._gig_end_due, self.gigs.live.__getitem__)
        self.open_projects: list[list[int]] = [[] for _ in range(self.companies.n)]
        self.project_sampler = FenwickSampler(self.companies.n)
        self.n_open_projects = 0
        size = np.asarray(self.companies.size_class)
        self._smes = np.flatnonzero(size == 0).tolist()
        self._larges = np.flatnonzero(size == 1).tolist()

    def _draw_length(self) -> float:
        """A project's length (months, lognormal), from the freelance stream."""
        return math.exp(self.gig_length_mu + self.gig_length_sigma * self.frand.normal())

    def _initial_gig(self, i: int, c: int) -> None:
        """Freelancer i, drawn into work at the start, holds a running gig with company c.

        A gig running at a random moment is longer than a typical one (length-biased): for a
        lognormal length LN(mu, s^2) the running gig's length is LN(mu + s^2, s^2), and the
        share already elapsed is uniform, as in a stationary renewal process.
        """
        s = self.gig_length_sigma
        length = math.exp(self.gig_length_mu + s * s + s * self.frand.normal())
        start = self.env.now - self.frand.random() * length
        noise = math.exp(self.offer_sigma * self.frand.normal())
        rate = self._standard_rate[i] * self.pay[c] * noise
        self._start_gig(i, c, -1, -1, "initial", start, length, rate)

    # ------------------------------------------------------------------ projects
    def _start_projects(self) -> None:
        """Companies open projects: one aggregate Poisson process over all companies, a chain
        of plain timers (:meth:`_project_due`); this sets the first (started as a process by
        :func:`netsim.engine.timers.starting`)."""
        pd_ = self.sc.freelance.projects
        w_sme = pd_.sme_rate_per_month * len(self._smes)
        total = w_sme + pd_.large_rate_per_month * len(self._larges)
        if total > 0.0:
            self._next_project(total, w_sme)

    def _next_project(self, total: float, w_sme: float) -> None:
        """Set the timer of the next project arrival (rate ``total`` per month). A rate so
        small (subnormal) that the waiting time overflows to infinity sets none: no such
        arrival ever comes, and the calendar cannot file a time at infinity."""
        delay = self.frand.exponential(total)
        if delay < math.inf:
            self._call_in(delay, self._project_due, total, w_sme)

    def _project_due(self, total: float, w_sme: float) -> None:
        """A project arrives at a company drawn by rate (SMEs ``w_sme`` of ``total``, per
        month); the next arrival is set."""
        self.n_events += 1
        frand = self.frand
        u = frand.random() * total
        pool = self._smes if u < w_sme else self._larges
        c = frand.choice(pool)
        length = self._draw_length()
        if self.alive[c]:  # demand per company slot: dormant and closed firms have none
            self._open_vacancy(c, "project", project_months=length)
        self._next_project(total, w_sme)

    # ------------------------------------------------------------------ search and hire
    def _search_project(self, i: int, channel: str) -> bool:
        """Freelancer i meets a project on the open market (brand-weighted) and applies."""
        if self.always_hiring:  # a project created on demand, brand-weighted like positions
            cum = self._brand_cum
            c = min(bisect_right(cum, self.rand.random() * cum[-1]), len(cum) - 1)
            return self._apply_gig(i, c, -1, channel)
        if self.n_open_projects == 0:
            return False
        c = self.project_sampler.sample(self.rand.random())
        if c < 0:
            return False
        return self._apply_gig(i, c, self.rand.choice(self.open_projects[c]), channel)

    def _apply_gig(self, i: int, c: int, v: int, channel: str, chain: tuple = ()) -> bool:
        """Worker i applies to v at company c where either is of the freelance kind.

        Only a freelancer below K clients, not yet working for c, may take a project; an
        employee never takes a project nor a freelancer a position. A freelancer accepts a
        rate of at least ``reservation_wage_ratio`` × their standard rate.
        """
        if not self.contract[i] or (v >= 0 and v not in self.project_len):
            return False
        if self.state[i] == OUT:
            return False
        book = self.gigs
        if len(book.held[i]) >= self.max_gigs or book.holds_client(i, c):
            return False
        if self.hooks.screen and self._screened_out(i, c, channel):
            return False  # the client screens freelancers' public records too
        skill = self.vac_skill[v] if v >= 0 else self._draw_vacancy_skill(c)
        fit = 1.0 if skill == self.skill_of[i] else self.cross_skill_fit
        if fit < 1.0 and self.rand.random() >= fit:
            return False
        rate = self.rate_premium * self._offer(i, c)
        if rate < self.reservation_ratio * self._standard_rate[i]:
            return False
        if v < 0:
            v = self._open_vacancy(
                c, "project", skill=skill, market_only=True, project_months=self._draw_length()
            )
        self._hire_gig(i, v, channel, rate, chain)
        return True

    def _hire_gig(self, i: int, v: int, channel: str, rate: float, chain: tuple) -> None:
        t = self.env.now
        c = self.vac_company[v]
        self._close_vacancy(v, V_FILLED)
        hid = self.n_hires
        self.n_hires += 1
        length = self.project_len[v]
        self._start_gig(i, c, v, hid, channel, t, length, rate)
        self.log.log(t, "gig_start", channel, i, c, v, -1, rate, hid)
        self._schedule_worker(i)
        hooks = self.hooks.hire
        if hooks:
            hire = Hire(hid, t, i, c, v, channel, rate, -1, chain)
            for hook in hooks:
                hook(hire)

    def _start_gig(
        self, i: int, c: int, v: int, hid: int, channel: str, t: float, length: float, rate: float
    ) -> None:
        if self.state[i] == SEEKING:
            self.seeking_count -= 1
            self.freelancing_count += 1
            self.state[i] = FREELANCING
        g = self.gigs.add(i, c, v, hid, channel, t, length, rate)
        self.gig_ends.add(t + length, g)

    # ------------------------------------------------------------------ gig ends
    def _gig_end_due(self, g: int) -> None:
        """Gig g ran its length (called by the gig-end DeadlineQueue)."""
        self.n_events += 1
        self._end_gig(g, "gig_end")

    def _end_gig(self, g: int, reason: str, to_seeking: bool = True) -> None:
        """End gig g now; the freelancer seeks if it was their last gig (unless leaving)."""
        t = self.env.now
        book = self.gigs
        i, c, hid = book.worker[g], book.company[g], book.hire[g]
        start = book.start[g]
        book.finish(g, t, reason)
        self.log.log(t, "gig_end", reason, i, c, book.vacancy[g], hid, float("nan"), hid)
        hooks = self.hooks.separation
        if hooks:
            sep = Separation(hid, t, i, c, reason, t - start, hid)
            for hook in hooks:
                hook(sep)
        if not to_seeking:
            return
        if not book.held[i] and self.state[i] == FREELANCING:
            self.state[i] = SEEKING
            self.freelancing_count -= 1
            self.seeking_count += 1
            self._schedule_worker(i)
            for hook in self.hooks.seeking:
                hook(i)
        else:
            self._schedule_worker(i)  # below K again: search resumes

    def _end_gigs_on_exit(self, i: int) -> None:
        """Freelancer i leaves the market: every gig ends (reason ``exit``)."""
        for g in list(self.gigs.held[i]):
            self._end_gig(g, "exit", to_seeking=False)
        self.freelancing_count -= 1

    def _quit_gig(self, i: int, hire_id: int) -> None:
        """Freelancer i leaves the gig begun by ``hire_id`` early (a planned quit)."""
        g = self.gigs.of_hire.get(hire_id)
        if g is not None and self.gigs.live[g] and self.gigs.worker[g] == i:
            self._end_gig(g, "quit")

    # ------------------------------------------------------------------ freelancer events
    def _gig_search_rate(self, i: int) -> float:
        """Freelancer i's current search hazard: zero at K clients (1/month)."""
        return self.find_rate[i] if len(self.gigs.held[i]) < self.max_gigs else 0.0

    def _freelancing_event(self, i: int) -> None:
        """The competing-risks timer of a freelancer with at least one gig fired."""
        search = self._gig_search_rate(i)
        if self.rand.random() * (search + self.exit_rate) < self.exit_rate:
            self._exit_market(i)
            return
        if not self._search_project(i, "market"):
            self._schedule_worker(i)

    def _random_contact_for(self, i: int, v: int) -> int:
        """A contact of worker i who could take vacancy v (word of mouth), or -1.

        Positions go to seeking employees; projects to freelancers below K clients.
        """
        state, contract = self.state, self.contract
        if v in self.project_len:
            held, k_max = self.gigs.held, self.max_gigs
            fit = [
                k
                for k in self.net.neighbours[i]
                if contract[k] and state[k] != OUT and len(held[k]) < k_max
            ]
        else:
            fit = [k for k in self.net.neighbours[i] if state[k] == SEEKING and not contract[k]]
        return self.rand.choice(fit) if fit else -1
