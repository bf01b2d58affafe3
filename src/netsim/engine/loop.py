"""The run loop: start the model's SimPy processes and run the environment to the horizon."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import Protocol

import simpy

from netsim.engine.gctools import gc_relaxed


class Mechanism(Protocol):
    """A mechanism attached to a run (e.g. the referral platform).

    It subscribes to the hooks (:mod:`netsim.engine.hooks`) when it is built; when the run
    starts, :meth:`start` is called and its :meth:`processes` are started after the model's.
    """

    def start(self) -> None:
        """Called once when the run starts (time 0, after the initial state is set)."""
        ...

    def processes(self) -> list[Generator]:
        """The mechanism's own SimPy processes (may be empty), started in this order."""
        ...


class MechanismOutputs(Protocol):
    """What a mechanism may add to a run's outputs (every method is optional)."""

    def worker_columns(self) -> dict:
        """Columns for the worker table: name to an array with one entry per worker."""
        ...

    def company_columns(self) -> dict:
        """Columns for the company table: name to an array with one entry per company."""
        ...

    def summary(self, t_months: float) -> dict:
        """Headline numbers for ``summary.json`` at the end of the run (``t_months``)."""
        ...

    def tables(self) -> dict:
        """The mechanism's own tables by name, written as ``<name>.parquet`` (the name must
        be listed in :data:`netsim.output.folders.RUN_FILES`)."""
        ...


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
