"""Gamer candidates: rotation partners and self-referrers wait in pools by skill while they
seek, and are put forward at once when a fitting vacancy is posted and the rule pays.
"""

from __future__ import annotations

from netsim.market.state import SEEKING


class GamerCandidates:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: gamer pools."""

    def start(self) -> None:
        """Called when the run starts: seeking gamer candidates begin to watch the platform."""
        for k in self._sponsor:
            if self.market.state(k) == SEEKING:
                self._to_pool(k)
        self.hooks.seeking.append(self._on_seeking)

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
            if state[k] != SEEKING:
                self._in_pool.discard(k)  # re-enters the pool when seeking again
                continue
            if not self._may_refer(self._sponsor[k], c):
                skipped.append(k)
                continue
            self._in_pool.discard(k)
            self.recommended[v].add(k)
            self._after_hop(lambda _ev, k=k: self._collude(v, k))
            break
        pool.extend(reversed(skipped))

    def _collude(self, v: int, k: int) -> None:
        """Gamer candidate k, put forward for vacancy v, applies; back to the pool if not hired."""
        market = self.market
        market.count_event()
        if market.state(k) != SEEKING:
            return
        sponsor = self._sponsor[k]
        chain = self.strategies[self.strategy[sponsor]].candidacy_chain(self, sponsor, k)
        hired = market.vacancy_open(v) and market.apply(k, v, "platform", chain, self.admit)
        if not hired and market.state(k) == SEEKING:
            self._to_pool(k)
