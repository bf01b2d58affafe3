"""Scenario section ``firms``: firms that live (entry, exit, moving brand, staff policy, ERP).

Off by default (``firms.enabled: false``): a run is then exactly as without it. Times in
months, rates per month, money in currency units (see :mod:`netsim.scenario.schema`).
"""

from __future__ import annotations

from typing import Any

from netsim.scenario.fields import F, S, Section


class Entry(Section):
    """New SMEs entering the market (an aggregate Poisson process)."""

    rate_per_month: float = F(
        1.0, "1/month", "New SMEs entering per month (0: no entry).", ge=0, le=1000
    )
    brand_share: float = F(
        0.2,
        "fraction",
        "Brand of a new firm as a share of its long-run brand (no reputation yet).",
        gt=0,
        le=1,
    )


class Exit(Section):
    """Firms closing: a monthly hazard per SME, higher for young and low-brand firms."""

    rate_per_month: float = F(
        0.002, "1/month", "Closing hazard of an established SME at its long-run brand.", ge=0, le=1
    )
    young_months: float = F(24.0, "months", "A firm younger than this counts as young.", ge=0)
    young_multiplier: float = F(
        3.0, "factor", "Closing hazard of a young firm relative to an established one.", ge=0
    )
    brand_elasticity: float = F(
        0.5,
        "factor",
        "Hazard x (brand / long-run brand) ** -elasticity: a fallen brand closes more often.",
        ge=0,
        le=10,
    )


class Brand(Section):
    """Brand (employer reputation) as a moving state: log brand = log long-run brand + index.

    Each month the index leaks towards 0 with ``time_constant_months`` and moves with the
    month's signal: satisfied staff and positive posts raise it, quits above the market's
    average and negative posts lower it (per head of staff).
    """

    time_constant_months: float = F(
        12.0, "months", "Memory of the reputation index (leak towards the long-run brand).", gt=0
    )
    satisfaction_weight: float = F(
        0.2,
        "log units",
        "Index change per month per unit of mean staff satisfaction above 0.5.",
        ge=0,
        le=100,
    )
    post_weight: float = F(
        2.0,
        "log units",
        "Index change per net positive post per head of staff.",
        ge=0,
        le=100,
    )
    quit_weight: float = F(
        5.0,
        "log units",
        "Index change per quit per head of staff above the market's quit rate.",
        ge=0,
        le=100,
    )
    max_index: float = F(
        3.0, "log units", "Bound of the reputation index in either direction.", gt=0, le=10
    )


class Posts(Section):
    """Public posts by employed workers about their employer (aggregate Poisson process)."""

    rate_per_month: float = F(
        0.05, "1/month", "Public posts per employed worker per month (0: none).", ge=0, le=100
    )
    restrict_tone_shift: float = F(
        0.2,
        "probability",
        "A restricting firm's staff post positively this much less often.",
        ge=0,
        le=1,
    )
    embrace_tone_shift: float = F(
        0.2,
        "probability",
        "An embracing firm's staff post positively this much more often.",
        ge=0,
        le=1,
    )
    quit_negative_probability: float = F(
        0.3, "probability", "Chance that a quit is followed by a negative post.", ge=0, le=1
    )


class StaffPolicy(Section):
    """What a staff network policy does to satisfaction, and the rule that changes it."""

    restrict_satisfaction_shift: float = F(
        0.15, "0..1", "Satisfaction lost by staff of a restricting firm.", ge=0, le=1
    )
    embrace_satisfaction_shift: float = F(
        0.05, "0..1", "Satisfaction gained by staff of an embracing firm.", ge=0, le=1
    )
    brand_satisfaction_weight: float = F(
        0.2,
        "0..1",
        "Satisfaction shift per unit of the firm's reputation index (pride or shame).",
        ge=0,
        le=1,
    )
    understaffing_satisfaction_weight: float = F(
        0.3,
        "0..1",
        "Satisfaction lost per unit share of the firm's positions left open (overwork).",
        ge=0,
        le=1,
    )
    morale_rate_per_month: float = F(
        1.0 / 6.0,
        "1/month",
        "Rate at which an employed worker re-evaluates satisfaction under the firm's climate.",
        ge=0,
        le=100,
    )
    rule: str = F(
        "keep",
        "name",
        "Policy-change rule: a registered name (keep, restrict_after_losses) or "
        "package.module:Class.",
    )
    params: dict[str, Any] = F(
        {}, "-", "Rule parameters; each rule documents and validates its own."
    )


class ReferralProgramme(Section):
    """Employee referral programme of embracing firms: staff refer friends for a bonus."""

    rate_per_month: float = F(
        2.0,
        "1/month",
        "Referral attempts per open vacancy per month at an embracing firm (0: none).",
        ge=0,
        le=100,
    )
    bonus: float = F(
        2000.0, "currency", "The firm's bonus to the referring employee per hire.", ge=0
    )
    satisfaction_bonus: float = F(
        0.1,
        "0..1",
        "Satisfaction gained by a referred hire (referred hires quit less).",
        ge=0,
        le=1,
    )


class Firms(Section):
    """Firms that live: entry and exit, a moving brand, public posts, staff policy, ERP."""

    enabled: bool = F(False, "-", "Switch firms that live on.")
    entry: Entry = S(Entry, "New SMEs entering.")
    exit: Exit = S(Exit, "Firms closing.")
    brand: Brand = S(Brand, "Brand as a moving state.")
    posts: Posts = S(Posts, "Public posts about employers.")
    staff_policy: StaffPolicy = S(StaffPolicy, "Staff network policy effects and changes.")
    referral_programme: ReferralProgramme = S(
        ReferralProgramme, "Employee referral programme of embracing firms."
    )
