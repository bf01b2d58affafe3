"""Screening rules as plug-ins: how a company reads an applicant's public record.

A rule turns what the internet still remembers about an applicant (an :class:`Applicant`:
completed stints and public posts within the memory window, ``screening.memory_months``)
into a *rejection probability*; the screening mechanism (:mod:`netsim.mechanisms.screening`)
draws the decision from its own random stream. A rule never sees the simulation, so it is a
pure function of the applicant and easy to test.

Built in: ``none`` (never rejects), ``short_stint_penalty`` (each short stint within the
window adds a penalty) and ``negative_post_penalty`` (each negative public post within the
window adds a penalty). A researcher adds a rule by subclassing :class:`ScreeningRule` (a
``name``, a ``description``, a ``Params`` model, ``rejection_probability``) and either
registering it in :data:`SCREENING_RULES` or naming it as ``package.module:Class`` in
``screening.rules``. A rule whose probability reads only ``short_stints`` and
``negative_posts`` may set ``counts_only = True`` (as the built-in ones do): it is then asked
once per pair of counts in a run instead of on every application.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from netsim.scenario.registry import Registry

__all__ = [
    "Applicant",
    "ScreeningRule",
    "ScreeningParams",
    "NoScreening",
    "ShortStintPenalty",
    "NegativePostPenalty",
    "SCREENING_RULES",
    "rules_markdown",
]


class Applicant:
    """What a screening company sees of one application (times in months).

    ``short_stints`` and ``negative_posts`` are counted within the memory window;
    :meth:`stints` and :meth:`posts` give the remembered entries themselves, for rules that
    read more (computed on demand, so a rule that does not ask costs nothing).
    """

    __slots__ = (
        "worker",
        "company",
        "channel",
        "time_months",
        "short_stints",
        "negative_posts",
        "_record",
    )

    def __init__(
        self,
        worker: int,
        company: int,
        channel: str,
        time_months: float,
        short_stints: int,
        negative_posts: int,
        record: Any = None,
    ) -> None:
        self.worker = worker
        self.company = company  #: the screening company
        self.channel = channel  #: the hiring channel the application came through
        self.time_months = time_months
        self.short_stints = short_stints  #: completed stints shorter than the threshold
        self.negative_posts = negative_posts  #: negative public posts about any employer
        #: The public record read on demand (a :class:`~netsim.mechanisms.public_record.
        #: PublicRecord`; None: nothing beyond the counts is known).
        self._record = record

    def stints(self) -> Sequence[tuple[int, float, float]]:
        """Remembered completed stints ``(company, start, end)``, oldest first (months)."""
        rec = self._record
        return rec.stints(self.worker, self.time_months) if rec is not None else ()

    def posts(self) -> Sequence[tuple[float, int, int]]:
        """Remembered public posts ``(time, company, tone)``, oldest first (tone +1/-1)."""
        rec = self._record
        return rec.posts(self.worker, self.time_months) if rec is not None else ()


class ScreeningParams(BaseModel):
    """Base of every rule's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScreeningRule:
    """Base class of screening rules. Subclasses set the class attributes and
    :meth:`rejection_probability`."""

    name: ClassVar[str]
    description: ClassVar[str]
    Params: ClassVar[type[ScreeningParams]] = ScreeningParams
    #: True if :meth:`rejection_probability` reads nothing of the applicant but
    #: ``short_stints`` and ``negative_posts`` (a pure function of those and the parameters):
    #: the screening mechanism then asks once per pair of counts and reuses the answer.
    counts_only: ClassVar[bool] = False

    def __init__(self, params: ScreeningParams | dict | None = None) -> None:
        if params is None:
            params = {}
        if isinstance(params, dict):
            params = self.Params.model_validate(params)
        self.params = params

    def rejection_probability(self, applicant: Applicant) -> float:
        """The chance (0..1) that the company rejects this applicant on their record."""
        raise NotImplementedError


def _compound(per_item: float, items: int) -> float:
    """Rejection chance when each of ``items`` independently rejects with ``per_item``."""
    return 1.0 - (1.0 - per_item) ** items if items > 0 else 0.0


class NoScreening(ScreeningRule):
    """The company does not read the public record: every applicant passes."""

    name: ClassVar[str] = "none"
    description: ClassVar[str] = "Never rejects an applicant for their record."
    counts_only: ClassVar[bool] = True

    def rejection_probability(self, applicant: Applicant) -> float:
        """Always 0."""
        return 0.0


