"""The engine's deadline queues fire at the right times, in order, and skip cancelled items."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from netsim.engine.deadlines import DeadlineQueue, FifoDeadlines


def _run_deadline_queue(deadlines, cancel_at, add_times):
    """Add item k at time add_times[k] due at deadlines[k]; cancel item k at cancel_at[k]."""
    env = simpy.Environment()
    dead: set[int] = set()
    fired: list[tuple[float, int]] = []
    q = DeadlineQueue(env, lambda k: fired.append((env.now, k)), lambda k: k not in dead)
    for k, (t_add, due) in enumerate(zip(add_times, deadlines, strict=True)):
        env.timeout(t_add).callbacks.append(lambda _ev, k=k, due=due: q.add(due, k))
    for k, t in cancel_at.items():
        env.timeout(t).callbacks.append(lambda _ev, k=k: dead.add(k))
    env.run(until=100)
    return fired


def test_deadline_queue_fires_live_items_at_their_time_in_order_across_months():
    rng = np.random.default_rng(4)
    n = 300
    add_times = np.sort(rng.uniform(0, 20, n))
    deadlines = add_times + rng.exponential(3.0, n)  # many in later months (bucketed)
    deadlines[10] = deadlines[11] = add_times[11] + 2.0  # a tie: insertion order decides
    cancel = {k: float(add_times[k] + 0.5 * (deadlines[k] - add_times[k])) for k in range(0, n, 3)}
    fired = _run_deadline_queue(deadlines.tolist(), cancel, add_times.tolist())
    want = sorted(
        (float(deadlines[k]), k) for k in range(n) if k not in cancel and deadlines[k] < 100
    )
    assert [k for _, k in fired] == [k for _, k in want]
    assert all(t == pytest.approx(d, abs=1e-9) for (t, _), (d, _) in zip(fired, want, strict=True))


def test_deadline_queue_len_counts_bucketed_items():
    env = simpy.Environment()
    q = DeadlineQueue(env, lambda k: None, lambda k: True)
    q.add(0.5, 0)
    q.add(3.5, 1)
    q.add(7.2, 2)
    assert len(q) == 3


def test_fifo_deadlines_fire_in_order_and_refuse_earlier_times():
    env = simpy.Environment()
    fired: list[tuple[float, str]] = []
    q = FifoDeadlines(env, lambda item: fired.append((env.now, item)))
    q.add(1.0, "a")
    q.add(1.0, "b")
    q.add(2.5, "c")
    with pytest.raises(ValueError, match="before the last"):
        q.add(2.0, "d")
    env.timeout(2.0).callbacks.append(lambda _ev: q.add(3.0, "e"))
    env.run(until=10)
    assert fired == [(1.0, "a"), (1.0, "b"), (2.5, "c"), (3.0, "e")]
    assert len(q) == 0
