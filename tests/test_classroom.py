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


def test_a_vacancy_shown_gets_the_whole_answer_time_from_then():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    inbox = room.students["t0"].offers
    room.wait_seconds = 10.0
    inbox[offer.vacancy].deadline = time.monotonic() + 0.5  # the month's window nearly spent
    room.shown("t0", offer.vacancy)
    assert inbox[offer.vacancy].deadline > time.monotonic() + 9.0
    inbox[offer.vacancy].deadline = closed = time.monotonic() - 0.1  # the window had closed
    room.shown("t0", offer.vacancy)
    assert inbox[offer.vacancy].deadline == closed  # shown too late: the engine moved on
    room.shown("stranger", offer.vacancy)  # no such student: nothing happens


def test_the_engine_waits_for_a_shown_vacancy_past_the_months_window():
    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    member = room.member_of("t0")
    room.wait_seconds = 5.0
    room.students["t0"].offers[offer.vacancy].deadline = time.monotonic() + 0.2
    room.shown("t0", offer.vacancy)
    timer = threading.Timer(0.6, room.answer, ("t0", offer.vacancy, []))
    timer.start()
    assert room.choice(member, offer.vacancy, list(offer.honest)) == []  # the answer, late


def test_a_student_learns_their_employer_keeps_them_off_the_platform():
    sim, room, members = _classroom_run(3)
    market = sim.platform.market
    worker = next(i for i, m in enumerate(members) if market.employer(m) >= 0)
    token, employer = f"t{worker}", market.employer(members[worker])
    assert room.barred_by(token) is None and room.barred_by("stranger") is None
    market.set_policy(employer, 0)  # restrict: its staff stay off the platform
    assert room.barred_by(token) == employer


# ---------------------------------------------------------------- putting a friend up for rotation
def _rotation_run(rule: str, params: dict):
    """A classroom of 10 students under ``rule``, advanced to the first month's end, and the
    first student placement (student t5 places contact 287 early in month 1 with this seed)."""
    sc = small_scenario(
        **{
            **PLATFORM,
            "platform": {**PLATFORM["platform"], "payout": {"rule": rule, "params": params}},
        }
    )
    sim = Simulation(sc).start()
    room = Classroom().attach(sim.platform)
    for i in range(10):
        room.join(f"t{i}")
    sim.advance(1)
    owner, placed = next((t, ps[0]) for t in room.students if (ps := room.placements(t)))
    return sim, room, owner, placed


def _paid_to(sim, member: int, hire_id: int) -> float:
    led = sim.platform.ledger.to_frame()
    mine = (led["reason"] == "payout") & (led["hire"] == hire_id) & (led["payee"] == member)
    return float(led.loc[mine & (led["payee_kind"] == "worker"), "amount"].sum())


def test_a_rotated_friend_quits_at_the_next_month_end_under_pay_per_hit():
    sim, room, owner, placed = _rotation_run("flat", {"bonus": 2000})
    assert placed.safe_months == placed.hired_months  # pay per hit: safe at once
    member = room.member_of(owner)
    assert sim.platform.hires[placed.hire_id].owners[-1] == member
    assert room.rotate(owner, placed.hire_id).rotating
    sim.advance(2.5)  # the request is applied at month 2's end, the quit just after it
    hire = sim.platform.hires[placed.hire_id]
    assert not hire.active and hire.end_months == pytest.approx(2.0)
    assert room.students[owner].rotations == 1
    assert placed.hire_id not in {p.hire_id for p in room.placements(owner)}
    assert _paid_to(sim, member, placed.hire_id) == pytest.approx(2000.0)  # kept: no clawback


def test_a_rotated_friend_waits_for_a_deferred_payout():
    sim, room, owner, placed = _rotation_run("deferred", {"bonus": 2000, "retention_months": 3})
    assert placed.safe_months == pytest.approx(placed.hired_months + 3.0)
    member = room.member_of(owner)
    room.rotate(owner, placed.hire_id)
    sim.advance(2)
    assert sim.platform.hires[placed.hire_id].active  # scheduled, not yet due
    assert _paid_to(sim, member, placed.hire_id) == 0.0
    sim.advance(4)
    hire = sim.platform.hires[placed.hire_id]
    assert not hire.active and hire.end_months == pytest.approx(placed.safe_months)
    assert _paid_to(sim, member, placed.hire_id) == pytest.approx(2000.0)  # paid, then quit


