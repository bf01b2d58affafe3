"""The platform's money: fees at hire, payouts on the rule's schedule (within the cap per
candidate), kickbacks of gamers, refunds and clawbacks when a hire ends early. Every
payment is one ledger entry (:class:`~netsim.market.ledger.Ledger`); money in currency
units, times in months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netsim.market.ledger import PLATFORM
from netsim.platform.gaming import RotationPlan, best_rotation
from netsim.platform.payouts import Clawback, Payment

if TYPE_CHECKING:
    from netsim.engine.hooks import Hire, Separation


@dataclass
class PlatformHire:
    """A hire made through the platform, with its chain and what was paid (months, currency)."""

    hire_id: int
    worker: int
    company: int
    time_months: float
    salary: float
    chain: tuple[int, ...]  #: identities; fakes are negative
    owners: tuple[int, ...]  #: the worker who owns each identity
    gaming: str  #: '' for honest hires, else the strategy that produced it
    paid: list[Payment] = field(default_factory=list)
    active: bool = True
    end_months: float = math.inf  #: when the hire ended (inf while it lasts)


class Money:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: payments."""

    def _on_hire(self, hire: Hire) -> None:
        if hire.channel != "platform":
            return
        chain = hire.chain
        owners = tuple(self.owner(i) for i in chain)
        ph = PlatformHire(
            hire.hire_id,
            hire.worker,
            hire.company,
            hire.time_months,
            hire.salary,
            chain,
            owners,
            self._gaming_of(hire.worker, chain),
        )
        self.hires[hire.hire_id] = ph
        self.chain_lengths.append(len(chain))
        self.last_placed[hire.worker] = hire.time_months
        self.month["platform_hires"] += 1
        self.ledger.pay(
            hire.time_months,
            ("company", hire.company),
            PLATFORM,
            self.cfg.fee_per_hire,
            "fee",
            hire.hire_id,
        )
        self.month["fees"] += self.cfg.fee_per_hire
        self._detect_sybils(ph)
        for payment in self.rule.schedule(len(chain), hire.salary):
            if payment.delay_months <= 0.0:
                self._pay(ph, payment)
            else:
                self.market.call_in(payment.delay_months, self._due, ph, payment)
        if ph.gaming:
            stay = self._strategy_named[ph.gaming].planned_stay(self, ph)
            if stay is not None:
                self.market.schedule_quit(hire.worker, hire.hire_id, hire.time_months + stay)
            self._placed(hire.worker, stay is not None)

    def plan_rotation(self, salary: float) -> RotationPlan:
        """The best rotation plan under the rule for a hire of monthly ``salary`` (cached:
        salaries differ by hire, so a rule whose payments ignore the salary has one plan)."""
        key = salary if self.rule.salary_linked else None  # None: one plan for any salary
        plan = self._plans.get(key)
        if plan is None:
            g = self.cfg.gaming
            plan = best_rotation(
                self.rule,
                salary,
                g.switching_cost,
                g.rotation_search_months,
                self.onboarding_months,
                self.horizon_months,
            )
            self._plans[key] = plan
        return plan

    def _due(self, ph: PlatformHire, payment: Payment) -> None:
        self.market.count_event()
        if payment.if_employed and not ph.active:
            return
        self._pay(ph, payment)

    def _pay(self, ph: PlatformHire, payment: Payment) -> None:
        """Pay one scheduled payment, within the per-candidate cap."""
        payee = ph.owners[payment.position]
        if payee < 0:
            return  # a detected fake identity
        amount = payment.amount
        cap = self.cfg.defences.cap_per_candidate
        if cap is not None:
            so_far = self.paid_for_candidate.get(ph.worker, 0.0)
            amount = max(0.0, min(amount, cap - so_far))
            self.paid_for_candidate[ph.worker] = so_far + amount
        if amount <= 0.0:
            return
        t = self.market.now
        gamed = bool(ph.gaming)
        self.ledger.pay(t, PLATFORM, ("worker", payee), amount, "payout", ph.hire_id, gamed)
        self.month["payouts_gamed" if gamed else "payouts_honest"] += amount
        ph.paid.append(Payment(payment.delay_months, payment.position, amount, payment.if_employed))
        gamer = self._strategy_named.get(ph.gaming)
        if (
            gamer is not None
            and payee != ph.worker
            and self.strategies[self.strategy[payee]] is gamer
        ):
            kick = gamer.kickback_share(self) * amount
            self.ledger.pay(
                t, ("worker", payee), ("worker", ph.worker), kick, "kickback", ph.hire_id, True
            )
            self.month["kickbacks"] += kick

    def _on_separation(self, sep: Separation) -> None:
        ph = self.hires.get(sep.stint_hire_id)
        if ph is None or not ph.active:
            return
        ph.active = False
        t = sep.time_months
        ph.end_months = t
        if sep.tenure_months < self.cfg.refund_months:
            self.ledger.pay(
                t, PLATFORM, ("company", ph.company), self.cfg.fee_per_hire, "refund", ph.hire_id
            )
            self.month["refunds"] += self.cfg.fee_per_hire
        claws: list[Clawback] = self.rule.clawbacks(
            len(ph.chain), ph.salary, sep.tenure_months, ph.paid
        )
        for cb in claws:
            payer = ph.owners[cb.position]
            if payer >= 0 and cb.amount > 0.0:
                self.ledger.pay(
                    t,
                    ("worker", payer),
                    PLATFORM,
                    cb.amount,
                    "clawback",
                    ph.hire_id,
                    bool(ph.gaming),
                )
                self.month["clawbacks"] += cb.amount
