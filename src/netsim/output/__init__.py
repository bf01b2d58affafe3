"""Room ``output``: what a run records and how it is stored.

What it holds: the event log and monthly counters (:mod:`~netsim.output.recorder`) with the
vocabulary of the log (event kinds, channels, separation reasons).

What it may import: ``engine``, ``scenario`` and ``world`` (and the flat helper modules);
never the market, the platform or anything above: they write into the recorder, it does
not reach back.
"""