class ShortStintParams(ScreeningParams):
    """Parameters of :class:`ShortStintPenalty`."""

    penalty_per_stint: float = Field(
        0.3, ge=0, le=1, description="Rejection chance added by each short stint (probability)."
    )
    free_stints: int = Field(
        0, ge=0, le=1000, description="Short stints tolerated before the penalty starts."
    )


class ShortStintPenalty(ScreeningRule):
    """A job-hopper filter: each short stint the internet still remembers is a strike.

    A stint counts as short if it ended within ``screening.memory_months`` and lasted
    less than ``screening.short_stint_months``.
    """

    name: ClassVar[str] = "short_stint_penalty"
    description: ClassVar[str] = "Rejects more often the more short stints are remembered."
    Params = ShortStintParams
    counts_only: ClassVar[bool] = True

    def rejection_probability(self, applicant: Applicant) -> float:
        """``1 - (1 - penalty_per_stint) ** max(0, short_stints - free_stints)``."""
        p = self.params
        return _compound(p.penalty_per_stint, applicant.short_stints - p.free_stints)


class NegativePostParams(ScreeningParams):
    """Parameters of :class:`NegativePostPenalty`."""

    penalty_per_post: float = Field(
        0.2, ge=0, le=1, description="Rejection chance added by each negative post (probability)."
    )
    free_posts: int = Field(
        0, ge=0, le=1000, description="Negative posts tolerated before the penalty starts."
    )


class NegativePostPenalty(ScreeningRule):
    """A loyalty filter: each negative public post about an employer that the internet
    still remembers (made within ``screening.memory_months``) is a strike."""

    name: ClassVar[str] = "negative_post_penalty"
    description: ClassVar[str] = "Rejects more often the more negative posts are remembered."
    Params = NegativePostParams
    counts_only: ClassVar[bool] = True

    def rejection_probability(self, applicant: Applicant) -> float:
        """``1 - (1 - penalty_per_post) ** max(0, negative_posts - free_posts)``."""
        p = self.params
        return _compound(p.penalty_per_post, applicant.negative_posts - p.free_posts)


#: The registered screening rules, by name.
SCREENING_RULES: Registry[ScreeningRule] = Registry("screening rule")
for _cls in (NoScreening, ShortStintPenalty, NegativePostPenalty):
    SCREENING_RULES.register(_cls)


def rules_markdown() -> str:
    """The ``Screening rules`` section of ``docs/reference.md`` (used by ``netsim docs``)."""
    out = [
        "## Screening rules\n",
        "Registered in `netsim.mechanisms.screening_rules.SCREENING_RULES`; a researcher's "
        "own rule is named as `package.module:Class` (a subclass of `ScreeningRule`, see the "
        "docstring of `netsim.mechanisms.screening_rules`). A scenario assigns rules to "
        "companies by the shares in `screening.rules` (and `screening.large_rules`); "
        "parameters go under `screening.params.<rule>`. Stints and posts count only within "
        "`screening.memory_months`.\n",
    ]
    for name, cls in SCREENING_RULES:
        out.append(f"### `{name}`\n")
        out.append(f"*{' '.join(cls.description.split())}*\n")
        out.append(" ".join((cls.__doc__ or "").split()) + "\n")
        formula = " ".join((cls.rejection_probability.__doc__ or "").split())
        out.append(f"**Rejection probability.** {formula}\n")
        fields = cls.Params.model_fields
        if not fields:
            out.append("No parameters.\n")
            continue
        out.append(f"Parameters (`screening.params.{name}`, class `{cls.Params.__name__}`):\n")
        out.append("| key | default | bounds | description |")
        out.append("|---|---|---|---|")
        for key, field in fields.items():
            out.append(
                f"| `{key}` | `{field.default}` | {_bounds(field)} | {field.description} |"
            )
        out.append("")
    return "\n".join(out)


def _bounds(field: Any) -> str:
    """The ``ge``/``le`` bounds of a pydantic field, as ``[low, high]`` text."""
    low = high = None
    for m in field.metadata:
        low = getattr(m, "ge", low)
        high = getattr(m, "le", high)
    return f"[{low if low is not None else '-inf'}, {high if high is not None else 'inf'}]"
