"""Deadlines kept out of SimPy's event queue: mostly cancelled ones, and first-in-first-out ones.

Most vacancies are filled long before they would expire, so one SimPy timer per expiry
would mostly fire for nothing. A :class:`DeadlineQueue` keeps the deadlines in its own
heap and holds a single SimPy timer for the earliest one; a cancelled deadline is dropped
when it reaches the front (a heap pop instead of a SimPy event). A deadline in a later
month waits in that month's bucket and enters the heap when the month starts, if still
alive, so a deadline cancelled before then costs no heap operation at all. Deadlines fire
in (time, insertion) order, so runs stay deterministic.

A :class:`FifoDeadlines` holds deadlines that arrive in time order (a fixed delay after
"now", such as the end of probation): a deque instead of a heap, again with one SimPy timer
for the earliest. Months-long deadlines would otherwise fill most of SimPy's queue and make
every event's heap operations slower (at 30,000 workers they were two thirds of it).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from itertools import count
from typing import Any

import simpy

from netsim.engine.environment import timer_scheduler


class DeadlineQueue:
    """Calls ``fire(item)`` at each item's deadline (months) while ``alive(item)`` holds."""

    def __init__(
        self,
        env: simpy.Environment,
        fire: Callable[[int], None],
        alive: Callable[[int], bool],
    ) -> None:
        self.env = env
        self._call_in = timer_scheduler(env)  # wake-ups skip SimPy's queue if they can
        self.fire = fire
        self.alive = alive
        self._heap: list[tuple[float, int, int]] = []
        self._seq = count()
        self._wake_at = math.inf
        self._wake_token = 0
        self._far: dict[int, list[tuple[float, int, int]]] = {}  # month -> deadlines
        self._release_at = math.inf  # month whose bucket a SimPy timer will release

    def __len__(self) -> int:
        return len(self._heap) + sum(len(b) for b in self._far.values())

    def add(self, at: float, item: int) -> None:
        """Fire ``item`` at time ``at`` (months) unless it is no longer alive by then."""
        entry = (at, next(self._seq), item)
        month = math.floor(at)  # times are negative within a burn-in
        if month > self.env.now:
            # Due in a later month: wait in its bucket (the month starts at or before ``at``).
            bucket = self._far.get(month)
            if bucket is None:
                bucket = self._far[month] = []
                if month < self._release_at:
                    self._arm_release(month)
            bucket.append(entry)
            return
        heapq.heappush(self._heap, entry)
        if at < self._wake_at:
            self._arm(at)

    def _arm_release(self, month: int) -> None:
        self._release_at = month
        self.env.timeout(max(month - self.env.now, 0.0)).callbacks.append(
            lambda _ev: self._release(month)
        )

    def _release(self, month: int) -> None:
        if month != self._release_at:
            return  # superseded by an earlier month's release
        alive, heap = self.alive, self._heap
        for entry in self._far.pop(month, ()):
            if alive(entry[2]):
                heapq.heappush(heap, entry)
        self._release_at = math.inf
        if self._far:
            self._arm_release(min(self._far))
        if heap and heap[0][0] < self._wake_at:
            self._arm(heap[0][0])

    def _arm(self, at: float) -> None:
        self._wake_token += 1
        token = self._wake_token
        self._wake_at = at
        self._call_in(max(at - self.env.now, 0.0), self._wake, token, None)

    def _wake(self, token: int, _: None = None) -> None:
        if token != self._wake_token:
            return  # superseded by an earlier deadline
        heap, now = self._heap, self.env.now
        while heap and heap[0][0] <= now:
            _, _, item = heapq.heappop(heap)
            if self.alive(item):
                self.fire(item)
        # Drop cancelled deadlines at the front, so the next wake-up is a live one.
        while heap and not self.alive(heap[0][2]):
            heapq.heappop(heap)
        self._wake_at = math.inf
        if heap:
            self._arm(heap[0][0])


class FifoDeadlines:
    """Calls ``fire(item)`` at each item's deadline (months); deadlines come in time order.

    :meth:`add` must be called with non-decreasing times (as for a fixed delay after the
    current time); items due at the same time fire in the order they were added.
    """

    def __init__(self, env: simpy.Environment, fire: Callable[[Any], None]) -> None:
        self.env = env
        self._call_in = timer_scheduler(env)  # wake-ups skip SimPy's queue if they can
        self.fire = fire
        self._queue: deque[tuple[float, Any]] = deque()
        self._armed = False

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, at: float, item: Any) -> None:
        """Fire ``item`` at time ``at`` (months, not before the last deadline added)."""
        q = self._queue
        if q and at < q[-1][0]:
            raise ValueError(f"FifoDeadlines: deadline {at} is before the last one {q[-1][0]}")
        q.append((at, item))
        if not self._armed:
            self._arm(at)

    def _arm(self, at: float) -> None:
        self._armed = True
        self._call_in(max(at - self.env.now, 0.0), self._wake, at, None)

    def _wake(self, at: float, _: None = None) -> None:
        # Pop by the time armed for, not env.now: ``now + (at - now)`` may round below ``at``.
        q, fire = self._queue, self.fire
        while q and q[0][0] <= at:
            fire(q.popleft()[1])
        self._armed = False
        if q:
            self._arm(q[0][0])
