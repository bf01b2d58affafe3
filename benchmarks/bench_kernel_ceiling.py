"""The ceiling of a compiled worker-event loop: its cost per event and how that grows with n.

Run from the repository root (needs numba, which netsim itself does not install)::

    pip install numba
    python benchmarks/bench_kernel_ceiling.py                    # 100k, 300k and 1M workers
    python benchmarks/bench_kernel_ceiling.py --sizes 100000 1000000 --repeat 3

This is **not the model**. It is the smallest loop with the memory traffic of the model's
worker-level events, compiled with numba, to tell the engine issue's kernel what it can hope
for before it is written: each worker has one pending timer in a binary heap over flat
arrays; a timer of an employed worker is a separation (company head count down, salary and
tenure booked), one of a seeking worker a hire at a uniformly random company after a scan
of the worker's contacts (a random graph of mean degree ``--degree``, in CSR arrays) for how
many are employed, as word of mouth reads them; then the worker's next timer. Rates: a
separation per 40 months, a hire per 2 months of search.

It prints, per size, the events, µs per event, the ratio to a bare SimPy timeout event timed
in the same process, and the fitted exponent of time per event against n (from 100,000 up),
so that the two targets of the engine issue (overhead ratio <= 5, exponent <= 1.05) can be
read against what compiled code over flat arrays does on this machine. Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time

import numpy as np
import simpy

try:
    from numba import njit
except ImportError as exc:  # pragma: no cover - a benchmark's own dependency
    raise SystemExit("bench_kernel_ceiling needs numba: pip install numba") from exc

SEPARATION_RATE = 1 / 40  # per month
HIRE_RATE = 1 / 2  # per month of search


@njit(cache=True)
def _sift_down(ht, hw, size, pos):
    t, w = ht[pos], hw[pos]
    while True:
        child = 2 * pos + 1
        if child >= size:
            break
        if child + 1 < size and ht[child + 1] < ht[child]:
            child += 1
        if ht[child] >= t:
            break
        ht[pos], hw[pos] = ht[child], hw[child]
        pos = child
    ht[pos], hw[pos] = t, w


@njit(cache=True)
def run_kernel(n, m, horizon, seed, indptr, indices):
    """Run the loop to ``horizon`` months; return the number of events and a checksum."""
    np.random.seed(seed)
    state = np.zeros(n, np.int8)
    employer = np.full(n, -1, np.int64)
    since = np.zeros(n)
    salary = np.zeros(n)
    income = np.zeros(n)
    n_jobs = np.zeros(n, np.int64)
    staff = np.zeros(m, np.int64)
    ht = np.empty(n)
    hw = np.empty(n, np.int64)
    for w in range(n):
        if np.random.random() < 0.94:
            c = np.random.randint(m)
            state[w], employer[w], salary[w] = 1, c, 4000.0 + 1000.0 * np.random.random()
            staff[c] += 1
            ht[w] = np.random.exponential(1 / SEPARATION_RATE)
        else:
            ht[w] = np.random.exponential(1 / HIRE_RATE)
        hw[w] = w
    for pos in range(n // 2 - 1, -1, -1):
        _sift_down(ht, hw, n, pos)
    events = 0
    check = 0
    while ht[0] < horizon:
        t, w = ht[0], hw[0]
        events += 1
        if state[w] == 1:
            c = employer[w]
            staff[c] -= 1
            income[w] += salary[w] * (t - since[w])
            state[w], employer[w] = 0, -1
            ht[0] = t + np.random.exponential(1 / HIRE_RATE)
        else:
            employed = 0
            for k in range(indptr[w], indptr[w + 1]):
                employed += state[indices[k]]
            check += employed
            c = np.random.randint(m)
            state[w], employer[w], since[w] = 1, c, t
            salary[w] = 4000.0 + 1000.0 * np.random.random()
            n_jobs[w] += 1
            staff[c] += 1
            ht[0] = t + np.random.exponential(1 / SEPARATION_RATE)
        _sift_down(ht, hw, n, 0)
    return events, check


@njit(cache=True)
def run_records(n, m, horizon, seed, indptr, indices):
    """:func:`run_kernel` with a worker's numbers laid out together (one row of ``rec`` a
    worker: state, employer, since, salary, income, jobs), one or two cache lines an event
    instead of one a field; the contacts' states stay in a byte array of their own."""
    np.random.seed(seed)
    rec = np.zeros((n, 6))
    state = np.zeros(n, np.int8)  # read by the contact scan: one byte a worker
    staff = np.zeros(m, np.int64)
    ht = np.empty(n)
    hw = np.empty(n, np.int64)
    for w in range(n):
        rec[w, 1] = -1.0
        if np.random.random() < 0.94:
            c = np.random.randint(m)
            state[w] = 1
            rec[w, 0], rec[w, 1], rec[w, 3] = 1.0, c, 4000.0 + 1000.0 * np.random.random()
            staff[c] += 1
            ht[w] = np.random.exponential(1 / SEPARATION_RATE)
        else:
            ht[w] = np.random.exponential(1 / HIRE_RATE)
        hw[w] = w
    for pos in range(n // 2 - 1, -1, -1):
        _sift_down(ht, hw, n, pos)
    events = 0
    check = 0
    while ht[0] < horizon:
        t, w = ht[0], hw[0]
        events += 1
        if state[w] == 1:
            c = int(rec[w, 1])
            staff[c] -= 1
            rec[w, 4] += rec[w, 3] * (t - rec[w, 2])
            state[w] = 0
            rec[w, 0], rec[w, 1] = 0.0, -1.0
            ht[0] = t + np.random.exponential(1 / HIRE_RATE)
        else:
            employed = 0
            for k in range(indptr[w], indptr[w + 1]):
                employed += state[indices[k]]
            check += employed
            c = np.random.randint(m)
            state[w] = 1
            rec[w, 0], rec[w, 1], rec[w, 2] = 1.0, c, t
            rec[w, 3] = 4000.0 + 1000.0 * np.random.random()
            rec[w, 5] += 1.0
            staff[c] += 1
            ht[0] = t + np.random.exponential(1 / SEPARATION_RATE)
        _sift_down(ht, hw, n, 0)
    return events, check


@njit(cache=True)
def run_aggregate(n, m, horizon, seed, indptr, indices):
    """The same process without a timer per worker: one aggregate Poisson stream at rate
    ``n * HIRE_RATE`` picks a uniformly random worker, who acts with probability
    (own rate) / ``HIRE_RATE`` (thinning; the same law as one timer per worker)."""
    np.random.seed(seed)
    state = np.zeros(n, np.int8)
    employer = np.full(n, -1, np.int64)
    since = np.zeros(n)
    salary = np.zeros(n)
    income = np.zeros(n)
    n_jobs = np.zeros(n, np.int64)
    staff = np.zeros(m, np.int64)
    for w in range(n):
        if np.random.random() < 0.94:
            c = np.random.randint(m)
            state[w], employer[w], salary[w] = 1, c, 4000.0 + 1000.0 * np.random.random()
            staff[c] += 1
    keep_employed = SEPARATION_RATE / HIRE_RATE
    mean_gap = 1 / (n * HIRE_RATE)
    t = np.random.exponential(mean_gap)
    events = 0
    check = 0
    while t < horizon:
        w = np.random.randint(n)
        if state[w] == 1:
            if np.random.random() < keep_employed:
                events += 1
                c = employer[w]
                staff[c] -= 1
                income[w] += salary[w] * (t - since[w])
                state[w], employer[w] = 0, -1
        else:
            events += 1
            employed = 0
            for k in range(indptr[w], indptr[w + 1]):
                employed += state[indices[k]]
            check += employed
            c = np.random.randint(m)
            state[w], employer[w], since[w] = 1, c, t
            salary[w] = 4000.0 + 1000.0 * np.random.random()
            n_jobs[w] += 1
            staff[c] += 1
        t += np.random.exponential(mean_gap)
    return events, check


def random_graph(n: int, degree: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR arrays of an undirected random graph with mean degree ``degree``."""
    rng = np.random.default_rng(seed)
    m = int(n * degree / 2)
    u, v = rng.integers(n, size=m), rng.integers(n, size=m)
    src, dst = np.concatenate([u, v]), np.concatenate([v, u])
    order = np.argsort(src, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))
    return indptr.astype(np.int64), dst[order].astype(np.int64)


def bare_simpy_us(n_events: int = 200_000) -> float:
    """Microseconds per bare SimPy timeout event in this process (the issue's yardstick)."""
    env = simpy.Environment()

    def loop(env):
        for _ in range(n_events):
            yield env.timeout(1.0)

    env.process(loop(env))
    start = time.perf_counter()
    env.run()
    return (time.perf_counter() - start) / n_events * 1e6


KERNELS = {"heap": run_kernel, "records": run_records, "aggregate": run_aggregate}


def measure(n: int, horizon: float, degree: float, seed: int, queue: str = "heap") -> dict:
    """One run at ``n`` workers (companies ``n // 20``): events, µs per event, ratio."""
    indptr, indices = random_graph(n, degree, seed)
    start = time.perf_counter()
    events, _ = KERNELS[queue](n, max(1, n // 20), horizon, seed, indptr, indices)
    wall = time.perf_counter() - start
    bare = bare_simpy_us()
    us = wall / events * 1e6
    return {
        "queue": queue,
        "workers": n,
        "events": int(events),
        "wall_s": round(wall, 3),
        "us_per_event": round(us, 4),
        "bare_simpy_us_per_event": round(bare, 3),
        "overhead_ratio": round(us / bare, 3),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--horizon", type=float, default=120.0, help="months")
    ap.add_argument("--degree", type=float, default=10.0, help="mean number of contacts")
    ap.add_argument("--repeat", type=int, default=1, help="rounds over all sizes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--queue",
        choices=sorted(KERNELS),
        default="heap",
        help="a timer per worker in a binary heap (with a worker's numbers in separate arrays, "
        "or laid out together: records), or one aggregate Poisson stream (thinning)",
    )
    args = ap.parse_args(argv)

    KERNELS[args.queue](1000, 50, 1.0, 0, *random_graph(1000, args.degree, 0))  # compile
    rounds = [
        [measure(n, args.horizon, args.degree, args.seed, args.queue) for n in args.sizes]
        for _ in range(args.repeat)
    ]
    for rnd in rounds:
        for r in rnd:
            print(json.dumps(r))
    big = [k for k, n in enumerate(args.sizes) if n >= 100_000]
    if len(big) >= 2:
        per_round = []
        for rnd in rounds:
            xs = [math.log(rnd[k]["workers"]) for k in big]
            ys = [math.log(rnd[k]["us_per_event"] * rnd[k]["events"]) for k in big]
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
                (x - mx) ** 2 for x in xs
            )
            per_round.append(slope)
        print(
            f"fitted exponent of run time, n >= 100,000, per round: "
            f"{', '.join(f'{b:.3f}' for b in per_round)}"
        )


if __name__ == "__main__":
    main()
