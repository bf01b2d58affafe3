"""The public record and companies' screening rules (issue 10, item 3).

Each rule's contract; the record's memory (stints and posts older than the window are
forgotten, and posts are dropped from memory); a run with screening switched off, or on with
nobody rejecting, is the run of main; a longer memory screens out more job-hoppers over
seeded replications; counts add up; a researcher's own rule end to end; bad names are input
errors with a did-you-mean.
"""

from __future__ import annotations

import sys
import textwrap
from collections import deque
from pathlib import Path

import numpy as np
import pandas.testing as pdt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import PRE_CALIBRATION_SETS, small_scenario
from netsim.cli import main
from netsim.engine.hooks import Hooks, MonthEnd, Post
from netsim.mechanisms.public_record import PublicRecord
from netsim.mechanisms.screening import CompanyScreening
from netsim.mechanisms.screening_rules import (
    SCREENING_RULES,
    Applicant,
    NegativePostPenalty,
    NoScreening,
    ShortStintPenalty,
)
from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.model.simulation import Simulation
from netsim.scenario.errors import NetsimInputError

ROOT = Path(__file__).resolve().parents[1]
LONG_MEMORY = ROOT / "scenarios" / "long_memory.yaml"


def applicant(short: int = 0, negative: int = 0) -> Applicant:
    return Applicant(0, 0, "market", 10.0, short, negative)


# ------------------------------------------------------------------ rule contracts


def test_registry_has_the_built_in_rules():
    assert SCREENING_RULES.names() == ["negative_post_penalty", "none", "short_stint_penalty"]


@given(st.integers(0, 50), st.integers(0, 50))
def test_none_never_rejects(short, negative):
    assert NoScreening().rejection_probability(applicant(short, negative)) == 0.0


@given(
    st.floats(0.0, 1.0),
    st.integers(0, 5),
    st.integers(0, 30),
)
def test_short_stint_penalty_grows_with_short_stints(penalty, free, short):
    rule = ShortStintPenalty({"penalty_per_stint": penalty, "free_stints": free})
    p = rule.rejection_probability(applicant(short))
    more = rule.rejection_probability(applicant(short + 1))
    assert 0.0 <= p <= more <= 1.0
    # Posts do not matter to a job-hopper filter.
    assert rule.rejection_probability(applicant(short, negative=9)) == p
    if short <= free:
        assert p == 0.0
    if penalty > 1e-6 and short >= free and p < 1.0:
        assert more > p  # strictly, until the rejection is certain


@given(st.floats(0.0, 1.0), st.integers(0, 5), st.integers(0, 30))
def test_negative_post_penalty_grows_with_negative_posts(penalty, free, negative):
    rule = NegativePostPenalty({"penalty_per_post": penalty, "free_posts": free})
    p = rule.rejection_probability(applicant(negative=negative))
    more = rule.rejection_probability(applicant(negative=negative + 1))
    assert 0.0 <= p <= more <= 1.0
    assert rule.rejection_probability(applicant(short=9, negative=negative)) == p
    if penalty > 1e-6 and negative >= free and p < 1.0:
        assert more > p


def test_rule_parameters_are_checked():
    with pytest.raises(ValueError):
        ShortStintPenalty({"penalty_per_stint": 1.5})
    with pytest.raises(ValueError):
        NegativePostPenalty({"penalty": 0.1})


# ------------------------------------------------------------------ the public record


class FakeMarket:
    """The one service the record reads: completed stints ``(company, start, end)``, those
    ended by ``now`` (months)."""

    def __init__(self, history, now=1e9):
        self._h = history
        self.now = now

    def history(self, i):
        return [s for s in self._h.get(i, []) if s[2] <= self.now]


