"""Room ``model``: one run of the model, assembled: :class:`~netsim.model.simulation.Simulation`.

What it holds: loading a scenario with its plug-ins resolved against the registries of the
rooms below (:mod:`~netsim.model.loading`, :mod:`~netsim.model.plugins`), the assembly of a
run (:mod:`~netsim.model.simulation`: the world, the labour market, the mechanisms such as
the referral platform, the run loop around the engine, the monthly record and the run's
final tables) and running it in memory into a
:class:`~netsim.output.results.RunResult` (:mod:`~netsim.model.run`).

What it may import: every room below it (``engine``, ``scenario``, ``world``, ``output``,
``market``, ``platform``) never ``experiments``, ``viz``, the CLI
or the API, which build on it.
"""

from typing import Any

__all__ = ["Simulation"]


def __getattr__(name: str) -> Any:
    """Load :class:`Simulation` on first use: loading a scenario (:mod:`netsim.model.loading`)
    must not pay for SimPy and pandas."""
    if name == "Simulation":
        from netsim.model.simulation import Simulation

        return Simulation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
