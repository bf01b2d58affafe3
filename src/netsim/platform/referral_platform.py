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
the margin (:class:`~netsim.market.ledger.Ledger`).

**Strategies** (:data:`~netsim.platform.strategies.STRATEGIES`): honest members, rotation
pairs, sybils and self-referrers, assigned to members by the configured shares.
**Defences**: screening of the public job history, a cooldown per candidate, a payout cap
per candidate, sybil detection, and the rule's own clawbacks. Rejections of gamers count as
detections, of honest candidates as false positives.

The platform draws only from the run's ``platform`` random stream; a platform that reaches
nobody leaves every other draw of the run unchanged.

**Attachment.** The platform is a mechanism: it subscribes to the engine's hooks (``hire``,
``separation``, ``vacancy_posted``, ``seeking``, ``month_end``) and acts on the market only
through :class:`~netsim.market.services.MarketServices`. Its behaviour is split by concept:
:mod:`~netsim.platform.membership`, :mod:`~netsim.platform.cascades`,
:mod:`~netsim.platform.candidates`, :mod:`~netsim.platform.defences`,
:mod:`~netsim.platform.money`, :mod:`~netsim.platform.outputs`.
"""

from __future__ import annotations

import numpy as np

from netsim.engine.hooks import Hooks, MonthEnd
from netsim.engine.rng import FastStream
from netsim.market.services import MarketServices
from netsim.platform.candidates import DISSOLUTION_REASONS, GamerCandidates
from netsim.platform.cascades import Cascades
from netsim.platform.defences import Defences
from netsim.platform.gaming import RotationPlan
from netsim.platform.membership import Membership
from netsim.platform.money import Money, PlatformHire
from netsim.platform.outputs import Outputs
from netsim.platform.payouts import PAYOUT_RULES, PayoutRule
from netsim.scenario.schema import Scenario


class ReferralPlatform(Membership, Cascades, GamerCandidates, Defences, Money, Outputs):
    """The platform attached to one labour market through its hooks and services."""

    def __init__(
        self,
        scenario: Scenario,
        market: MarketServices,
        hooks: Hooks,
        gen: np.random.Generator,
        invite_gen: np.random.Generator | None = None,
    ) -> None:
        self.market = market
        self.hooks = hooks
        self.cfg = cfg = scenario.platform
        self.onboarding_months = scenario.companies.onboarding_months
        self.horizon_months = scenario.horizon_months
        self.rand = FastStream(gen)
        #: Draws of the invitation process (the run's ``invites`` stream when given).
        self.invite_rand = self.rand if invite_gen is None else FastStream(invite_gen)
        self.rule: PayoutRule = PAYOUT_RULES.get(cfg.payout.rule)(cfg.payout.params)
        self.ledger = market.ledger
        n = market.n_workers
        self._init_members(gen, n)
        self.subscriber = (gen.random(market.n_companies) < cfg.subscriber_share).tolist()
        self.recommended: dict[int, set[int]] = {}
        self.hires: dict[int, PlatformHire] = {}
        self.last_placed: dict[int, float] = {}
        self.paid_for_candidate: dict[int, float] = {}
        self._fake_owner: list[int] = []
        self._fakes: dict[int, tuple[int, ...]] = {}
        self._plans: dict[float | None, RotationPlan] = {}
        #: Held rotation pairs: candidate -> gamed placements so far (see candidates.py).
        self.held_pairs: dict[int, int] = {}
        self.held_at_start = 0
        self.dissolved = dict.fromkeys(DISSOLUTION_REASONS, 0)
        #: (candidate, time in months, reason) of every dissolved held pair, in order.
        self.dissolutions: list[tuple[int, float, str]] = []
        self._sybils_pay: bool | None = None
        self._reward_cache: dict[tuple[int, int], float] = {}
        self._chance_cache: dict[tuple[int, int], float] = {}
        self._hop = self._hop_setting()  # see Cascades._after_hop
        self.month = self._zero_month()
        self.totals = {"detections": 0, "false_positives": 0, "recommendations": 0}
        self.chain_lengths: list[int] = []
        hooks.hire.append(self._on_hire)
        hooks.separation.append(self._on_separation)
        hooks.vacancy_posted.append(self.post)
        hooks.month_end.append(self._on_month_end)

    def _on_month_end(self, ev: MonthEnd) -> None:
        ev.row.update(self.month_row())

    def processes(self) -> list:
        """The platform's own SimPy processes (membership growth by invitation)."""
        return [self.invite_process()]
