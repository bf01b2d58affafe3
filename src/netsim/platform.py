"""The paid referral platform: members, referral cascades, payouts, gaming and defences.

Modelled on a recruiting agency that filled IT positions through a community of paid
"recruiter-friends" (docs/ODD.md). Time is in months, money in currency units.

**Cascades.** A vacancy posted by a subscribing company is shown to ``reach`` random members.
A person who sees it (is *active*) recommends each fitting contact (same skill as the
vacancy, not yet recommended for it) with probability ``1 - (1 - base) exp(-k R / 1000)``,
where ``R`` is the reward they expect under the payout rule as the last referrer and ``k``
the ``reward_sensitivity``. A recommended person applies (seeking: ``apply_probability``;
employed: times ``1 - satisfaction``); otherwise, with the same response curve applied to
``pass_on_probability`` and the reward of the second-to-last referrer, they join the
platform, become active and pass the vacancy on, so chains of several hops form. Each hop
takes an exponential time (``hop_delay_months``); the vacancy closes at the first hire.

**Money.** A company pays ``fee_per_hire`` when it hires through the platform; the platform
pays referrers as the payout rule's schedule says, books clawbacks and refunds, and keeps
the margin (:class:`~netsim.ledger.Ledger`).

**Strategies** (:data:`STRATEGIES`): honest members, rotation pairs, sybils and
self-referrers, assigned to members by the configured shares. **Defences**: screening of
the public job history, a cooldown per candidate, a payout cap per candidate, sybil
detection, and the rule's own clawbacks. Rejections of gamers count as detections, of
honest candidates as false positives.

The platform draws only from the run's ``platform`` random stream; a platform that reaches
nobody leaves every other draw of the run unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from netsim.gaming import RotationPlan, best_rotation, sybil_take
from netsim.ledger import ACCOUNT_KINDS, PLATFORM, REASONS, Ledger
from netsim.payouts import PAYOUT_RULES, Clawback, Payment, PayoutRule
from netsim.registry import Registry
from netsim.rng import FastStream

if TYPE_CHECKING:
    import pandas as pd

    from netsim.simulation import Hire, Separation, Simulation


class Strategy:
    """A member's referral strategy: a plug-in with hooks the platform calls.

    Subclass it, set ``name`` and ``description``, override the hooks you need, and either
    register it in :data:`STRATEGIES` or name it as ``package.module:Class`` in
    ``platform.gaming.custom_shares``. The defaults describe an honest member. Hooks get
    the :class:`ReferralPlatform` (its ``rule``, ``cfg``, ``sim`` and helpers such as
    :meth:`ReferralPlatform.fakes_of` and :meth:`ReferralPlatform.plan_rotation`).
    """

    name: ClassVar[str]
    description: ClassVar[str]
    #: Whether hires this strategy produces count as gamed (payouts honest vs gamed).
    gaming: ClassVar[bool] = True

    def identities(self, platform: ReferralPlatform, member: int) -> tuple[int, ...]:
        """The chain identities this member adds when recommending (default: themself)."""
        return (member,)

    def recruit(self, platform: ReferralPlatform, member: int, gen: np.random.Generator) -> int:
        """At set-up: the worker this member will put forward on every fitting post, or -1.

        Candidates wait in pools by skill while seeking and are put forward at once when a
        vacancy of their skill is posted and the rule pays anything (default: nobody).
        """
        return -1

    def candidacy_chain(
        self, platform: ReferralPlatform, member: int, candidate: int
    ) -> tuple[int, ...]:
        """The chain with which this member puts ``candidate`` forward (default: themself)."""
        return (member,)

    def claims(
        self, platform: ReferralPlatform, owner: int, candidate: int, chain: tuple[int, ...]
    ) -> bool:
        """Whether a candidacy of ``candidate`` with ``chain``, in which ``owner`` (a member
        with this strategy) holds an identity, is this strategy's gaming (default: no)."""
        return False

    def planned_stay(self, platform: ReferralPlatform, hire: PlatformHire) -> float | None:
        """Months the candidate of a gamed hire stays before quitting, or None (default)."""
        return None

    def kickback_share(self, platform: ReferralPlatform) -> float:
        """Share of this member's payouts on a gamed hire passed to the candidate."""
        return 0.0


