"""Firms that live: a dormant company slot opens for business, a firm closes, brands move.

The company arrays have a fixed size for the whole run, so a run whose firms enter is built
with *dormant* company slots (no positions, brand 0, not alive: no worker meets them). These
methods change a company's standing in the market; mechanisms call them through
:class:`~netsim.market.services.MarketServices` (``activate_company``, ``close_company``,
``set_brands``, ``set_policy``, ``set_hire_satisfaction_shift``, ``set_satisfaction``).

Open-market search meets a company with probability proportional to its brand times its open
vacancies (a :class:`~netsim.engine.sampling.FenwickSampler`), under ``always_hiring`` demand
to its brand alone (cumulative weights), and growth vacancies open at companies in proportion
to the positions of the firms in business: each method keeps those weights in step.
Times in months.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate, islice

from netsim.market.state import V_EXPIRED


class FirmLifecycle:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: entry, exit, brand, policy."""

    def _activate_company(
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
        """Open dormant company slot c for business with ``vacancies`` open vacancies.

        Returns the vacancy ids opened (origin ``'entry'``).
        """
        if self.alive[c]:
            raise ValueError(f"company {c} is already in business")
        self.alive[c] = True
        self.pay[c] = float(pay)
        self.main_skill[c] = int(main_skill)
        self._set_policy(c, policy)
        self._set_brand(c, brand)
        self._set_growth_weight(c, int(positions))
        return [self._open_vacancy(c, "entry") for _ in range(vacancies)]

    def _close_company(self, c: int) -> list[int]:
        """Company c closes: its open vacancies are withdrawn (``vacancy_closed`` hooks see
        'expired'), its staff separate with reason ``'firm_exit'`` and start seeking, and
        no worker meets it again. Returns the workers who were let go."""
        if not self.alive[c]:
            return []
        self.alive[c] = False  # first: leavers' positions are not reopened
        for v in list(self.open_market[c]):
            self._close_vacancy(v, V_EXPIRED)
        if self.freelancers:  # its open projects go, and its freelancers' gigs end
            for v in list(self.open_projects[c]):
                self._close_vacancy(v, V_EXPIRED)
            for g in sorted(self.gigs.of_company.get(c, ())):
                self._end_gig(g, "firm_exit")
        staff = list(self.staff[c])
        for i in staff:
            self._separate(i, "firm_exit")
            self._to_seeking(i)
        self._set_brand(c, 0.0)
        self._set_growth_weight(c, 0)
        return staff

    def _set_growth_weight(self, c: int, weight: int) -> None:
        """Company c's weight in the growth draws becomes ``weight`` (positions).

        The running sums are redone from c on only, with the same additions as a full pass:
        entrants take the last slots, so an entry redoes a short tail, not every company.
        """
        self.growth_weight[c] = weight
        cum = self._pos_cum
        if c == 0:
            cum[:] = accumulate(self.growth_weight)
        else:
            cum[c:] = islice(accumulate(self.growth_weight[c:], initial=cum[c - 1]), 1, None)

    def _set_brand(self, c: int, brand: float) -> None:
        """Set company c's brand and its open-market search weights."""
        self.brand[c] = brand
        self.vacancy_sampler.set(c, brand * len(self.open_market[c]))
        if self.freelancers:
            self.project_sampler.set(c, brand * len(self.open_projects[c]))
        if self.always_hiring:
            self._brand_cum = list(accumulate(self.brand))

    def _set_brands(self, brands: Sequence[float]) -> None:
        """Set every company's brand at once (O(companies)); weights are rebuilt once."""
        if len(brands) != len(self.brand):
            raise ValueError(f"expected {len(self.brand)} brands, got {len(brands)}")
        self.brand = [float(b) for b in brands]
        open_market = self.open_market
        self.vacancy_sampler.set_all([b * len(open_market[c]) for c, b in enumerate(self.brand)])
        if self.freelancers:
            projects = self.open_projects
            self.project_sampler.set_all([b * len(projects[c]) for c, b in enumerate(self.brand)])
        if self.always_hiring:
            self._brand_cum = list(accumulate(self.brand))

    def _set_policy(self, c: int, policy: int) -> None:
        """Set company c's staff network policy (0 restrict, 1 neutral, 2 embrace).

        The quit multiplier of restricting firms applies to hires from now on.
        """
        if policy not in (0, 1, 2):
            raise ValueError(f"policy codes are 0, 1, 2, got {policy!r}")
        self.policy[c] = policy
        self.quit_mult[c] = self.sc.labour_market.restrict_quit_multiplier if policy == 0 else 1.0

    def _set_satisfaction(self, i: int, sat: float) -> None:
        """Employed worker i's satisfaction becomes ``sat`` (0..1); its quit hazard follows."""
        c = self.employer[i]
        if c < 0:
            return
        sat = min(max(sat, 0.0), 1.0)
        self.satisfaction[i] = sat
        self.quit_rate[i] = self._quit_rate(i, c, sat)
        self._schedule_worker(i)
