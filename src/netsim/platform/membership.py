"""Platform membership: who is a member at the start, their strategies, fake identities,
and growth by invitation (members invite contacts at a rate per month that rises with the
invite bonus, like a recommendation's response to its reward; an invitee joins with a
probability).
"""

from __future__ import annotations

import math

import numpy as np

from netsim.market.ledger import PLATFORM
from netsim.platform.gaming import sybil_take
from netsim.platform.strategies import BUILT_IN_GAMING, STRATEGIES, Honest, Strategy


class Membership:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: members."""

    def _init_members(self, gen: np.random.Generator, n: int) -> None:
        cfg = self.cfg
        weight = np.where(self.market.world.workers.vital, cfg.vital_member_multiplier, 1.0)
        p = np.minimum(1.0, cfg.member_share * n * weight / weight.sum())
        member = gen.random(n) < p
        self.member = member.tolist()
        self.member_list = np.flatnonzero(member).tolist()
        # Strategy 0 is honest; then the built-in gaming strategies and any custom ones,
        # each taking its share of the members (one uniform draw per worker).
        g = cfg.gaming
        chosen = [(STRATEGIES.get(name), getattr(g, key)) for name, key in BUILT_IN_GAMING]
        chosen += [(STRATEGIES.get(name), share) for name, share in g.custom_shares.items()]
        self.strategies: list[Strategy] = [Honest()] + [cls() for cls, _ in chosen]
        u = gen.random(n)
        strategy = np.zeros(n, dtype=np.int8)
        low = 0.0
        for code, (_, share) in enumerate(chosen, start=1):
            strategy[member & (u >= low) & (u < low + share)] = code
            low += share
        self.strategy = strategy.tolist()
        self._strategy_named = {st.name: st for st in self.strategies}
        # Gamer candidates and who puts them forward (e.g. a rotation pair's referrer, or a
        # self-referrer themself). Seeking candidates wait in pools by skill.
        self.partner = [-1] * n
        self._sponsor: dict[int, int] = {}
        for code, st in enumerate(self.strategies):
            for m in np.flatnonzero(strategy == code).tolist() if code else []:
                candidate = st.recruit(self, m, gen)
                if candidate >= 0:
                    self._sponsor.setdefault(candidate, m)
        self._pool: dict[int, list[int]] = {}
        self._in_pool: set[int] = set()

    def add_strategy(self, strategy: Strategy) -> int:
        """Make ``strategy`` available to members (e.g. a classroom's student strategy) and
        return its code; no member uses it until one is given that code."""
        self.strategies.append(strategy)
        self._strategy_named[strategy.name] = strategy
        return len(self.strategies) - 1

    def strategy_of(self, worker: int) -> Strategy:
        """The referral strategy a worker follows (honest for non-members)."""
        return self.strategies[self.strategy[worker]]

    def sybils_pay(self) -> bool:
        """Whether fake identities raise a last referrer's take under the rule."""
        if self._sybils_pay is None:
            salary = self.market.base_salary
            without, with_fakes = sybil_take(
                self.rule,
                1,
                0,
                self.cfg.gaming.sybils_per_cheater,
                salary,
                self.cfg.expected_stay_months,
            )
            self._sybils_pay = with_fakes > without + 1e-9
        return self._sybils_pay

    def fakes_of(self, member: int) -> tuple[int, ...]:
        """The fake identities (negative ids) a sybil member runs, created on first use."""
        fakes = self._fakes.get(member)
        if fakes is None:
            fakes = tuple(self._new_fake(member) for _ in range(self.cfg.gaming.sybils_per_cheater))
            self._fakes[member] = fakes
        return fakes

    def _new_fake(self, owner: int) -> int:
        self._fake_owner.append(owner)
        return -len(self._fake_owner)

    def owner(self, identity: int) -> int:
        """The worker behind a chain identity."""
        return identity if identity >= 0 else self._fake_owner[-identity - 1]

    def _join(self, k: int) -> None:
        if not self.member[k]:
            self.member[k] = True
            self.member_list.append(k)
            self.month["new_members"] += 1

    def invite_rate(self) -> float:
        """Invitations per member per month: ``invite_rate_per_month`` times the response
        ``1 - (1 - invite_base) exp(-invite_sensitivity * invite_bonus / 1000)`` (the same
        curve as a recommendation's response to its reward, in :mod:`netsim.platform.cascades`)."""
        cfg = self.cfg
        response = 1.0 - (1.0 - cfg.invite_base) * math.exp(
            -cfg.invite_sensitivity * cfg.invite_bonus / 1000.0
        )
        return cfg.invite_rate_per_month * response

    def invite_process(self):
        """Members invite a random contact, who joins with ``invite_join_probability``.

        One aggregate Poisson process at ``invite_rate() * n`` draws a random worker
        (thinning: only a member's draw is an invitation, so each member invites at
        ``invite_rate()`` per month); an invitation to a member is wasted. Its draws come
        from the run's own ``invites`` stream, so switching invitations on leaves the
        platform's other draws unchanged. The inviter is paid ``invite_bonus`` per join.
        """
        n = self.market.n_workers
        rate = self.invite_rate() * n
        if rate <= 0.0:
            return
        market, rand = self.market, self.invite_rand
        p_join = self.cfg.invite_join_probability
        while True:
            yield market.timeout(rand.exponential(rate))
            market.count_event()
            i = rand.integers(n)
            if not self.member[i]:
                continue
            k = market.random_contact(i, rand)
            if k < 0 or self.member[k]:
                continue
            self.month["invites"] += 1
            if rand.random() >= p_join:
                continue
            self._join(k)
            self.month["invite_joins"] += 1
            self.ledger.pay(
                market.now, PLATFORM, ("worker", i), self.cfg.invite_bonus, "invite_bonus"
            )
            self.month["invite_bonuses"] += self.cfg.invite_bonus
