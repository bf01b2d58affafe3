"""Room ``world``: what a run is set in: workers, companies and their social network.

What it holds: the population at time 0 (:mod:`~netsim.world.population`), the graph
generators (:mod:`netsim.world.graphs`), the compact social network
(:mod:`~netsim.world.network`) and its statistics (:mod:`~netsim.world.netstats`), company
knowledge stocks (:mod:`~netsim.world.knowledge`) and the assembled
:class:`~netsim.world.build.World` (:mod:`~netsim.world.build`).

What it may import: ``engine`` and ``scenario`` (and the flat helper modules); never the
market, the platform or anything above.
"""
