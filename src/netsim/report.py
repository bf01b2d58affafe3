"""Compatibility alias of :mod:`netsim.viz.report` (the HTML report), kept for older code.

New code should use ``from netsim.viz import write_report``.
"""

from __future__ import annotations

from netsim.viz.report import *  # noqa: F403
from netsim.viz.report import __all__  # noqa: F401
