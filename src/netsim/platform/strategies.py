"""Referrer strategies as plug-ins: honest members and the built-in gaming strategies.

A member's strategy decides which identities it adds to a chain, whom it puts forward on
its own, which candidacies count as its gaming, how long its candidates stay and what share
of its payouts it passes back (:class:`Strategy`). Strategies are registered in
:data:`STRATEGIES`; a researcher's own is named as ``package.module:Class`` in
``platform.gaming.custom_shares``. Their best responses come from the payout rule
(:mod:`netsim.platform.gaming`), so a new rule is gamed without new code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from netsim.scenario.registry import Registry

if TYPE_CHECKING:
    import numpy as np

    from netsim.market.services import MarketServices
    from netsim.platform.gaming import RotationPlan
    from netsim.platform.money import PlatformHire
    from netsim.platform.payouts import PayoutRule


class ReferralPlatform(Protocol):
    """What a strategy's hooks may use of the platform.

    :class:`netsim.platform.referral_platform.ReferralPlatform` provides it; the protocol
    keeps this module free of an import of the platform class (which imports the strategies).
    """

    cfg: Any  #: the scenario's ``platform`` section
    rule: PayoutRule  #: the payout rule in force
    market: MarketServices  #: the market's services
    member: list[bool]  #: membership by worker
    partner: list[int]  #: a rotation pair's other worker, or -1, by worker

    def fakes_of(self, member: int) -> tuple[int, ...]:
        """The fake identities (negative ids) a sybil member runs."""
        ...

    def owner(self, identity: int) -> int:
        """The worker behind a chain identity."""
        ...

    def sybils_pay(self) -> bool:
        """Whether fake identities raise a last referrer's take under the rule."""
        ...

    def plan_rotation(self, salary: float) -> RotationPlan:
        """The best rotation plan under the rule for a hire of monthly ``salary``."""
        ...


class Strategy:
    """A member's referral strategy: a plug-in with hooks the platform calls.

    Subclass it, set ``name`` and ``description``, override the hooks you need, and either
    register it in :data:`STRATEGIES` or name it as ``package.module:Class`` in
    ``platform.gaming.custom_shares``. The defaults describe an honest member. Hooks get
    the :class:`ReferralPlatform` (its ``rule``, ``cfg``, ``market`` and helpers such as
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

    def notice(
        self, platform: ReferralPlatform, member: int, vacancy: int, chosen: list[int]
    ) -> None:
        """A vacancy reached this member, who will recommend ``chosen`` one hop from now
        unless :meth:`recommend` says otherwise (default: nothing to do)."""

    def recommend(
        self, platform: ReferralPlatform, member: int, vacancy: int, chosen: list[int]
    ) -> list[int]:
        """One hop after :meth:`notice`: whom this member recommends for ``vacancy``
        (default: ``chosen``, the contacts drawn by the response curve)."""
        return chosen

    def holds_candidate(self, platform: ReferralPlatform) -> bool:
        """Whether this member keeps its recruited candidate in rotation: the candidate
        declines every offer but the member's own on the platform until the pair dissolves
        (default: no)."""
        return False


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
    the candidate stays like anyone else. With ``gaming.hold_candidates`` the pair keeps its
    candidate in rotation until it dissolves (:mod:`netsim.platform.candidates`).
    """

    name = "rotation"
    description = "Rotates a colluding contact through companies and splits the bonus."

    def recruit(self, platform: ReferralPlatform, member: int, gen: np.random.Generator) -> int:
        partner, is_member = platform.partner, platform.member
        free = [k for k in platform.market.contacts(member) if partner[k] < 0 and not is_member[k]]
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

    def holds_candidate(self, platform) -> bool:
        return platform.cfg.gaming.hold_candidates


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
