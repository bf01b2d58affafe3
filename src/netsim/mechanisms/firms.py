"""Firms that live: SMEs enter and firms close; brand, posts, staff policy and ERP attached.

:class:`LivingFirms` is the mechanism a run attaches when ``firms.enabled`` is on. It owns
the firm life cycle and calls its parts in a fixed order at each month end: closures, then
the brand (:mod:`~netsim.mechanisms.brand`), then the staff policy
(:mod:`~netsim.mechanisms.staff_policy`); public posts (:mod:`~netsim.mechanisms.posts`) and
the employee referral programme (:mod:`~netsim.mechanisms.referral_programme`) run on their
own events.

**Entry.** New SMEs enter as an aggregate Poisson process at ``firms.entry.rate_per_month``.
A run is built with dormant company slots (:func:`dormant_slots`: the 1 - 1e-6 quantile of
the number of entries over the horizon); when they run out, entry stops and the summary says
so (``firm_entry_slots_exhausted``). An entrant's positions are those of a randomly chosen
SME present at the start ("drawn like SMEs"), all opened as vacancies at once (origin
``'entry'``); its long-run brand, pay and main skill are drawn as for SMEs at the start, its
policy by ``companies.policy_shares``; its brand starts at ``firms.entry.brand_share`` of the
long-run brand (no reputation yet).

**Exit.** At each month end an SME in business closes with probability ``1 - exp(-h)``,
``h = rate * (young_multiplier if younger than young_months) * (brand / long-run brand) **
-brand_elasticity``: young firms (entrants; firms present at the start are established) and
firms whose brand fell close more often. Large companies do not close. A closing firm's
vacancies are withdrawn and its staff separate (reason ``'firm_exit'``) and seek.

Random draws: the ``firms`` stream (split into life cycle, morale and referral programme)
and the ``posts`` stream.
"""

from __future__ import annotations

import math
from array import array

import numpy as np
import pandas as pd

from netsim.engine.hooks import Hooks, MonthEnd
from netsim.engine.rng import FastStream
from netsim.market.services import MarketServices
from netsim.mechanisms.brand import BrandDynamics
from netsim.mechanisms.posts import PublicPosts
from netsim.mechanisms.referral_programme import ReferralProgramme
from netsim.mechanisms.staff_policy import StaffPolicy
from netsim.scenario.schema import Scenario

POLICY_NAMES = ("restrict", "neutral", "embrace")
#: Kinds of rows in the ``firms`` table.
FIRM_EVENTS = ("entry", "exit")


def dormant_slots(scenario: Scenario) -> int:
    """Company slots to reserve for entrants: a generous quantile of the Poisson number of
    entries over the horizon (mean + 5 standard deviations + 5)."""
    f = scenario.firms
    if not f.enabled or f.entry.rate_per_month <= 0.0:
        return 0
    mean = f.entry.rate_per_month * scenario.horizon_months
    return int(math.ceil(mean + 5.0 * math.sqrt(mean) + 5.0))


