"""Room ``platform``: the referral platform, a mechanism attached to the labour market.

What it holds: the platform (:mod:`~netsim.platform.referral_platform`, split by concept into
membership, cascades, gamer candidates, defences, money and outputs), the payout-rule base
and registry (:mod:`~netsim.platform.payouts`) and the built-in rules
(:mod:`~netsim.platform.payout_rules`), referrer strategies
(:mod:`~netsim.platform.strategies`), the best responses of gamers
(:mod:`~netsim.platform.gaming`) and the money ledger (:mod:`~netsim.market.ledger`).

What it may import: the rooms below it (``engine``, ``scenario``, ``world``, ``output``,
``market``) and the flat helper modules; never ``model`` or anything above. The platform
attaches through the engine's hooks (:mod:`netsim.engine.hooks`) and the market's services
(:class:`netsim.market.services.MarketServices`), never through the market's attributes.

Importing this package registers the built-in payout rules and strategies: the rule base
never imports the built-ins, so there is no import cycle between them. It stays light
(validating a scenario needs the registries, not SimPy or pandas): the platform itself,
:class:`ReferralPlatform` and :class:`PlatformHire`, loads on first use.
"""

from typing import Any

from netsim.platform import payout_rules as _payout_rules  # noqa: F401  (registers the rules)
from netsim.platform.payouts import PAYOUT_RULES, PayoutRule
from netsim.platform.strategies import (
    BUILT_IN_GAMING,
    STRATEGIES,
    Honest,
    Rotation,
    SelfReferral,
    Strategy,
    Sybil,
)

__all__ = [
    "BUILT_IN_GAMING",
    "PAYOUT_RULES",
    "PayoutRule",
    "PlatformHire",
    "ReferralPlatform",
    "STRATEGIES",
    "Strategy",
    "Honest",
    "Rotation",
    "Sybil",
    "SelfReferral",
]


def __getattr__(name: str) -> Any:
    """Load the platform class and its hire record on first use (PEP 562)."""
    if name == "ReferralPlatform":
        from netsim.platform.referral_platform import ReferralPlatform

        return ReferralPlatform
    if name == "PlatformHire":
        from netsim.platform.money import PlatformHire

        return PlatformHire
    raise AttributeError(f"module 'netsim.platform' has no attribute {name!r}")
