"""The run loop: start the model's SimPy processes and run the environment to the horizon."""

from __future__ import annotations

from collections.abc import Generator, Iterable

import simpy

from netsim.engine.gctools import gc_relaxed


def run_processes(
    env: simpy.Environment, processes: Iterable[Generator], until_months: float
) -> None:
    """Start ``processes`` in order (the order fixes equal-time ties) and run to ``until_months``.

    The cyclic garbage collector is relaxed meanwhile: the run allocates millions of small
    objects that are freed by reference counting, and full collections would only cost time.
    """
    for proc in processes:
        env.process(proc)
    with gc_relaxed():
        env.run(until=until_months)
