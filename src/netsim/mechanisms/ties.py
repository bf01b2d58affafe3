"""Ties that grow and fade: platform ties, decay, refreshes, reunions, the IT community.

:class:`TieDynamics` is attached when ``ties.dynamics.enabled`` (off by default: then nothing
here runs and a run is unchanged). It subscribes to three hooks:

``hire``
    Every external hire (any channel; internal moves aside) of worker ``i`` into company
    ``c`` refreshes ``i``'s ties to contacts working at ``c`` ("working together again"). It
    is a **reunion** if one of those ties was formed at work (origin ``colleague`` or
    ``placed_together``): a former colleague works there. A platform hire adds a tie
    (origin ``platform_referral``, or refreshes it: "referring each other") between each two
    consecutive real people of ``chain + (candidate,)``; fake identities (ids < 0) are left
    out, so a sybil's owner is tied to the candidate it really referred. It also introduces
    the candidate to ``placement_ties_per_hire`` random colleagues at ``c`` (origin
    ``placed_together``), the "people placed together" of the sources.
``separation``
    Refreshes the leaver's ties to the colleagues left behind: a tie does not fade while two
    people work together, only from the day they part.
``month_end``
    Prunes the ties that decayed below ``prune_below`` (see :mod:`netsim.world.tie_decay`:
    lazily, O(1) per tie, never a timer per tie; a due tie between two current colleagues is
    refreshed instead), and writes the columns ``reunions``, ``platform_ties_formed``,
    ``ties_pruned`` (monthly flows) and, in the months of the network statistics
    (``outputs.network_stats_every_months``), ``two_hop_share_within_skill`` (sampled like
    them, from this mechanism's own stream) and ``former_colleague_ties`` (ties formed at
    work whose two people no longer share an employer); NaN in other months.

Work done per event is O(degree of the hired or leaving worker + ties added).
"""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np

from netsim.engine.hooks import Hire, Hooks, MonthEnd, Separation
from netsim.engine.rng import FastStream
from netsim.market.services import MarketServices
from netsim.scenario.schema import Scenario
from netsim.world.netstats import two_hop_share_within

#: Origins of ties formed by working together.
WORK_ORIGINS = frozenset({"colleague", "placed_together"})


