"""Benchmark of ``netsim ui``: time to a usable page, and months per second of a live run.

Run from the repository root (needs the ``ui`` extra, Playwright and Debian's ``chromium``)::

    python benchmarks/bench_ui.py                 # 10,000 workers, the lecture target
    python benchmarks/bench_ui.py --workers 5000

It measures, on the rotation-gaming scenario resized to ``--workers`` (companies: one per 20
workers, horizon 120 months):

1. ``startup``: seconds from launching ``netsim ui SCENARIO --no-show`` to the page showing
   ``Month 0 of`` in headless Chromium (the world drawn, Start usable), and the part of it
   before the server listens;
2. ``engine``: months per second of the live run alone (:class:`netsim.ui.live.LiveRun`,
   one month per step, the ego network every 3 months, as the engine thread does);
3. ``browser``: months per second seen in the page at the top speed (60 months per second):
   rows arrived in the unemployment chart divided by the wall time, and by the CPU seconds
   the server process (engine thread and web server together) used meanwhile.

Targets (issue 12): usable within 5 s; at least 12 months per second. The machine's load
average is printed too: the timings only mean something on an otherwise idle machine.
Figures are recorded in docs/performance.md under "UI". This is not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from netsim.model.loading import load_scenario
from netsim.ui.live import LiveRun

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _scenario(workers: int, folder: Path) -> Path:
    sc = load_scenario(
        "scenarios/rotation_gaming.yaml",
        [f"population.workers={workers}", f"companies.count={max(1, workers // 20)}",
         "horizon_months=120"],
    )  # fmt: skip
    path = folder / "bench_ui.yaml"
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False))
    return path


def engine_speed(path: Path, months: int = 36) -> tuple[float, float]:
    """Months per second of a live run alone, stepped as the engine thread steps it: per
    wall-clock second and per CPU second of this process (less sensitive to other load)."""
    live = LiveRun(load_scenario(path))
    began, cpu = time.perf_counter(), time.process_time()
    for m in range(1, months + 1):
        live.step(1)
        if m % 3 == 0:
            live.ego_network()
    return months / (time.perf_counter() - began), months / (time.process_time() - cpu)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser(path: Path, months: int = 36) -> dict[str, float]:
    """Start-up and top speed as the page sees them."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = b.new_page(viewport={"width": 1360, "height": 900})
        page.set_default_timeout(120_000)
        began = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "netsim", "ui", str(path), "--port", str(port), "--no-show"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            proc.stdout.readline()
            listening = time.perf_counter() - began
            page.goto(f"http://localhost:{port}/")
            page.get_by_text("Month 0 of").wait_for()
            usable = time.perf_counter() - began
            page.locator(".noUi-handle").first.focus()
            page.keyboard.press("End")  # the speed slider to its top: 60 months per second
            page.get_by_text("Speed (months per second): 60").wait_for()
            count = "() => Bokeh.documents[0].get_model_by_name('chart-unemployment')" \
                    ".data.month.length"
            page.get_by_role("button", name="Start").click()
            page.wait_for_function(f"() => ({count})() >= 1")
            t0, n0, c0 = time.perf_counter(), page.evaluate(count), _cpu_seconds(proc.pid)
            page.wait_for_function(f"() => ({count})() >= {months + n0}")
            n1 = page.evaluate(count)
            speed = (n1 - n0) / (time.perf_counter() - t0)
            per_cpu = (n1 - n0) / (_cpu_seconds(proc.pid) - c0)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            b.close()
    return {"listening_s": listening, "usable_s": usable, "browser_months_per_s": speed,
            "server_months_per_cpu_s": per_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = _scenario(args.workers, Path(tmp))
        print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
        wall, cpu = engine_speed(path)
        print(f"engine alone ({args.workers:,} workers): {wall:.1f} months per wall second, "
              f"{cpu:.1f} per CPU second")
        res = browser(path)
        print(f"server listening after {res['listening_s']:.2f} s; page usable after "
              f"{res['usable_s']:.2f} s")
        print(f"in the browser at top speed: {res['browser_months_per_s']:.1f} months per wall "
              f"second, {res['server_months_per_cpu_s']:.1f} per CPU second of the server")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
