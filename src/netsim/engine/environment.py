"""The run's SimPy environment, with a flat second queue for the model's worker-level timers.

Most of a run's events are workers' competing-risks timers (:class:`netsim.engine.timers.
WorkerTimers`). As SimPy events each costs a ``Timeout`` object, a push into SimPy's queue,
and a pass through :meth:`simpy.Environment.step` with its callback list. A
:class:`ModelEnvironment` keeps these timers as plain tuples in a calendar queue of its own
(a heap for the current slot of time, unsorted lists for later slots) and runs
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
from heapq import heapify, heappop, heappush
from math import floor, inf
from typing import Any

import simpy
from simpy.events import NORMAL

#: Timers per calendar slot aimed at by :func:`timer_slot_months`. Measured at 100,000
#: workers: 64, 256 and 1,024 are equally fast (within 2%), one heap for all 11% slower.
SLOT_TIMERS = 256

#: The calendar slot of every timer at or beyond it (no run gets there; the slot's heap
#: still orders them by time).
FAR_SLOT = 1 << 62

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


def timer_slot_months(n_workers: int) -> float:
    """Calendar slot width (months) for a run of ``n_workers``: a few hundred timers a slot.

    A worker has about one timer a month, so a slot of ``SLOT_TIMERS / n`` months holds about
    ``SLOT_TIMERS`` of them; the width is kept within [1/4096, 1/16] month.
    """
    width = SLOT_TIMERS / max(n_workers, 1)
    return min(max(width, 1 / 4096), 1 / 16)


class ModelEnvironment(simpy.Environment):
    """A :class:`simpy.Environment` that also runs plain timers ``fn(a, b)`` (time in months).

    ``a`` and ``b`` are the timer's own data (say, a worker and its epoch), so that a timer
    needs no closure.

    The timers wait in a calendar queue: a heap holds only the timers of the current *slot*
    (``slot_months`` wide); later timers wait unsorted in the list of their slot, which is
    heapified when the run reaches it. A heap of 100,000 pending timers costs ~17 levels of
    scattered comparisons per event; a slot of a few hundred costs ~8 in cache. The slot
    width changes only the speed, never the order: a timer in an earlier slot is always
    earlier in time (``floor(t / width)`` is monotone in ``t``).
    """

    def __init__(self, initial_time: float = 0, slot_months: float = 1 / 64) -> None:
        super().__init__(initial_time)
        if not slot_months > 0.0:
            raise ValueError(f"slot_months must be > 0, got {slot_months!r}")
        #: Width of a calendar slot (months).
        self.slot_months = slot_months
        self._per_month = 1.0 / slot_months
        # Entries (time, seq, fn, a, b): seq comes from SimPy's event counter, so equal times
        # keep creation order across both queues, and fn is never compared. The heap holds
        # the timers of slots <= _slot; _later the others, by slot, with their keys in a heap.
        self._timers: list[tuple[float, int, Callable[[Any, Any], None], Any, Any]] = []
        self._slot = floor(initial_time * self._per_month)
        self._later: dict[int, list[tuple[float, int, Callable[[Any, Any], None], Any, Any]]] = {}
        self._later_keys: list[int] = []
        #: ``kernel(until)`` runs a compiled kernel's events due before ``until`` (SimPy's
        #: next event, months) ahead of each SimPy step; None without a kernel.
        self.kernel: Callable[[float], None] | None = None

    def call_in(self, delay: float, fn: Callable[[Any, Any], None], a: Any, b: Any) -> None:
        """Call ``fn(a, b)`` after ``delay`` months (ordered as a SimPy ``Timeout`` would be)."""
        t = self._now + delay
        entry = (t, next(self._eid), fn, a, b)
        slot = t * self._per_month
        # A timer beyond any run (a tiny rate's waiting time, even inf) waits in the last slot.
        k = floor(slot) if slot < FAR_SLOT else FAR_SLOT
        if k <= self._slot:
            heappush(self._timers, entry)
            return
        waiting = self._later.get(k)
        if waiting is None:
            self._later[k] = [entry]
            heappush(self._later_keys, k)
        else:
            waiting.append(entry)

    def _next_slot(self) -> bool:
        """Make the earliest waiting slot current if the heap is empty; False if no timer waits.

        A no-op while the heap holds timers (a timer's callback may have called
        :meth:`peek`, which moves on to the next slot itself).
        """
        if self._timers:
            return True
        if not self._later_keys:
            return False
        k = heappop(self._later_keys)
        timers = self._later.pop(k)
        heapify(timers)
        self._timers = timers
        self._slot = k
        return True

    @property
    def pending_timers(self) -> int:
        """Timers in the flat queue (not yet due)."""
        return len(self._timers) + sum(map(len, self._later.values()))

    def peek(self) -> float:
        """Time of the next event of either queue (``inf`` if there is none)."""
        if not self._timers:
            self._next_slot()
        t = self._timers[0][0] if self._timers else inf
        return min(t, super().peek())

    def step(self) -> None:
        """Run every timer due before SimPy's next event, then process that event."""
        if self.kernel is not None:
            self.kernel(self._queue[0][0] if self._queue else inf)
        timers = self._timers
        if timers or self._later_keys:
            queue = self._queue
            while True:
                if not timers:
                    if not self._next_slot():
                        break
                    timers = self._timers
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