def test_record_forgets_stints_older_than_the_window():
    # Short stints ending at 5 and 10 (months), a long one ending at 50, a short one at 58.
    hist = {0: [(1, 1.0, 5.0), (2, 8.0, 10.0), (3, 10.0, 50.0), (4, 55.0, 58.0)]}
    market = FakeMarket(hist)
    rec = PublicRecord(market, Hooks(), memory_months=24.0, short_stint_months=6.0)

    def short_at(t):
        market.now = t
        return rec.short_stints(0, t)

    assert short_at(10.0) == 2
    assert short_at(29.0) == 2  # the stint that ended at 5 is exactly 24 months old
    assert short_at(30.0) == 1  # ... and is forgotten right after
    assert short_at(34.5) == 0
    assert short_at(60.0) == 1  # only the one ending at 58; the long one is not short
    assert [s[0] for s in rec.stints(0, 60.0)] == [3, 4]
    assert rec.short_stints(0, 100.0) == 0 and rec.stints(0, 100.0) == []
    assert rec.short_stints(1, 60.0) == 0 and rec.stints(1, 60.0) == []
    longer = PublicRecord(FakeMarket(hist), Hooks(), memory_months=60.0, short_stint_months=6.0)
    assert longer.short_stints(0, 60.0) == 3  # a longer memory sees all three short stints


@given(
    st.lists(st.tuples(st.floats(0, 20), st.floats(0, 30)), max_size=15),
    st.floats(0, 200),
    st.floats(0, 60),
    st.floats(0, 24),
)
def test_short_stints_match_a_brute_force_count(gaps, t, memory, short):
    end, hist = 0.0, []
    for gap, length in gaps:  # stints in the order they ended, as the market keeps them
        start = end + gap
        end = start + length
        hist.append((0, start, end))
    rec = PublicRecord(FakeMarket({0: hist}), Hooks(), memory, short)
    t = max(t, end)
    want = sum(1 for _c, s, e in hist if e >= t - memory and e - s < short)
    assert rec.short_stints(0, t) == want


def emit(hooks: Hooks, t: float, worker: int, tone: int, company: int = 0) -> None:
    for hook in hooks.post:
        hook(Post(t, worker, company, tone))


def month_end(hooks: Hooks, t: float) -> None:
    for hook in hooks.month_end:
        hook(MonthEnd(int(t), t, {}))


def test_record_counts_negative_posts_within_the_window_and_drops_old_ones():
    hooks = Hooks()
    rec = PublicRecord(FakeMarket({}), hooks, memory_months=12.0, short_stint_months=6.0)
    emit(hooks, 1.0, 0, -1)
    emit(hooks, 2.0, 0, +1)
    emit(hooks, 5.0, 1, -1)
    emit(hooks, 10.0, 0, -1)
    assert rec.negative_posts(0, 10.0) == 2 and rec.negative_posts(1, 10.0) == 1
    assert rec.negative_posts(0, 13.5) == 1  # the post at 1.0 is forgotten by reading too
    assert [p[2] for p in rec.posts(0, 13.5)] == [1, -1]
    month_end(hooks, 15.0)  # forgets the posts made before month 3
    assert rec.posts_held == 2 and rec.posts_recorded == 4
    month_end(hooks, 30.0)
    assert rec.posts_held == 0 and rec.negative_posts(0, 30.0) == 0


def test_memory_of_posts_stays_bounded_in_a_long_stream():
    hooks = Hooks()
    rec = PublicRecord(FakeMarket({}), hooks, memory_months=6.0, short_stint_months=6.0)
    rng = np.random.default_rng(3)
    held = deque()
    for month in range(1, 121):
        for t in np.sort(month - 1 + rng.random(50)):
            emit(hooks, float(t), int(rng.integers(100)), -1)
        month_end(hooks, float(month))
        held.append(rec.posts_held)
    assert rec.posts_recorded == 6000
    assert max(held) <= 50 * 7  # at most one window and one month of posts


@given(
    st.lists(
        st.tuples(st.floats(0.0, 40.0), st.integers(0, 3), st.sampled_from([-1, 1])),
        max_size=40,
    ),
    st.floats(0.0, 45.0),
    st.floats(1.0, 24.0),
)
def test_negative_posts_match_a_count_over_the_remembered_posts(posts, t, memory):
    """The negative-post count (kept apart for speed) equals a count over ``posts()``,
    before and after month-end forgetting."""
    hooks = Hooks()
    rec = PublicRecord(FakeMarket({}), hooks, memory_months=memory, short_stint_months=6.0)
    for time, w, tone in sorted(posts):
        emit(hooks, time, w, tone)
    for when in (None, t - 3.0, t):
        if when is not None:
            month_end(hooks, when)
        for w in range(4):
            assert rec.negative_posts(w, t) == sum(p[2] < 0 for p in rec.posts(w, t))


