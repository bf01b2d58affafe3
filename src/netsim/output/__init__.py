"""Room ``output``: what a run records and how it is stored and shown.

What it holds: the event log and monthly counters (:mod:`~netsim.output.recorder`) with the
vocabulary of the log (event kinds, channels, separation reasons), the summary of a run
(:mod:`~netsim.output.summary`), run folders written atomically and read back
(:mod:`~netsim.output.results`: :class:`~netsim.output.results.RunResult`, ``write_run``,
``load``), the rules for which folders may be replaced (:mod:`~netsim.output.folders`),
and the console's summary table and progress bar (:mod:`~netsim.output.console`).

What it may import: ``engine``, ``scenario`` and ``world``; never the market, the platform
or anything above: they write into the recorder, it does not reach back.
"""
