"""The kernel's event loop and the entry points the Python side calls (numba).

:func:`run_until` runs every queued market event due before SimPy's next event; the
others are the few things the model's SimPy processes do to the market (the monthly
release of far timers, the growth of vacancies, the start of the colleague-tie process,
the monthly rebuild of the vacancy sampler). Times are in months.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from netsim.kernel import layout as L
from netsim.kernel.contacts import colleague_tie, tip
from netsim.kernel.market import probation_end, worker_event
from netsim.kernel.queues import (
    call_in,
    dq_pop,
    dq_rearm,
    dq_release,
    exp1,
    fifo_arm,
    head,
    pop_head,
    uniform,
)
from netsim.kernel.vacancies import expire, fill_internally, open_vacancy


@njit(cache=True)
def _dq_wake(s, token):
    """DeadlineQueue._wake: expire every open vacancy whose deadline has come."""
    if token != s.dq_token:
        return
    while s.dq_n and s.dq_at[0] <= s.now:
        v = s.dq_item[0]
        dq_pop(s)
        if s.vac_status[v] == L.VS_OPEN:
            expire(s, v)
    dq_rearm(s)


@njit(cache=True)
def _fifo_wake(s, at):
    """FifoDeadlines._wake: every probation end due by ``at``."""
    while s.fifo_head < s.fifo_tail and s.fifo_at[s.fifo_head] <= at:
        k = s.fifo_head
        s.fifo_head += 1
        probation_end(s, s.fifo_i[k], s.fifo_nj[k])
    s.fifo_armed = 0
    if s.fifo_head < s.fifo_tail:
        fifo_arm(s, s.fifo_at[s.fifo_head])


@njit(cache=True)
def run_until(s, until):
    """Run every queued event before time ``until`` (SimPy's next event); returns how many.

    At a tie with SimPy's next event, SimPy's goes first (ties of continuous times have
    probability zero; see :mod:`netsim.kernel.bridge`).
    """
    done = 0
    while s.h_n > 0:
        t = s.h_t[0]
        if t >= until:
            break
        r = head(s)
        kind = s.p_kind[r]
        a = s.p_a[r]
        b = s.p_b[r]
        f = s.p_f[r]
        pop_head(s)
        s.now = t
        done += 1
        if kind == L.K_WORKER:
            worker_event(s, a, b)
        elif kind == L.K_TIP:
            tip(s, a)
        elif kind == L.K_COLLEAGUE:
            colleague_tie(s)
        elif kind == L.K_INTERNAL:
            fill_internally(s, a)
        elif kind == L.K_DQ_WAKE:
            _dq_wake(s, a)
        elif kind == L.K_DQ_RELEASE:
            dq_release(s, a)
        else:
            _fifo_wake(s, f)
    return done


@njit(cache=True)
def next_time(s):
    """Time of the kernel's next queued event (inf if none)."""
    return s.h_t[0] if s.h_n > 0 else np.inf


@njit(cache=True)
def release_expiries(s, now, month):
    """DeadlineQueue._release for a release SimPy scheduled before the kernel took over."""
    s.now = now
    dq_release(s, month)


@njit(cache=True)
def draw_exponential(s, rate):
    """FastStream.exponential for a SimPy process of the market (mean 1/rate months)."""
    return exp1(s) / rate


@njit(cache=True)
def grow_vacancy(s, now, total):
    """One event of Vacancies._growth_process: a company by its positions opens a vacancy."""
    s.now = now
    s.n_events += 1
    if total <= 0:
        return
    c = np.searchsorted(s.pos_cum, uniform(s) * total, side="right")
    open_vacancy(s, min(c, s.pos_cum.size - 1), L.D_GROWTH)


@njit(cache=True)
def start_colleague_ties(s, now):
    """ColleagueTies._start_colleague_ties: the first timer of the aggregate process."""
    s.now = now
    if s.colleague_rate > 0.0:
        call_in(s, exp1(s) / s.colleague_rate, L.K_COLLEAGUE, 0, 0, 0.0)


@njit(cache=True)
def rebuild_sampler(s):
    """FenwickSampler.rebuild: the tree from the weights, sums in the same order."""
    n = s.m
    tree = np.zeros(n + 1)
    step = 1
    while step <= n:
        for j in range(step, n + 1, 2 * step):
            half = step >> 1
            if half:
                acc = tree[j - half]
                half >>= 1
                while half:
                    acc = acc + tree[j - half]
                    half >>= 1
                tree[j] = acc + s.fw_w[j - 1]
            else:
                tree[j] = s.fw_w[j - 1]
        step <<= 1
    s.fw_tree = tree
