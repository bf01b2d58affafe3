"""Referral cascades: a posted vacancy reaches members, who recommend fitting contacts, who
apply or pass it on, so chains of several hops form (each hop an exponential delay, months).
The chance to recommend or pass on rises with the reward the payout rule promises.

With ``cascade_mode: synchronous`` every hop takes exactly ``hop_delay_months``: a cascade
then moves in generations (two hops each: seeing, then deciding), the synchronous Independent
Halting Cascade of :mod:`netsim.platform.ihc` with ``pr`` the recommendation probability,
``pa`` the apply probability, spreading by ``pass_on_probability`` (1 in the IHC) and the
hire decided by the market; it stops at the first hire, when the vacancy closes.
"""

from __future__ import annotations

import math

from netsim.market.state import EMPLOYED, OUT


class Cascades:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: cascades."""

    def _response(self, base: float, reward: float) -> float:
        k = self.cfg.reward_sensitivity
        return 1.0 - (1.0 - base) * math.exp(-k * max(reward, 0.0) / 1000.0)

    def _expected_reward(self, position_from_end: int, c: int) -> float:
        """What a referrer expects at ``position_from_end`` for a hire at company c."""
        key = (position_from_end, c)
        reward = self._reward_cache.get(key)
        if reward is None:
            salary = self.market.base_salary * self.market.company_pay(c)
            reward = self.rule.expected_reward(
                position_from_end, salary, self.cfg.expected_stay_months
            )
            self._reward_cache[key] = reward
        return reward

    def _chance(self, position_from_end: int, c: int) -> float:
        """The chance to recommend (``position_from_end`` 0) or to pass on (1) a vacancy of
        company c, given the reward the rule promises there (cached per company: it is asked
        at every hop, and the reward and the response curve do not change)."""
        key = (position_from_end, c)
        p = self._chance_cache.get(key)
        if p is None:
            cfg = self.cfg
            base = cfg.recommend_base if position_from_end == 0 else cfg.pass_on_probability
            p = self._chance_cache[key] = self._response(
                base, self._expected_reward(position_from_end, c)
            )
        return p

    def post(self, v: int) -> None:
        """A vacancy went on the open market: show it to members if its company subscribes."""
        c = self.market.vacancy_company(v)
        if not self.subscriber[c]:
            return
        self.recommended[v] = set()
        members = self.member_list
        reach = min(self.cfg.reach, len(members))
        if reach:
            choice, may_refer, see = self.rand.choice, self._may_refer, self._schedule_activation
            for _ in range(reach):
                a = choice(members)
                if may_refer(a, c):
                    see(v, a, (), c)
        self._gamers_see(v, c)

    def _may_refer(self, a: int, c: int) -> bool:
        """Staff of restricting companies stay off the platform; only embracing companies
        let their own staff refer into the company."""
        e = self.market.employer(a)
        if e < 0:
            return True
        policy = self.market.company_policy(e)
        if policy == 0:
            return False
        return e != c or policy == 2

    def _after_hop(self, fn, a, b) -> None:
        """Call ``fn(a, b)`` one hop from now: an exponential time, or exactly
        ``hop_delay_months`` in ``synchronous`` mode (then every generation of a cascade
        moves in one step). A plain timer (``call_in``): a hop is the platform's most
        frequent event, and a SimPy event and a closure per hop cost more than the hop."""
        fixed, rate = self._hop
        self.market.call_in(fixed if rate is None else self.rand.exponential(rate), fn, a, b)

    def _hop_setting(self) -> tuple[float, float | None]:
        """``(hop_delay_months, None)`` in synchronous mode, else ``(it, 1 / it)`` (the
        exponential's rate per month), read once at the start (the setting is asked on every
        hop)."""
        hop = self.cfg.hop_delay_months
        return (hop, None) if self.cfg.cascade_mode == "synchronous" else (hop, 1.0 / hop)

    def _schedule_activation(self, v: int, a: int, chain: tuple[int, ...], c: int) -> None:
        """Person ``a`` will see vacancy v (at company c) after one hop.

        Which fitting contacts ``a`` will recommend is drawn now: the draws are independent
        of everything that can change during the hop, so drawing them early changes no
        distribution, and a person who would recommend nobody costs no event.
        """
        p = self._chance(0, c)
        if p <= 0.0:
            return
        market, rand = self.market, self.rand.random
        skill, skill_of = market.vacancy_skill(v), market.skills
        chosen = [k for k in market.contacts(a) if skill_of[k] == skill and rand() < p]
        if chosen:
            self.strategies[self.strategy[a]].notice(self, a, v, chosen)
            self._after_hop(self._activate, (v, a, chain), chosen)

    def _activate(self, seen: tuple[int, int, tuple[int, ...]], chosen: list[int]) -> None:
        """Person ``a`` has seen vacancy v (``seen`` is ``(v, a, chain)``) and recommends
        the ``chosen`` contacts who are still eligible (not yet recommended, not in the
        chain, not at the company, in the market)."""
        v, a, chain = seen
        market = self.market
        market.count_event()
        if not market.vacancy_open(v):  # filled or expired meanwhile
            return
        c = market.vacancy_company(v)
        strategy = self.strategies[self.strategy[a]]
        chosen = strategy.recommend(self, a, v, chosen)  # a student may choose (classroom)
        chain = chain + strategy.identities(self, a)
        if len(chain) > self.cfg.max_chain:
            return
        rec = self.recommended[v]
        employer, state = market.employers, market.states
        # Nobody in the chain can be its candidate (no loops back to a referrer).
        referrers = {self.owner(i) for i in chain}
        offer = (v, chain)
        for k in chosen:
            if k in rec or k in referrers or employer[k] == c or state[k] == OUT:
                continue
            rec.add(k)
            self.month["recommendations"] += 1
            self._after_hop(self._recommended, offer, k)

    def _recommended(self, offer: tuple[int, tuple[int, ...]], k: int) -> None:
        """Person k was recommended for vacancy v through ``chain`` (``offer`` is
        ``(v, chain)``): k applies, or passes it on, or lets it go."""
        v, chain = offer
        market = self.market
        market.count_event()
        if not market.vacancy_open(v):
            return
        c = market.vacancy_company(v)
        if self.held_pairs and self.declines(k, chain):
            return  # a held rotation candidate takes only its own referrer's offers
        p_apply = self.cfg.apply_probability
        if market.state(k) == EMPLOYED:
            p_apply *= 1.0 - market.satisfaction(k)
        if self.rand.random() < p_apply:
            market.apply(k, v, "platform", chain, self.admit)
            return
        if len(chain) >= self.cfg.max_chain or not self._may_refer(k, c):
            return
        p_pass = self._chance(1, c)
        if self.rand.random() < p_pass:
            self._join(k)
            self._schedule_activation(v, k, chain, c)
