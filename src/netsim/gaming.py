"""Compatibility alias of :mod:`netsim.platform.gaming` (best responses of gamers)."""

from netsim.platform.gaming import (  # noqa: F401
    RotationPlan,
    best_rotation,
    closed_form_recursive_total,
    sybil_take,
)