class TieDynamics:
    """The tie-dynamics mechanism of one run (see the module docstring)."""

    def __init__(
        self, scenario: Scenario, services: MarketServices, hooks: Hooks, gen: np.random.Generator
    ) -> None:
        self.cfg = cfg = scenario.ties.dynamics
        self.market = services
        self.gen = gen
        self.rand = FastStream(gen)
        self.every = scenario.outputs.network_stats_every_months
        self.sample = scenario.outputs.network_stats_sample
        self.horizon = scenario.horizon_months
        self.reunions = 0  #: hires into a company where a former colleague works
        self.reunion_pairs = 0  #: (hire, former colleague there) pairs
        self.platform_ties = 0  #: new ties the platform made
        self.pruned = 0  #: ties removed by decay
        self._month = {"reunions": 0, "platform_ties_formed": 0}
        self._last_two_hop = math.nan
        if cfg.half_life_months > 0:
            ages = None
            n_ties = services.network.n_edges
            if cfg.initial_last_contact_months > 0 and n_ties:
                ages = gen.uniform(0.0, cfg.initial_last_contact_months, size=n_ties)
            services.enable_tie_decay(cfg.half_life_months, cfg.prune_below, ages)
        hooks.hire.append(self._on_hire)
        hooks.separation.append(self._on_separation)
        hooks.month_end.append(self._on_month_end)

    def start(self) -> None:
        """Nothing to start: the mechanism only reacts to hooks."""

    def processes(self) -> list[Generator]:
        """No processes of its own."""
        return []

    # ------------------------------------------------------------------ hooks
    def _on_hire(self, h: Hire) -> None:
        if h.channel == "internal":
            return
        market, i, c = self.market, h.worker, h.company
        employers = market.employers
        met = 0
        # The contacts at c first, in one pass (a hire's contacts are mostly elsewhere).
        for j in [j for j in market.contacts(i) if employers[j] == c]:
            if j != i:
                if market.tie_origin(i, j) in WORK_ORIGINS:
                    met += 1
                market.refresh_tie(i, j)
        if met:
            self.reunions += 1
            self.reunion_pairs += met
            self._month["reunions"] += 1
        if h.channel == "platform":
            self._platform_ties(i, c, h.chain)

    def _platform_ties(self, i: int, c: int, chain: tuple[int, ...]) -> None:
        """Referral ties along the chain and placement ties at company c (module docstring)."""
        cfg, market = self.cfg, self.market
        new = 0
        if cfg.referral_tie_strength > 0:
            people = [k for k in chain if k >= 0]
            people.append(i)
            for a, b in zip(people, people[1:], strict=False):
                if a != b and market.add_tie(a, b, cfg.referral_tie_strength, "platform_referral"):
                    new += 1
        k = cfg.placement_ties_per_hire
        staff = market.staff(c)
        if k and len(staff) > 1:
            rand, strength = self.rand, cfg.placement_tie_strength
            for _ in range(k):
                j = staff[int(rand.random() * len(staff))]
                if j != i and market.add_tie(i, j, strength, "placed_together"):
                    new += 1
        self.platform_ties += new
        self._month["platform_ties_formed"] += new

    def _on_separation(self, s: Separation) -> None:
        if s.reason == "internal_move":
            return
        market, i, c = self.market, s.worker, s.company
        employers = market.employers
        for j in [j for j in market.contacts(i) if employers[j] == c]:
            if j != i:
                market.refresh_tie(i, j)

    def _together(self, u: int, v: int) -> bool:
        employers = self.market.employers
        return employers[u] >= 0 and employers[u] == employers[v]

    def _on_month_end(self, ev: MonthEnd) -> None:
        pruned = 0
        if self.cfg.half_life_months > 0 and ev.month > 0:
            pruned = self.market.prune_ties(ev.month, self._together)
            self.pruned += pruned
        row = ev.row
        row["reunions"] = self._month["reunions"]
        row["platform_ties_formed"] = self._month["platform_ties_formed"]
        row["ties_pruned"] = pruned
        for key in self._month:
            self._month[key] = 0
        stats_month = ev.month == 0 or (self.every > 0 and ev.month % self.every < 1e-9)
        two_hop = former = math.nan
        if stats_month:
            two_hop = self._two_hop_within_skill()
            former = float(self.former_colleague_ties())
            self._last_two_hop = two_hop
        row["two_hop_share_within_skill"] = two_hop
        row["former_colleague_ties"] = former

    # ------------------------------------------------------------------ read-outs
    def _two_hop_within_skill(self) -> float:
        skills = np.asarray(self.market.skills, dtype=np.int64)
        return two_hop_share_within(self.market.network, skills, self.gen, self.sample)

    def former_colleague_ties(self) -> int:
        """Ties formed at work (colleague, placed together) between people who no longer
        share an employer (either may be seeking or out)."""
        u, v = self.market.network.ends_of(WORK_ORIGINS)
        emp = np.asarray(self.market.employers, dtype=np.int64)
        return int(np.count_nonzero((emp[u] < 0) | (emp[u] != emp[v])))

    def summary(self, t_months: float) -> dict:
        """Headline numbers: reunions (total, per year), platform ties, pruned ties, the
        former-colleague tie count and the last two-hop share within skill."""
        years = min(t_months, self.horizon) / 12.0  # the run ends a hair past the horizon
        return {
            "reunions": self.reunions,
            "reunions_per_year": self.reunions / years if years > 0 else 0.0,
            "reunion_pairs": self.reunion_pairs,
            "platform_ties_formed": self.platform_ties,
            "ties_pruned": self.pruned,
            "former_colleague_ties_final": self.former_colleague_ties(),
            "two_hop_share_within_skill_final": self._last_two_hop,
        }
