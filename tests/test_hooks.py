"""The engine's hook interface: what a mechanism sees, and that listening changes nothing.

A mechanism attaches by appending callbacks to ``Simulation.hooks`` (``netsim.engine.hooks``).
These tests attach a recording mechanism and check its view against the run's own tables
(monthly counters and the event log), and that a run with a listener is identical to one
without (hooks draw nothing and change no state).
"""

from __future__ import annotations

from collections import Counter

import pandas.testing as pdt
import pytest

from conftest import small_scenario
from netsim.engine.hooks import Hire, MonthEnd, Separation, VacancyClosed, VacancyOpened
from netsim.model.simulation import Simulation


class Recorder:
    """A mechanism that only listens: it records every hook call."""

    def __init__(self, sim: Simulation) -> None:
        self.hires: list[Hire] = []
        self.separations: list[Separation] = []
        self.opened: list[VacancyOpened] = []
        self.posted: list[int] = []
        self.closed: list[VacancyClosed] = []
        self.seeking: list[int] = []
        self.months: list[int] = []
        h = sim.hooks
        h.hire.append(self.hires.append)
        h.separation.append(self.separations.append)
        h.vacancy_opened.append(self.opened.append)
        h.vacancy_posted.append(self.posted.append)
        h.vacancy_closed.append(self.closed.append)
        h.seeking.append(self.seeking.append)
        h.month_end.append(self._month_end)

    def _month_end(self, ev: MonthEnd) -> None:
        assert ev.row["month"] == ev.month  # the market's columns are already in the row
        ev.row["recorded_hires"] = len(self.hires)
        self.months.append(ev.month)


@pytest.fixture(scope="module")
def scenario():
    return small_scenario(horizon_months=24, platform={"enabled": True, "member_share": 0.3})


@pytest.fixture(scope="module")
def recorded(scenario):
    sim = Simulation(scenario, seed=5)
    rec = Recorder(sim)  # attached after the initial vacancies were posted
    sim.run()
    return sim, rec


def test_hire_and_separation_hooks_match_the_event_log(recorded):
    sim, rec = recorded
    ev = sim.events()
    logged_hires = ev[(ev["kind"] == "hire") & (ev["detail"] != "internal")]
    # Internal moves are logged as hires but are not new stints: no hook.
    assert len(rec.hires) == len(logged_hires) > 0
    assert Counter(h.channel for h in rec.hires) == Counter(logged_hires["detail"].astype(str))
    assert {h.channel for h in rec.hires if h.chain} <= {"platform"}
    seps = ev[(ev["kind"] == "separation") & (ev["detail"] != "internal_move")]
    assert len(rec.separations) == len(seps) > 0
    assert all(s.tenure_months >= 0.0 for s in rec.separations)


def test_month_end_runs_once_a_month_and_adds_columns(recorded):
    sim, rec = recorded
    ts = sim.timeseries()
    assert rec.months == list(range(25))
    assert ts["recorded_hires"].iloc[-1] == len(rec.hires)


def test_vacancy_and_seeking_hooks(recorded):
    sim, rec = recorded
    ts = sim.timeseries()
    ev = sim.events()
    # The listener attached after time 0: it saw every vacancy opened after the first record.
    assert len(rec.opened) == ts["vacancies_opened"].iloc[1:].sum() > 0
    first = min(o.vacancy for o in rec.opened)
    assert [o.vacancy for o in rec.opened] == list(range(first, first + len(rec.opened)))
    assert {o.origin for o in rec.opened} <= {"growth", "replacement", "on_demand"}
    # Besides these, the vacancies open at month 0 were posted at the end of the burn-in.
    assert all(v < first for v in set(rec.posted) - {o.vacancy for o in rec.opened})
    expired = [c for c in rec.closed if c.status == "expired"]
    assert len(expired) == ts["vacancies_expired"].sum() > 0
    filled = [c for c in rec.closed if c.status == "filled"]
    assert len(filled) == (ev["kind"] == "hire").sum()  # every hire fills one vacancy
    flows = ts["employed_to_seeking"].sum() + ts["market_entries"].sum()
    assert len(rec.seeking) == flows > 0


def test_listening_changes_nothing(scenario, recorded):
    sim, _ = recorded
    plain = Simulation(scenario, seed=5).run()
    pdt.assert_frame_equal(
        sim.timeseries().drop(columns="recorded_hires"), plain.timeseries(), check_exact=True
    )
    pdt.assert_frame_equal(sim.events(), plain.events(), check_exact=True)
