"""Referral payout rules as plug-ins: who is paid what, and when, for a hire and its chain.

A hire made through the referral platform has a *chain* of referrers: position 0 is the
member the platform first reached, position ``L - 1`` the one who recommended the
candidate. A rule turns a hire into a *payment schedule* (:class:`Payment` entries with a
delay after the hire, in months) and, when the hire ends, into *clawbacks* (repayments by
referrers to the platform). The platform (``netsim.platform``) books the money; a rule
never sees the simulation, so it is a pure function of its inputs and easy to test.

Each rule declares its properties in ``classifier`` (tests check them):

* ``pays_at_hire``: some money flows at the moment of the hire;
* ``vesting_months``: the latest delay of a payment that depends on the hire staying;
* ``sybil_proof``: claimed to give no member more by splitting into fake identities;
* ``clawback_months`` (optional): the latest tenure below which a hire's end triggers a
  clawback (0 or absent: the rule never claws back);
* ``budget_bound(salary)`` (a method): the most the rule ever pays for one hire.

A researcher adds a rule by subclassing :class:`PayoutRule` (a ``name``, a ``Params``
model, ``schedule``) and either registering it in :data:`PAYOUT_RULES` or naming it as
``package.module:Class`` in the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from netsim.scenario.registry import Registry


@dataclass(frozen=True)
class Payment:
    """One scheduled payment of a rule (amount in currency, delay in months after the hire).

    ``position`` indexes the chain (0 = first referrer, ``L - 1`` = the one who recommended
    the candidate). With ``if_employed`` the payment is made only if the hire is still in
    the job when it falls due.
    """

    delay_months: float
    position: int
    amount: float
    if_employed: bool = False


@dataclass(frozen=True)
class Clawback:
    """A repayment the referrer at ``position`` owes the platform when a hire ends early."""

    position: int
    amount: float


class RuleParams(BaseModel):
    """Base of every rule's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PayoutRule:
    """Base class of payout rules. Subclasses set the class attributes and ``schedule``."""

    name: ClassVar[str]
    description: ClassVar[str]
    Params: ClassVar[type[RuleParams]] = RuleParams
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": True,
        "vesting_months": 0.0,
        "sybil_proof": False,
    }
    #: Whether ``schedule`` and ``clawbacks`` depend on the salary. A rule that declares
    #: False lets the platform plan one rotation for every hire instead of one per salary
    #: (:meth:`netsim.platform.money.Money.plan_rotation`); True (the default) is always safe,
    #: and a subclass whose payments come to depend on the salary must set it back to True.
    salary_linked: ClassVar[bool] = True

    def __init__(self, params: RuleParams | dict | None = None) -> None:
        if params is None:
            params = {}
        if isinstance(params, dict):
            params = self.Params.model_validate(params)
        self.params = params

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.params == other.params  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.params))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params.model_dump()})"

    def vesting_months(self) -> float:
        """Latest delay of a payment that depends on the hire staying (months)."""
        return float(self.classifier.get("vesting_months", 0.0))

    def clawback_months(self) -> float:
        """Latest tenure (months) below which the end of a hire triggers a clawback; 0 if none.

        Gaming analysis (:func:`netsim.gaming.best_rotation`) uses it as a breakpoint of the
        realised take, so a rule that claws back should return its threshold here.
        """
        return float(self.classifier.get("clawback_months", 0.0))

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """Payments for a hire with a chain of ``chain_length`` referrers (>= 1).

        ``salary`` is the hire's monthly salary (currency per month).
        """
        raise NotImplementedError

    def clawbacks(
        self, chain_length: int, salary: float, tenure_months: float, paid: list[Payment]
    ) -> list[Clawback]:
        """Repayments owed when the hire ends after ``tenure_months``; ``paid`` is what was paid.

        Default: none.
        """
        return []

    def budget_bound(self, salary: float) -> float:
        """The most this rule pays in total for one hire of monthly ``salary``, any chain."""
        raise NotImplementedError

    def expected_reward(self, position_from_end: int, salary: float, stay_months: float) -> float:
        """What a referrer at ``position_from_end`` (0 = recommends the candidate) expects.

        Assumes a chain of ``position_from_end + 1`` referrers and a hire that stays
        ``stay_months``. Used by people deciding whether to recommend someone.
        """
        length = position_from_end + 1
        position = length - 1 - position_from_end
        total = 0.0
        paid = []
        for p in self.schedule(length, salary):
            if p.if_employed and p.delay_months > stay_months:
                continue
            paid.append(p)
            if p.position == position:
                total += p.amount
        for c in self.clawbacks(length, salary, stay_months, paid):
            if c.position == position:
                total -= c.amount
        return total


#: The registry of payout rules; the scenario names one in ``platform.payout.rule``.
PAYOUT_RULES: Registry[PayoutRule] = Registry("payout rule")


def realised_payments(
    rule: PayoutRule, chain_length: int, salary: float, stay_months: float
) -> tuple[list[Payment], list[Clawback]]:
    """What a rule actually pays, and claws back, for a hire that stays ``stay_months``.

    Payments that require employment and fall due after the stay are dropped.
    """
    paid = [
        p
        for p in rule.schedule(chain_length, salary)
        if not (p.if_employed and p.delay_months > stay_months)
    ]
    return paid, rule.clawbacks(chain_length, salary, stay_months, paid)
