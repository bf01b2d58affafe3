"""Compatibility alias of :mod:`netsim.viz` (the figures), kept so older code keeps working.

``from netsim import plots; plots.plot_labour_market(result)`` still works; new code should
use ``from netsim import viz``. Everything here is re-exported from :mod:`netsim.viz`.
"""

from __future__ import annotations

from netsim.viz import *  # noqa: F403
from netsim.viz import __all__  # noqa: F401
