"""Room ``market``: the labour market: vacancies, hiring channels, separations, ties.

What it holds: the market's state and shared bookkeeping (:mod:`~netsim.market.state`),
one module per concept (:mod:`~netsim.market.workers`, :mod:`~netsim.market.vacancies`,
:mod:`~netsim.market.hiring`, the channels :mod:`~netsim.market.search`,
:mod:`~netsim.market.word_of_mouth` and :mod:`~netsim.market.internal`,
:mod:`~netsim.market.separations`, :mod:`~netsim.market.ties`), combined in
:class:`~netsim.market.labour_market.LabourMarket`, and the facade through which mechanisms
act on it (:class:`~netsim.market.services.MarketServices`).

What it may import: ``engine``, ``scenario``, ``world`` and ``output`` (and the flat helper
modules); never the platform or anything above: mechanisms attach through the engine's
hooks.
"""
