"""Staff network policy rules as plug-ins: when a firm changes its policy.

Once a month (at month end) the rule sees every company's state as arrays
(:class:`PolicyState`) and returns the policy codes it wants (0 restrict, 1 neutral,
2 embrace), or ``None`` for no change. Built in: ``keep`` (policies never change, the
default) and ``restrict_after_losses`` (a firm restricts after losing more than
``loss_share`` of its staff to quits within ``window_months``: the defensive reflex that sets
off the alienation spiral). A researcher adds a rule by subclassing :class:`PolicyRule` (a
``name``, a ``Params`` model, ``decide``) and registering it in :data:`POLICY_RULES` or
naming it as ``package.module:Class`` in ``firms.staff_policy.rule``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from netsim.scenario.registry import Registry

RESTRICT, NEUTRAL, EMBRACE = 0, 1, 2


@dataclass(frozen=True)
class PolicyState:
    """Every company's state at a month end (arrays indexed by company; times in months).

    ``quits`` and ``staff_before`` cover the last ``history_months`` months (the rule's
    window), oldest first: ``quits[k]`` counts quits (into search or to another job) in
    month k of the window, ``staff_before[k]`` the head count at its start.
    """

    month: int
    time_months: float
    policy: np.ndarray  #: current policy code per company
    alive: np.ndarray  #: bool, in business
    staff: np.ndarray  #: head count now
    age_months: np.ndarray  #: time since entry (firms present at start: since month 0)
    brand: np.ndarray  #: current brand
    reputation: np.ndarray  #: reputation index (log of brand over long-run brand)
    quits: np.ndarray  #: shape (window, companies)
    staff_before: np.ndarray  #: shape (window, companies)


class RuleParams(BaseModel):
    """Base of every rule's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyRule:
    """Base class of policy rules: subclasses set ``name``, ``description``, ``Params`` and
    define ``decide``."""

    name: ClassVar[str]
    description: ClassVar[str] = ""
    Params: ClassVar[type[RuleParams]] = RuleParams

    def __init__(self, params: RuleParams | dict | None = None) -> None:
        if params is None:
            params = {}
        if isinstance(params, dict):
            params = self.Params.model_validate(params)
        self.params = params

    @property
    def history_months(self) -> int:
        """How many past months of quits and head counts the rule reads (>= 1)."""
        return 1

    def decide(self, state: PolicyState) -> np.ndarray | None:
        """The policy codes the firms adopt now (one per company), or None for no change."""
        raise NotImplementedError


#: Registered policy rules by name.
POLICY_RULES: Registry[PolicyRule] = Registry("staff policy rule")


@POLICY_RULES.register
class Keep(PolicyRule):
    """Policies never change."""

    name = "keep"
    description = "Every firm keeps the policy it started with."

    def decide(self, state: PolicyState) -> np.ndarray | None:
        """No change."""
        return None


class LossParams(RuleParams):
    """Parameters of :class:`RestrictAfterLosses`."""

    loss_share: float = Field(
        0.25, gt=0, le=10, description="quits within the window per head at its start"
    )
    window_months: int = Field(12, ge=1, le=120, description="length of the window, months")
    min_staff: int = Field(
        3, ge=1, le=100_000, description="smallest head count the rule applies to"
    )


@POLICY_RULES.register
class RestrictAfterLosses(PolicyRule):
    """A firm that lost more than ``loss_share`` of its staff to quits within
    ``window_months`` restricts its staff's network activity (and keeps restricting)."""

    name = "restrict_after_losses"
    description = "Restrict after losing more than loss_share of staff within window_months."
    Params = LossParams

    @property
    def history_months(self) -> int:
        """The window (months)."""
        return self.params.window_months

    def decide(self, state: PolicyState) -> np.ndarray | None:
        """Restrict where the quits of the window exceed the share of the staff at its start."""
        p: LossParams = self.params
        if state.quits.shape[0] < p.window_months:
            return None  # not a full window yet
        base = state.staff_before[0]
        losses = state.quits.sum(axis=0)
        hit = state.alive & (base >= p.min_staff) & (losses > p.loss_share * base)
        if not hit.any():
            return None
        return np.where(hit, RESTRICT, state.policy)


def policy_rules_markdown() -> str:
    """The section of ``docs/reference.md`` on the registered staff policy rules."""
    out = [
        "## Staff policy rules\n",
        "Registered in `netsim.mechanisms.policy_rules.POLICY_RULES` (firms that live, "
        "`firms.staff_policy.rule`); a researcher's own rule is named as "
        "`package.module:Class` (a subclass of `PolicyRule` defining `decide`).\n",
    ]
    for name, cls in POLICY_RULES:
        out.append(f"### `{name}`\n")
        out.append(f"*{cls.description}*\n")
        params = ", ".join(
            f"`{k}` ({f.description}, default {f.default})"
            for k, f in cls.Params.model_fields.items()
        )
        out.append(f"Parameters: {params or 'none'}.\n")
    return "\n".join(out)