def test_rotating_another_members_or_a_stale_placement_is_refused_and_changes_nothing():
    plain = Simulation(small_scenario(**PLATFORM)).start()
    sim, room, owner, placed = _rotation_run("flat", {"bonus": 2000})
    other = next(t for t in room.students if t != owner)
    with pytest.raises(PermissionError, match="not one of your placed friends"):
        room.rotate(other, placed.hire_id)  # another member's placement
    with pytest.raises(PermissionError):
        room.rotate("stranger", placed.hire_id)
    with pytest.raises(PermissionError):
        room.rotate(owner, 10**9)  # no such placement
    assert not room.placements(owner)[0].rotating
    assert not room._rotations
    plain.advance(12)
    sim.advance(12)  # the refused requests left the run exactly as the plain run
    pd.testing.assert_frame_equal(
        pd.DataFrame(plain.series), pd.DataFrame(sim.series), check_exact=True
    )


def test_placing_a_rotated_friend_again_counts_as_gamed():
    sim, room, owner, placed = _rotation_run("flat", {"bonus": 2000})
    member, friend = room.member_of(owner), placed.friend
    other = room.member_of(next(t for t in room.students if t != owner))
    p = sim.platform
    assert p._gaming_of(friend, (member,)) == ""  # an honest placement so far
    room.rotate(owner, placed.hire_id)
    sim.advance(2.5)  # the engine made the friend quit
    assert room.rotated(member, friend)
    # The same member recommending the friend again is the student's gaming (and the
    # platform's defences count a rejection of it as a detection) ...
    assert p._gaming_of(friend, (member,)) == "student"
    assert p._strategy_named["student"] is room.strategy  # its payouts are booked as gamed
    # ... but not another member's recommendation, nor another friend of the member.
    assert p._gaming_of(friend, (other,)) == ""
    assert not room.rotated(member, friend + 1)


def test_a_placement_cannot_be_rotated_twice_nor_after_it_ended():
    sim, room, owner, placed = _rotation_run("flat", {"bonus": 2000})
    room.rotate(owner, placed.hire_id)
    with pytest.raises(ValueError, match="already up for rotation"):
        room.rotate(owner, placed.hire_id)
    sim.advance(3)  # the friend has quit: the placement is stale
    with pytest.raises(PermissionError):
        room.rotate(owner, placed.hire_id)
    assert room.students[owner].rotations == 1


@pytest.mark.parametrize(
    ("rule", "params", "safe"),
    [
        ("flat", {}, 0.0),
        ("recursive", {}, 0.0),
        ("deferred", {"retention_months": 9}, 9.0),
        ("clawback", {"guarantee_months": 4}, 4.0),
        ("tenure_share", {"max_months": 7}, 7.0),
        ("instalments", {"count": 3, "interval_months": 2}, 6.0),
    ],
)
def test_payout_safe_after_reads_the_rules_schedule(rule, params, safe):
    from netsim.platform.gaming import payout_safe_after
    from netsim.platform.payouts import PAYOUT_RULES

    r = PAYOUT_RULES.get(rule)(params)
    assert payout_safe_after(r, 1, (0,), 3000.0) == pytest.approx(safe)
    assert payout_safe_after(r, 3, (2,), 3000.0) == pytest.approx(safe)


def test_a_vacancy_that_closes_leaves_the_inbox():
    from netsim.engine.hooks import VacancyClosed

    sim, room, _ = _classroom_run(1)
    offer = _first_offer(sim, room, "t0")
    # Filled before the member's hop: nobody recommends for it, so it must not wait for
    # an answer that would be lost; answering it now is refused as too late.
    room._on_vacancy_closed(VacancyClosed(offer.vacancy, offer.company, sim.env.now, "filled"))
    assert offer.vacancy not in {o.vacancy for o in room.pending("t0")}
    with pytest.raises(PermissionError):
        room.answer("t0", offer.vacancy, [])
