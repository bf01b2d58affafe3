"""Compatibility alias of :mod:`netsim.model.simulation` (one run of the model)."""

from netsim.market.state import EMPLOYED, OUT, SEEKING, STATES  # noqa: F401
from netsim.model.simulation import Hire, Separation, Simulation  # noqa: F401
