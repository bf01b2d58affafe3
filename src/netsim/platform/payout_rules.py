"""The built-in payout rules (see :mod:`netsim.payouts` for the plug-in contract).

Chain positions run ``0 .. L - 1``; ``L - 1`` is the *last referrer*, who recommended the
candidate. Money is in currency units, salary in currency units per month, time in months.

* ``none``: nothing (the null platform);
* ``flat``: ``bonus`` to the last referrer at hire;
* ``deferred``: ``bonus`` after ``retention_months`` if the hire is still employed;
* ``instalments``: ``bonus / count`` every ``interval_months`` while the hire stays;
* ``clawback``: ``bonus`` at hire, repaid (wholly or pro rata) if the hire leaves early;
* ``tenure_share``: ``share`` of the monthly salary per month served, up to ``max_months``;
* ``recursive``: ``bonus * ratio**k`` to the referrer k steps from the end (the DARPA rule;
  the only built-in rule that is not sybil-proof).

Each class is registered in :data:`netsim.payouts.PAYOUT_RULES` when this module is imported;
:mod:`netsim.platform` imports it, so any import from the platform package registers them all.
This module imports the rule base (:mod:`netsim.platform.payouts`), never the other way round.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from netsim.platform.payouts import PAYOUT_RULES, Clawback, Payment, PayoutRule, RuleParams


def _F(default: Any, unit: str, description: str, **constraints: Any) -> Any:
    """A params field with a default, a unit and a description (as ``netsim.scenario.F``).

    Defined here rather than imported so that :mod:`netsim.scenario` may later import
    :mod:`netsim.payouts` (e.g. to validate rule names) without an import cycle.
    """
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


def _bonus_field(description: str = "Bonus for one hire.") -> Any:
    # Finite and non-negative: a negative bonus would be a fee, which no built-in rule models.
    return _F(2000.0, "currency", description, ge=0, allow_inf_nan=False)


# ----------------------------------------------------------------------------- none


class NoParams(RuleParams):
    """The ``none`` rule has no parameters."""


@PAYOUT_RULES.register
class NoPayout(PayoutRule):
    """Pays nothing: the platform matches people but rewards no one (null-platform tests)."""

    name: ClassVar[str] = "none"
    description: ClassVar[str] = "Pays nothing."
    Params: ClassVar[type[RuleParams]] = NoParams
    salary_linked: ClassVar[bool] = False
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": False,
        "vesting_months": 0.0,
        "sybil_proof": True,
    }

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """No payments, whatever the chain (``salary`` in currency per month is ignored)."""
        return []

    def budget_bound(self, salary: float) -> float:
        """Zero: the rule never pays (currency)."""
        return 0.0


# ----------------------------------------------------------------------------- flat


class FlatParams(RuleParams):
    """Parameters of the ``flat`` rule."""

    bonus: float = _bonus_field("Bonus paid to the last referrer at hire.")


@PAYOUT_RULES.register
class FlatPayout(PayoutRule):
    """Pay per hit: ``bonus`` to the last referrer at the moment of the hire."""

    name: ClassVar[str] = "flat"
    description: ClassVar[str] = "Bonus to the last referrer at hire."
    Params: ClassVar[type[RuleParams]] = FlatParams
    salary_linked: ClassVar[bool] = False
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": True,
        "vesting_months": 0.0,
        "sybil_proof": True,
    }

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """One payment of ``bonus`` (currency) at delay 0 to position ``chain_length - 1``."""
        return [Payment(0.0, chain_length - 1, self.params.bonus)]

    def budget_bound(self, salary: float) -> float:
        """``bonus`` (currency)."""
        return self.params.bonus


# ----------------------------------------------------------------------------- deferred


class DeferredParams(RuleParams):
    """Parameters of the ``deferred`` rule."""

    bonus: float = _bonus_field("Bonus paid to the last referrer after the retention period.")
    retention_months: float = _F(
        12.0,
        "months",
        "Months the hire must stay before the bonus is paid (the cliff).",
        gt=0,
        le=600,
        allow_inf_nan=False,
    )


@PAYOUT_RULES.register
class DeferredPayout(PayoutRule):
    """Cliff: ``bonus`` to the last referrer after ``retention_months`` if the hire stays."""

    name: ClassVar[str] = "deferred"
    description: ClassVar[str] = "Bonus to the last referrer after a retention period."
    Params: ClassVar[type[RuleParams]] = DeferredParams
    salary_linked: ClassVar[bool] = False
    # vesting_months here is the value at default params; the method gives the instance's.
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": False,
        "vesting_months": 12.0,
        "sybil_proof": True,
    }

    def vesting_months(self) -> float:
        """``retention_months`` (months)."""
        return float(self.params.retention_months)

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """``bonus`` (currency) at delay ``retention_months`` to the last referrer, if employed."""
        p = self.params
        return [Payment(p.retention_months, chain_length - 1, p.bonus, if_employed=True)]

    def budget_bound(self, salary: float) -> float:
        """``bonus`` (currency)."""
        return self.params.bonus


# ----------------------------------------------------------------------------- instalments


class InstalmentsParams(RuleParams):
    """Parameters of the ``instalments`` rule."""

    bonus: float = _bonus_field("Total bonus, split into equal instalments.")
    count: int = _F(12, "count", "Number of equal instalments.", ge=1, le=600)
    interval_months: float = _F(
        1.0, "months", "Months between instalments.", gt=0, le=120, allow_inf_nan=False
    )


@PAYOUT_RULES.register
class InstalmentsPayout(PayoutRule):
    """``bonus / count`` to the last referrer every ``interval_months`` while the hire stays.

    The j-th instalment (j = 1..count) falls due at ``j * interval_months``.
    """

    name: ClassVar[str] = "instalments"
    description: ClassVar[str] = "Bonus in equal instalments while the hire stays."
    Params: ClassVar[type[RuleParams]] = InstalmentsParams
    salary_linked: ClassVar[bool] = False
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": False,
        "vesting_months": 12.0,
        "sybil_proof": True,
    }

    def vesting_months(self) -> float:
        """``count * interval_months`` (months): the due date of the last instalment."""
        return self.params.count * self.params.interval_months

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """``count`` payments of ``bonus / count`` (currency), each conditional on employment."""
        p = self.params
        amount = p.bonus / p.count
        return [
            Payment(j * p.interval_months, chain_length - 1, amount, if_employed=True)
            for j in range(1, p.count + 1)
        ]

    def budget_bound(self, salary: float) -> float:
        """``bonus`` (currency)."""
        return self.params.bonus


# ----------------------------------------------------------------------------- clawback


class ClawbackParams(RuleParams):
    """Parameters of the ``clawback`` rule."""

    bonus: float = _bonus_field("Bonus paid to the last referrer at hire.")
    guarantee_months: float = _F(
        6.0,
        "months",
        "A hire that ends before this many months triggers a clawback.",
        gt=0,
        le=600,
        allow_inf_nan=False,
    )
    pro_rata: bool = _F(
        False,
        "-",
        "Repay only bonus * (1 - tenure / guarantee) instead of the whole bonus.",
    )


@PAYOUT_RULES.register
class ClawbackPayout(PayoutRule):
    """``bonus`` at hire; repaid (wholly, or pro rata) if the hire ends within the guarantee."""

    name: ClassVar[str] = "clawback"
    description: ClassVar[str] = "Bonus at hire, clawed back if the hire leaves early."
    Params: ClassVar[type[RuleParams]] = ClawbackParams
    salary_linked: ClassVar[bool] = False
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": True,
        "vesting_months": 0.0,
        "sybil_proof": True,
        "clawback_months": 6.0,
    }

    def clawback_months(self) -> float:
        """``guarantee_months`` (months)."""
        return float(self.params.guarantee_months)

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """One payment of ``bonus`` (currency) at delay 0 to the last referrer."""
        return [Payment(0.0, chain_length - 1, self.params.bonus)]

    def clawbacks(
        self, chain_length: int, salary: float, tenure_months: float, paid: list[Payment]
    ) -> list[Clawback]:
        """The last referrer repays what they were paid if ``tenure_months < guarantee_months``.

        With ``pro_rata`` the repayment shrinks linearly to 0 at the guarantee. Computed from
        ``paid`` (not from ``bonus``) so a clawback never exceeds what was actually paid.
        """
        p = self.params
        if tenure_months >= p.guarantee_months:
            return []
        last = chain_length - 1
        received = sum(pay.amount for pay in paid if pay.position == last)
        fraction = 1.0 - max(tenure_months, 0.0) / p.guarantee_months if p.pro_rata else 1.0
        amount = received * fraction
        return [Clawback(last, amount)] if amount > 0 else []

    def budget_bound(self, salary: float) -> float:
        """``bonus`` (currency), before any clawback."""
        return self.params.bonus


# ----------------------------------------------------------------------------- tenure share


class TenureShareParams(RuleParams):
    """Parameters of the ``tenure_share`` rule."""

    share: float = _F(
        0.05,
        "fraction",
        "Share of the hire's monthly salary paid to the last referrer per month served.",
        ge=0,
        le=1,
    )
    max_months: int = _F(
        12, "months", "Number of months for which the share is paid.", ge=1, le=600
    )


@PAYOUT_RULES.register
class TenureSharePayout(PayoutRule):
    """``share * salary`` to the last referrer at the end of each month served, up to a limit."""

    name: ClassVar[str] = "tenure_share"
    description: ClassVar[str] = "A share of the hire's salary per month served."
    Params: ClassVar[type[RuleParams]] = TenureShareParams
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": False,
        "vesting_months": 12.0,
        "sybil_proof": True,
    }

    def vesting_months(self) -> float:
        """``max_months`` (months): the due date of the last share."""
        return float(self.params.max_months)

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """``share * salary`` (currency) at delays 1..``max_months``, each if still employed."""
        p = self.params
        amount = p.share * salary
        return [
            Payment(float(m), chain_length - 1, amount, if_employed=True)
            for m in range(1, p.max_months + 1)
        ]

    def budget_bound(self, salary: float) -> float:
        """``share * salary * max_months`` (currency)."""
        return self.params.share * salary * self.params.max_months


# ----------------------------------------------------------------------------- recursive


class RecursiveParams(RuleParams):
    """Parameters of the ``recursive`` (DARPA Network Challenge) rule."""

    bonus: float = _bonus_field("Bonus B to the last referrer; earlier ones get B * ratio**k.")
    ratio: float = _F(
        0.5,
        "fraction",
        "Factor by which the reward shrinks per step back along the chain (0 <= ratio < 1).",
        ge=0,
        lt=1,
    )


@PAYOUT_RULES.register
class RecursivePayout(PayoutRule):
    """``bonus * ratio**k`` at hire to the referrer k steps from the end (k = 0: last referrer).

    With ``ratio = 0.5`` this is the rule of the DARPA Network Challenge (Pickard et al.,
    Science 2011). A chain of L referrers receives ``B (1 - r**L) / (1 - r)`` in total, always
    below ``B / (1 - r)``. Not sybil-proof: a referrer who inserts fake identities after
    themselves collects the rewards of every extra position.
    """

    name: ClassVar[str] = "recursive"
    description: ClassVar[str] = "Geometric rewards along the chain (DARPA rule)."
    Params: ClassVar[type[RuleParams]] = RecursiveParams
    salary_linked: ClassVar[bool] = False
    classifier: ClassVar[dict[str, Any]] = {
        "pays_at_hire": True,
        "vesting_months": 0.0,
        "sybil_proof": False,
    }

    def schedule(self, chain_length: int, salary: float) -> list[Payment]:
        """Payments at delay 0: ``bonus * ratio**k`` (currency) to position ``L - 1 - k``."""
        p = self.params
        # With ratio 0 only the last referrer earns; skip the zero entries rather than book them.
        steps = chain_length if p.ratio > 0 else 1
        return [Payment(0.0, chain_length - 1 - k, p.bonus * p.ratio**k) for k in range(steps)]

    def budget_bound(self, salary: float) -> float:
        """``bonus / (1 - ratio)`` (currency), the limit of an infinitely long chain."""
        return self.params.bonus / (1.0 - self.params.ratio)


__all__ = [
    "NoPayout",
    "FlatPayout",
    "DeferredPayout",
    "InstalmentsPayout",
    "ClawbackPayout",
    "TenureSharePayout",
    "RecursivePayout",
    "NoParams",
    "FlatParams",
    "DeferredParams",
    "InstalmentsParams",
    "ClawbackParams",
    "TenureShareParams",
    "RecursiveParams",
]
