"""Staff network policy effects: a firm's climate, staff morale, and policy changes by rule.

**Climate.** Each month (month end, O(companies)) every firm's *climate* is computed: a shift
of its staff's satisfaction (0..1 scale)::

    shift = policy shift (restrict: -restrict_satisfaction_shift, embrace:
            +embrace_satisfaction_shift) + brand_satisfaction_weight * R
            - understaffing_satisfaction_weight * open / (staff + open)

with ``R`` the firm's reputation index (:mod:`netsim.mechanisms.brand`) and ``open`` its
vacancies open on the market. New hires' satisfaction (a Beta(2, 2) draw) is shifted by it
(:meth:`MarketServices.set_hire_satisfaction_shift
<netsim.market.services.MarketServices.set_hire_satisfaction_shift>`), and staff re-evaluate
their job (*morale*): at each month end each member of the staff, with probability
``1 - exp(-morale_rate_per_month)``, takes up the change of the firm's climate since their
satisfaction was last set (at the hire or the last re-evaluation; clipped to 0..1), so
the quit hazard follows; a change below ``MIN_CHANGE`` is ignored, sparing the quit timer a
redraw. Staff present at the start hold a climate of 0. Restricting firms thus lose staff
faster, their posts turn negative, the brand falls, vacancies stay open, the climate
worsens: the alienation spiral.

**Rules.** Once a month the policy rule (:mod:`netsim.mechanisms.policy_rules`) sees every
firm's state and may change policies (:meth:`MarketServices.set_policy
<netsim.market.services.MarketServices.set_policy>`).
"""

from __future__ import annotations

import math
from array import array
from collections import deque

import numpy as np

from netsim.engine.hooks import Hire, Hooks
from netsim.market.services import MarketServices
from netsim.mechanisms.policy_rules import POLICY_RULES, PolicyRule, PolicyState
from netsim.scenario.schema import Scenario

#: Smallest climate change a re-evaluation acts on (0..1 satisfaction scale).
MIN_CHANGE = 0.03


class StaffPolicy:
    """Climate, morale and policy rules of every firm (see the module docstring)."""

    def __init__(
        self, scenario: Scenario, market: MarketServices, hooks: Hooks, gen: np.random.Generator
    ) -> None:
        self.cfg = cfg = scenario.firms.staff_policy
        self.market = market
        self.gen = gen
        m = market.n_companies
        #: The climate each worker's satisfaction holds (set at hire and re-evaluation).
        self.applied = array("d", bytes(8 * market.n_workers))
        self.reevaluations = 0  # re-evaluations that changed a satisfaction
        self.policy_shift = np.array(
            [-cfg.restrict_satisfaction_shift, 0.0, cfg.embrace_satisfaction_shift]
        )
        self.climate = [0.0] * m
        self.rule: PolicyRule = POLICY_RULES.get(cfg.rule)(cfg.params)
        window = max(1, int(self.rule.history_months))
        self._quits: deque[np.ndarray] = deque(maxlen=window)
        self._staff_before: deque[np.ndarray] = deque(maxlen=window)
        self._heads = np.zeros(m, dtype=np.int64)
        self.changes = 0  # policy changes so far
        self.changes_month = 0
        if cfg.morale_rate_per_month > 0.0:
            hooks.hire.append(self._on_hire)

    def _on_hire(self, hire: Hire) -> None:
        # The market shifted the new hire's satisfaction by the firm's climate.
        self.applied[hire.worker] = self.climate[hire.company]

    def policies(self) -> np.ndarray:
        """Every company's current policy code."""
        return np.array(self.market.company_policies, dtype=np.int8)

    def start(self, heads: np.ndarray) -> None:
        """Remember the head counts at the start (the first month's 'staff before')."""
        self._heads = heads.copy()

    def processes(self) -> list:
        """No processes of its own: morale is updated at month end."""
        return []

    def _morale(self, changed: np.ndarray) -> None:
        """Staff of the firms in ``changed`` (company ids) re-evaluate their job: each with
        probability ``1 - exp(-morale_rate_per_month)`` takes up the change of the climate
        since their satisfaction was last set.

        One Bernoulli draw per employed worker, over arrays: the same law as a binomial
        number of re-evaluations per firm spread uniformly over its staff (a binomial count
        and a uniform subset of that size are independent Bernoulli trials). Only the few
        whose climate moved by at least ``MIN_CHANGE`` cost a Python call (their quit timer
        is redrawn), in the order of worker ids.
        """
        m = self.market
        p = -math.expm1(-self.cfg.morale_rate_per_month)
        if p <= 0.0 or changed.size == 0:
            return
        employer = np.frombuffer(m.employers, dtype=np.int64)
        in_changed = np.zeros(m.n_companies + 1, dtype=bool)  # slot -1: not employed
        in_changed[changed] = True
        staff = np.flatnonzero(in_changed[employer])
        staff = staff[self.gen.random(staff.size) < p]
        applied = np.frombuffer(self.applied, dtype=np.float64)
        target = np.asarray(self.climate, dtype=np.float64)[employer[staff]]
        moved = np.abs(target - applied[staff]) >= MIN_CHANGE
        staff, target = staff[moved], target[moved]
        if staff.size == 0:
            return
        delta = target - applied[staff]
        applied[staff] = target
        sat = m.satisfaction
        for i, d in zip(staff.tolist(), delta.tolist(), strict=True):
            m.set_satisfaction(i, sat(i) + d)
        self.reevaluations += int(staff.size)

    def update(
        self,
        month: int,
        quits: np.ndarray,
        heads: np.ndarray,
        alive: np.ndarray,
        reputation: np.ndarray,
        brands: np.ndarray,
        age_months: np.ndarray,
    ) -> None:
        """The month-end step: apply the rule, then set every firm's climate."""
        m = self.market
        self._quits.append(quits)
        self._staff_before.append(self._heads)
        self._heads = heads.copy()
        policy = self.policies()
        state = PolicyState(
            month=month,
            time_months=m.now,
            policy=policy,
            alive=alive,
            staff=heads,
            age_months=age_months,
            brand=brands,
            reputation=reputation,
            quits=np.array(self._quits),
            staff_before=np.array(self._staff_before),
        )
        wanted = self.rule.decide(state)
        self.changes_month = 0
        if wanted is not None:
            wanted = np.asarray(wanted).astype(np.int8)
            for c in np.flatnonzero(alive & (wanted != policy)).tolist():
                m.set_policy(c, int(wanted[c]))
                self.changes_month += 1
            self.changes += self.changes_month
            policy = np.where(alive, wanted, policy)
        vacancies = m.open_vacancy_counts().astype(float)
        understaffed = vacancies / np.maximum(heads + vacancies, 1.0)
        cfg = self.cfg
        climate = (
            self.policy_shift[policy]
            + cfg.brand_satisfaction_weight * reputation
            - cfg.understaffing_satisfaction_weight * understaffed
        )
        climate = np.where(alive, climate, 0.0)
        running = np.flatnonzero(alive)
        m.set_hire_satisfaction_shifts(running.tolist(), climate[running].tolist())
        self.climate[:] = climate.tolist()
        if self.cfg.morale_rate_per_month > 0.0:
            self._morale(np.flatnonzero(alive & (heads > 0)))
