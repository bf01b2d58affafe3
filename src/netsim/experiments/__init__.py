"""Room ``experiments``: one base scenario run many times, and the tables that compare runs.

What it holds: experiment files and their designs (:mod:`~netsim.experiments.design`: grid,
zip, list, Latin hypercube, Sobol, Morris; seeds with common random numbers), the variants
they expand to (:mod:`~netsim.experiments.variants`), their error messages
(:mod:`~netsim.experiments.messages`), the sweep that runs them with resume
(:mod:`~netsim.experiments.sweep`), the executors (:mod:`~netsim.experiments.executors`:
serial, local process pool whose workers die with their parent, Dask) and the runs,
comparison and sensitivity tables (:mod:`~netsim.experiments.tables`).

What it may import: every room below it (``engine``, ``scenario``, ``world``, ``output``,
``market``, ``platform``, ``model``); never ``viz`` or the front door (``api``, ``cli``).
"""
