"""The flat timer queue of ModelEnvironment runs events in exactly SimPy's order."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from netsim.engine.environment import ModelEnvironment, timer_scheduler


def _trace(env: simpy.Environment, seed: int, until: float | None) -> list[tuple]:
    """A mixed workload of timers, timeouts and a process, with many equal times.

    Delays are drawn from a small set (0, 0.5, 1, 2) so equal times are common; timers and
    SimPy events schedule each other. Returns the (time, label) of every callback in order.
    """
    rng = np.random.default_rng(seed)
    call_in = timer_scheduler(env)
    out: list[tuple] = []
    delays = (0.0, 0.5, 1.0, 2.0)

    def timer(k: int, depth: int) -> None:
        out.append((env.now, "timer", k))
        if depth < 4:
            for j in range(2):
                d = delays[rng.integers(4)]
                if rng.random() < 0.5:
                    call_in(d, timer, 10 * k + j, depth + 1)
                else:
                    env.timeout(d).callbacks.append(lambda _ev, k=k, j=j: timeout(10 * k + j))

    def timeout(k: int) -> None:
        out.append((env.now, "timeout", k))
        if k < 10_000:
            call_in(delays[rng.integers(4)], timer, 10 * k + 7, 3)

    def proc():
        for k in range(6):
            yield env.timeout(0.5)
            out.append((env.now, "process", k))
            call_in(0.0, timer, 900 + k, 3)

    env.process(proc())
    for k in range(5):
        call_in(delays[rng.integers(4)], timer, k, 0)
    env.run(until=until)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("until", [None, 2.0, 3.5])
@pytest.mark.parametrize("slot", [1 / 64, 0.3, 0.5, 100.0])
def test_same_order_as_plain_simpy(seed: int, until: float | None, slot: float) -> None:
    """Any calendar slot width (narrower than, equal to, wider than the delays) keeps the order."""
    plain = _trace(simpy.Environment(), seed, until)
    flat = _trace(ModelEnvironment(slot_months=slot), seed, until)
    assert len(plain) > 20
    assert len({t for t, *_ in plain}) < len(plain)  # equal times occur
    assert flat == plain


def test_peek_sees_both_queues() -> None:
    env = ModelEnvironment()
    env.call_in(0.25, lambda a, b: None, 0, 0)
    env.timeout(0.75)
    assert env.peek() == 0.25
    assert env.pending_timers == 1
    env.step()  # runs the timer, then the timeout
    assert env.pending_timers == 0
    assert env.now == 0.75
    assert env.peek() == float("inf")


def test_timers_alone_run_to_the_end() -> None:
    env = ModelEnvironment()
    seen: list[float] = []
    env.call_in(2.0, lambda a, b: seen.append(env.now), 0, 0)
    env.call_in(1.0, lambda a, b: seen.append(env.now), 0, 0)
    env.run()
    assert seen == [1.0, 2.0]


@pytest.mark.parametrize("start", [-36.0, -0.7, 0.0])
def test_order_from_a_negative_start(start: float) -> None:
    """A burn-in starts the clock below zero: slots of negative times keep the order too."""
    plain = _trace(simpy.Environment(initial_time=start), 5, None)
    flat = _trace(ModelEnvironment(initial_time=start, slot_months=0.25), 5, None)
    assert flat == plain


def test_random_delays_many_slots() -> None:
    """Continuous delays spread over many slots run in time order, each once."""
    rng = np.random.default_rng(7)
    env = ModelEnvironment(slot_months=0.01)
    seen: list[float] = []

    def fire(k: int, depth: int) -> None:
        seen.append(env.now)
        if depth < 3:
            for _ in range(3):
                env.call_in(float(rng.exponential(0.2)), fire, k, depth + 1)

    for k in range(20):
        env.call_in(float(rng.exponential(1.0)), fire, k, 0)
    assert env.pending_timers == 20
    env.run()
    assert len(seen) == 20 * (1 + 3 + 9 + 27)
    assert seen == sorted(seen)
    assert env.pending_timers == 0


def test_slot_width_must_be_positive() -> None:
    with pytest.raises(ValueError, match="slot_months"):
        ModelEnvironment(slot_months=0.0)


def test_peek_inside_a_timer_loses_no_timer() -> None:
    """A callback that peeks (which may move the calendar to the next slot) keeps every
    later timer, in order."""
    env = ModelEnvironment(slot_months=0.1)
    seen: list[float] = []

    def fire(k: int, _: int) -> None:
        seen.append(env.now)
        env.peek()

    for t in (0.05, 0.25, 0.55, 0.95, 1.5):
        env.call_in(t, fire, 0, 0)
    env.timeout(3.0)
    env.run()
    assert seen == [0.05, 0.25, 0.55, 0.95, 1.5]


def test_a_timer_beyond_any_run_is_filed_not_refused() -> None:
    """A waiting time of ~1e308 months (a rate of the smallest normal float) or inf used to
    overflow the slot number (hypothesis found it through a word-of-mouth rate)."""
    env = ModelEnvironment(slot_months=1 / 64)
    fired: list[float] = []
    env.call_in(7.5e307, lambda a, b: fired.append(env.now), None, None)
    env.call_in(float("inf"), lambda a, b: fired.append(env.now), None, None)
    env.call_in(2.0, lambda a, b: fired.append(env.now), None, None)
    env.run(until=10.0)
    assert fired == [2.0]
    assert env.pending_timers == 2
