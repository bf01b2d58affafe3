"""Workers and companies at time 0, drawn from the scenario and the ``population`` stream.

Static attributes live in NumPy arrays (:class:`Workers`, :class:`Companies`); the
mutable state that the event loop touches on every event lives in
:mod:`netsim.market` as plain lists, which index faster than NumPy scalars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netsim.scenario.schema import Scenario

#: Company size classes, coded in :attr:`Companies.size_class`.
SIZE_CLASSES = ("sme", "large")
#: Staff network policies, coded in :attr:`Companies.policy`.
POLICIES = ("restrict", "neutral", "embrace")

#: Share of positions left open at time 0, so hiring starts at once.
INITIAL_VACANCY_SHARE = 0.03


@dataclass(frozen=True)
class Workers:
    """Static worker attributes (index = worker id)."""

    skill: np.ndarray  #: skill category, int in 0..skills-1
    productivity: np.ndarray  #: lognormal, median 1 (dimensionless)
    vital: np.ndarray  #: bool, vital-force flag
    mobility: np.ndarray  #: multiplier on quit and on-the-job search hazards
    visibility: np.ndarray  #: multiplier on the open-market job-finding rate
    degree_weight: np.ndarray  #: relative number of initial ties

    @property
    def n(self) -> int:
        """Number of workers."""
        return len(self.skill)


@dataclass(frozen=True)
class Companies:
    """Static company attributes (index = company id)."""

    size_class: np.ndarray  #: 0 = SME, 1 = large (see SIZE_CLASSES)
    positions: np.ndarray  #: positions at time 0 (int)
    brand: np.ndarray  #: brand strength, median 1 for SMEs (dimensionless)
    pay: np.ndarray  #: pay premium, multiplies salary offers (dimensionless)
    main_skill: np.ndarray  #: the skill most of its vacancies ask for
    policy: np.ndarray  #: 0 restrict, 1 neutral, 2 embrace (see POLICIES)

    @property
    def n(self) -> int:
        """Number of companies."""
        return len(self.size_class)


def draw_workers(sc: Scenario, rng: np.random.Generator) -> Workers:
    """Draw the workers' static attributes."""
    p = sc.population
    n = p.workers
    vf = p.vital_forces
    skill = rng.integers(p.skills, size=n)
    productivity = np.exp(p.productivity_sigma * rng.standard_normal(n))
    vital = rng.random(n) < vf.share
    return Workers(
        skill=skill,
        productivity=productivity,
        vital=vital,
        mobility=np.where(vital, vf.mobility_multiplier, 1.0),
        visibility=np.where(vital, vf.visibility_multiplier, 1.0),
        degree_weight=np.where(vital, vf.degree_multiplier, 1.0),
    )


def draw_companies(sc: Scenario, rng: np.random.Generator) -> Companies:
    """Draw the companies, their sizes scaled so that positions fit the workforce.

    Raw sizes are lognormal per size class; they are then scaled so that the positions add
    up to the initially employed workers plus ``INITIAL_VACANCY_SHARE`` open positions.
    """
    c = sc.companies
    m = c.count
    large = rng.random(m) < c.large_share
    median = np.where(large, c.large_size.median_positions, c.sme_size.median_positions)
    sigma = np.where(large, c.large_size.sigma, c.sme_size.sigma)
    raw = median * np.exp(sigma * rng.standard_normal(m))
    employed = round(sc.population.workers * sc.population.initial_employment_rate)
    target = employed / (1.0 - INITIAL_VACANCY_SHARE)
    positions = np.maximum(1, np.round(raw * target / raw.sum())).astype(np.int64)
    # Rounding and the floor of one position can leave fewer positions than employed
    # workers; add the shortfall to the largest companies, one each.
    short = employed - int(positions.sum())
    if short > 0:
        positions[np.argsort(-raw, kind="stable")[: short % m]] += 1
        positions += short // m
    brand = np.exp(c.brand_sigma * rng.standard_normal(m))
    brand *= np.where(large, c.large_brand_multiplier, 1.0)
    shares = c.policy_shares
    policy = rng.choice(3, size=m, p=[shares.restrict, shares.neutral, shares.embrace])
    brand *= np.where(policy == 2, sc.labour_market.embrace_brand_multiplier, 1.0)
    return Companies(
        size_class=large.astype(np.int8),
        positions=positions,
        brand=brand,
        pay=np.exp(c.pay_sigma * rng.standard_normal(m)),
        main_skill=rng.integers(sc.population.skills, size=m),
        policy=policy.astype(np.int8),
    )


def with_dormant_companies(companies: Companies, k: int) -> Companies:
    """``companies`` followed by ``k`` dormant slots for firms that enter during the run.

    A dormant slot is an SME with no positions and brand 0 (no worker meets it); its
    attributes are drawn when it enters (:mod:`netsim.mechanisms.firms`).
    """
    if k <= 0:
        return companies

    def grow(a: np.ndarray, fill) -> np.ndarray:
        return np.concatenate([a, np.full(k, fill, dtype=a.dtype)])

    return Companies(
        size_class=grow(companies.size_class, 0),
        positions=grow(companies.positions, 0),
        brand=grow(companies.brand, 0.0),
        pay=grow(companies.pay, 1.0),
        main_skill=grow(companies.main_skill, 0),
        policy=grow(companies.policy, 1),
    )
