"""Time per Independent Halting Cascade on a random 3-regular graph of 20,000 nodes.

    python benchmarks/bench_ihc.py [--cascades N] [--json]

Target (issue 11): at most 0.2 ms per cascade (a pandas research implementation takes 10-47
ms). Prints the median of three timings of N cascades from random roots for three parameter
sets, and the CPU time (process time, robust to a busy machine) beside the wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import networkx as nx
import numpy as np

from netsim.platform.ihc import CSRGraph, ihc_cascade, ihc_tree_exact

PARAMS = [(0.5, 0.3, 0.5), (0.8, 0.2, 0.3), (0.3, 0.5, 0.5)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cascades", type=int, default=20_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    graph = CSRGraph.from_networkx(nx.random_regular_graph(3, 20_000, seed=1))
    rows = []
    for pr, pa, ph in PARAMS:
        walls, cpus = [], []
        for rep in range(3):
            rng = np.random.default_rng(rep)
            roots = rng.integers(0, 20_000, args.cascades).tolist()
            w, c = time.perf_counter(), time.process_time()
            outs = [ihc_cascade(graph, r, pr, pa, ph, rng) for r in roots]
            walls.append((time.perf_counter() - w) / args.cascades * 1e3)
            cpus.append((time.process_time() - c) / args.cascades * 1e3)
        exact = ihc_tree_exact(3, pr, pa, ph)
        rows.append(
            {
                "pr": pr, "pa": pa, "ph": ph,
                "ms_per_cascade_wall": round(statistics.median(walls), 4),
                "ms_per_cascade_cpu": round(statistics.median(cpus), 4),
                "mean_recommended": round(float(np.mean([o.recommended for o in outs])), 2),
                "success": round(float(np.mean([o.hired for o in outs])), 4),
                "success_exact_tree": round(exact.success, 4),
            }
        )  # fmt: skip
    for r in rows:
        print(
            f"pr={r['pr']} pa={r['pa']} ph={r['ph']}: {r['ms_per_cascade_wall']:.3f} ms wall, "
            f"{r['ms_per_cascade_cpu']:.3f} ms CPU per cascade; {r['mean_recommended']} "
            f"recommended; success {r['success']} (tree: {r['success_exact_tree']})"
        )
    if args.json:
        print(json.dumps({"cascades": args.cascades, "results": rows}))


if __name__ == "__main__":
    main()
