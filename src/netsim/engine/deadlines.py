"""Deadlines that are mostly cancelled, kept out of SimPy's event queue.

Most vacancies are filled long before they would expire, so one SimPy timer per expiry
would mostly fire for nothing. A :class:`DeadlineQueue` keeps the deadlines in its own
heap and holds a single SimPy timer for the earliest one; a cancelled deadline is dropped
when it reaches the front (a heap pop instead of a SimPy event). Deadlines fire in
(time, insertion) order, so runs stay deterministic.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from itertools import count

import simpy


class DeadlineQueue:
    """Calls ``fire(item)`` at each item's deadline (months) while ``alive(item)`` holds."""

    def __init__(
        self,
        env: simpy.Environment,
        fire: Callable[[int], None],
        alive: Callable[[int], bool],
    ) -> None:
        self.env = env
        self.fire = fire
        self.alive = alive
        self._heap: list[tuple[float, int, int]] = []
        self._seq = count()
        self._wake_at = math.inf
        self._wake_token = 0

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, at: float, item: int) -> None:
        """Fire ``item`` at time ``at`` (months) unless it is no longer alive by then."""
        heapq.heappush(self._heap, (at, next(self._seq), item))
        if at < self._wake_at:
            self._arm(at)

    def _arm(self, at: float) -> None:
        self._wake_token += 1
        token = self._wake_token
        self._wake_at = at
        self.env.timeout(max(at - self.env.now, 0.0)).callbacks.append(
            lambda _ev: self._wake(token)
        )

    def _wake(self, token: int) -> None:
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