class LivingFirms:
    """Entry, exit, moving brand, posts, staff policy and ERP (see the module docstring)."""

    def __init__(
        self,
        scenario: Scenario,
        market: MarketServices,
        hooks: Hooks,
        firms_gen: np.random.Generator,
        posts_gen: np.random.Generator,
    ) -> None:
        self.sc = scenario
        self.cfg = scenario.firms
        self.market = market
        life, morale, erp = firms_gen.spawn(3)
        self.gen = life
        self.rand = FastStream(life)
        m = market.n_companies
        self.n_initial = m - dormant_slots(scenario)
        self.next_slot = self.n_initial
        self.slots_exhausted = False
        self.entered = np.full(m, np.nan)
        self.entered[: self.n_initial] = 0.0
        self.exited = np.full(m, np.nan)
        self.initial_policy = np.array([market.company_policy(c) for c in range(m)], np.int8)
        start = market.world.companies
        present_smes = (start.size_class == 0) & (start.positions > 0)
        self.sme_positions = start.positions[present_smes].tolist()
        self.brand = BrandDynamics(scenario, market, hooks)
        self.posts = PublicPosts(scenario, market, hooks, posts_gen)
        self.policy = StaffPolicy(scenario, market, hooks, morale)
        self.erp = ReferralProgramme(scenario, market, hooks, erp)
        self.events = {
            k: array("d" if k in ("time_months", "brand") else "i")
            for k in ("time_months", "company", "event", "positions", "staff", "brand")
        }
        self.month = {"entries": 0, "exits": 0, "let_go": 0}
        self.totals = {"entries": 0, "exits": 0, "let_go": 0}
        self._quits_by_policy = np.zeros(3)
        self._heads_by_policy = np.zeros(3)
        hooks.month_end.append(self._on_month_end)

    # ------------------------------------------------------------------ engine interface
    def start(self) -> None:
        """Time 0: remember head counts for the policy rule's window."""
        _, heads = self.market.staff_satisfaction()
        self.policy.start(heads)

    def processes(self) -> list:
        """Entry, closures (just after each month's record), posting and morale processes."""
        procs = [self._exit_process(), *self.posts.processes(), *self.policy.processes()]
        if self.cfg.entry.rate_per_month > 0.0:
            procs.insert(0, self._entry_process())
        return procs

    def _exit_process(self):
        # Started after the model's monthly record, so at each whole month the closures
        # come just after the record and count in the next month's flows.
        m = self.market
        while True:
            yield m.timeout(1.0)
            self._exits()

    # ------------------------------------------------------------------ entry and exit
    def _entry_process(self):
        m = self.market
        rate = self.cfg.entry.rate_per_month
        while True:
            yield m.timeout(self.rand.exponential(rate))
            m.count_event()
            if self.next_slot >= m.n_companies:
                self.slots_exhausted = True
                return
            self._enter(self.next_slot)
            self.next_slot += 1

    def _enter(self, c: int) -> None:
        sc, gen = self.sc, self.gen
        comp = sc.companies
        shares = comp.policy_shares
        policy = int(gen.choice(3, p=[shares.restrict, shares.neutral, shares.embrace]))
        anchor = float(np.exp(comp.brand_sigma * gen.standard_normal()))
        if policy == 2:
            anchor *= sc.labour_market.embrace_brand_multiplier
        positions = int(gen.choice(self.sme_positions)) if self.sme_positions else 1
        brand = self.brand.enter(c, anchor, self.cfg.entry.brand_share)
        self.market.activate_company(
            c,
            brand=brand,
            positions=positions,
            pay=float(np.exp(comp.pay_sigma * gen.standard_normal())),
            main_skill=int(gen.integers(sc.population.skills)),
            policy=policy,
            vacancies=positions,
        )
        self.initial_policy[c] = policy
        self.entered[c] = self.market.now
        self._log(c, 0, positions, 0, brand)
        self.month["entries"] += 1
        self.totals["entries"] += 1

    def _exits(self) -> None:
        """Close SMEs by their monthly hazard (see the module docstring)."""
        cfg = self.cfg.exit
        if cfg.rate_per_month <= 0.0:
            return
        m = self.market
        alive = self.brand.alive
        age = m.now - np.nan_to_num(self.entered, nan=0.0)
        # Firms present at the start are established, whatever their age in the run.
        young = (age < cfg.young_months) & (np.arange(len(age)) >= self.n_initial)
        hazard = cfg.rate_per_month * np.where(young, cfg.young_multiplier, 1.0)
        hazard = hazard * np.exp(-cfg.brand_elasticity * self.brand.index)
        u = self.gen.random(len(hazard))
        large = np.array(m.large_companies, dtype=bool)
        closing = alive & ~large & (u < -np.expm1(-hazard))
        for c in np.flatnonzero(closing).tolist():
            brand = m.brand(c)
            staff = m.close_company(c)
            self.brand.exit(c)
            self.exited[c] = m.now
            self._log(c, 1, 0, len(staff), brand)
            self.month["exits"] += 1
            self.totals["exits"] += 1
            self.month["let_go"] += len(staff)
            self.totals["let_go"] += len(staff)

    def _log(self, c: int, event: int, positions: int, staff: int, brand: float) -> None:
        e = self.events
        for k, v in zip(
            ("time_months", "company", "event", "positions", "staff", "brand"),
            (self.market.now, c, event, positions, staff, brand),
            strict=True,
        ):
            e[k].append(v)

    # ------------------------------------------------------------------ month end
    def _on_month_end(self, ev: MonthEnd) -> None:
        m = self.market
        sums, heads = m.staff_satisfaction()
        policy = self.policy.policies()
        quits = self.brand.update(sums, heads) if ev.month > 0 else np.zeros(len(heads))
        alive = self.brand.alive
        if ev.month > 0:
            self.policy.update(
                ev.month,
                quits,
                heads,
                alive.copy(),
                self.brand.index.copy(),
                self.brand.brands,
                m.now - np.nan_to_num(self.entered, nan=0.0),
            )
        brands = self.brand.brands
        row = ev.row
        for p, name in enumerate(POLICY_NAMES):
            sel = alive & (policy == p)
            row[f"brand_{name}"] = float(brands[sel].mean()) if sel.any() else math.nan
            row[f"reputation_{name}"] = (
                float(self.brand.index[sel].mean()) if sel.any() else math.nan
            )
            row[f"quits_{name}"] = int(quits[sel].sum())
            row[f"staff_{name}"] = int(heads[sel].sum())
            self._quits_by_policy[p] += quits[sel].sum()
            self._heads_by_policy[p] += heads[sel].sum() if ev.month > 0 else 0.0
        row["firms_alive"] = int(alive.sum())
        row["firm_entries"] = self.month["entries"]
        row["firm_exits"] = self.month["exits"]
        row["policy_changes"] = self.policy.changes_month
        row["erp_bonus_paid"] = self.erp.month_bonus
        self.erp.month_bonus = 0.0
        self.month = dict.fromkeys(self.month, 0)

    # ------------------------------------------------------------------ outputs
    def company_columns(self) -> dict:
        """Entry and exit times (months; NaN: never entered / never closed), whether in
        business, long-run brand, reputation index, policy at start or entry."""
        return {
            "entered_months": self.entered,
            "exited_months": self.exited,
            "alive": self.brand.alive.copy(),
            "brand_long_run": self.brand.anchor.copy(),
            "reputation": self.brand.index.copy(),
            "initial_policy": pd.Categorical.from_codes(
                self.initial_policy, categories=list(POLICY_NAMES)
            ),
        }

    def summary(self, t_months: float) -> dict:
        """Headline numbers: entries, exits, ERP, posts, quits per head-year by policy."""
        pos, neg = self.posts.counts()
        out = {
            "firm_entries": self.totals["entries"],
            "firm_exits": self.totals["exits"],
            "firm_entry_slots": self.n_companies_slots,
            "firm_entry_slots_exhausted": self.slots_exhausted,
            "firm_exit_separations": self.totals["let_go"],
            "firms_alive_final": int(self.brand.alive.sum()),
            "policy_changes": self.policy.changes,
            "posts_positive": pos,
            "posts_negative": neg,
            "erp_hires": self.erp.hires,
            "erp_bonus_total": self.erp.bonus_paid,
        }
        for p, name in enumerate(POLICY_NAMES):
            heads = self._heads_by_policy[p]
            out[f"quits_per_head_year_{name}"] = (
                12.0 * float(self._quits_by_policy[p]) / heads if heads else math.nan
            )
        return out

    @property
    def n_companies_slots(self) -> int:
        """Dormant slots reserved for entrants."""
        return self.market.n_companies - self.n_initial

    def tables(self) -> dict:
        """``firms`` (one row per entry or exit) and ``posts`` (one row per public post)."""
        e = self.events
        firms = pd.DataFrame(
            {
                "time_months": np.asarray(e["time_months"], dtype=np.float64),
                "company": np.asarray(e["company"], dtype=np.int32),
                "event": pd.Categorical.from_codes(
                    np.asarray(e["event"], dtype=np.int8), categories=list(FIRM_EVENTS)
                ),
                "positions": np.asarray(e["positions"], dtype=np.int32),
                "staff_let_go": np.asarray(e["staff"], dtype=np.int32),
                "brand": np.asarray(e["brand"], dtype=np.float64),
            }
        )
        return {"firms": firms, "posts": self.posts.table()}
