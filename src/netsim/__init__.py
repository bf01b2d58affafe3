"""netsim: an agent-based, discrete-event simulator of referral networks in the labour market.

Time is measured in months throughout. Start with :func:`run` (a scenario file, dict or
:class:`~netsim.scenario.Scenario` in, a :class:`~netsim.output.results.RunResult` of pandas tables
out) and :func:`load` (a run folder back into a ``RunResult``).
"""

from importlib import import_module
from typing import Any

# Public names load on first use, so that ``import netsim`` (and every command line call,
# ``netsim --help`` included) does not pay for numpy, pandas, scipy and the engine it may not
# need: name -> module holding it.
_LAZY = {
    "run": "netsim.api",
    "load": "netsim.api",
    "edges_to_networkx": "netsim.api",
    "simulate": "netsim.model.run",
    "load_scenario": "netsim.model.loading",
    "RunResult": "netsim.output.results",
    "Scenario": "netsim.scenario.schema",
    "sweep": "netsim.experiments.sweep",
    "load_experiment": "netsim.experiments.sweep",
    "ExperimentResult": "netsim.experiments.sweep",
    "calibrate": "netsim.experiments.calibration_run",
}


def __getattr__(name: str) -> Any:
    """Import a lazy public name (see ``_LAZY``) or ``__version__`` the first time it is used."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """Module attributes including the lazy public names."""
    return sorted({*globals(), *_LAZY, "__version__"})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("netsim")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0+unknown"


__all__ = [
    "run",
    "load",
    "edges_to_networkx",
    "simulate",
    "load_scenario",
    "RunResult",
    "Scenario",
    "sweep",
    "load_experiment",
    "ExperimentResult",
    "calibrate",
    "__version__",
]
