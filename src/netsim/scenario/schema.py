"""The scenario schema: every key a scenario file may set, with default, unit and meaning.

Time is in **months** everywhere in a scenario (keys say so with ``_months`` and
``_per_month``); money is in currency units per month (``salary``) or currency units
(one-off amounts). The schema is the single source for validation (:mod:`netsim.scenario.files`),
for ``netsim schema`` (JSON Schema for editors) and for ``docs/scenarios.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from netsim.scenario.campaigns_schema import Campaigns
from netsim.scenario.fields import MAX_BY_UNIT, MAX_PLUGIN_NUMBER, F, S, Section
from netsim.scenario.firms_schema import Firms
from netsim.scenario.freelance_schema import Freelance
from netsim.scenario.platform_schema import Defences, Gaming, Payout, Platform
from netsim.scenario.screening_schema import Screening
from netsim.scenario.ties_schema import TieDynamics

__all__ = [
    "MAX_BY_UNIT",
    "MAX_PLUGIN_NUMBER",
    "F",
    "S",
    "Section",
    "Payout",
    "Gaming",
    "Defences",
    "Platform",
    "Screening",
    "Scenario",
]


#: Description suffix of the keys whose defaults are the IT-market fit (`netsim calibrate
#: calibration/it_market.yaml` on the baseline, rounded to two significant digits).
CALIBRATED = (
    "Default: the IT-market fit (netsim calibrate calibration/it_market.yaml; docs/ODD.md "
    "section 6)."
)

#: Default burn-in (months): the slowest market stock, the open vacancies, settles within
#: about two years at the default rates (docs/ODD.md, section 5, measured on baseline.yaml).
BURN_IN_MONTHS = 36


class VitalForces(Section):
    """The agile, mobile 'vital forces' (about 20% of workers in the source texts)."""

    share: float = F(0.2, "fraction", "Share of workers who are vital forces.", ge=0, le=1)
    mobility_multiplier: float = F(
        2.0, "factor", "Multiplier on a vital force's quit and job-to-job search hazards.", gt=0
    )
    visibility_multiplier: float = F(
        2.0, "factor", "Multiplier on a vital force's open-market job-finding rate.", gt=0
    )
    degree_multiplier: float = F(
        1.0,
        "factor",
        "Vital forces' mean number of initial social ties over ordinary workers' (every "
        "generator keeps its mean degree; file graphs need 1).",
        gt=0,
    )


class Population(Section):
    """Workers: how many, their skills, productivity and starting state."""

    workers: int = F(2000, "workers", "Number of workers in the labour market.", ge=2, le=5_000_000)
    skills: int = F(8, "categories", "Number of skill categories in the skill universe.", ge=1)
    productivity_sigma: float = F(
        0.3, "log units", "Std. dev. of log productivity (lognormal, median 1).", ge=0
    )
    initial_employment_rate: float = F(
        0.93, "fraction", "Share of workers employed at time 0 (the rest are seeking).", ge=0, le=1
    )
    vital_forces: VitalForces = S(VitalForces, "The vital-force subgroup.")


class SizeClass(Section):
    """Positions per company in one size class (lognormal)."""

    median_positions: float = F(10.0, "positions", "Median number of positions.", gt=0)
    sigma: float = F(0.8, "log units", "Std. dev. of log positions.", ge=0)


class LargeSizeClass(SizeClass):
    """Positions per large company (lognormal)."""

    median_positions: float = F(200.0, "positions", "Median number of positions.", gt=0)
    sigma: float = F(0.5, "log units", "Std. dev. of log positions.", ge=0)


class PolicyShares(Section):
    """Shares of companies by staff network policy (must sum to 1)."""

    restrict: float = F(0.2, "fraction", "Share that restrict staff network activity.", ge=0, le=1)
    neutral: float = F(0.6, "fraction", "Share with no network policy.", ge=0, le=1)
    embrace: float = F(0.2, "fraction", "Share that embrace staff network activity.", ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> PolicyShares:
        total = self.restrict + self.neutral + self.embrace
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"restrict + neutral + embrace must sum to 1, got {total:g}")
        return self


class Companies(Section):
    """Companies: size classes, brand, onboarding and probation, network policy."""

    count: int = F(100, "companies", "Number of companies.", ge=1, le=1_000_000)
    large_share: float = F(0.03, "fraction", "Share of companies that are large.", ge=0, le=1)
    sme_size: SizeClass = S(SizeClass, "Size distribution of small and mid-sized companies.")
    large_size: LargeSizeClass = S(LargeSizeClass, "Size distribution of large companies.")
    brand_sigma: float = F(0.5, "log units", "Std. dev. of log brand strength (median 1).", ge=0)
    large_brand_multiplier: float = F(3.0, "factor", "Brand of large relative to SMEs.", gt=0)
    pay_sigma: float = F(0.1, "log units", "Std. dev. of a company's log pay premium.", ge=0)
    skill_focus: float = F(
        0.7, "probability", "Chance a vacancy asks for the company's main skill.", ge=0, le=1
    )
    onboarding_months: float = F(1.0, "months", "Onboarding period after a hire (no output).", ge=0)
    probation_months: float = F(
        6.0, "months", "Probation period from the hire date (includes onboarding).", ge=0
    )
    onboarding_cost: float = F(
        5000.0, "currency", "One-off cost to the company of onboarding a hire.", ge=0
    )
    policy_shares: PolicyShares = S(PolicyShares, "Staff network policy mix.")

    @model_validator(mode="after")
    def _probation_covers_onboarding(self) -> Companies:
        if self.probation_months < self.onboarding_months:
            raise ValueError(
                "probation_months must be >= onboarding_months (probation includes "
                f"onboarding), got {self.probation_months:g} < {self.onboarding_months:g}"
            )
        return self


GraphGeneratorName = str


class Graph(Section):
    """The initial social graph among workers."""

    generator: GraphGeneratorName = F(
        "barabasi_albert",
        "name",
        "Graph generator: a registered name (see docs/scenarios.md) or package.module:Class.",
    )
    params: dict[str, Any] = F(
        {}, "-", "Generator parameters; each generator documents and validates its own."
    )
    initial_tie_strength: float = F(0.5, "0..1", "Strength of ties present at start.", ge=0, le=1)


class LabourMarket(Section):
    """Search, separation and wage rules of the labour market (rates per month)."""

    demand: Literal["vacancies", "always_hiring"] = F(
        "vacancies",
        "-",
        "'vacancies': hires need open vacancies; 'always_hiring': every job-finding event "
        "creates and fills a vacancy (the two-state flow benchmark).",
    )
    job_finding_rate_per_month: float = F(
        0.33,
        "1/month",
        "Open-market contact rate of a seeking worker of visibility 1. " + CALIBRATED,
        ge=0,
    )
    on_the_job_search_rate_per_month: float = F(
        0.0073,
        "1/month",
        "Rate at which an employed worker meets an outside offer. " + CALIBRATED,
        ge=0,
    )
    on_the_job_news: Literal["search", "pass_to_contact"] = F(
        "search",
        "-",
        "What an employed worker does with news of a job (at the on-the-job search rate): "
        "search = applies themself; pass_to_contact = passes it to a uniformly drawn seeking "
        "contact, lost if there is none (Calvo-Armengol & Jackson 2004).",
    )
    word_of_mouth_rate_per_month: float = F(
        2.8,
        "1/month",
        "Rate at which news of each open vacancy is passed on by its staff. " + CALIBRATED,
        ge=0,
    )
    quit_rate_per_month: float = F(
        0.005,
        "1/month",
        "Base hazard of quitting into search (satisfaction 0.5). " + CALIBRATED,
        ge=0,
    )
    dismissal_rate_per_month: float = F(
        0.004, "1/month", "Hazard of dismissal after probation.", ge=0
    )
    probation_dismissal_probability: float = F(
        0.1,
        "probability",
        "Chance of dismissal at the end of probation for a fit of 0.",
        ge=0,
        le=1,
    )
    exit_rate_per_month: float = F(
        0.002, "1/month", "Hazard of leaving the labour market (employed or seeking).", ge=0
    )
    reentry_rate_per_month: float = F(
        0.1, "1/month", "Hazard of an out-of-market worker returning to search.", ge=0
    )
    satisfaction_sensitivity: float = F(
        1.0, "log factor", "Quit hazard multiplier is exp(s * (0.5 - satisfaction)).", ge=0
    )
    cross_skill_fit: float = F(
        0.5,
        "probability",
        "Hire chance when the worker's skill differs from the vacancy's.",
        ge=0,
        le=1,
    )
    reservation_wage_ratio: float = F(
        0.8, "fraction", "A seeker accepts offers of at least this share of the last salary.", ge=0
    )
    switch_premium: float = F(
        0.05, "fraction", "An employed worker moves only for a raise above this share.", ge=0
    )
    base_salary: float = F(5000.0, "currency/month", "Salary of productivity 1 at pay 1.", gt=0)
    offer_sigma: float = F(0.1, "log units", "Std. dev. of log noise in a wage offer.", ge=0)
    referral_information: float = F(
        0.69,
        "probability",
        "Chance that a hire through contacts (word of mouth, platform, staff referral) was "
        "vetted by a referrer who knows both sides: its match quality (satisfaction) is then "
        "the better of two draws (Dustmann et al. 2016; Brown, Setren & Topa 2016). "
        + CALIBRATED,
        ge=0,
        le=1,
    )
    restrict_quit_multiplier: float = F(
        1.3, "factor", "Quit hazard multiplier at restricting companies (lower satisfaction).", gt=0
    )
    embrace_brand_multiplier: float = F(
        1.5, "factor", "Brand multiplier of companies that embrace network activity.", gt=0
    )


class Vacancies(Section):
    """How vacancies open, close and are filled internally."""

    growth_rate_per_month: float = F(
        0.002, "1/month", "New positions per position at start, per month.", ge=0
    )
    replacement_probability: float = F(
        0.97, "probability", "Chance a leaver's position is reopened as a vacancy.", ge=0, le=1
    )
    mean_duration_months: float = F(
        8.0,
        "months",
        "Mean time before an unfilled vacancy expires (exponential). " + CALIBRATED,
        gt=0,
    )
    internal_fill_share: float = F(
        0.6, "probability", "Chance a large company fills a vacancy from its own staff.", ge=0, le=1
    )
    internal_fill_months: float = F(
        0.5, "months", "Mean time to fill a vacancy internally (exponential).", gt=0
    )


class Ties(Section):
    """How the social graph changes during a run."""

    colleague_tie_rate_per_month: float = F(
        0.03, "1/month", "Rate at which an employed worker befriends a random colleague.", ge=0
    )
    colleague_tie_strength: float = F(0.3, "0..1", "Strength of a new colleague tie.", ge=0, le=1)
    dynamics: TieDynamics = S(
        TieDynamics, "Ties that grow and fade: platform ties, decay, reunions (off by default)."
    )


class Knowledge(Section):
    """Knowledge that moves with people between companies."""

    carry: float = F(
        0.05, "units", "Knowledge of the former employer a mover brings (own stock is 1).", ge=0
    )
    depreciation_rate_per_month: float = F(
        0.01, "1/month", "Rate at which imported knowledge depreciates.", ge=0, le=1
    )


class Outputs(Section):
    """What a run records."""

    event_log: bool = F(True, "-", "Write the event log (events.parquet).")
    network_stats_every_months: float = F(
        12.0, "months", "Interval between network statistics (0 switches them off).", ge=0
    )
    network_stats_sample: int = F(
        1000, "workers", "Workers sampled for clustering and two-hop reach.", ge=1
    )


class Scenario(Section):
    """A netsim scenario: one labour market, one horizon, one seed."""

    name: str = F(
        "scenario",
        "-",
        "Name of the scenario; results go to results/<name>/.",
        # A folder name: not '.', '..' or hidden (results/../seed-1 would leave results/),
        # and short enough for '-<hash>' and the temporary '.<name>.tmp-*' beside it.
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
        max_length=100,
    )
    description: str = F("", "-", "What the scenario shows.")
    seed: int = F(1, "-", "Seed of the run (overridden by --seed).", ge=0, le=2**63 - 1)
    horizon_months: float = F(120.0, "months", "Simulated time.", gt=0, le=1200)
    burn_in_months: int = F(
        BURN_IN_MONTHS,
        "months",
        "Whole months the labour market runs before the outputs start, so that they begin in "
        "its steady state: the platform and every other mechanism launch at its end, and "
        "every output (monthly table, event log, summary, ledger, tables) starts there, with "
        "time re-based so that month 0 is the end of the burn-in (times within it are "
        "negative). 0 starts the outputs at the drawn initial state (docs/ODD.md, section 5).",
        ge=0,
        le=1200,
    )
    population: Population = S(Population, "Workers.")
    companies: Companies = S(Companies, "Companies.")
    graph: Graph = S(Graph, "The social graph.")
    labour_market: LabourMarket = S(LabourMarket, "Search, separations and wages.")
    vacancies: Vacancies = S(Vacancies, "Vacancy dynamics.")
    ties: Ties = S(Ties, "Tie formation.")
    knowledge: Knowledge = S(Knowledge, "Knowledge mixing.")
    platform: Platform = S(Platform, "The referral platform (off by default).")
    campaigns: Campaigns = S(Campaigns, "Viral job campaigns (off by default).")
    freelance: Freelance = S(Freelance, "Freelancers and project demand (off by default).")
    screening: Screening = S(
        Screening, "The public record and companies' screening of applicants (off by default)."
    )
    firms: Firms = S(Firms, "Firms that live: entry, exit, brand, staff policy (off by default).")
    outputs: Outputs = S(Outputs, "Recorded outputs.")
