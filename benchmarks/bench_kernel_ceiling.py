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
in the same process, and per round the fitted exponent of run time against n (from 100,000 up),
so that the two targets of the engine issue (overhead ratio <= 5, exponent <= 1.05) can be
read against what compiled code over flat arrays does on this machine. Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from bench_core import bare_simpy_seconds_per_event
from bench_scaling import wall_exponent

try:
    from numba import njit
except ImportError as exc:  # pragma: no cover - a benchmark's own dependency
    raise SystemExit("bench_kernel_ceiling needs numba: pip install numba") from exc

SEPARATION_RATE = 1 / 40  # per month
HIRE_RATE = 1 / 2  # per month of search

# A worker's numbers, as columns of ``rec[w, f]``.
EMPLOYER, SINCE, SALARY, INCOME, JOBS = range(5)


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
def _populate(rec, state, staff):
    """94% of the workers employed at a uniformly random company at time 0."""
    for w in range(len(state)):
        rec[w, EMPLOYER] = -1.0
        if np.random.random() < 0.94:
            c = np.random.randint(len(staff))
            state[w] = 1
            rec[w, EMPLOYER], rec[w, SALARY] = c, 4000.0 + 1000.0 * np.random.random()
            staff[c] += 1


@njit(cache=True)
def _separate(rec, state, staff, w, t):
    """Worker w leaves their company at time t (months); salary booked."""
    staff[int(rec[w, EMPLOYER])] -= 1
    rec[w, INCOME] += rec[w, SALARY] * (t - rec[w, SINCE])
    state[w] = 0
    rec[w, EMPLOYER] = -1.0


@njit(cache=True)
def _hire(rec, state, staff, indptr, indices, w, t):
    """Worker w, seeking, scans their contacts (as word of mouth does) and is hired at a
    random company at time t; returns how many contacts are employed."""
    employed = 0
    for k in range(indptr[w], indptr[w + 1]):
        employed += state[indices[k]]
    c = np.random.randint(len(staff))
    state[w] = 1
    rec[w, EMPLOYER], rec[w, SINCE] = c, t
    rec[w, SALARY] = 4000.0 + 1000.0 * np.random.random()
    rec[w, JOBS] += 1.0
    staff[c] += 1
    return employed


@njit(cache=True)
def run_heap(rec, m, horizon, seed, indptr, indices):
    """A timer per worker in a binary heap, to ``horizon`` months; returns the number of
    events and a checksum. ``rec[w, f]`` holds worker w's numbers in either layout."""
    np.random.seed(seed)
    n = rec.shape[0]
    state = np.zeros(n, np.int8)  # read by the contact scan: one byte a worker
    staff = np.zeros(m, np.int64)
    _populate(rec, state, staff)
    ht = np.empty(n)
    hw = np.arange(n)
    for w in range(n):
        ht[w] = np.random.exponential(1 / (SEPARATION_RATE if state[w] else HIRE_RATE))
    for pos in range(n // 2 - 1, -1, -1):
        _sift_down(ht, hw, n, pos)
    events = check = 0
    while ht[0] < horizon:
        t, w = ht[0], hw[0]
        events += 1
        if state[w] == 1:
            _separate(rec, state, staff, w, t)
            ht[0] = t + np.random.exponential(1 / HIRE_RATE)
        else:
            check += _hire(rec, state, staff, indptr, indices, w, t)
            ht[0] = t + np.random.exponential(1 / SEPARATION_RATE)
        _sift_down(ht, hw, n, 0)
    return events, check


@njit(cache=True)
def run_aggregate(rec, m, horizon, seed, indptr, indices):
    """The same process without a timer per worker: one aggregate Poisson stream at rate
    ``n * HIRE_RATE`` picks a uniformly random worker, who acts with probability
    (own rate) / ``HIRE_RATE`` (thinning; the same law as one timer per worker)."""
    np.random.seed(seed)
    n = rec.shape[0]
    state = np.zeros(n, np.int8)
    staff = np.zeros(m, np.int64)
    _populate(rec, state, staff)
    keep_employed = SEPARATION_RATE / HIRE_RATE
    mean_gap = 1 / (n * HIRE_RATE)
    t = np.random.exponential(mean_gap)
    events = check = 0
    while t < horizon:
        w = np.random.randint(n)
        if state[w] == 0:
            events += 1
            check += _hire(rec, state, staff, indptr, indices, w, t)
        elif np.random.random() < keep_employed:
            events += 1
            _separate(rec, state, staff, w, t)
        t += np.random.exponential(mean_gap)
    return events, check


def worker_numbers(n: int, layout: str) -> np.ndarray:
    """``rec[w, f]`` for n workers: a field's numbers together (``columns``, as netsim's typed
    arrays) or a worker's numbers together (``records``)."""
    return np.zeros((n, 5)) if layout == "records" else np.zeros((5, n)).T


#: ``--queue`` choices: the loop and the layout of a worker's numbers.
KERNELS = {
    "heap": (run_heap, "columns"),
    "records": (run_heap, "records"),
    "aggregate": (run_aggregate, "columns"),
}


def random_graph(n: int, degree: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR arrays of an undirected random graph with mean degree ``degree``."""
    rng = np.random.default_rng(seed)
    m = int(n * degree / 2)
    u, v = rng.integers(n, size=m), rng.integers(n, size=m)
    src, dst = np.concatenate([u, v]), np.concatenate([v, u])
    order = np.argsort(src, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))
    return indptr.astype(np.int64), dst[order].astype(np.int64)


def measure(n: int, horizon: float, degree: float, seed: int, queue: str = "heap") -> dict:
    """One run at ``n`` workers (companies ``n // 20``): events, µs per event, ratio."""
    indptr, indices = random_graph(n, degree, seed)
    kernel, layout = KERNELS[queue]
    rec = worker_numbers(n, layout)
    start = time.perf_counter()
    events, _ = kernel(rec, max(1, n // 20), horizon, seed, indptr, indices)
    wall = time.perf_counter() - start
    bare = bare_simpy_seconds_per_event(200_000) * 1e6
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

    kernel, layout = KERNELS[args.queue]
    kernel(worker_numbers(1000, layout), 50, 1.0, 0, *random_graph(1000, args.degree, 0))
    rounds = [
        [measure(n, args.horizon, args.degree, args.seed, args.queue) for n in args.sizes]
        for _ in range(args.repeat)
    ]
    for rnd in rounds:
        for r in rnd:
            print(json.dumps(r))
    big = [k for k, n in enumerate(args.sizes) if n >= 100_000]
    if len(big) >= 2:
        # wall_s is the kernel's run alone (graph and arrays are made before the clock starts).
        per_round = [wall_exponent([rnd[k] for k in big]) for rnd in rounds]
        print(
            f"fitted exponent of run time, n >= 100,000, per round: "
            f"{', '.join(f'{b:.3f}' for b in per_round)}"
        )


if __name__ == "__main__":
    main()
