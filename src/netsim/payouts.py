"""Compatibility alias of :mod:`netsim.platform.payouts` (the payout-rule plug-in path)."""

from netsim.platform.payouts import (  # noqa: F401
    PAYOUT_RULES,
    Clawback,
    Payment,
    PayoutRule,
    RuleParams,
    realised_payments,
)
