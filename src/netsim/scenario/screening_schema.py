"""Scenario section of the public record and the companies' screening rules.

Times in months (see :mod:`netsim.scenario.schema`). Rule names are checked against the
screening-rule registry when a scenario is loaded (:mod:`netsim.model.screening_plugins`).
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from netsim.scenario.fields import F, Section


class Screening(Section):
    """Every company screens every applicant by its own rule over the public record."""

    enabled: bool = F(
        False,
        "-",
        "Keep a public record per worker and let companies screen applicants on every "
        "channel (internal moves excepted).",
    )
    memory_months: float = F(
        24.0,
        "months",
        "How long the internet remembers: stints that ended and posts made longer ago "
        "than this are forgotten by every rule.",
        ge=0,
    )
    short_stint_months: float = F(
        6.0, "months", "A completed stint shorter than this counts as a short stint.", ge=0
    )
    rules: dict[str, float] = F(
        {"short_stint_penalty": 1.0},
        "fraction",
        "Shares of companies by screening rule: {registered name or package.module:Class: "
        "share}, summing to 1 (each company's rule is drawn with these probabilities).",
    )
    large_rules: dict[str, float] | None = F(
        None,
        "fraction",
        "Shares by rule for large companies (null: the same shares as 'rules').",
        le=None,
    )
    params: dict[str, dict[str, Any]] = F(
        {},
        "-",
        "Parameters by rule name: {rule: {parameter: value}}; each rule documents and "
        "validates its own (docs/reference.md).",
    )

    @model_validator(mode="after")
    def _shares(self) -> Screening:
        for key, shares in (("rules", self.rules), ("large_rules", self.large_rules)):
            if shares is None:
                continue
            if not shares:
                raise ValueError(f"screening.{key} must name at least one rule")
            if any(not 0.0 <= v <= 1.0 for v in shares.values()):
                raise ValueError(f"every share in screening.{key} must be between 0 and 1")
            total = sum(shares.values())
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"the shares in screening.{key} must sum to 1, got {total:g}")
        return self
