"""The run's SimPy environment, with a flat second queue for the model's worker-level timers.

Most of a run's events are workers' competing-risks timers (:class:`netsim.engine.timers.
WorkerTimers`). As SimPy events each costs a ``Timeout`` object, a push into SimPy's queue,
and a pass through :meth:`simpy.Environment.step` with its callback list. A
:class:`ModelEnvironment` keeps these timers as plain tuples in a heap of its own and runs
every one that is due before SimPy's next event (``env.peek()``) inside :meth:`step`, then
lets SimPy process its own next event. SimPy stays the scheduler of the model's processes
(the monthly record, vacancies, mechanisms); the timers only skip SimPy's machinery.

**The order of events is exactly SimPy's.** A timer takes its sequence number from SimPy's
own event counter and ranks as a ``Timeout`` would (time, then priority ``NORMAL``, then
creation order), so a run gives the same results, event for event, as with one ``Timeout``
per timer. Times are computed as SimPy computes them (``now + delay``), to the last bit.

This relies on three attributes of :class:`simpy.Environment` that SimPy does not document
(``_now``, ``_queue``, ``_eid``; stable since SimPy 3); ``tests/test_environment.py`` checks
the order against plain SimPy.
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from math import inf
from typing import Any

import simpy
from simpy.events import NORMAL

#: ``call_in(delay, fn, a, b)``: call ``fn(a, b)`` after ``delay`` months.
CallIn = Callable[[float, Callable[[Any, Any], None], Any, Any], None]


def timer_scheduler(env: simpy.Environment) -> CallIn:
    """``env.call_in`` of a :class:`ModelEnvironment`; on a plain SimPy environment, a
    function with the same meaning that makes one ``Timeout`` per timer (same order)."""
    call_in = getattr(env, "call_in", None)
    if call_in is not None:
        return call_in

    def simpy_call_in(delay: float, fn: Callable[[Any, Any], None], a: Any, b: Any) -> None:
        env.timeout(delay).callbacks.append(lambda _ev: fn(a, b))

    return simpy_call_in


class ModelEnvironment(simpy.Environment):
    """A :class:`simpy.Environment` that also runs plain timers ``fn(a, b)`` (time in months).

    ``a`` and ``b`` are the timer's own data (say, a worker and its epoch), so that a timer
    needs no closure.
    """

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        # Entries (time, seq, fn, a, b): seq comes from SimPy's event counter, so equal times
        # keep creation order across both queues, and fn is never compared.
        self._timers: list[tuple[float, int, Callable[[Any, Any], None], Any, Any]] = []

    def call_in(self, delay: float, fn: Callable[[Any, Any], None], a: Any, b: Any) -> None:
        """Call ``fn(a, b)`` after ``delay`` months (ordered as a SimPy ``Timeout`` would be)."""
        heappush(self._timers, (self._now + delay, next(self._eid), fn, a, b))

    @property
    def pending_timers(self) -> int:
        """Timers in the flat queue (not yet due)."""
        return len(self._timers)

    def peek(self) -> float:
        """Time of the next event of either queue (``inf`` if there is none)."""
        t = self._timers[0][0] if self._timers else inf
        return min(t, super().peek())

    def step(self) -> None:
        """Run every timer due before SimPy's next event, then process that event."""
        timers = self._timers
        if timers:
            queue = self._queue
            while timers:
                t, seq, fn, a, b = timers[0]
                if queue:
                    # SimPy's queue entries are (time, priority, eid, event); a timer ranks
                    # as (time, NORMAL, seq).
                    head = queue[0]
                    ht = head[0]
                    if t > ht or (
                        t == ht and (head[1] < NORMAL or (head[1] == NORMAL and head[2] < seq))
                    ):
                        break
                heappop(timers)
                self._now = t
                fn(a, b)
        super().step()
