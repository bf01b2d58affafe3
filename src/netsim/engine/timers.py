"""Timers in months: one-off callbacks and per-worker competing-risks timers with epochs.

SimPy keeps the model's pending events in one heap; the cost of every event grows with the
heap's size, so timers far in the future are kept out of it:

* :func:`after` calls a function after a delay (one SimPy timeout, no process).
* :class:`WorkerTimers` holds at most one live timer per worker. Setting a new timer bumps
  the worker's *epoch*; a timer whose epoch is stale is ignored when it fires (counted in
  :attr:`WorkerTimers.n_stale`). A timer more than a month away waits in the bucket of the
  month it falls in and enters the queue when :meth:`WorkerTimers.release` is called at
  the start of that month, so a timer superseded before then never becomes an event at all.
  The queue is the flat timer queue of a :class:`netsim.engine.environment.ModelEnvironment`
  (no SimPy event per timer, same order); on a plain SimPy environment, SimPy's own.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Generator

import simpy

from netsim.engine.environment import timer_scheduler


def after(env: simpy.Environment, delay: float, fn: Callable[[simpy.Event], None]) -> None:
    """Call ``fn(event)`` after ``delay`` months."""
    env.timeout(delay).callbacks.append(fn)


def starting(start: Callable[[], None]) -> Generator[simpy.Event, None, None]:
    """A SimPy process that only calls ``start()`` when SimPy starts it, then ends.

    For an aggregate Poisson process run as a chain of plain timers (``call_in``): ``start``
    draws and sets the first timer. As a process it starts in its place among the model's
    processes, so the draws at the start come in the same order as ever; its events then
    skip SimPy's machinery (a ``Timeout`` and a generator resumption each).
    """
    start()
    return
    yield  # a generator, so that SimPy runs it as a process


class WorkerTimers:
    """One pending timer per worker; a due timer calls ``fire(worker, epoch)``.

    ``horizon`` (months) is the end of the run: a timer past it would never fire and is
    dropped. The caller checks ``epoch == timers.epoch[worker]`` when a timer fires, so that
    only the worker's latest timer counts.
    """

    def __init__(
        self,
        env: simpy.Environment,
        n: int,
        horizon: float,
        fire: Callable[[int, int], None],
    ) -> None:
        self.env = env
        # The flat timer queue of a ModelEnvironment if there is one (cheaper per event).
        self._call_in = timer_scheduler(env)
        self.horizon = horizon
        self.fire = fire
        #: Per-worker epoch; bumped by every (re)schedule, so older timers become stale.
        # A typed array: one cache miss per read at a random worker, not two (boxed ints).
        self.epoch = array("q", [0]) * n
        #: Timers that fired or were released after their worker moved on.
        self.n_stale = 0
        self._far: dict[int, list[tuple[float, int, int]]] = {}  # month -> worker timers

    def bump(self, i: int) -> None:
        """Invalidate worker i's pending timer (if any)."""
        self.epoch[i] += 1

    def set(self, i: int, delay: float) -> None:
        """Give worker i a timer ``delay`` months from now, with its current epoch."""
        if delay > 1.0:
            # Far timers wait in the bucket of the month they fall in and enter SimPy's queue
            # when that month starts: the queue stays small (cheaper heap operations), and
            # a timer superseded before then never becomes an event at all.
            fire = self.env.now + delay
            # floor, not int: times are negative within a burn-in (bucket -1 is [-1, 0)).
            if fire <= self.horizon:  # a timer past the horizon would never fire
                self._far.setdefault(math.floor(fire), []).append((fire, i, self.epoch[i]))
            return
        # The timer carries the worker and epoch itself: no closure per event.
        self._call_in(delay, self.fire, i, self.epoch[i])

    def release(self, month: int) -> None:
        """Move the far timers falling in [month, month + 1) into SimPy's queue."""
        now, epoch, call_in, fire_fn = self.env.now, self.epoch, self._call_in, self.fire
        for fire, i, ep in self._far.pop(month, ()):
            if epoch[i] == ep:
                call_in(fire - now, fire_fn, i, ep)
            else:
                self.n_stale += 1
