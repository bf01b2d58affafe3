"""Room ``scenario``: what a run is asked to do, and every complaint about it.

What it holds: the scenario schema with a unit, range and description on every key
(:mod:`~netsim.scenario.schema`: :class:`Scenario`, the field helper :func:`F`), safe YAML
reading, ``--set`` overrides and YAML writing (:mod:`~netsim.scenario.files`), input errors
that name the file and key path (:mod:`~netsim.scenario.errors`), the translation of
pydantic's errors into those messages (:mod:`~netsim.scenario.messages`) and the plug-in
registry with its import rules (:mod:`~netsim.scenario.registry`). Loading a scenario end to
end, plug-ins included, is :func:`netsim.model.loading.load_scenario` (the registries'
contents live in the rooms above).

What it may import: ``engine`` (and third-party libraries); every room above imports it.
Importing it stays light (pydantic and PyYAML, no numpy, SimPy or pandas), so validating
a file is fast.
"""

from netsim.scenario.errors import NetsimInputError
from netsim.scenario.schema import F, S, Scenario, Section

__all__ = ["F", "NetsimInputError", "S", "Scenario", "Section"]
