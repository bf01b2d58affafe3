"""Companies screen every applicant by their own rule over the public record.

Each company is given a screening rule (:mod:`netsim.mechanisms.screening_rules`) at the
start, drawn with the shares of ``screening.rules`` (``screening.large_rules`` for large
companies). Every application that reaches a company through the market's one application
step (open market, word of mouth, the referral platform and any later channel that applies
through :meth:`netsim.market.services.MarketServices.apply`) is put to the ``screen`` hook
(:mod:`netsim.engine.hooks`): the company's rule reads the applicant's
:class:`~netsim.mechanisms.public_record.PublicRecord` within the memory window and gives a
rejection probability; the decision is drawn from the ``screening`` random stream. Internal
moves of a large company's own staff are not screened (the company knows them first hand).

Outputs (times in months):

* monthly columns ``applications_screened``, ``screened_out`` and ``screened_out_<channel>``
  per hiring channel (:data:`netsim.output.recorder.CHANNELS`, internal moves excepted);
* worker columns ``short_stints_in_memory``, ``negative_posts_in_memory`` (at the end of
  the run), ``applications_screened``, ``rejections_screened``;
* company columns ``screening_rule``, ``applications_screened``, ``screened_out``;
* summary numbers: applications, rejections, and the hire rate per application by the
  number of short stints in memory (0, 1, 2, 3 or more);
* the table ``screening`` (``screening.parquet``): applications, rejections and hires by
  rule, channel, short stints and negative posts in memory (both capped at
  :data:`CAP`, which stands for "CAP or more").
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netsim.engine.rng import FastStream
from netsim.mechanisms.public_record import PublicRecord
from netsim.mechanisms.screening_rules import (
    SCREENING_RULES,
    Applicant,
    NoScreening,
    ScreeningRule,
)
from netsim.output.recorder import CHANNELS

if TYPE_CHECKING:
    from netsim.engine.hooks import Hire, Hooks, MonthEnd
    from netsim.market.services import MarketServices
    from netsim.scenario.schema import Scenario

__all__ = ["CompanyScreening", "CAP", "assign_rules"]

#: Short stints and negative posts are tabulated as 0, 1, ..., CAP ("CAP or more").
CAP = 5
#: Channels with a monthly ``screened_out_<channel>`` column (internal moves are not screened).
SCREENED_CHANNELS = tuple(ch for ch in CHANNELS if ch != "internal")


def assign_rules(
    shares: dict[str, float],
    large_shares: dict[str, float] | None,
    names: list[str],
    is_large: np.ndarray,
    gen: np.random.Generator,
) -> np.ndarray:
    """Each company's rule (an index into ``names``), drawn with the shares of its size class."""
    out = np.empty(len(is_large), dtype=np.int64)
    for large, table in ((False, shares), (True, large_shares or shares)):
        which = np.flatnonzero(is_large == large)
        p = np.array([table.get(n, 0.0) for n in names])
        out[which] = gen.choice(len(names), size=len(which), p=p / p.sum())
    return out


