"""Load test of the classroom mode of ``netsim ui``: many students on localhost.

Run from the repository root (needs the ``ui`` extra, Playwright and Debian's ``chromium``)::

    python benchmarks/bench_classroom.py                  # 60 students, 90 s
    python benchmarks/bench_classroom.py --students 20 --seconds 60
    python benchmarks/bench_classroom.py --websocket      # 60 protocol clients, no browser

It serves a 2,000-worker lecture (flat rule, members see many vacancies), opens the
lecturer's page and presses Start, then opens ``--students`` student tabs in one headless
Chromium (each its own browser context, as separate phones are), joins each, and for
``--seconds`` lets every student recommend the ticked contacts of each vacancy shown. It
prints: seconds until all students had joined, recommendations sent and confirmed, the
slowest confirmation (click to "You recommended"), months the run advanced and months per
second, the leaderboard's row count, and the server's CPU seconds. Bounded in time; nothing
asserts (the browser test in tests/test_ui_browser.py is the test). With ``--websocket``
the students are the load test's clients (tests/classroom_load.py: the Bokeh protocol
without a browser, all in one process), each joining and recommending once; it prints the
seconds to join and to recommend, presses, answers the engine took, months and CPU.
Figures are recorded in docs/performance.md under "UI".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from classroom_load import (  # noqa: E402  (shared with the load test)
    Lecturer,
    Student,
    classroom_scenario,
    free_port,
    served,
)

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Run the load test and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=90.0)
    ap.add_argument("--websocket", action="store_true",
                    help="protocol-level clients (no browser), each recommending once")
    args = ap.parse_args()
    if args.websocket:
        _websocket(args.students, args.seconds)
        return
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-classroom-"))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsim", "ui", str(classroom_scenario(folder)), "--port",
         str(port),
         "--no-show"],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    url = f"http://localhost:{port}/"
    try:
        assert "serving" in proc.stdout.readline()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            lecturer = browser.new_page(viewport={"width": 1360, "height": 900})
            lecturer.set_default_timeout(60_000)
            lecturer.goto(url)
            lecturer.get_by_text("Month 0 of").wait_for()
            began = time.perf_counter()
            students = []
            for i in range(args.students):
                page = browser.new_context().new_page()
                page.set_default_timeout(60_000)
                page.goto(url + "student")
                page.locator(".netsim-student-name input").fill(f"s{i}")
                page.get_by_role("button", name="Join").click()
                students.append(page)
            for page in students:
                page.get_by_text("You are member").wait_for()
            joined_s = time.perf_counter() - began
            cpu0 = _cpu_seconds(proc.pid)
            month0 = _month(lecturer)
            lecturer.get_by_role("button", name="Start").click()
            t0 = time.perf_counter()
            sent = confirmed = 0
            slowest = 0.0
            while time.perf_counter() - t0 < args.seconds:
                for page in students:
                    button = page.get_by_role("button", name="Recommend")
                    if not button.is_enabled():
                        continue
                    click = time.perf_counter()
                    button.click()
                    sent += 1
                    try:
                        page.get_by_text(re.compile("You recommended|Too late")).wait_for(
                            timeout=10_000
                        )
                        confirmed += 1
                        slowest = max(slowest, time.perf_counter() - click)
                    except Exception:  # noqa: BLE001 - a timeout is a figure, not a crash
                        pass
            wall = time.perf_counter() - t0
            months = _month(lecturer) - month0
            lecturer.get_by_role("button", name="Pause").click()
            lecturer.locator(".bk-tab", has_text="Classroom").click()
            lecturer.get_by_text("Leaderboard").wait_for()
            time.sleep(1.5)
            board = lecturer.locator(".netsim-leaderboard").first.evaluate(
                "e => (e.shadowRoot ? e.shadowRoot.textContent : e.textContent)"
            )
            rows = len(re.findall(r"\bs\d+\b", board))
            cpu = _cpu_seconds(proc.pid) - cpu0
            browser.close()
        print(f"students {args.students}: all joined in {joined_s:.1f} s")
        print(f"recommendations sent {sent}, confirmed {confirmed}, slowest {slowest:.2f} s")
        print(f"run advanced {months} months in {wall:.0f} s ({months / wall:.2f} months/s)")
        print(f"leaderboard rows {rows}; server CPU {cpu:.1f} s; load {os.getloadavg()}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _websocket(n: int, bound_s: float) -> None:
    """``n`` protocol-level students join and recommend once each (bounded by ``bound_s``)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-classroom-"))

    async def lecture(url: str, pid: int) -> None:
        lecturer = await Lecturer(url).open()
        began, cpu0 = time.perf_counter(), _cpu_seconds(pid)
        students = [Student(url) for _ in range(n)]
        await asyncio.gather(*(s.open() for s in students))
        await asyncio.gather(*(s.join(f"s{i}") for i, s in enumerate(students)))
        joined = time.perf_counter() - began
        month0 = int(re.search(r"Month (\d+)", lecturer.text("netsim-status"))[1])
        await lecturer.click("Start")
        res = await asyncio.gather(*(s.recommend(bound_s) for s in students),
                                   return_exceptions=True)
        done = time.perf_counter() - began
        for s, r in zip(students, res, strict=True):
            if isinstance(r, BaseException):  # a figure, not a crash
                print(f"member {s.member}: no confirmation after {s.pressed} presses; "
                      f"its page showed {s.seen.get('netsim-sent', [])[-4:]}")
        board = await lecturer.leaderboard(lambda rows: len(rows) == n + 1)
        confirmed = sum(isinstance(r, int) for r in res)
        barred = sum(r is None for r in res)  # their page: the employer keeps them off
        await lecturer.click("Pause")
        month = int(re.search(r"Month (\d+)", lecturer.text("netsim-status"))[1])
        taken = sum(int(r[4]) for r in board[1:])
        print(f"students {n}: all joined in {joined:.1f} s; {confirmed} recommendations "
              f"confirmed by {done:.1f} s; {barred} kept off the platform by their employer")
        print(f"presses {sum(s.pressed for s in students)}; answers the engine took {taken}; "
              f"run advanced {month - month0} months")
        print(f"server CPU {_cpu_seconds(pid) - cpu0:.1f} s; load {os.getloadavg()}")

    try:
        with served(classroom_scenario(folder)) as (url, proc):
            asyncio.run(asyncio.wait_for(lecture(url, proc.pid), bound_s + 60))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _month(page) -> int:
    text = page.locator(".netsim-status").first.evaluate(
        "e => (e.shadowRoot ? e.shadowRoot.textContent : e.textContent)"
    )
    return int(re.search(r"Month (\d+)", text).group(1))


if __name__ == "__main__":
    main()
