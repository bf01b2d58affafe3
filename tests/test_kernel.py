"""The compiled kernel gives the Python market's results to the bit (netsim.kernel).

The Python market is the reference: a run with ``kernel='compiled'`` must produce the same
time series, event log, worker table and company table, and the same event counts, as the
same scenario and seed with ``kernel='python'``, for shipped scenarios, for random small
scenarios (hypothesis) and when stepped month by month. The kernel refuses (or, with
'auto', leaves to Python) every run it does not cover.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

from conftest import small_scenario  # noqa: E402
from netsim.engine.rng import BLOCK, FastStream  # noqa: E402
from netsim.kernel import attach_kernel  # noqa: E402
from netsim.model.loading import load_scenario  # noqa: E402
from netsim.model.simulation import Simulation  # noqa: E402
from netsim.scenario.errors import NetsimInputError  # noqa: E402
from netsim.world.network import SocialNetwork  # noqa: E402
from test_invariants import scenarios  # noqa: E402


def _tables(sim: Simulation) -> tuple:
    return (
        sim.timeseries(),
        sim.events(),
        sim.worker_table(),
        sim.company_table(),
        sim.n_events,
        sim.n_stale,
    )


def _run(scenario, seed: int, kernel: str) -> tuple:
    sim = Simulation(scenario, seed, kernel=kernel).run()
    assert (sim.kernel is not None) == (kernel == "compiled")
    return _tables(sim)


def assert_same(a: tuple, b: tuple) -> None:
    """Tables equal exactly (NaN where NaN), counts equal."""
    for x, y in zip(a[:4], b[:4], strict=True):
        pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert a[4:] == b[4:]


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"burn_in_months": 6},
        {"labour_market": {"on_the_job_news": "pass_to_contact"}},
        {"ties": {"colleague_tie_rate_per_month": 0}, "vacancies": {"growth_rate_per_month": 0}},
        {"labour_market": {"word_of_mouth_rate_per_month": 0}, "companies": {"large_share": 1}},
        {
            "companies": {"probation_months": 0.0, "onboarding_months": 0.0},
            "knowledge": {"carry": 0},
        },
    ],
    ids=["default", "burn_in", "pass_news", "no_growth_no_ties", "no_tips_all_large", "plain"],
)
def test_compiled_kernel_matches_python(overrides):
    sc = small_scenario(horizon_months=24, **overrides)
    assert_same(_run(sc, 3, "python"), _run(sc, 3, "compiled"))


def test_compiled_kernel_matches_python_on_the_baseline_scenario():
    sc = load_scenario(
        "scenarios/baseline.yaml", ["population.workers=3000", "companies.count=150"]
    )
    assert_same(_run(sc, 11, "python"), _run(sc, 11, "compiled"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scenarios(), seed=st.integers(0, 2**31 - 1))
def test_compiled_kernel_matches_python_on_random_scenarios(data, seed):
    assume(data["labour_market"]["demand"] == "vacancies")
    data["labour_market"]["on_the_job_news"] = ["search", "pass_to_contact"][seed % 2]
    sc = load_scenario(data)
    assert_same(_run(sc, seed, "python"), _run(sc, seed, "compiled"))


def test_stepping_with_the_kernel_gives_the_run():
    sc = small_scenario(horizon_months=20, burn_in_months=3)
    whole = _run(sc, 5, "compiled")
    sim = Simulation(sc, 5, kernel="compiled").start()
    for to in (0.5, 1.0, 7.25, 7.25, 13.0, 25.0):
        sim.advance(to)
    assert_same(whole, _tables(sim))


def _started(scenario, kernel: str | None = None) -> Simulation:
    return Simulation(scenario, 1, kernel=kernel).start()


def test_auto_falls_back_and_compiled_says_why():
    big = {"population": {"workers": 1000}, "horizon_months": 1000}  # 1M worker-months
    sc = small_scenario(platform={"enabled": True}, **big)
    assert _started(sc, "auto").kernel is None
    with pytest.raises(NetsimInputError, match="the platform"):
        _started(sc, "compiled")
    with pytest.raises(NetsimInputError, match="^kernel: unknown kernel 'fast'"):
        _started(small_scenario(), "fast")
    demand = small_scenario(labour_market={"demand": "always_hiring"}, **big)
    assert _started(demand, "auto").kernel is None
    assert _started(small_scenario(**big), "auto").kernel is not None


def test_a_listener_subscribed_before_the_start_keeps_python_and_a_late_one_stops():
    big = small_scenario(population={"workers": 1000}, horizon_months=1000)
    sim = Simulation(big, 1, kernel="auto")
    sim.hooks.hire.append(lambda hire: None)
    assert sim.start().kernel is None  # 'auto' leaves a run with a listener to Python
    sim = Simulation(small_scenario(), 1, kernel="compiled")
    sim.hooks.hire.append(lambda hire: None)
    with pytest.raises(NetsimInputError, match="'hire' hook"):
        sim.run()


def test_auto_is_the_default_and_small_runs_stay_python(monkeypatch):
    monkeypatch.delenv("NETSIM_KERNEL", raising=False)
    assert _started(small_scenario()).kernel is None  # 300 workers x 36 months: too small
    monkeypatch.setenv("NETSIM_KERNEL", "compiled")
    assert _started(small_scenario()).kernel is not None
    monkeypatch.setenv("NETSIM_KERNEL", "python")
    sim = _started(small_scenario(population={"workers": 1000}, horizon_months=1000))
    assert sim.kernel is None
    assert attach_kernel(sim, 0, "python") is None


@given(
    take=st.lists(st.integers(0, 3 * BLOCK), min_size=1, max_size=4),
    kind=st.integers(0, 2),
)
@settings(max_examples=20, deadline=None)
def test_a_stream_handed_over_and_back_goes_on_where_it_was(take, kind):
    """position() then resume() at a later point in the same numbers = an untouched stream."""
    seq = np.random.default_rng(7)
    ref = FastStream(np.random.default_rng(7))
    moved = FastStream(np.random.default_rng(7))
    del seq
    draw = [lambda s: s.random(), lambda s: s._exp1(), lambda s: s.normal()][kind]
    for k in take:
        expected = [draw(ref) for _ in range(k)]
        # The kernel's view of the stream: the block and position, then fresh blocks.
        blocks = moved.blocks[kind]
        block, pos = blocks.position()
        gen_draw = blocks.draw
        got = []
        while len(got) < k:
            if pos == len(block):
                block, pos = gen_draw(BLOCK), 0
            got.append(float(block[pos]))
            pos += 1
        blocks.resume(block, pos)
        assert got == expected
        assert draw(moved) == draw(ref)


@given(
    n=st.integers(2, 12),
    pairs=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40),
)
@settings(max_examples=60, deadline=None)
def test_add_ties_is_add_tie_in_order(n, pairs):
    pairs = [(u % n, v % n) for u, v in pairs if u % n != v % n]
    one, bulk = SocialNetwork(n), SocialNetwork(n)
    one.add_tie(0, 1, 0.9, "initial", 0.0)
    bulk.add_tie(0, 1, 0.9, "initial", 0.0)
    one.components()
    bulk.components()
    one.adjacency_arrays()  # a snapshot: later changes are marked
    bulk.adjacency_arrays()
    times = [0.5 + k for k in range(len(pairs))]
    new = sum(
        one.add_tie(u, v, 0.3, "colleague", t) for (u, v), t in zip(pairs, times, strict=True)
    )
    us, vs = [u for u, _ in pairs], [v for _, v in pairs]
    assert bulk.add_ties(us, vs, 0.3, "colleague", times) == new
    assert one.neighbours == bulk.neighbours
    for name in ("_u", "_v", "_s", "_o", "_t", "_r"):
        assert list(getattr(one, name)) == list(getattr(bulk, name))
    assert one._index == bulk._index
    assert one.components().giant == bulk.components().giant
    assert (one._changed, one._n_changed) == (bulk._changed, bulk._n_changed)
    for a, b in zip(one.adjacency_arrays(), bulk.adjacency_arrays(), strict=True):
        assert np.array_equal(a, b)


def test_the_state_is_built_from_every_field_in_order():
    import inspect

    from netsim.kernel.layout import FIELDS, make_state

    assert tuple(inspect.signature(make_state.py_func).parameters) == FIELDS


def test_the_manifest_says_which_market_ran(monkeypatch):
    from netsim.model.run import simulate

    monkeypatch.setenv("NETSIM_KERNEL", "compiled")
    fast = simulate(small_scenario(horizon_months=6), seed=2)
    monkeypatch.setenv("NETSIM_KERNEL", "python")
    slow = simulate(small_scenario(horizon_months=6), seed=2)
    assert (fast.manifest["market"], slow.manifest["market"]) == ("compiled", "python")
    assert fast.manifest["versions"]["numba"] != "not installed"
    pd.testing.assert_frame_equal(fast.events, slow.events, check_exact=True)
    assert fast.summary == slow.summary


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("fast", "NETSIM_KERNEL: unknown kernel 'fast'"),
        ("compiled", "NETSIM_KERNEL: 'compiled', but the compiled kernel cannot run"),
    ],
)
def test_a_bad_netsim_kernel_is_exit_2_with_one_line_and_nothing_written(
    tmp_path, monkeypatch, capsys, value, says
):
    from netsim.cli import EXIT_BAD_INPUT, main

    monkeypatch.setenv("NETSIM_KERNEL", value)
    out = tmp_path / "run"
    args = ["run", "scenarios/rotation_gaming.yaml", "--set", "horizon_months=2", "--out"]
    assert main([*args, str(out), "-q"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith(says) and "Traceback" not in err
    assert not out.exists()
