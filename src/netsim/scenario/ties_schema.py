"""Scenario section of the tie-dynamics mechanism: ties the platform adds, decay, outcomes.

The section is ``ties.dynamics`` (see :mod:`netsim.mechanisms.ties`); off by default, and
then a run is unchanged. Times in months, strengths on the 0..1 scale of the social network.
"""

from __future__ import annotations

from pydantic import model_validator

from netsim.scenario.fields import F, Section


class TieDynamics(Section):
    """Ties that grow and fade: platform ties, decay with a half-life, reunions."""

    enabled: bool = F(
        False,
        "-",
        "Attach the tie-dynamics mechanism: platform ties, decay, refreshes, and the "
        "reunion and community outcomes (columns reunions, two_hop_share_within_skill).",
    )
    half_life_months: float = F(
        0.0,
        "months",
        "Half-life of a tie's strength since its last refresh (0 = ties never decay).",
        ge=0,
    )
    prune_below: float = F(
        0.05,
        "0..1",
        "A decaying tie is removed at the first month end below this strength.",
        gt=0,
        le=1,
    )
    initial_last_contact_months: float = F(
        0.0,
        "months",
        "Initial ties were last refreshed a uniform random time up to this long before the "
        "start (spreads their fading; 0 = all at month 0).",
        ge=0,
    )
    referral_tie_strength: float = F(
        0.5,
        "0..1",
        "Strength of the tie between consecutive real people of a platform hire's chain "
        "(referrer and candidate); 0 = the platform adds no referral ties.",
        ge=0,
        le=1,
    )
    placement_ties_per_hire: int = F(
        3,
        "ties",
        "Colleagues at the hiring company a platform-placed candidate is introduced to "
        "(drawn with replacement; 0 = none).",
        ge=0,
        le=100,
    )
    placement_tie_strength: float = F(
        0.3,
        "0..1",
        "Strength of a tie from a platform placement ('placed_together').",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _needs_enabled(self) -> TieDynamics:
        if self.half_life_months > 0 and not self.enabled:
            raise ValueError(
                "ties.dynamics.half_life_months > 0 needs ties.dynamics.enabled: true "
                "(decay is part of the tie-dynamics mechanism)"
            )
        return self