class CompanyScreening:
    """The screening mechanism of one run (see the module docstring)."""

    def __init__(
        self,
        scenario: Scenario,
        market: MarketServices,
        hooks: Hooks,
        gen: np.random.Generator,
    ) -> None:
        cfg = scenario.screening
        self.market = market
        self.record = PublicRecord(market, hooks, cfg.memory_months, cfg.short_stint_months)
        self.names = list(dict.fromkeys([*cfg.rules, *(cfg.large_rules or {})]))
        self.rules: list[ScreeningRule] = [
            SCREENING_RULES.get(n)(cfg.params.get(n, {})) for n in self.names
        ]
        is_large = np.asarray(market.world.companies.size_class) == 1
        self.rule_of = assign_rules(cfg.rules, cfg.large_rules, self.names, is_large, gen).tolist()
        self.rand = FastStream(gen)
        #: Rules that never reject (``none``): no rule call, no draw, only the counting.
        self._passive = [isinstance(rule, NoScreening) for rule in self.rules]
        #: Rejection probabilities by (short stints, negative posts), per rule that reads
        #: only those counts (None for a rule that reads more): asked once per pair.
        self._known: list[dict[tuple[int, int], float] | None] = [
            {} if rule.counts_only else None for rule in self.rules
        ]
        n, m = market.n_workers, market.n_companies
        self.worker_applications = [0] * n
        self.worker_rejections = [0] * n
        self.company_applications = [0] * m
        self.company_rejections = [0] * m
        #: (rule, channel, short stints, negative posts) -> [applications, rejections, hires]
        self.counts: dict[tuple[int, str, int, int], list[int]] = {}
        self._month_apps = 0
        self._month_out: Counter = Counter()
        #: The application that passed screening last: (worker, company, its counts), or None.
        self._pending: tuple[int, int, list[int]] | None = None
        hooks.screen.append(self._screen)
        hooks.hire.append(self._on_hire)
        hooks.month_end.append(self._month_end)

    # ------------------------------------------------------------------ Mechanism protocol
    def start(self) -> None:
        """Nothing to start: screening acts only when someone applies."""

    def processes(self) -> list:
        """No processes of its own."""
        return []

    # ------------------------------------------------------------------ the hooks
    def _screen(self, i: int, c: int, channel: str) -> bool:
        """The ``screen`` hook: company c's rule decides on applicant i (False = rejected).

        On the path of every application: plain locals, one dict lookup for the counts,
        no rule call or draw for a company that does not screen, and for a rule that reads
        only the counts (``counts_only``) one rule call per pair of counts in the run.
        """
        t = self.market.now
        rec = self.record
        short = rec.short_stints(i, t)
        negative = rec.negative_posts(i, t) if rec.has_posts else 0
        r = self.rule_of[c]
        key = (r, channel, short if short < CAP else CAP, negative if negative < CAP else CAP)
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = [0, 0, 0]
        counts[0] += 1
        self.worker_applications[i] += 1
        self.company_applications[c] += 1
        self._month_apps += 1
        if not self._passive[r]:
            known = self._known[r]
            if known is None:
                p = self._ask(r, Applicant(i, c, channel, t, short, negative, rec))
            else:
                p = known.get((short, negative))
                if p is None:
                    applicant = Applicant(i, c, channel, t, short, negative, rec)
                    p = known[short, negative] = self._ask(r, applicant)
            if p > 0.0 and self.rand.random() < p:
                counts[1] += 1
                self.worker_rejections[i] += 1
                self.company_rejections[c] += 1
                self._month_out[channel] += 1
                self._pending = None
                return False
        self._pending = (i, c, counts)
        return True

    def _ask(self, r: int, applicant: Applicant) -> float:
        """Rule r's rejection probability for ``applicant``, checked to be within 0..1."""
        p = self.rules[r].rejection_probability(applicant)
        if not 0.0 <= p <= 1.0:
            raise ValueError(
                f"screening rule {self.names[r]!r} returned a rejection probability of "
                f"{p!r} (must be between 0 and 1)"
            )
        return p

    def _on_hire(self, hire: Hire) -> None:
        """Count a hire against the application that just passed screening."""
        pending = self._pending
        if pending is not None and pending[0] == hire.worker and pending[1] == hire.company:
            pending[2][2] += 1
        self._pending = None

    def _month_end(self, ev: MonthEnd) -> None:
        row = ev.row
        out = self._month_out
        row["applications_screened"] = self._month_apps
        row["screened_out"] = sum(out.values())
        for ch in SCREENED_CHANNELS:
            row[f"screened_out_{ch}"] = out[ch]
        self._month_apps = 0
        out.clear()

    # ------------------------------------------------------------------ outputs
    def worker_columns(self) -> dict:
        """Public record at the end of the run and screening counts, one entry per worker."""
        t = self.market.now
        rec = self.record
        n = self.market.n_workers
        return {
            "short_stints_in_memory": np.array(
                [rec.short_stints(i, t) for i in range(n)], dtype=np.int32
            ),
            "negative_posts_in_memory": np.array(
                [rec.negative_posts(i, t) for i in range(n)], dtype=np.int32
            ),
            "applications_screened": np.asarray(self.worker_applications, dtype=np.int32),
            "rejections_screened": np.asarray(self.worker_rejections, dtype=np.int32),
        }

    def company_columns(self) -> dict:
        """Each company's screening rule and how many applicants it screened and rejected."""
        return {
            "screening_rule": pd.Categorical.from_codes(
                np.asarray(self.rule_of, dtype=np.int64), categories=self.names
            ),
            "applications_screened": np.asarray(self.company_applications, dtype=np.int32),
            "screened_out": np.asarray(self.company_rejections, dtype=np.int32),
        }

    def summary(self, t_months: float) -> dict:
        """Applications, rejections and hire rates per application by short stints in memory."""
        counts = self.counts
        apps = sum(v[0] for v in counts.values())
        out = sum(v[1] for v in counts.values())
        res: dict[str, float] = {
            "screening_applications": apps,
            "screening_screened_out": out,
            "screening_rejection_share": out / apps if apps else math.nan,
            "screening_posts_recorded": self.record.posts_recorded,
        }
        for label, lo, hi in (("0", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3plus", 3, CAP)):
            a = sum(v[0] for k, v in counts.items() if lo <= k[2] <= hi)
            h = sum(v[2] for k, v in counts.items() if lo <= k[2] <= hi)
            res[f"hire_rate_short_stints_{label}"] = h / a if a else math.nan
        return res

    def tables(self) -> dict:
        """``screening``: applications, rejections and hires by rule, channel and record."""
        keys = sorted(self.counts)
        rows = [self.counts[k] for k in keys]
        table = pd.DataFrame(
            {
                "rule": pd.Categorical([self.names[k[0]] for k in keys], categories=self.names),
                "channel": [k[1] for k in keys],
                "short_stints": np.array([k[2] for k in keys], dtype=np.int16),
                "negative_posts": np.array([k[3] for k in keys], dtype=np.int16),
                "applications": np.array([v[0] for v in rows], dtype=np.int64),
                "screened_out": np.array([v[1] for v in rows], dtype=np.int64),
                "hires": np.array([v[2] for v in rows], dtype=np.int64),
            }
        )
        return {"screening": table}
