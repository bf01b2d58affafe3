"""The classroom holds 60 students: 60 websocket clients join a served lecture and act.

``netsim ui`` is started as a lecturer would start it; 60 student clients on localhost
(tests/classroom_load.py: the Bokeh protocol a browser speaks, without a browser) open
``/student``, join and each recommend once, while the lecturer's tab runs the model. The
test asserts what must hold, never how fast (speed is measured by
benchmarks/bench_classroom.py): 60 distinct members, each student's action confirmed on
their own page and credited on the leaderboard to their own member only, the lecturer's
page still answering, and no error in the server's log. Bounded at 120 s; it costs about
20 s on the 2-core machine.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from classroom_load import Lecturer, Student, classroom_scenario, served

STUDENTS = 60
#: The whole lecture is cut off after this many seconds, so the test can never hang.
BOUND_S = 120


async def _lecture(url: str) -> dict:
    lecturer = await Lecturer(url).open()
    await lecturer.answer_window(2)  # seconds per month the engine waits for answers
    students = [Student(url) for _ in range(STUDENTS)]
    await asyncio.gather(*(s.open() for s in students))
    members = await asyncio.gather(*(s.join(f"s{i}") for i, s in enumerate(students)))
    await lecturer.click("Start")
    vacancies = await asyncio.gather(*(s.recommend() for s in students))
    # An answer counts on the board once the engine takes it, at the member's hop: wait for
    # the first (the run goes on meanwhile), so a loaded machine only makes this slower.
    board = await lecturer.leaderboard(
        lambda rows: len(rows) == STUDENTS + 1 and any(r[4] == "1" for r in rows[1:]),
        timeout_s=60.0,
    )
    await lecturer.click("Pause")

    def paused() -> str | None:
        text = lecturer.text("netsim-status")
        return text if "paused" in text else None

    status = await lecturer.wait_for(paused)
    pages = [(s.member, s.seen.get("netsim-offer", [])) for s in students]
    for tab in (*students, lecturer):
        await tab.close()
    return {"members": members, "vacancies": vacancies, "board": board, "status": status,
            "pages": pages, "pressed": sum(s.pressed for s in students)}


def test_sixty_students_join_and_each_recommends(tmp_path):
    with served(classroom_scenario(tmp_path, workers=1000)) as (url, proc):
        got = asyncio.run(asyncio.wait_for(_lecture(url), BOUND_S))
    log = proc.stdout.read()
    assert "Traceback" not in log and "ERROR" not in log, log

    assert len(set(got["members"])) == STUDENTS  # each plays their own member
    # Each page confirmed one recommendation, for a vacancy its own inbox had shown.
    for (member, shown), vacancy in zip(got["pages"], got["vacancies"], strict=True):
        assert any(t.startswith(f"Vacancy {vacancy} ") for t in shown), (member, vacancy)
    header, *rows = got["board"]
    assert header[:6] == ["#", "student", "member", "earnings", "own choices", "rotations"]
    # The leaderboard names every student with the member their page showed, and credits
    # each with at most their one action: nobody's action went to another member. (An
    # answer counts once the engine takes it; one for a vacancy that was filled first
    # does not, so not every row needs a 1.)
    assert {r[1]: int(r[2]) for r in rows} == {
        f"s{i}": m for i, m in enumerate(got["members"])
    }
    own = Counter(int(r[4]) for r in rows)
    assert set(own) <= {0, 1} and own[1] > 0, own
    assert "Month" in got["status"]  # the lecturer's page still answers
    print(f"{STUDENTS} students; {got['pressed']} presses; {own[1]} answers taken; "
          f"{got['status']}")
