"""The classroom holds 60 students: 60 websocket clients join a served lecture and act.

``netsim ui`` is started as a lecturer would start it; 60 student clients on localhost
(tests/classroom_load.py: the Bokeh protocol a browser speaks, without a browser) open
``/student``, join and each recommend once, while the lecturer's tab runs the model. The
test asserts what must hold, never how fast (speed is measured by
benchmarks/bench_classroom.py): 60 distinct members, each student's action confirmed on
their own page and credited on the leaderboard to their own member only, the lecturer's
page still answering, and no error in the server's log. A student whose member moved to a
company that keeps its staff off the platform before they could answer is reached by no
vacancy while there; their page must say so instead. Bounded at 240 s; it costs about 25 s
on the 2-core machine, 50-75 s with four busy processes beside it.
"""

from __future__ import annotations

import asyncio
import contextlib

from classroom_load import BARRED, Lecturer, Student, classroom_scenario, served

STUDENTS = 60
#: The whole lecture is cut off after this many seconds, so the test can never hang.
BOUND_S = 240


async def _lecture(url: str) -> dict:
    lecturer = await Lecturer(url).open()
    await lecturer.answer_window(2)  # seconds per month the engine waits for answers
    students = [Student(url) for _ in range(STUDENTS)]
    await asyncio.gather(*(s.open() for s in students))
    members = await asyncio.gather(*(s.join(f"s{i}") for i, s in enumerate(students)))
    await lecturer.click("Start")
    vacancies = await asyncio.gather(*(s.recommend(150.0) for s in students))
    # An answer counts on the board once the engine takes it, at the member's hop: wait for
    # the first (the run goes on meanwhile), so a loaded machine only makes this slower.
    board = await lecturer.leaderboard(
        lambda rows: len(rows) == STUDENTS + 1 and any(r[4] != "0" for r in rows[1:]),
        timeout_s=60.0,
    )
    await lecturer.click("Pause")

    def paused() -> str | None:
        text = lecturer.text("netsim-status")
        return text if "paused" in text else None

    status = await lecturer.wait_for(paused)
    # A reply travels to its own page while the board is drawn: give each page the time to
    # show the confirmations of what the board credits (the assertion reports a shortfall).
    credited = {r[1]: int(r[4]) for r in board[1:]}
    for i, s in enumerate(students):
        with contextlib.suppress(TimeoutError):
            await s.wait_for(lambda s=s, k=credited[f"s{i}"]: len(s.confirmed()) >= k, 30.0)
    pages = [(s.member, s.seen.get("netsim-offer", []), s.text("netsim-student-status"))
             for s in students]
    for tab in (*students, lecturer):
        await tab.close()
    return {"members": members, "vacancies": vacancies, "board": board, "status": status,
            "pages": pages, "pressed": sum(s.pressed for s in students),
            "confirmed": {f"s{i}": len(s.confirmed()) for i, s in enumerate(students)}}


def test_sixty_students_join_and_each_recommends(tmp_path):
    with served(classroom_scenario(tmp_path, workers=1000)) as (url, proc):
        got = asyncio.run(asyncio.wait_for(_lecture(url), BOUND_S))
    log = proc.stdout.read()
    assert "Traceback" not in log and "ERROR" not in log, log

    assert len(set(got["members"])) == STUDENTS  # each plays their own member
    # Each page confirmed one recommendation, for a vacancy its own inbox had shown, or
    # says why no vacancy reaches the member.
    for (member, shown, status), vacancy in zip(got["pages"], got["vacancies"], strict=True):
        if vacancy is None:
            assert BARRED in status, (member, status)
        else:
            assert any(t.startswith(f"Vacancy {vacancy} ") for t in shown), (member, vacancy)
    assert sum(v is not None for v in got["vacancies"]) > 0
    header, *rows = got["board"]
    assert header[:6] == ["#", "student", "member", "earnings", "own choices", "rotations"]
    # The leaderboard names every student with the member their page showed, and credits
    # each with at most the recommendations their own page confirmed (one, or two if a
    # reply came after the student had given up waiting for it): nobody's action went to
    # another member. (An answer counts once the engine takes it; one for a vacancy that
    # was filled first does not, so not every row needs a 1.)
    assert {r[1]: int(r[2]) for r in rows} == {
        f"s{i}": m for i, m in enumerate(got["members"])
    }
    taken = sum(int(r[4]) for r in rows)
    assert all(int(r[4]) <= got["confirmed"][r[1]] for r in rows), (rows, got["confirmed"])
    assert taken > 0
    assert "Month" in got["status"]  # the lecturer's page still answers
    barred = sum(v is None for v in got["vacancies"])
    print(f"{STUDENTS} students; {got['pressed']} presses; {taken} answers taken; "
          f"{barred} kept off the platform; {got['status']}")
