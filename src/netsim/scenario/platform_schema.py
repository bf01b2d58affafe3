"""Scenario sections of the referral platform: payout rule, gaming, defences, platform.

Times in months, money in currency units (see :mod:`netsim.scenario.schema`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from netsim.scenario.fields import F, S, Section


class Payout(Section):
    """The platform's payout rule (see docs/reference.md)."""

    rule: str = F("flat", "name", "Payout rule: a registered name or package.module:Class.")
    params: dict[str, Any] = F(
        {}, "-", "Rule parameters; each rule documents and validates its own."
    )


class Gaming(Section):
    """Shares of platform members who game the payout rule, and their costs."""

    rotation_share: float = F(
        0.0, "fraction", "Members who rotate a colluding contact through companies.", ge=0, le=1
    )
    sybil_share: float = F(
        0.0,
        "fraction",
        "Members who insert fake identities into their referral chains.",
        ge=0,
        le=1,
    )
    sybils_per_cheater: int = F(2, "identities", "Fake identities a sybil member runs.", ge=1)
    self_referral_share: float = F(
        0.0, "fraction", "Members who refer themselves through a fake identity.", ge=0, le=1
    )
    custom_shares: dict[str, float] = F(
        {},
        "fraction",
        "Shares of members following your own strategies: {registered name or "
        "package.module:Class: share}.",
    )
    kickback_share: float = F(
        0.5,
        "fraction",
        "Share of a colluding referrer's payouts passed to the candidate.",
        ge=0,
        le=1,
    )
    switching_cost: float = F(
        500.0, "currency", "Cost to a rotating pair of one move (search, onboarding hassle).", ge=0
    )
    rotation_search_months: float = F(
        1.0, "months", "Time a rotating candidate expects between two placements.", gt=0
    )
    hold_candidates: bool = F(
        False,
        "-",
        "A rotation pair keeps its candidate in rotation: from the start (an employed "
        "candidate quits) until the pair dissolves, the candidate declines every offer but "
        "its referrer's on the platform.",
    )
    max_placements: int | None = F(
        None,
        "placements",
        "A held rotation pair dissolves at its candidate's n-th gamed placement (None: never).",
        ge=1,
    )
    dissolution_rate_per_month: float = F(
        0.0, "1/month", "Hazard at which a held rotation pair falls apart.", ge=0
    )
    dissolve_on_detection: bool = F(
        True, "-", "A held rotation pair dissolves when a defence rejects its candidate."
    )


class Defences(Section):
    """The platform's and companies' defences against gaming (each can be switched off)."""

    screening: bool = F(
        False, "-", "Subscribed companies read candidates' public job history and reject."
    )
    memory_months: float = F(
        24.0, "months", "How far back the public job history is remembered.", ge=0
    )
    short_stint_months: float = F(
        6.0, "months", "A stint shorter than this counts as short when screening.", ge=0
    )
    max_short_stints: int = F(
        2, "stints", "Screening rejects candidates with at least this many short stints.", ge=1
    )
    cooldown_months: float = F(
        0.0, "months", "Platform refuses a candidate it placed less than this long ago.", ge=0
    )
    cap_per_candidate: float | None = F(
        None, "currency", "Most the platform pays out over all hires of one candidate.", ge=0
    )
    sybil_detection_probability: float = F(
        0.0,
        "probability",
        "Chance the platform detects a fake identity in a hire's chain (checked at the hire).",
        ge=0,
        le=1,
    )


class Platform(Section):
    """The paid referral platform: members, subscribing companies, cascades, money."""

    enabled: bool = F(False, "-", "Run the referral platform.")
    member_share: float = F(
        0.1, "fraction", "Share of workers who are members at start.", ge=0, le=1
    )
    vital_member_multiplier: float = F(
        3.0, "factor", "Relative chance of a vital force to be a member.", gt=0
    )
    subscriber_share: float = F(
        0.5,
        "fraction",
        "Share of companies that post their vacancies on the platform.",
        ge=0,
        le=1,
    )
    fee_per_hire: float = F(4000.0, "currency", "Fee a company pays the platform per hire.", ge=0)
    refund_months: float = F(
        0.0, "months", "Company gets its fee back if the hire leaves within this time.", ge=0
    )
    reach: int = F(5, "members", "Members the platform shows a new vacancy to.", ge=0)
    recommend_base: float = F(
        0.05, "probability", "Chance to recommend a fitting contact for no reward.", ge=0, le=1
    )
    reward_sensitivity: float = F(
        0.5,
        "1/(1000 currency)",
        "Response to reward: p = 1 - (1 - base) * exp(-sensitivity * reward / 1000).",
        ge=0,
    )
    apply_probability: float = F(
        0.6,
        "probability",
        "Chance a recommended person applies (if employed: times 1 - satisfaction).",
        ge=0,
        le=1,
    )
    pass_on_probability: float = F(
        0.3,
        "probability",
        "Chance a recommended person who does not apply passes it on.",
        ge=0,
        le=1,
    )
    hop_delay_months: float = F(
        0.25, "months", "Mean time for one recommendation hop (exponential).", gt=0
    )
    cascade_mode: Literal["continuous", "synchronous"] = F(
        "continuous",
        "-",
        "continuous: each hop takes an exponential time (mean hop_delay_months); "
        "synchronous: exactly hop_delay_months, so cascades move in generations as in the "
        "Independent Halting Cascade (netsim.platform.ihc).",
    )
    max_chain: int = F(6, "referrers", "Longest referral chain the platform accepts.", ge=1)
    expected_stay_months: float = F(
        24.0, "months", "Stay referrers assume when they value a recommendation.", gt=0
    )
    invite_rate_per_month: float = F(
        0.0,
        "1/month",
        "Most often a member invites a random contact (reached as the invite bonus grows); "
        "the rate is this times 1 - (1 - invite_base) * exp(-invite_sensitivity * bonus / 1000).",
        ge=0,
    )
    invite_bonus: float = F(
        0.0, "currency", "Paid by the platform to a member per recruited member.", ge=0
    )
    invite_base: float = F(
        0.2,
        "fraction",
        "Share of invite_rate_per_month at which members invite for no bonus (organic growth).",
        ge=0,
        le=1,
    )
    invite_sensitivity: float = F(
        0.5,
        "1/(1000 currency)",
        "Response of the invitation rate to the invite bonus (as reward_sensitivity).",
        ge=0,
    )
    invite_join_probability: float = F(
        1.0, "probability", "Chance an invited non-member contact joins.", ge=0, le=1
    )
    payout: Payout = S(Payout, "The payout rule.")
    gaming: Gaming = S(Gaming, "Gaming strategies.")
    defences: Defences = S(Defences, "Defences.")

    @model_validator(mode="after")
    def _strategy_shares(self) -> Platform:
        g = self.gaming
        if any(not 0.0 <= v <= 1.0 for v in g.custom_shares.values()):
            raise ValueError("every share in gaming.custom_shares must be between 0 and 1")
        total = g.rotation_share + g.sybil_share + g.self_referral_share
        total += sum(g.custom_shares.values())
        if total > 1.0 + 1e-9:
            raise ValueError(
                "gaming.rotation_share + sybil_share + self_referral_share + the "
                f"custom_shares must be <= 1, got {total:g}"
            )
        return self
