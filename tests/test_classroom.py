"""Classroom mode's inbox strategy: students play platform members of a running model."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from conftest import pre_calibration, small_scenario
from netsim.model.simulation import Simulation
from netsim.platform.classroom import Classroom

# The seeded run these tests were designed on: the drawn start, the pre-calibration market.
PLATFORM = pre_calibration(**{
    "horizon_months": 12,
    "burn_in_months": 0,
    "platform": {
        "enabled": True,
        "member_share": 0.3,
        "reach": 400,
        "recommend_base": 0.6,
        "payout": {"rule": "flat", "params": {"bonus": 2000}},
        "gaming": {"rotation_share": 0.2},
    },
})


def _classroom_run(students: int = 3):
    sim = Simulation(small_scenario(**PLATFORM)).start()
    room = Classroom().attach(sim.platform)
    members = [room.join(f"t{i}") for i in range(students)]
    return sim, room, members


def _first_offer(sim, room, token):
    """Advance in small steps until the student ``token`` has a vacancy in their inbox (a
    vacancy waits one hop, a fraction of a month)."""
    for step in range(1, 1201):
        sim.advance(step / 100)
        offers = room.pending(token)
        if offers:
            return offers[0]
    pytest.fail("no vacancy reached the student's member in 12 months")


def test_a_classroom_nobody_answers_runs_as_the_plain_run():
    plain = Simulation(small_scenario(**PLATFORM)).run()
    sim, room, members = _classroom_run()
    assert len(set(members)) == 3
    for m in range(1, 13):
        sim.advance(m)
    assert sum(st.seen for st in room.students.values()) > 0  # vacancies reached them
    pd.testing.assert_frame_equal(
        pd.DataFrame(plain.series), pd.DataFrame(sim.series), check_exact=True
    )
    pd.testing.assert_frame_equal(
        plain.platform.ledger.to_frame(), sim.platform.ledger.to_frame(), check_exact=True
    )
    assert plain.n_events == sim.n_events


def test_joining_gives_each_student_their_own_honest_member():
    sim, room, members = _classroom_run(2)
    assert room.join("t0") == members[0]  # joining again: the same member
    for m in members:
        assert sim.platform.member[m]
        assert sim.platform.strategy_of(m).name == "student"
    assert room.member_of("nobody") is None


def test_an_answer_is_used_instead_of_the_honest_choice():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    assert offer.honest and set(offer.honest) <= set(offer.fitting)
    room.answer("t0", offer.vacancy, [])  # the student recommends nobody
    member = room.member_of("t0")
    assert room.choice(member, offer.vacancy, list(offer.honest)) == []
    assert room.students["t0"].answered == 1
    # Without an answer the honest choice applies.
    assert room.choice(member, offer.vacancy, list(offer.honest)) == list(offer.honest)


def test_the_engine_takes_the_students_answer():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    pick = [k for k in offer.fitting if k not in offer.honest][:1] or list(offer.fitting[:1])
    room.answer("t0", offer.vacancy, pick)
    sim.advance(sim.env.now + 1)  # the hop has happened by now
    assert room.students["t0"].answered == 1
    assert offer.vacancy not in {o.vacancy for o in room.pending("t0")}


def test_a_student_cannot_act_for_another_member():
    sim, room, _ = _classroom_run(2)
    offer = _first_offer(sim, room, "t0")
    if offer.vacancy in {o.vacancy for o in room.pending("t1")}:
        pytest.fail("both members saw the same vacancy: pick another seed for this test")
    with pytest.raises(PermissionError):
        room.answer("t1", offer.vacancy, list(offer.fitting))
    with pytest.raises(PermissionError):
        room.answer("stranger", offer.vacancy, [])
    strangers = [k for k in range(sim.platform.market.n_workers) if k not in offer.fitting][:1]
    with pytest.raises(ValueError):
        room.answer("t0", offer.vacancy, strangers)


def test_the_leaderboard_reads_the_ledger():
    sim, room, members = _classroom_run(2)
    sim.platform.ledger.pay(0.5, ("platform", 0), ("worker", members[1]), 700.0, "payout")
    board = room.earnings()
    assert [r[1] for r in board] == [members[1], members[0]]
    assert board[0][2] == pytest.approx(700.0)


def test_the_engine_waits_for_an_answer_until_the_deadline():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    member = room.member_of("t0")
    room.students["t0"].offers[offer.vacancy].deadline = time.monotonic() + 5.0
    timer = threading.Timer(0.3, room.answer, ("t0", offer.vacancy, []))
    timer.start()
    began = time.monotonic()
    assert room.choice(member, offer.vacancy, list(offer.honest)) == []
    assert 0.2 < time.monotonic() - began < 4.0  # woken by the answer, not the deadline


def test_offers_of_one_month_share_one_answer_window():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")  # opened its month's window with 0 s to wait
    room.wait_seconds = 30.0
    member = room.member_of("t0")
    room.offer(sim.platform, member, offer.vacancy, list(offer.honest))
    again = next(o for o in room.pending("t0") if o.vacancy == offer.vacancy)
    assert again.deadline == offer.deadline  # the same month: the window stays as it was
    sim.advance(int(sim.env.now) + 1.01)  # the next month
    room.offer(sim.platform, member, offer.vacancy, list(offer.honest))
    later = next(o for o in room.pending("t0") if o.vacancy == offer.vacancy)
    assert later.deadline > time.monotonic() + 20.0  # a new month opens a new window