STRATEGIES: Registry[Strategy] = Registry("referrer strategy")


@STRATEGIES.register
class Honest(Strategy):
    """Recommends fitting contacts when the expected reward makes it worthwhile."""

    name = "honest"
    description = "Recommends fitting contacts in response to the expected reward."
    gaming = False


@STRATEGIES.register
class Rotation(Strategy):
    """A colluding referrer–candidate pair that places the candidate again and again.

    The referrer pairs with one contact who is not a member. Whenever the candidate is
    seeking and a fitting vacancy is posted, the referrer recommends them at once. The
    candidate always applies, stays exactly as long as :func:`netsim.gaming.best_rotation`
    says pays best under the rule (net of the switching cost), then quits; the referrer
    passes ``kickback_share`` of every payout to the candidate. When rotating does not pay,
    the candidate stays like anyone else.
    """

    name = "rotation"
    description = "Rotates a colluding contact through companies and splits the bonus."

    def recruit(self, platform: ReferralPlatform, member: int, gen: np.random.Generator) -> int:
        partner, is_member = platform.partner, platform.member
        free = [
            k for k in platform.sim.net.neighbours[member] if partner[k] < 0 and not is_member[k]
        ]
        if not free:
            return -1
        k = free[int(gen.integers(len(free)))]
        partner[member], partner[k] = k, member
        return k

    def claims(self, platform, owner, candidate, chain) -> bool:
        return platform.partner[candidate] == owner and chain[-1] == owner

    def planned_stay(self, platform, hire) -> float | None:
        plan = platform.plan_rotation(hire.salary)
        return plan.stay_months if plan.rotate else None

    def kickback_share(self, platform) -> float:
        return platform.cfg.gaming.kickback_share


@STRATEGIES.register
class Sybil(Strategy):
    """Inserts ``sybils_per_cheater`` fake identities between themself and the candidate.

    Only when it pays: the member compares its take as the last referrer with and without
    the fakes under the rule (:func:`netsim.gaming.sybil_take`), so under a sybil-proof
    rule it behaves honestly and under the recursive rule it cheats.
    """

    name = "sybil"
    description = "Lengthens chains with fake identities it owns, when the rule rewards it."

    def identities(self, platform: ReferralPlatform, member: int) -> tuple[int, ...]:
        if not platform.sybils_pay():
            return (member,)
        return (member, *platform.fakes_of(member))

    def claims(self, platform, owner, candidate, chain) -> bool:
        return owner != candidate and any(i < 0 and platform.owner(i) == owner for i in chain)


@STRATEGIES.register
class SelfReferral(Strategy):
    """Refers themself through a fake identity whenever they seek and a vacancy fits."""

    name = "self_referral"
    description = "Refers itself through a fake identity."

    def recruit(self, platform: ReferralPlatform, member: int, gen: np.random.Generator) -> int:
        return member

    def candidacy_chain(self, platform, member, candidate) -> tuple[int, ...]:
        return platform.fakes_of(member)[:1]

    def claims(self, platform, owner, candidate, chain) -> bool:
        return owner == candidate and any(i < 0 and platform.owner(i) == owner for i in chain)


#: The built-in gaming strategies, in the order of their shares in ``platform.gaming``.
BUILT_IN_GAMING = (
    ("rotation", "rotation_share"),
    ("sybil", "sybil_share"),
    ("self_referral", "self_referral_share"),
)


@dataclass
class PlatformHire:
    """A hire made through the platform, with its chain and what was paid (months, currency)."""

    hire_id: int
    worker: int
    company: int
    time_months: float
    salary: float
    chain: tuple[int, ...]  #: identities; fakes are negative
    owners: tuple[int, ...]  #: the worker who owns each identity
    gaming: str  #: '' for honest hires, else the strategy that produced it
    paid: list[Payment] = field(default_factory=list)
    active: bool = True
    end_months: float = math.inf  #: when the hire ended (inf while it lasts)


