"""Room ``model``: one run of the model, assembled: :class:`~netsim.model.simulation.Simulation`.

What it holds: the assembly of a run (the world, the labour market, the mechanisms such as
the referral platform), the run loop around the engine, the monthly record and the run's
final tables.

What it may import: every room below it (``engine``, ``scenario``, ``world``, ``output``,
``market``, ``platform``) and the flat helper modules; never ``experiments``, ``viz``, the CLI
or the API, which build on it.
"""

from netsim.model.simulation import Simulation

__all__ = ["Simulation"]
