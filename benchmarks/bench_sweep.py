"""Sweep benchmarks: parallel speed-up and the sweep's own overhead.

    python benchmarks/bench_sweep.py [--quick]

1. Speed-up: a 16-run sweep (2 variants x 8 replications, 120 months; 5,000 and 10,000
   workers per run) on 2 worker processes against 1 (target >= 1.8x).
2. Overhead: many tiny runs (150 workers, 12 months) with 1 worker; the sum of the runs'
   own wall times (simulate + write the run folder, as timed inside each run) against the
   sweep's total wall time (target: overhead < 10%).

Prints figures; asserts nothing. Results go to a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml

import netsim


def _base(tmp: Path, workers: int, months: int) -> str:
    path = tmp / f"base-{workers}-{months}.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "bench",
                "horizon_months": months,
                "population": {"workers": workers},
                "companies": {"count": max(10, workers // 20), "large_share": 0.05},
                "outputs": {"network_stats_every_months": 12, "network_stats_sample": 200},
            }
        )
    )
    return str(path)


def speedup(tmp: Path, workers: int, months: int) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    exp = {
        "name": "bench-speedup",
        "base": _base(tmp, workers, months),
        "variants": {"grid": {"population.vital_forces.share": [0.1, 0.3]}},
        "replications": 8,
        "seed": 1,
        "metrics": ["churn_rate_per_year"],
    }
    # The machine's speed drifts by up to ±20% over minutes: alternate 1 and 2 workers,
    # twice each, and compare medians (each sweep starts from scratch in its own folder).
    times: dict[int, list[float]] = {1: [], 2: []}
    for k, n in enumerate((1, 2, 1, 2)):
        start = time.perf_counter()
        result = netsim.sweep(exp, workers=n, executor="local", out=tmp / f"speedup-{k}")
        times[n].append(time.perf_counter() - start)
        runs_s = result.runs["wall_time_s"].sum()
        print(
            f"  {n} worker(s): {times[n][-1]:6.2f} s wall for 16 runs "
            f"(sum of run times {runs_s:.2f} s)"
        )
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"  speed-up 2 vs 1 worker (medians): {one / two:.2f}x (target >= 1.8x)")


def overhead(tmp: Path, runs: int) -> None:
    exp = {
        "name": "bench-overhead",
        "base": _base(tmp, 150, 12),
        "variants": {"grid": {"population.vital_forces.share": [0.1, 0.2, 0.3, 0.4]}},
        "replications": runs // 4,
        "seed": 2,
    }
    mod = importlib.import_module("netsim.experiments.executors")  # where the runs are executed
    real = mod._execute
    own: list[float] = []

    def timed(*args):
        t0 = time.perf_counter()
        out = real(*args)
        own.append(time.perf_counter() - t0)
        return out

    mod._execute = timed  # 1 worker runs in this process, so the wrapper sees every run
    try:
        start = time.perf_counter()
        netsim.sweep(exp, workers=1, executor="local", out=tmp / "overhead")
        total = time.perf_counter() - start
    finally:
        mod._execute = real
    work = sum(own)
    print(
        f"  {len(own)} tiny runs, 1 worker: sweep {total:.2f} s, runs' own time {work:.2f} s "
        f"(mean {1000 * work / len(own):.1f} ms/run incl. writing the folder)"
    )
    print(f"  sweep overhead: {100 * (total - work) / total:.1f}% of the total (target < 10%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, netsim {netsim.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        # Two run sizes: the pool's fixed start-up (~1.5 s) weighs on short runs only.
        for workers, months in [(1000, 36)] if args.quick else [(5000, 120), (10000, 120)]:
            print(f"speed-up (16 runs of {workers:,} workers x {months} months):")
            speedup(tmp_path / f"{workers}", workers, months)
        print("overhead (tiny runs):")
        overhead(tmp_path, 80 if args.quick else 200)


if __name__ == "__main__":
    main()
