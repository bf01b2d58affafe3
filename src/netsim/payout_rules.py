"""Compatibility alias of :mod:`netsim.platform.payout_rules` (the built-in payout rules)."""

from netsim.platform.payout_rules import (  # noqa: F401
    ClawbackParams,
    ClawbackPayout,
    DeferredParams,
    DeferredPayout,
    FlatParams,
    FlatPayout,
    InstalmentsParams,
    InstalmentsPayout,
    NoParams,
    NoPayout,
    RecursiveParams,
    RecursivePayout,
    TenureShareParams,
    TenureSharePayout,
)
