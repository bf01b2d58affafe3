"""Room ``engine``: the discrete-event kernel, knowing no labour-market concept.

What it holds: random streams (:mod:`~netsim.engine.rng`), timers in months including the
per-worker timer epochs and far-timer month buckets (:mod:`~netsim.engine.timers`), the
deadline queue (:mod:`~netsim.engine.deadlines`), the SimPy environment with its flat queue
for the most frequent timers (:mod:`~netsim.engine.environment`), the weighted sampler
(:mod:`~netsim.engine.sampling`),
garbage-collector tools (:mod:`~netsim.engine.gctools`),
the hook interface through which mechanisms attach (:mod:`~netsim.engine.hooks`: ``hire``,
``separation``, ``vacancy_opened``, ``vacancy_posted``, ``vacancy_closed``, ``seeking``,
``month_end``) and the run
loop (:mod:`~netsim.engine.loop`). SimPy is the scheduler.

What it may import: third-party libraries and the flat helper modules only. It is the lowest
room; the layers above it are, in order::

    engine < scenario < world < output < market < platform < model < experiments < viz

and a room imports only rooms below it (``tests/test_architecture.py`` checks this).
"""
