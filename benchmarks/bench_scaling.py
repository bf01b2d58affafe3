"""Scaling of the simulator core with the number of workers: time, memory, fitted exponent.

Run from the repository root (each size runs in a fresh process, one after the other)::

    python benchmarks/bench_scaling.py                      # 10k, 100k, 300k, 1M workers
    python benchmarks/bench_scaling.py --sizes 10000 30000  # a quicker look
    python benchmarks/bench_scaling.py --repeat 3           # three rounds, medians per size

Companies scale with workers (one per 20 workers, as in ``core_100k.yaml``); the horizon is
120 months. For every size it prints wall time, events, time per event, overhead ratio and
peak memory per worker, then the exponent ``b`` of ``wall = a * n**b`` fitted by least
squares on log-log scale over the sizes from 100,000 up (target: b <= 1.05). The table is
printed in Markdown for ``docs/performance.md``. This is not a test: nothing asserts.

The host's speed drifts (the bare SimPy event has measured 1.0 and 2.1 µs within one hour on
this project's shared machine), and an exponent compares runs taken minutes apart. So with
``--repeat`` the sizes run in rounds (every size once, then again), each round gives an
exponent of its own from runs taken in the same minutes, and the median of the rounds is
printed beside the exponent of the median times. (Scaling each run by its own bare SimPy
timing does not remove the drift: that timing is a fraction of a second and swings more than
the run, e.g. 1.20 and 1.76 µs for two 100,000-worker runs of equal length.)
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def measure(workers: int, horizon: float, kernel: str = "auto") -> dict:
    """Run ``bench_core.py`` for one size in a fresh interpreter; return its JSON figures."""
    cmd = [
        sys.executable,
        str(HERE / "bench_core.py"),
        "--workers",
        str(workers),
        "--companies",
        str(max(1, workers // 20)),
        "--horizon",
        str(horizon),
        "--kernel",
        kernel,
        "--json",
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def fitted_exponent(ns: list[float], ts: list[float]) -> float:
    """Least-squares slope of log(t) on log(n)."""
    xs, ys = [math.log(n) for n in ns], [math.log(t) for t in ts]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def wall_exponent(runs: list[dict]) -> float:
    """Fitted exponent of the runs' ``wall_s`` against their ``workers``."""
    return fitted_exponent([r["workers"] for r in runs], [r["wall_s"] for r in runs])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000, 1_000_000])
    ap.add_argument("--horizon", type=float, default=120.0)
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds, each running every size once (medians reported)",
    )
    ap.add_argument("--kernel", choices=("auto", "compiled", "python"), default="auto")
    args = ap.parse_args(argv)

    rounds = []
    for _ in range(args.repeat):
        rounds.append([measure(n, args.horizon, args.kernel) for n in args.sizes])
        for r in rounds[-1]:
            print(json.dumps(r), file=sys.stderr, flush=True)
    rows = []
    for k in range(len(args.sizes)):
        runs = sorted((rnd[k] for rnd in rounds), key=lambda r: r["wall_s"])
        med = dict(runs[(len(runs) - 1) // 2])  # the lower median for an even count
        med["wall_range"] = (runs[0]["wall_s"], runs[-1]["wall_s"])
        rows.append(med)

    print(
        "| workers | companies | wall (s) | build (s) | events | µs/event | overhead ratio "
        "| peak RSS (MB) | bytes/worker |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        per_worker = r["peak_rss_mb"] * 2**20 / r["workers"]
        print(
            f"| {r['workers']:,} | {r['companies']:,} | {r['wall_s']} | {r['build_s']} "
            f"| {r['events']:,} | {r['us_per_event']} | {r['overhead_ratio']} "
            f"| {r['peak_rss_mb']:,} | {per_worker:,.0f} |"
        )
    big = [k for k, n in enumerate(args.sizes) if n >= 100_000]
    if len(big) >= 2:
        print()
        b = wall_exponent([rows[k] for k in big])
        per_round = sorted(wall_exponent([rnd[k] for k in big]) for rnd in rounds)
        print(
            f"fitted exponent of wall time, n >= 100,000: {b:.3f} (target <= 1.05); per round: "
            f"{', '.join(f'{x:.3f}' for x in per_round)} "
            f"(median {statistics.median(per_round):.3f})"
        )
    if len(rows) >= 2:
        print(f"fitted exponent of wall time, all sizes: {wall_exponent(rows):.3f}")


if __name__ == "__main__":
    main()
