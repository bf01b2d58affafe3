"""Load test of the classroom mode of ``netsim ui``: many students on localhost.

Run from the repository root (needs the ``ui`` extra, Playwright and Debian's ``chromium``)::

    python benchmarks/bench_classroom.py                  # 60 students, 90 s
    python benchmarks/bench_classroom.py --students 20 --seconds 60

It serves a 2,000-worker lecture (flat rule, members see many vacancies), opens the
lecturer's page and presses Start, then opens ``--students`` student tabs in one headless
Chromium (each its own browser context, as separate phones are), joins each, and for
``--seconds`` lets every student recommend the ticked contacts of each vacancy shown. It
prints: seconds until all students had joined, recommendations sent and confirmed, the
slowest confirmation (click to "You recommended"), months the run advanced and months per
second, the leaderboard's row count, and the server's CPU seconds. Bounded in time; nothing
asserts (the browser test in tests/test_ui_browser.py is the test). Figures are recorded
in docs/performance.md under "UI".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from netsim.model.loading import load_scenario

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scenario(folder: Path) -> Path:
    sc = load_scenario(
        {"name": "classroom", "seed": 1},
        ["population.workers=2000", "companies.count=100", "horizon_months=120",
         "platform.enabled=true", "platform.member_share=0.2", "platform.reach=200",
         "platform.recommend_base=0.6"],
    )  # fmt: skip
    path = folder / "classroom.yaml"
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False))
    return path


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Run the load test and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=60)
    ap.add_argument("--seconds", type=float, default=90.0)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-classroom-"))
    port = _port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsim", "ui", str(_scenario(folder)), "--port", str(port),
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


def _month(page) -> int:
    text = page.locator(".netsim-status").first.evaluate(
        "e => (e.shadowRoot ? e.shadowRoot.textContent : e.textContent)"
    )
    return int(re.search(r"Month (\d+)", text).group(1))


if __name__ == "__main__":
    main()
