"""netsim: an agent-based, discrete-event simulator of referral networks in the labour market.

Time is measured in months throughout. Start with :func:`run` (a scenario file, dict or
:class:`~netsim.scenario.Scenario` in, a :class:`~netsim.results.RunResult` of pandas tables
out) and :func:`load` (a run folder back into a ``RunResult``).
"""

import sys
import types
from importlib import import_module
from typing import Any

# Public names load on first use, so that ``import netsim`` (and every command line call,
# ``netsim --help`` included) does not pay for numpy, pandas, scipy and the engine it may not
# need: name -> module holding it.
_LAZY = {
    "run": "netsim.api",
    "load": "netsim.api",
    "simulate": "netsim.api",
    "load_scenario": "netsim.config",
    "RunResult": "netsim.results",
    "Scenario": "netsim.scenario",
    "sweep": "netsim.sweep",
    "load_experiment": "netsim.sweep",
    "ExperimentResult": "netsim.sweep",
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


class _Package(types.ModuleType):
    """The ``netsim`` package module: ``netsim.sweep`` stays the function.

    Importing the submodule ``netsim.sweep`` makes the import system bind the module as the
    package attribute ``sweep``; this keeps the public function there instead (the module
    stays reachable as ``sys.modules["netsim.sweep"]``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "sweep" and isinstance(value, types.ModuleType):
            value = value.sweep
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

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
