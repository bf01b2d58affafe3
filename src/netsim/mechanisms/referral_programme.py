"""The employee referral programme (ERP) of embracing firms: staff as ambassadors.

Each vacancy of an embracing firm, while open on the market, sends referral attempts at
``firms.referral_programme.rate_per_month`` (one pending timer per vacancy, as word of
mouth). An attempt picks a random member of the firm's staff, who refers a contact who
fits (same skill as the vacancy, not at the firm, in the labour market), chosen at random
among their contacts (O(degree)). The contact applies through channel
``employee_referral``; on a hire the firm pays the referrer its own bonus
(``firms.referral_programme.bonus``, booked in the ledger as ``erp_bonus``, company ->
worker, at the hire: most programmes pay a lump sum) and the referred hire's satisfaction
rises by ``satisfaction_bonus`` (referred hires quit less: Burks et al. 2015). A firm that
stops embracing stops referring: its vacancies' attempts end.
"""

from __future__ import annotations

import numpy as np

from netsim.engine.hooks import Hire, Hooks
from netsim.engine.rng import FastStream
from netsim.market.services import MarketServices
from netsim.mechanisms.policy_rules import EMBRACE
from netsim.scenario.schema import Scenario

CHANNEL = "employee_referral"


class ReferralProgramme:
    """Referral attempts, hires and bonuses of embracing firms (see the module docstring)."""

    def __init__(
        self, scenario: Scenario, market: MarketServices, hooks: Hooks, gen: np.random.Generator
    ) -> None:
        self.cfg = cfg = scenario.firms.referral_programme
        self.market = market
        self.rand = FastStream(gen)
        self._referrer = -1
        self.hires = 0
        self.attempts = 0
        self.bonus_paid = 0.0
        self.month_bonus = 0.0
        if cfg.rate_per_month > 0.0:
            hooks.vacancy_posted.append(self._on_posted)
            hooks.hire.append(self._on_hire)

    def _on_posted(self, v: int) -> None:
        if self.market.company_policy(self.market.vacancy_company(v)) == EMBRACE:
            self._schedule(v)

    def _schedule(self, v: int) -> None:
        self.market.call_in(self.rand.exponential(self.cfg.rate_per_month), self._attempt, v, None)

    def _attempt(self, v: int, _: None = None) -> None:
        m = self.market
        m.count_event()
        if not m.vacancy_open(v):
            return
        c = m.vacancy_company(v)
        if m.company_policy(c) != EMBRACE:
            return
        self._schedule(v)
        staff = m.staff(c)
        if not staff:
            return
        self.attempts += 1
        referrer = self.rand.choice(staff)
        skill = m.vacancy_skill(v)
        skills, states, employers, out = m.skills, m.states, m.employers, m.OUT
        friends = [
            k
            for k in m.contacts(referrer)
            if skills[k] == skill and employers[k] != c and states[k] != out
        ]
        if not friends:
            return
        self._referrer = referrer
        try:
            m.apply(self.rand.choice(friends), v, CHANNEL)
        finally:
            self._referrer = -1

    def _on_hire(self, hire: Hire) -> None:
        if hire.channel != CHANNEL or self._referrer < 0:
            return
        m = self.market
        self.hires += 1
        bonus = self.cfg.bonus
        m.ledger.pay(
            hire.time_months,
            ("company", hire.company),
            ("worker", self._referrer),
            bonus,
            "erp_bonus",
            hire=hire.hire_id,
        )
        self.bonus_paid += bonus
        self.month_bonus += bonus
        if self.cfg.satisfaction_bonus > 0.0:
            m.set_satisfaction(
                hire.worker, m.satisfaction(hire.worker) + self.cfg.satisfaction_bonus
            )