def _penalty_run(n_calls: list[int]):
    """A small run where half the companies penalise short stints; counts rule calls."""
    sc = small_scenario(
        horizon_months=36,
        population={"workers": 400, "vital_forces": {"share": 0.4, "mobility_multiplier": 4.0}},
        screening={
            "enabled": True,
            "short_stint_months": 12.0,
            "rules": {"none": 0.5, "short_stint_penalty": 0.5},
        },
    )
    sim = Simulation(sc, 5)
    (screening,) = [m for m in sim.mechanisms if isinstance(m, CompanyScreening)]
    rule = screening.rules[screening.names.index("short_stint_penalty")]
    ask = rule.rejection_probability

    def counted(applicant):
        n_calls.append((applicant.short_stints, applicant.negative_posts))
        return ask(applicant)

    rule.rejection_probability = counted
    sim.run()
    return sim, screening


def test_a_counts_only_rule_is_asked_once_per_pair_of_counts(monkeypatch):
    """A rule that reads only the counts is asked once per (short stints, negative posts)
    pair; asking it on every application instead gives the same run, draw for draw."""
    cached: list = []
    sim, screening = _penalty_run(cached)
    monkeypatch.setattr(ShortStintPenalty, "counts_only", False)
    every: list = []
    sim2, screening2 = _penalty_run(every)
    assert len(cached) == len(set(cached)) >= 2
    penalty = screening.names.index("short_stint_penalty")
    apps = sum(v[0] for k, v in screening.counts.items() if k[0] == penalty)
    assert len(every) == apps > 10 * len(cached)
    pdt.assert_frame_equal(sim.events(), sim2.events())
    assert screening.counts == screening2.counts


# ------------------------------------------------------------------ runs


def _same_dynamics(a, b):
    cols = [c for c in a.timeseries.columns if c in b.timeseries.columns]
    pdt.assert_frame_equal(a.timeseries[cols], b.timeseries[cols])
    pdt.assert_frame_equal(a.events, b.events)


def test_screening_off_adds_nothing_and_nobody_rejecting_changes_nothing():
    off = simulate(small_scenario(), 7)
    assert "screened_out" not in off.timeseries.columns and "screening" not in off.tables
    assert not any(k.startswith("screening_") for k in off.summary)
    # Switched on with the rule 'none' everywhere: every application is screened, none
    # rejected, and the run is draw for draw the run of main.
    none = simulate(small_scenario(screening={"enabled": True, "rules": {"none": 1.0}}), 7)
    _same_dynamics(off, none)
    assert none.summary["screening_applications"] > 0
    assert none.summary["screening_screened_out"] == 0


@pytest.fixture(scope="module")
def screened():
    """A small run where half the companies penalise short stints and posts are emitted."""
    sc = small_scenario(
        horizon_months=48,
        population={"workers": 400, "vital_forces": {"share": 0.4, "mobility_multiplier": 4.0}},
        screening={
            "enabled": True,
            "short_stint_months": 12.0,
            "memory_months": 36.0,
            "rules": {"none": 0.5, "short_stint_penalty": 0.5},
            "params": {"short_stint_penalty": {"penalty_per_stint": 0.5}},
        },
    )
    return simulate(sc, 3)


