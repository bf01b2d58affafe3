"""Why time per event grows with the population: the cost of reading a random worker's state.

Run from the repository root::

    python benchmarks/bench_memory.py                       # 10k .. 3M workers
    python benchmarks/bench_memory.py --sizes 100000 1000000

The event loop reads and writes a random worker's numbers in about twenty per-worker typed
arrays (``array('d')`` and ``array('q')``, 8 bytes a worker each; ``netsim.market.state``).
This times exactly that access pattern, outside the model: for each population size, one
Python loop reads ``--fields`` arrays at the same random index, and, as a control with the
same Python work, at an index that stays within the first ``--hot`` workers (so the data
stays in cache). The difference is the memory system's share: it is near zero while the
arrays fit in the CPU's caches and grows once they do not (``lscpu`` gives the L3 size; the
working set printed is fields x 8 bytes x workers).

A third column reads the same fields laid out together, one record of ``--fields`` numbers
per worker in a single typed array (read at ``i * fields + f``): the layout that needs one
or two cache lines per worker instead of one per field, at the price of an index sum per
read in Python.

Each figure is the fastest of ``--repeat`` passes. This is not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from array import array


def time_reads(n: int, fields: int, reads: int, hot: int, repeat: int) -> dict:
    """Nanoseconds per random read of one field, over ``n`` workers and within ``hot``."""
    arrays = [array("d", bytes(8 * n)) for _ in range(fields)]
    records = array("d", bytes(8 * n * fields))  # the same numbers, a worker's together
    offsets = range(fields)
    rng = random.Random(1)
    spread = [rng.randrange(n) for _ in range(reads)]
    cached = [rng.randrange(min(hot, n)) for _ in range(reads)]

    def one_pass(indices: list[int]) -> float:
        start = time.perf_counter()
        total = 0.0
        for i in indices:
            for a in arrays:
                total += a[i]
        return (time.perf_counter() - start) / (len(indices) * fields) * 1e9

    def records_pass(indices: list[int]) -> float:
        start = time.perf_counter()
        total = 0.0
        for i in indices:
            base = i * fields
            for f in offsets:
                total += records[base + f]
        return (time.perf_counter() - start) / (len(indices) * fields) * 1e9

    return {
        "workers": n,
        "working_set_mb": round(fields * 8 * n / 2**20, 1),
        "ns_per_read_random": round(min(one_pass(spread) for _ in range(repeat)), 1),
        "ns_per_read_cached": round(min(one_pass(cached) for _ in range(repeat)), 1),
        "ns_per_read_records": round(min(records_pass(spread) for _ in range(repeat)), 1),
    }


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000, 1_000_000, 3_000_000]
    )
    ap.add_argument("--fields", type=int, default=20, help="per-worker arrays read per worker")
    ap.add_argument("--reads", type=int, default=200_000, help="random workers per pass")
    ap.add_argument("--hot", type=int, default=2_000, help="workers of the cached control")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="also print the rows as one JSON list")
    args = ap.parse_args(argv)
    rows = [time_reads(n, args.fields, args.reads, args.hot, args.repeat) for n in args.sizes]
    header = (
        "workers",
        "working set (MB)",
        "ns/read, random worker",
        "ns/read, cached",
        "memory share",
        "ns/read, records together",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        extra = r["ns_per_read_random"] - r["ns_per_read_cached"]
        share = extra / r["ns_per_read_random"]
        print(
            f"| {r['workers']:,} | {r['working_set_mb']} | {r['ns_per_read_random']} "
            f"| {r['ns_per_read_cached']} | {share:.0%} | {r['ns_per_read_records']} |"
        )
    if args.json:
        print(json.dumps(rows))
    return rows


if __name__ == "__main__":
    main()
