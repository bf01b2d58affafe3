"""Gamer candidates: rotation partners and self-referrers wait in pools by skill while they
seek, and are put forward at once when a fitting vacancy is posted and the rule pays.

**Held rotation pairs** (``platform.gaming.hold_candidates``): a pair whose strategy holds
its candidate (:meth:`~netsim.platform.strategies.Strategy.holds_candidate`), under a rule
that makes rotating pay, keeps the candidate in rotation. From the start (an employed
candidate quits at month 0) the candidate declines every offer but its referrer's on the
platform (:meth:`~netsim.market.services.MarketServices.hold`; other members'
recommendations too), so it does not drift into ordinary jobs between placements. The pair
**dissolves** (the hold is released, the candidate becomes an ordinary worker and finishes
a running stay as planned) at the first of: its ``max_placements``-th gamed placement; a
placement at which the rule does not make rotating pay (the best response says stay); a
defence rejecting the candidate (``dissolve_on_detection``); an exponential time at
``dissolution_rate_per_month`` (drawn at the start). Times in months.
"""

from __future__ import annotations

import math

from netsim.market.state import EMPLOYED, SEEKING

#: Why a held rotation pair dissolved (keys of the summary counts).
DISSOLUTION_REASONS = ("placements", "rule", "detected", "hazard")


class GamerCandidates:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: gamer pools."""

    def start(self) -> None:
        """Called when the run starts: seeking gamer candidates begin to watch the platform."""
        self._hold_pairs()
        for k in self._sponsor:
            if self.market.state(k) == SEEKING:
                self._to_pool(k)
        self.hooks.seeking.append(self._on_seeking)

    def _hold_pairs(self) -> None:
        """Hold the candidates of pairs that keep them in rotation (see the module docstring)."""
        market, g = self.market, self.cfg.gaming
        holding = [
            k
            for k, sponsor in self._sponsor.items()
            if k != sponsor and self.strategy_of(sponsor).holds_candidate(self)
        ]
        if not holding or not self.plan_rotation(market.base_salary).rotate:
            return  # nobody holds, or the rule does not make rotating pay
        for k in holding:
            until = math.inf
            if g.dissolution_rate_per_month > 0.0:
                until = self.rand.exponential(g.dissolution_rate_per_month)
                market.call_in(until, self.dissolve, k, "hazard")
            self.held_pairs[k] = 0
            self.held_at_start += 1
            market.hold(k, "platform", until)
            if market.state(k) == EMPLOYED:
                market.schedule_quit(k, market.stint_hire(k), market.now)

    def dissolve(self, k: int, reason: str) -> None:
        """End held candidate k's rotation pair for ``reason`` (one of DISSOLUTION_REASONS)."""
        if self.held_pairs.pop(k, None) is None:
            return
        self.market.count_event()
        self.market.release(k)
        sponsor = self._sponsor.pop(k)
        self.partner[k] = self.partner[sponsor] = -1
        self._in_pool.discard(k)  # stays in its pool list until popped, then skipped
        self.dissolved[reason] += 1
        self.dissolutions.append((k, self.market.now, reason))
        self.month["pairs_dissolved"] += 1

    def _placed(self, k: int, rotating: bool) -> None:
        """A gamed placement of held candidate k; ``rotating``: the rule still makes it pay."""
        if k not in self.held_pairs:
            return
        self.held_pairs[k] += 1
        self.month["held_placements"] += 1
        if not rotating:
            self.dissolve(k, "rule")
        elif (n := self.cfg.gaming.max_placements) is not None and self.held_pairs[k] >= n:
            self.dissolve(k, "placements")

    def declines(self, k: int, chain: tuple[int, ...]) -> bool:
        """Whether held candidate k declines a recommendation along ``chain`` (one that is
        not its own referrer's)."""
        if k not in self.held_pairs:
            return False
        return not chain or self.owner(chain[-1]) != self._sponsor[k]

    def _on_seeking(self, k: int) -> None:
        if k in self._sponsor:
            self._to_pool(k)

    def _to_pool(self, k: int) -> None:
        if k not in self._in_pool:
            self._in_pool.add(k)
            self._pool.setdefault(self.market.skill(k), []).append(k)

    def _gamers_see(self, v: int, c: int) -> None:
        """Gamers watch every post: a seeking rotation candidate or self-referrer who fits is
        put forward at once (pools by skill, so a post costs O(1), not O(gamers))."""
        pool = self._pool.get(self.market.vacancy_skill(v))
        if not pool or self._expected_reward(0, c) <= 0.0:
            return  # nobody to put forward, or nothing to gain
        state = self.market.states
        skipped = []
        while pool:
            k = pool.pop()
            if state[k] != SEEKING or k not in self._sponsor:
                self._in_pool.discard(k)  # re-enters the pool when seeking again
                continue
            if not self._may_refer(self._sponsor[k], c):
                skipped.append(k)
                continue
            self._in_pool.discard(k)
            self.recommended[v].add(k)
            self._after_hop(self._collude, v, k)
            break
        pool.extend(reversed(skipped))

    def _collude(self, v: int, k: int) -> None:
        """Gamer candidate k, put forward for vacancy v, applies; back to the pool if not hired."""
        market = self.market
        market.count_event()
        sponsor = self._sponsor.get(k)
        if market.state(k) != SEEKING or sponsor is None:
            return  # no longer seeking, or the pair dissolved during the hop
        chain = self.strategies[self.strategy[sponsor]].candidacy_chain(self, sponsor, k)
        hired = market.vacancy_open(v) and market.apply(k, v, "platform", chain, self.admit)
        if not hired and market.state(k) == SEEKING and k in self._sponsor:
            self._to_pool(k)