def test_counts_add_up(screened):
    ts, table, s = screened.timeseries, screened.tables["screening"], screened.summary
    w, c = screened.workers, screened.companies
    assert table["applications"].sum() == ts["applications_screened"].sum() == s[
        "screening_applications"
    ]
    assert table["screened_out"].sum() == ts["screened_out"].sum() == s["screening_screened_out"]
    per_channel = ts[[f"screened_out_{ch}" for ch in ("market", "word_of_mouth", "platform")]]
    assert (per_channel.sum(axis=1) == ts["screened_out"]).all()
    # Every hire but internal moves went through screening and is counted once.
    assert table["hires"].sum() == ts["hires"].sum() > 0
    assert (table["hires"] + table["screened_out"] <= table["applications"]).all()
    assert w["applications_screened"].sum() == c["applications_screened"].sum() == s[
        "screening_applications"
    ]
    assert w["rejections_screened"].sum() == c["screened_out"].sum() == s["screening_screened_out"]
    # 'none' companies never reject; the penalty rejects nobody without a short stint.
    assert c.loc[c["screening_rule"] == "none", "screened_out"].sum() == 0
    assert table.loc[table["rule"] == "none", "screened_out"].sum() == 0
    assert table.loc[table["short_stints"] == 0, "screened_out"].sum() == 0
    assert (w["short_stints_in_memory"] <= w["completed_stints"]).all()


def test_penalty_companies_hire_job_hoppers_less_often(screened):
    t = screened.tables["screening"]
    by = t.groupby(["rule", t["short_stints"] > 0], observed=True)[["applications", "hires"]].sum()
    rate = by["hires"] / by["applications"]
    # Under the penalty (0.5 per short stint) a job-hopper's chance per application falls by
    # far more than the sampling noise of a few hundred applications.
    assert rate[("short_stint_penalty", True)] < 0.7 * rate[("short_stint_penalty", False)]
    assert rate[("none", True)] > 0.7 * rate[("none", False)]


def _long_memory(memory: float, seed: int):
    sc = load_scenario(
        LONG_MEMORY,
        [f"screening.memory_months={memory}", "population.workers=1000", "horizon_months=96",
         *PRE_CALIBRATION_SETS],  # job-hoppers need the churnier pre-calibration market
    )
    return simulate(sc, seed)


def test_a_longer_memory_screens_out_more_job_hoppers_over_seeds():
    """Memory 60 vs 12 months on the shipped scenario, five paired seeds.

    In every seed the longer memory rejects at least 1.5 times as many applications (it
    sees more short stints), and on average the vital forces (the job-hoppers) hold fewer
    jobs; both comparisons could fail.
    """
    out, jobs = {12: [], 60: []}, {12: [], 60: []}
    for seed in range(1, 6):
        for memory in (12, 60):
            r = _long_memory(memory, seed)
            out[memory].append(r.summary["screening_screened_out"])
            jobs[memory].append(r.workers.loc[r.workers["vital_force"], "jobs_held"].mean())
    assert all(long >= 1.5 * short for long, short in zip(out[60], out[12], strict=True))
    assert np.mean(jobs[60]) < np.mean(jobs[12]) - 0.1


def test_negative_posts_reach_screening_through_the_post_hook():
    """A small emitter (standing in for the posting mechanism) makes the even-numbered
    workers post negatively about every employer they leave; companies that penalise
    negative posts then reject them, and only them."""
    sc = small_scenario(
        horizon_months=36,
        screening={
            "enabled": True,
            "memory_months": 24.0,
            "rules": {"negative_post_penalty": 1.0},
            "params": {"negative_post_penalty": {"penalty_per_post": 0.5}},
        },
    )
    sim = Simulation(sc, seed=4)

    def complain(sep):
        if sep.worker % 2 == 0:
            for hook in sim.hooks.post:
                hook(Post(sep.time_months, sep.worker, sep.company, -1))

    sim.hooks.separation.append(complain)
    sim.run()
    w = sim.worker_table()
    even = w["worker"] % 2 == 0
    assert w.loc[~even, "rejections_screened"].sum() == 0
    assert w.loc[~even, "negative_posts_in_memory"].sum() == 0
    assert w.loc[even, "rejections_screened"].sum() > 10
    assert sim.mechanism_summary()["screening_posts_recorded"] > 0


# ------------------------------------------------------------------ plug-ins and errors

RULE = textwrap.dedent(
    '''
    from typing import ClassVar

    from pydantic import Field

    from netsim.mechanisms.screening_rules import ScreeningParams, ScreeningRule


    class StrictParams(ScreeningParams):
        reject: float = Field(1.0, ge=0, le=1, description="Chance to reject anyone.")


    class Strict(ScreeningRule):
        """Rejects every outside applicant with a fixed chance, whatever their record."""

        name: ClassVar[str] = "strict"
        description: ClassVar[str] = "Rejects anyone with a fixed chance."
        Params = StrictParams

        def rejection_probability(self, applicant):
            assert applicant.stints() is not None and applicant.posts() is not None
            return self.params.reject
    '''
)


