"""Compatibility alias of :mod:`netsim.world.graphs` (the graph-generator plug-in path)."""

from netsim.world.graphs import *  # noqa: F403
from netsim.world.graphs import __all__  # noqa: F401