class ReferralPlatform:
    """The platform attached to one :class:`~netsim.simulation.Simulation`."""

    def __init__(self, sim: Simulation, gen: np.random.Generator) -> None:
        self.sim = sim
        self.cfg = cfg = sim.sc.platform
        self.rand = FastStream(gen)
        self.rule: PayoutRule = PAYOUT_RULES.get(cfg.payout.rule)(cfg.payout.params)
        self.ledger = Ledger()
        n = sim.workers.n
        self._init_members(gen, n)
        self.subscriber = (gen.random(sim.companies.n) < cfg.subscriber_share).tolist()
        self.recommended: dict[int, set[int]] = {}
        self.hires: dict[int, PlatformHire] = {}
        self.last_placed: dict[int, float] = {}
        self.paid_for_candidate: dict[int, float] = {}
        self._fake_owner: list[int] = []
        self._fakes: dict[int, tuple[int, ...]] = {}
        self._plans: dict[float, RotationPlan] = {}
        self._sybils_pay: bool | None = None
        self._reward_cache: dict[tuple[int, int], float] = {}
        self.month = self._zero_month()
        self.totals = {"detections": 0, "false_positives": 0, "recommendations": 0}
        self.chain_lengths: list[int] = []
        sim.on_hire.append(self._on_hire)
        sim.on_separation.append(self._on_separation)

    # ------------------------------------------------------------------ set-up
    def _init_members(self, gen: np.random.Generator, n: int) -> None:
        cfg, sim = self.cfg, self.sim
        weight = np.where(sim.workers.vital, cfg.vital_member_multiplier, 1.0)
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

    def strategy_of(self, worker: int) -> Strategy:
        """The referral strategy a worker follows (honest for non-members)."""
        return self.strategies[self.strategy[worker]]

    def sybils_pay(self) -> bool:
        """Whether fake identities raise a last referrer's take under the rule."""
        if self._sybils_pay is None:
            salary = self.sim.base_salary
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

    @staticmethod
    def _zero_month() -> dict[str, float]:
        return {
            "platform_hires": 0,
            "recommendations": 0,
            "fees": 0.0,
            "payouts_honest": 0.0,
            "payouts_gamed": 0.0,
            "clawbacks": 0.0,
            "refunds": 0.0,
            "kickbacks": 0.0,
            "invite_bonuses": 0.0,
            "detections": 0,
            "false_positives": 0,
            "new_members": 0,
        }

    # ------------------------------------------------------------------ response curve
    def _response(self, base: float, reward: float) -> float:
        k = self.cfg.reward_sensitivity
        return 1.0 - (1.0 - base) * math.exp(-k * max(reward, 0.0) / 1000.0)

    def _expected_reward(self, position_from_end: int, c: int) -> float:
        """What a referrer expects at ``position_from_end`` for a hire at company c."""
        key = (position_from_end, c)
        reward = self._reward_cache.get(key)
        if reward is None:
            salary = self.sim.base_salary * self.sim.pay[c]
            reward = self.rule.expected_reward(
                position_from_end, salary, self.cfg.expected_stay_months
            )
            self._reward_cache[key] = reward
        return reward

    # ------------------------------------------------------------------ cascades
    def post(self, v: int) -> None:
        """A vacancy went on the open market: show it to members if its company subscribes."""
        sim = self.sim
        c = sim.vac_company[v]
        if not self.subscriber[c]:
            return
        self.recommended[v] = set()
        rand = self.rand
        members = self.member_list
        for _ in range(min(self.cfg.reach, len(members))):
            a = rand.choice(members)
            if self._may_refer(a, c):
                self._schedule_activation(v, a, (), c)
        self._gamers_see(v, c)

    def _may_refer(self, a: int, c: int) -> bool:
        """Staff of restricting companies stay off the platform; only embracing companies
        let their own staff refer into the company."""
        sim = self.sim
        e = sim.employer[a]
        if e < 0:
            return True
        policy = sim.companies.policy[e]
        if policy == 0:
            return False
        return e != c or policy == 2

    def _after_hop(self, fn) -> None:
        self.sim._timer(self.rand.exponential(1.0 / self.cfg.hop_delay_months), fn)

    def _schedule_activation(self, v: int, a: int, chain: tuple[int, ...], c: int) -> None:
        """Person ``a`` will see vacancy v (at company c) after one hop.

        Which fitting contacts ``a`` will recommend is drawn now: the draws are independent
        of everything that can change during the hop, so drawing them early changes no
        distribution, and a person who would recommend nobody costs no event.
        """
        p = self._response(self.cfg.recommend_base, self._expected_reward(0, c))
        if p <= 0.0:
            return
        sim, rand = self.sim, self.rand
        skill, skill_of = sim.vac_skill[v], sim.skill_of
        chosen = [k for k in sim.net.neighbours[a] if skill_of[k] == skill and rand.random() < p]
        if chosen:
            self._after_hop(lambda _ev: self._activate(v, a, chain, chosen))

    def _activate(self, v: int, a: int, chain: tuple[int, ...], chosen: list[int]) -> None:
        """Person ``a`` has seen vacancy v and recommends the ``chosen`` contacts who are
        still eligible (not yet recommended, not in the chain, not at the company, in the
        market)."""
        sim = self.sim
        sim.n_events += 1
        if sim.vac_status[v] != 0:  # no longer open
            return
        c = sim.vac_company[v]
        strategy = self.strategies[self.strategy[a]]
        chain = chain + strategy.identities(self, a)
        if len(chain) > self.cfg.max_chain:
            return
        rec = self.recommended[v]
        employer, state = sim.employer, sim.state
        # Nobody in the chain can be its candidate (no loops back to a referrer).
        referrers = {self.owner(i) for i in chain}
        for k in chosen:
            if k in rec or k in referrers or employer[k] == c or state[k] == 2:
                continue
            rec.add(k)
            self.month["recommendations"] += 1
            self._after_hop(lambda _ev, k=k: self._recommended(v, k, chain))

    def _recommended(self, v: int, k: int, chain: tuple[int, ...]) -> None:
        sim = self.sim
        sim.n_events += 1
        if sim.vac_status[v] != 0:
            return
        c = sim.vac_company[v]
        p_apply = self.cfg.apply_probability
        if sim.state[k] == 1:
            p_apply *= 1.0 - sim.satisfaction[k]
        if self.rand.random() < p_apply:
            sim._apply(k, c, v, "platform", chain)
            return
        if len(chain) >= self.cfg.max_chain or not self._may_refer(k, c):
            return
        p_pass = self._response(self.cfg.pass_on_probability, self._expected_reward(1, c))
        if self.rand.random() < p_pass:
            self._join(k)
            self._schedule_activation(v, k, chain, c)

    def _join(self, k: int) -> None:
        if not self.member[k]:
            self.member[k] = True
            self.member_list.append(k)
            self.month["new_members"] += 1

    def start(self) -> None:
        """Called when the run starts: seeking gamer candidates begin to watch the platform."""
        for k in self._sponsor:
            if self.sim.state[k] == 0:
                self._to_pool(k)
        self.sim.on_seeking.append(self._on_seeking)

    def _on_seeking(self, k: int) -> None:
        if k in self._sponsor:
            self._to_pool(k)

    def _to_pool(self, k: int) -> None:
        if k not in self._in_pool:
            self._in_pool.add(k)
            self._pool.setdefault(self.sim.skill_of[k], []).append(k)

    def _gamers_see(self, v: int, c: int) -> None:
        """Gamers watch every post: a seeking rotation candidate or self-referrer who fits is
        put forward at once (pools by skill, so a post costs O(1), not O(gamers))."""
        pool = self._pool.get(self.sim.vac_skill[v])
        if not pool or self._expected_reward(0, c) <= 0.0:
            return  # nobody to put forward, or nothing to gain
        state = self.sim.state
        skipped = []
        while pool:
            k = pool.pop()
            if state[k] != 0:
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
        sim = self.sim
        sim.n_events += 1
        if sim.state[k] != 0:
            return
        sponsor = self._sponsor[k]
        chain = self.strategies[self.strategy[sponsor]].candidacy_chain(self, sponsor, k)
        hired = sim.vac_status[v] == 0 and sim._apply(k, sim.vac_company[v], v, "platform", chain)
        if not hired and sim.state[k] == 0:
            self._to_pool(k)

    # ------------------------------------------------------------------ defences
    def admit(self, k: int, chain: tuple[int, ...]) -> bool:
        """Screening and cooldown for a platform candidate; False = rejected."""
        d = self.cfg.defences
        sim = self.sim
        t = sim.env.now
        reject = False
        if d.cooldown_months > 0.0:
            last = self.last_placed.get(k)
            reject = last is not None and t - last < d.cooldown_months
        if not reject and d.screening:
            short = sum(
                1
                for (_c, start, end) in sim.history[k]
                if end >= t - d.memory_months and end - start < d.short_stint_months
            )
            reject = short >= d.max_short_stints
        if reject:
            if self._gaming_of(k, chain):
                self.month["detections"] += 1
            else:
                self.month["false_positives"] += 1
        return not reject

    def _gaming_of(self, k: int, chain: tuple[int, ...]) -> str:
        """Which strategy, if any, produced a candidacy of k with this chain.

        The gamer closest to the candidate decides: identities are checked from the end of
        the chain, and the first owner whose strategy claims the candidacy names it.
        """
        seen = set()
        for ident in reversed(chain):
            o = self.owner(ident)
            if o in seen:
                continue
            seen.add(o)
            st = self.strategies[self.strategy[o]]
            if st.gaming and st.claims(self, o, k, chain):
                return st.name
        return ""

    # ------------------------------------------------------------------ money
    def _on_hire(self, hire: Hire) -> None:
        if hire.channel != "platform":
            return
        sim = self.sim
        chain = hire.chain
        owners = tuple(self.owner(i) for i in chain)
        ph = PlatformHire(
            hire.hire_id,
            hire.worker,
            hire.company,
            hire.time_months,
            hire.salary,
            chain,
            owners,
            self._gaming_of(hire.worker, chain),
        )
        self.hires[hire.hire_id] = ph
        self.chain_lengths.append(len(chain))
        self.last_placed[hire.worker] = hire.time_months
        self.month["platform_hires"] += 1
        self.ledger.pay(
            hire.time_months,
            ("company", hire.company),
            PLATFORM,
            self.cfg.fee_per_hire,
            "fee",
            hire.hire_id,
        )
        self.month["fees"] += self.cfg.fee_per_hire
        self._detect_sybils(ph)
        for payment in self.rule.schedule(len(chain), hire.salary):
            if payment.delay_months <= 0.0:
                self._pay(ph, payment)
            else:
                sim._timer(payment.delay_months, lambda _ev, p=payment: self._due(ph, p))
        if ph.gaming:
            stay = self._strategy_named[ph.gaming].planned_stay(self, ph)
            if stay is not None:
                sim.schedule_quit(hire.worker, hire.hire_id, hire.time_months + stay)

    def _detect_sybils(self, ph: PlatformHire) -> None:
        p = self.cfg.defences.sybil_detection_probability
        if p <= 0.0:
            return
        for pos, ident in enumerate(ph.chain):
            if ident < 0 and self.rand.random() < p:
                self.month["detections"] += 1
                # A detected fake identity forfeits its payments on this hire.
                ph.owners = ph.owners[:pos] + (-1,) + ph.owners[pos + 1 :]

    def plan_rotation(self, salary: float) -> RotationPlan:
        """The best rotation plan under the rule for a hire of monthly ``salary`` (cached)."""
        plan = self._plans.get(salary)
        if plan is None:
            g = self.cfg.gaming
            sc = self.sim.sc
            plan = best_rotation(
                self.rule,
                salary,
                g.switching_cost,
                g.rotation_search_months,
                sc.companies.onboarding_months,
                sc.horizon_months,
            )
            self._plans[salary] = plan
        return plan

    def _due(self, ph: PlatformHire, payment: Payment) -> None:
        self.sim.n_events += 1
        if payment.if_employed and not ph.active:
            return
        self._pay(ph, payment)

    def _pay(self, ph: PlatformHire, payment: Payment) -> None:
        """Pay one scheduled payment, within the per-candidate cap."""
        payee = ph.owners[payment.position]
        if payee < 0:
            return  # a detected fake identity
        amount = payment.amount
        cap = self.cfg.defences.cap_per_candidate
        if cap is not None:
            so_far = self.paid_for_candidate.get(ph.worker, 0.0)
            amount = max(0.0, min(amount, cap - so_far))
            self.paid_for_candidate[ph.worker] = so_far + amount
        if amount <= 0.0:
            return
        t = self.sim.env.now
        gamed = bool(ph.gaming)
        self.ledger.pay(t, PLATFORM, ("worker", payee), amount, "payout", ph.hire_id, gamed)
        self.month["payouts_gamed" if gamed else "payouts_honest"] += amount
        ph.paid.append(Payment(payment.delay_months, payment.position, amount, payment.if_employed))
        gamer = self._strategy_named.get(ph.gaming)
        if (
            gamer is not None
            and payee != ph.worker
            and self.strategies[self.strategy[payee]] is gamer
        ):
            kick = gamer.kickback_share(self) * amount
            self.ledger.pay(
                t, ("worker", payee), ("worker", ph.worker), kick, "kickback", ph.hire_id, True
            )
            self.month["kickbacks"] += kick

    def _on_separation(self, sep: Separation) -> None:
        ph = self.hires.get(sep.stint_hire_id)
        if ph is None or not ph.active:
            return
        ph.active = False
        t = sep.time_months
        ph.end_months = t
        if sep.tenure_months < self.cfg.refund_months:
            self.ledger.pay(
                t, PLATFORM, ("company", ph.company), self.cfg.fee_per_hire, "refund", ph.hire_id
            )
            self.month["refunds"] += self.cfg.fee_per_hire
        claws: list[Clawback] = self.rule.clawbacks(
            len(ph.chain), ph.salary, sep.tenure_months, ph.paid
        )
        for cb in claws:
            payer = ph.owners[cb.position]
            if payer >= 0 and cb.amount > 0.0:
                self.ledger.pay(
                    t,
                    ("worker", payer),
                    PLATFORM,
                    cb.amount,
                    "clawback",
                    ph.hire_id,
                    bool(ph.gaming),
                )
                self.month["clawbacks"] += cb.amount

    # ------------------------------------------------------------------ growth
    def invite_process(self):
        """Members invite a random non-member contact (thinning against all workers)."""
        rate = self.cfg.invite_rate_per_month * self.sim.workers.n
        if rate <= 0.0:
            return
        sim, rand = self.sim, self.rand
        n = sim.workers.n
        while True:
            yield sim.env.timeout(rand.exponential(rate))
            sim.n_events += 1
            i = rand.integers(n)
            if not self.member[i]:
                continue
            k = sim.net.random_neighbour(i, rand)
            if k >= 0 and not self.member[k]:
                self._join(k)
                self.ledger.pay(
                    sim.env.now, PLATFORM, ("worker", i), self.cfg.invite_bonus, "invite_bonus"
                )
                self.month["invite_bonuses"] += self.cfg.invite_bonus

    # ------------------------------------------------------------------ outputs
    def month_row(self) -> dict[str, float]:
        """Platform columns of the month-end record; resets the month's flows."""
        self.ledger.check_conservation()
        status = self.sim.vac_status
        for v in [v for v in self.recommended if status[v] != 0]:
            del self.recommended[v]  # closed: nobody can be recommended for it any more
        row = dict(self.month)
        row["members"] = len(self.member_list)
        row["platform_margin"] = self.ledger.platform_margin
        self.totals["detections"] += self.month["detections"]
        self.totals["false_positives"] += self.month["false_positives"]
        self.totals["recommendations"] += self.month["recommendations"]
        self.month = self._zero_month()
        return row

    def summary(self, t: float, retention_months: float = 12.0) -> dict[str, float]:
        """Headline platform metrics at time t (months); money in currency units."""
        tot = self.ledger.totals
        hires = list(self.hires.values())
        net_fees = tot["fee"] - tot["refund"]
        retained = sum(1 for h in hires if min(h.end_months, t) - h.time_months >= retention_months)
        led = self.ledger.to_frame()
        gamed = led[led["gamed"]]
        gaming_income = float(
            gamed.loc[gamed["reason"] == "payout", "amount"].sum()
            - gamed.loc[gamed["reason"] == "clawback", "amount"].sum()
        )
        payouts = led[led["reason"] == "payout"]
        return {
            "platform_hires": len(hires),
            "platform_hires_gamed": sum(1 for h in hires if h.gaming),
            "platform_members_final": len(self.member_list),
            "fees_total": tot["fee"],
            "payouts_total": tot["payout"],
            "payouts_gamed": float(payouts.loc[payouts["gamed"], "amount"].sum()),
            "clawbacks_total": tot["clawback"],
            "refunds_total": tot["refund"],
            "kickbacks_total": tot["kickback"],
            "invite_bonuses_total": tot["invite_bonus"],
            "platform_margin": self.ledger.platform_margin,
            "cost_per_platform_hire": net_fees / len(hires) if hires else math.nan,
            f"cost_per_hire_retained_{retention_months:g}_months": (
                net_fees / retained if retained else math.nan
            ),
            "referrers_paid": int(payouts["payee"].nunique()),
            "gaming_income": gaming_income,
            "mean_chain_length": float(np.mean(self.chain_lengths)) if hires else math.nan,
            "max_chain_length": max(self.chain_lengths) if hires else 0,
            "detections": self.totals["detections"],
            "false_positives": self.totals["false_positives"],
            "recommendations": self.totals["recommendations"],
        }

    def worker_columns(self) -> dict[str, np.ndarray]:
        """Per-worker platform columns for the final worker table (money in currency)."""
        import pandas as pd  # here, not at the top: validating a scenario needs no pandas

        n = self.sim.workers.n
        referral = np.zeros(n)
        kickback = np.zeros(n)
        c = self.ledger.cols
        worker = ACCOUNT_KINDS.index("worker")
        for payer_kind, payer, payee_kind, payee, amount, reason in zip(
            c["payer_kind"],
            c["payer"],
            c["payee_kind"],
            c["payee"],
            c["amount"],
            c["reason"],
            strict=True,
        ):
            name = REASONS[reason]
            if name in ("payout", "invite_bonus") and payee_kind == worker:
                referral[payee] += amount
            elif name == "clawback" and payer_kind == worker:
                referral[payer] -= amount
            elif name == "kickback":
                kickback[payee] += amount
                kickback[payer] -= amount
        names = [st.name for st in self.strategies]
        return {
            "platform_member": np.asarray(self.member, dtype=bool),
            "strategy": pd.Categorical.from_codes(
                np.asarray(self.strategy, dtype=np.int8), categories=names
            ),
            "income_referral": referral,
            "income_kickback": kickback,
        }

    def chain_table(self) -> pd.DataFrame:
        """One row per chain position of every platform hire."""
        import pandas as pd

        rows = [
            (
                ph.hire_id,
                ph.worker,
                ph.company,
                ph.time_months,
                pos,
                ident,
                self.owner(ident),
                ident < 0,
                ph.gaming,
            )
            for ph in self.hires.values()
            for pos, ident in enumerate(ph.chain)
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "hire",
                "worker",
                "company",
                "time_months",
                "position",
                "identity",
                "referrer",
                "sybil",
                "gaming",
            ],
        )
