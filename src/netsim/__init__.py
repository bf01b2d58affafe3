"""netsim: an agent-based, discrete-event simulator of referral networks in the labour market.

Time is measured in months throughout. Start with :func:`run` (a scenario file, dict or
:class:`~netsim.scenario.Scenario` in, a :class:`~netsim.results.RunResult` of pandas tables
out) and :func:`load` (a run folder back into a ``RunResult``).
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

# ``netsim.sweep`` is the function; the module stays reachable as sys.modules["netsim.sweep"].
# It is imported here (it is light) because importing the submodule later would rebind the
# package attribute ``sweep`` to the module.
from netsim.sweep import ExperimentResult, load_experiment, sweep

# Public names loaded on first use, so that ``import netsim`` (and every CLI command) does not
# pay for pandas, scipy and the engine it may not need: name -> module holding it.
_LAZY = {
    "run": "netsim.api",
    "load": "netsim.api",
    "simulate": "netsim.api",
    "load_scenario": "netsim.config",
    "RunResult": "netsim.results",
    "Scenario": "netsim.scenario",
}


def __getattr__(name: str) -> Any:
    """Import a lazy public name (see ``_LAZY``) the first time it is used."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """Module attributes including the lazy public names."""
    return sorted({*globals(), *_LAZY})


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
