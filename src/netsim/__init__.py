"""netsim: an agent-based, discrete-event simulator of referral networks in the labour market.

Time is measured in months throughout. Start with :func:`run` (a scenario file, dict or
:class:`~netsim.scenario.Scenario` in, a :class:`~netsim.results.RunResult` of pandas tables
out) and :func:`load` (a run folder back into a ``RunResult``).
"""

from importlib.metadata import PackageNotFoundError, version

from netsim.api import load, run, simulate
from netsim.config import load_scenario
from netsim.results import RunResult
from netsim.scenario import Scenario

# ``netsim.sweep`` is the function; the module stays reachable as sys.modules["netsim.sweep"].
from netsim.sweep import ExperimentResult, load_experiment, sweep

try:
    __version__ = version("netsim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = [
    "run",
    "load",
    "simulate",
    "load_scenario",
    "RunResult",
    "Scenario",
    "sweep",
    "load_experiment",
    "ExperimentResult",
    "__version__",
]
