"""Scenario section of freelancers and gigs: contract types, project demand, gig terms.

Times in months, rates per month, money in currency units (see :mod:`netsim.scenario.schema`).
Freelancing is off by default (``share`` 0 and no project demand): a run is then unchanged.
"""

from __future__ import annotations

import math

from pydantic import model_validator

from netsim.scenario.fields import F, S, Section


class ProjectDemand(Section):
    """How often companies demand a project (a gig for one freelancer), by size class."""

    sme_rate_per_month: float = F(
        0.0, "1/month", "Projects each small or mid-sized company opens per month.", ge=0
    )
    large_rate_per_month: float = F(
        0.0, "1/month", "Projects each large company opens per month.", ge=0
    )


class Freelance(Section):
    """Freelancers: workers who take projects of finite length for up to K clients at once."""

    share: float = F(
        0.0, "fraction", "Share of workers who are freelancers (0 switches them off).", ge=0, le=1
    )
    vital_force_multiplier: float = F(
        2.0,
        "factor",
        "How much more likely a vital force is to be a freelancer than other workers.",
        gt=0,
    )
    max_clients: int = F(
        2, "clients", "Most gigs (clients) a freelancer holds at once (K).", ge=1, le=100
    )
    length_median_months: float = F(6.0, "months", "Median length of a project (lognormal).", gt=0)
    length_sigma: float = F(0.5, "log units", "Std. dev. of a project's log length.", ge=0)
    rate_premium: float = F(
        0.75,
        "factor",
        "A gig's monthly rate relative to the full-time salary the company would offer an "
        "employee (each of up to K gigs at once pays its own rate).",
        gt=0,
    )
    search_rate_per_month: float = F(
        0.6,
        "1/month",
        "Open-market rate at which a freelancer below K clients meets a project "
        "(times visibility).",
        ge=0,
    )
    projects: ProjectDemand = S(ProjectDemand, "Project demand of companies.")

    @property
    def enabled(self) -> bool:
        """Whether freelancers or projects exist in the run at all."""
        p = self.projects
        return self.share > 0.0 or p.sme_rate_per_month > 0.0 or p.large_rate_per_month > 0.0

    @model_validator(mode="after")
    def _length_not_degenerate(self) -> Freelance:
        # A project far longer than any horizon would never end: bound the mean length.
        mean = self.length_median_months * math.exp(self.length_sigma**2 / 2)
        if mean > 1200.0:
            raise ValueError(
                "length_median_months * exp(length_sigma**2 / 2) (the mean project length) must "
                f"be at most 1200 months, got {mean:g}"
            )
        return self