@pytest.fixture
def plugin_dir(tmp_path):
    (tmp_path / "myscreens.py").write_text(RULE)
    yield tmp_path
    sys.modules.pop("myscreens", None)


def test_a_researchers_own_rule_end_to_end(plugin_dir):
    path = plugin_dir / "strict.yaml"
    path.write_text(
        textwrap.dedent(
            """
            name: strict
            horizon_months: 24
            population: {workers: 300}
            companies: {count: 20, large_share: 0.1}
            platform: {enabled: true, member_share: 0.3, defences: {screening: true}}
            screening:
              enabled: true
              rules: {"myscreens:Strict": 0.5, none: 0.5}
              large_rules: {"myscreens:Strict": 1.0}
            """
        )
    )
    sc = load_scenario(path)
    assert sc.screening.params == {"myscreens:Strict": {"reject": 1.0}}  # defaults recorded
    r = simulate(sc, 2)
    c, t = r.companies, r.tables["screening"]
    strict = c["screening_rule"] == "myscreens:Strict"
    assert strict.any() and (~strict).any()
    assert (c.loc[c["size_class"] == "large", "screening_rule"] == "myscreens:Strict").all()
    # Strict companies hire nobody from outside; internal moves are not screened.
    assert c.loc[strict, "hires"].sum() == 0 and c.loc[strict, "screened_out"].sum() > 0
    assert t.loc[t["rule"] == "myscreens:Strict", "hires"].sum() == 0
    assert c.loc[~strict, "hires"].sum() > 0
    # Platform candidates pass the platform's own check first, then the company's rule.
    assert r.timeseries["screened_out_platform"].sum() > 0
    assert "detections" in r.timeseries.columns and "false_positives" in r.timeseries.columns


@pytest.mark.parametrize(
    ("screening", "key", "expected"),
    [
        (
            {"rules": {"short_stint_penalti": 1.0}},
            "screening.rules.short_stint_penalti",
            "did you mean 'short_stint_penalty'",
        ),
        (
            {"rules": {"none": 0.5, "negative_posts_penalty": 0.5}},
            "screening.rules.negative_posts_penalty",
            "did you mean 'negative_post_penalty'",
        ),
        (
            {"rules": {"short_stint_penalty": 1.0}, "params": {"short_stint_penalty": {"p": 1}}},
            "screening.params.short_stint_penalty.p",
            "screening rule 'short_stint_penalty'",
        ),
        (
            {"rules": {"nomodule_xyz:Rule": 1.0}},
            "screening.rules.nomodule_xyz:Rule",
            "cannot be imported",
        ),
        ({"rules": {"none": 0.5}}, "screening", "must sum to 1"),
        (
            {"params": {"short_stint_penalti": {}}},
            "screening.params.short_stint_penalti",
            "did you mean 'short_stint_penalty'",
        ),
    ],
)
def test_bad_screening_input_is_one_clear_error(screening, key, expected):
    with pytest.raises(NetsimInputError) as info:
        small_scenario(screening={"enabled": True, **screening})
    message = str(info.value)
    assert key in message and expected in message, message


def test_bad_rule_name_on_the_command_line_exits_2(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("name: s\nscreening: {enabled: true, rules: {nonee: 1.0}}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: screening.rules.nonee: ") and "did you mean 'none'" in err
    assert "Traceback" not in err


def test_shipped_scenario_is_small_and_screens():
    sc = load_scenario(LONG_MEMORY)
    assert sc.population.workers <= 3000 and sc.horizon_months <= 120
    assert sc.screening.enabled and sc.screening.memory_months == 12
    # Parameters of a registered rule stay valid when --set switches that rule off.
    other = load_scenario(LONG_MEMORY, ["screening.rules={none: 1.0}"])
    assert other.screening.params["short_stint_penalty"]["penalty_per_stint"] == 0.35
