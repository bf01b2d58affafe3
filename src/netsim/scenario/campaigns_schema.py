"""Scenario section of viral job campaigns (:mod:`netsim.mechanisms.campaigns`).

A company with an idea buys seeds (people shown its job ad) with a budget; the ad spreads as
an independent cascade over the social graph. Times in months, money in currency units.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from netsim.scenario.fields import F, Section


class CampaignClass(Section):
    """When companies of one size class get campaign ideas, and what they spend on them."""

    idea_rate_per_month: float = F(
        0.05, "1/month", "Rate at which one company of this class has a campaign idea.", ge=0
    )
    budget: float = F(
        5000.0, "currency", "Median budget of one campaign (booked as campaign_spend).", ge=0
    )
    budget_sigma: float = F(
        0.5, "log units", "Std. dev. of a campaign's log budget around the median.", ge=0
    )
    min_quality: float = F(
        0.0,
        "factor",
        "Launch only ideas at least this good (idea quality has mean 1).",
        ge=0,
    )
    needs_open_vacancy: bool = F(
        True, "-", "Launch only while the company has a vacancy open on the market."
    )


def _large_default() -> CampaignClass:
    return CampaignClass(idea_rate_per_month=0.2, budget=12000.0)


def _sme_default() -> CampaignClass:
    return CampaignClass(idea_rate_per_month=0.05, budget=3000.0, min_quality=1.5)


class Campaigns(Section):
    """Viral job campaigns: budget buys seeds, the ad spreads as an independent cascade."""

    enabled: bool = F(False, "-", "Run viral job campaigns.")
    production_cost: float = F(
        2000.0,
        "currency",
        "Part of every budget that buys no seeds (creative, landing page).",
        ge=0,
    )
    seeds_per_1000: float = F(
        5.0,
        "workers",
        "a in seeds = ceil(a * ((budget - production_cost) / 1000)^b): seeds the first "
        "1,000 of media buy.",
        ge=0,
    )
    seed_elasticity: float = F(
        0.6,
        "factor",
        "b in the seed formula; below 1 more money buys seeds ever more dearly (concave).",
        gt=0,
        le=1,
    )
    share_probability: float = F(
        0.05,
        "probability",
        "Chance a reached person passes the ad to one contact (times idea quality, at most 1).",
        ge=0,
        le=1,
    )
    quality_sigma: float = F(
        0.5, "log units", "Std. dev. of log idea quality (lognormal with mean 1).", ge=0, le=3
    )
    apply_probability: float = F(
        0.5,
        "probability",
        "Chance a reached seeker applies, at brand 1 (1 - (1 - p)^brand in general).",
        ge=0,
        le=1,
    )
    apply_probability_employed: float = F(
        0.05,
        "probability",
        "Chance a reached employed person applies, at brand 1 (as above); hired only if "
        "the offer beats their pay by the switch premium.",
        ge=0,
        le=1,
    )
    # Different defaults per size class: large firms spend big on every idea, an SME
    # spends little and only on a good idea (the sources' advice).
    large: CampaignClass = Field(
        default_factory=_large_default,
        description="Campaign policy of large companies.",
        json_schema_extra={"unit": "-"},
    )
    sme: CampaignClass = Field(
        default_factory=_sme_default,
        description="Campaign policy of SMEs.",
        json_schema_extra={"unit": "-"},
    )

    @model_validator(mode="after")
    def _some_seed(self) -> Campaigns:
        if self.enabled and self.seeds_per_1000 <= 0:
            raise ValueError("seeds_per_1000 must be > 0 when campaigns are enabled")
        return self
