"""The kernel's queues, random numbers and growable storage (numba, on a ``KernelState``).

Each function mirrors a piece of the Python engine operation for operation, so that a run
gives the same numbers to the bit: the timer queue of
:class:`netsim.engine.environment.ModelEnvironment` (ordered by time, then sequence), the
far timers of :class:`netsim.engine.timers.WorkerTimers`, the
:class:`netsim.engine.deadlines.DeadlineQueue` of vacancy expiries and the
:class:`netsim.engine.deadlines.FifoDeadlines` of probation ends, and the blocks of
:class:`netsim.engine.rng.FastStream`. Times are in months.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from netsim.engine.rng import BLOCK
from netsim.kernel.layout import K_DQ_RELEASE, K_DQ_WAKE, K_FIFO_WAKE, K_WORKER, VS_OPEN

# ---------------------------------------------------------------------------- random numbers


@njit(cache=True)
def uniform(s):
    """A uniform draw on [0, 1) (FastStream.random)."""
    if s.ru_pos >= s.ru_buf.size:
        s.ru_buf = s.gen.random(BLOCK)
        s.ru_pos = 0
    x = s.ru_buf[s.ru_pos]
    s.ru_pos += 1
    return x


@njit(cache=True)
def exp1(s):
    """A unit exponential draw (FastStream's exponential blocks)."""
    if s.re_pos >= s.re_buf.size:
        s.re_buf = s.gen.standard_exponential(BLOCK)
        s.re_pos = 0
    x = s.re_buf[s.re_pos]
    s.re_pos += 1
    return x


@njit(cache=True)
def normal(s):
    """A standard normal draw (FastStream.normal)."""
    if s.rn_pos >= s.rn_buf.size:
        s.rn_buf = s.gen.standard_normal(BLOCK)
        s.rn_pos = 0
    x = s.rn_buf[s.rn_pos]
    s.rn_pos += 1
    return x


@njit(cache=True)
def integers(s, n):
    """A uniform integer in range(n) (FastStream.integers)."""
    return int(uniform(s) * n)


@njit(cache=True)
def beta22(s):
    """A Beta(2, 2) draw: the median of three uniforms (FastStream.beta22)."""
    a = uniform(s)
    b = uniform(s)
    c = uniform(s)
    if a > b:
        a, b = b, a
    if b < c:
        return b
    return a if a > c else c


# ---------------------------------------------------------------------------- growable arrays


@njit(cache=True)
def grown(a, need):
    """``a`` itself if it holds ``need`` entries, else a copy with room for twice as many."""
    if need <= a.size:
        return a
    b = np.empty(max(2 * a.size, need, 16), a.dtype)
    b[: a.size] = a
    return b


# ---------------------------------------------------------------------------- the timer queue
#
# A four-ary heap of (time, entry): an entry's sequence number and data (kind, a, b, f) sit
# in a table of their own, written once at the push and read once at the pop, so that a
# step down the heap moves two numbers instead of six, and a node's four children share a
# cache line or two. At a million workers the heap holds a month's worker timers (over
# 100,000) and its lower levels miss the caches; a four-ary heap has half the levels.
# The entries are totally ordered by (time, sequence), so every correct heap pops them in
# the same order as ModelEnvironment's queue does.


@njit(cache=True)
def _entry(s):
    """A free row of the entry table (the last freed first, so it is likely cached)."""
    if s.p_nfree > 0:
        s.p_nfree -= 1
        return s.p_free[s.p_nfree]
    r = s.p_top
    s.p_top = r + 1
    if r == s.p_seq.size:
        s.p_seq = grown(s.p_seq, r + 1)
        s.p_kind = grown(s.p_kind, r + 1)
        s.p_a = grown(s.p_a, r + 1)
        s.p_b = grown(s.p_b, r + 1)
        s.p_f = grown(s.p_f, r + 1)
        s.p_free = grown(s.p_free, r + 1)
    return r


@njit(cache=True)
def push_at(s, t, kind, a, b, f):
    """Queue a timer at time ``t`` (kind and its data a, b, f); ties keep insertion order."""
    r = _entry(s)
    s.p_seq[r] = s.seq
    s.seq += 1
    s.p_kind[r] = kind
    s.p_a[r] = a
    s.p_b[r] = b
    s.p_f[r] = f
    k = s.h_n
    if k == s.h_t.size:
        s.h_t = grown(s.h_t, k + 1)
        s.h_ref = grown(s.h_ref, k + 1)
    s.h_n = k + 1
    # The new entry has the largest sequence number: at an equal time it stays below.
    while k > 0:
        parent = (k - 1) >> 2
        tp = s.h_t[parent]
        if not t < tp:
            break
        s.h_t[k] = tp
        s.h_ref[k] = s.h_ref[parent]
        k = parent
    s.h_t[k] = t
    s.h_ref[k] = r


@njit(cache=True)
def call_in(s, delay, kind, a, b, f):
    """Queue a timer ``delay`` months from now (``now + delay``, as SimPy computes it)."""
    push_at(s, s.now + delay, kind, a, b, f)


@njit(cache=True)
def head(s):
    """The earliest timer's entry row (read its p_kind, p_a, p_b, p_f before pop_head)."""
    return s.h_ref[0]


@njit(cache=True)
def pop_head(s):
    """Remove the earliest timer (its entry must have been read first)."""
    s.p_free[s.p_nfree] = s.h_ref[0]
    s.p_nfree += 1
    last = s.h_n - 1
    s.h_n = last
    if last == 0:
        return
    t = s.h_t[last]
    r = s.h_ref[last]
    seq = s.p_seq[r]
    k = 0
    while True:
        first = 4 * k + 1
        if first >= last:
            break
        best = first
        bt = s.h_t[first]
        for j in range(first + 1, min(first + 4, last)):
            tj = s.h_t[j]
            if tj < bt or (tj == bt and s.p_seq[s.h_ref[j]] < s.p_seq[s.h_ref[best]]):
                best = j
                bt = tj
        if bt > t or (bt == t and s.p_seq[s.h_ref[best]] > seq):
            break
        s.h_t[k] = bt
        s.h_ref[k] = s.h_ref[best]
        k = best
    s.h_t[k] = t
    s.h_ref[k] = r


# ---------------------------------------------------------------------------- worker timers


@njit(cache=True)
def worker_timer(s, i, delay):
    """WorkerTimers.set: worker i's timer ``delay`` months from now, with its epoch."""
    if delay > 1.0:
        fire = s.now + delay
        if fire <= s.horizon:
            _far_append(s, math.floor(fire), fire, i, s.epoch[i])
        return
    call_in(s, delay, K_WORKER, i, s.epoch[i], 0.0)


@njit(cache=True)
def _far_append(s, month, fire, i, ep):
    slot = s.wf_free
    if slot >= 0:
        s.wf_free = s.wf_next[slot]
    else:
        slot = s.wf_top
        s.wf_top += 1
        if slot == s.wf_fire.size:
            s.wf_fire = grown(s.wf_fire, slot + 1)
            s.wf_i = grown(s.wf_i, slot + 1)
            s.wf_ep = grown(s.wf_ep, slot + 1)
            s.wf_next = grown(s.wf_next, slot + 1)
    s.wf_fire[slot] = fire
    s.wf_i[slot] = i
    s.wf_ep[slot] = ep
    s.wf_next[slot] = -1
    b = month + s.month_offset
    if s.wf_head[b] < 0:
        s.wf_head[b] = slot
    else:
        s.wf_next[s.wf_tail[b]] = slot
    s.wf_tail[b] = slot


@njit(cache=True)
def release_workers(s, now, month):
    """WorkerTimers.release: queue the far timers of [month, month + 1) still current."""
    s.now = now
    b = month + s.month_offset
    if b < 0 or b >= s.wf_head.size:
        return
    slot = s.wf_head[b]
    s.wf_head[b] = -1
    while slot >= 0:
        nxt = s.wf_next[slot]
        i = s.wf_i[slot]
        if s.epoch[i] == s.wf_ep[slot]:
            call_in(s, s.wf_fire[slot] - now, K_WORKER, i, s.wf_ep[slot], 0.0)
        else:
            s.n_stale += 1
        s.wf_next[slot] = s.wf_free
        s.wf_free = slot
        slot = nxt


# ---------------------------------------------------------------------------- expiries


@njit(cache=True)
def _dq_before(s, j, k):
    aj, ak = s.dq_at[j], s.dq_at[k]
    return aj < ak or (aj == ak and s.dq_seqs[j] < s.dq_seqs[k])


@njit(cache=True)
def _dq_swap(s, j, k):
    s.dq_at[j], s.dq_at[k] = s.dq_at[k], s.dq_at[j]
    s.dq_seqs[j], s.dq_seqs[k] = s.dq_seqs[k], s.dq_seqs[j]
    s.dq_item[j], s.dq_item[k] = s.dq_item[k], s.dq_item[j]


@njit(cache=True)
def dq_push(s, at, seq, item):
    """Push a deadline (at, seq, item) onto the expiry heap."""
    k = s.dq_n
    if k == s.dq_at.size:
        s.dq_at = grown(s.dq_at, k + 1)
        s.dq_seqs = grown(s.dq_seqs, k + 1)
        s.dq_item = grown(s.dq_item, k + 1)
    s.dq_at[k] = at
    s.dq_seqs[k] = seq
    s.dq_item[k] = item
    s.dq_n = k + 1
    while k > 0:
        parent = (k - 1) >> 1
        if not _dq_before(s, k, parent):
            break
        _dq_swap(s, k, parent)
        k = parent


@njit(cache=True)
def dq_pop(s):
    """Remove the earliest deadline."""
    last = s.dq_n - 1
    s.dq_n = last
    if last == 0:
        return
    _dq_swap(s, 0, last)
    k = 0
    while True:
        left = 2 * k + 1
        if left >= last:
            break
        best = left
        if left + 1 < last and _dq_before(s, left + 1, left):
            best = left + 1
        if not _dq_before(s, best, k):
            break
        _dq_swap(s, k, best)
        k = best


@njit(cache=True)
def dq_add(s, at, item):
    """DeadlineQueue.add: expire vacancy ``item`` at ``at`` unless it has closed by then."""
    seq = s.dq_seq
    s.dq_seq += 1
    month = math.floor(at)
    if month > s.now:
        b = month + s.month_offset
        if b >= s.dqf_head.size:
            return  # after the run's end: it never fires (see DeadlineQueue)
        new_bucket = s.dqf_head[b] < 0
        slot = s.dqf_free
        if slot >= 0:
            s.dqf_free = s.dqf_next[slot]
        else:
            slot = s.dqf_top
            s.dqf_top += 1
            if slot == s.dqf_at.size:
                s.dqf_at = grown(s.dqf_at, slot + 1)
                s.dqf_seq = grown(s.dqf_seq, slot + 1)
                s.dqf_item = grown(s.dqf_item, slot + 1)
                s.dqf_next = grown(s.dqf_next, slot + 1)
        s.dqf_at[slot] = at
        s.dqf_seq[slot] = seq
        s.dqf_item[slot] = item
        s.dqf_next[slot] = -1
        if new_bucket:
            s.dqf_head[b] = slot
            if month < s.dq_release_at:
                _dq_arm_release(s, month)
        else:
            s.dqf_next[s.dqf_tail[b]] = slot
        s.dqf_tail[b] = slot
        return
    dq_push(s, at, seq, item)
    if at < s.dq_wake_at:
        _dq_arm(s, at)


@njit(cache=True)
def _dq_arm_release(s, month):
    s.dq_release_at = month
    call_in(s, max(month - s.now, 0.0), K_DQ_RELEASE, month, 0, 0.0)


@njit(cache=True)
def _dq_arm(s, at):
    s.dq_token += 1
    s.dq_wake_at = at
    call_in(s, max(at - s.now, 0.0), K_DQ_WAKE, s.dq_token, 0, 0.0)


@njit(cache=True)
def dq_release(s, month):
    """DeadlineQueue._release: move a month's live deadlines into the heap."""
    if month != s.dq_release_at:
        return
    b = month + s.month_offset
    if 0 <= b < s.dqf_head.size:
        slot = s.dqf_head[b]
        s.dqf_head[b] = -1
        while slot >= 0:
            nxt = s.dqf_next[slot]
            if s.vac_status[s.dqf_item[slot]] == VS_OPEN:
                dq_push(s, s.dqf_at[slot], s.dqf_seq[slot], s.dqf_item[slot])
            s.dqf_next[slot] = s.dqf_free
            s.dqf_free = slot
            slot = nxt
    s.dq_release_at = np.inf
    for later in range(max(b + 1, 0), s.dqf_head.size):
        if s.dqf_head[later] >= 0:
            _dq_arm_release(s, later - s.month_offset)
            break
    if s.dq_n and s.dq_at[0] < s.dq_wake_at:
        _dq_arm(s, s.dq_at[0])


@njit(cache=True)
def dq_rearm(s):
    """The end of DeadlineQueue._wake: drop closed heads, arm the next live deadline."""
    while s.dq_n and s.vac_status[s.dq_item[0]] != VS_OPEN:
        dq_pop(s)
    s.dq_wake_at = np.inf
    if s.dq_n:
        _dq_arm(s, s.dq_at[0])


# ---------------------------------------------------------------------------- probation ends


@njit(cache=True)
def queue_room(t, a, b, head, tail):
    """Room for one more entry at the tail of a queue of columns (t, a, b) used from head.

    Moves the live entries to the front if that frees at least half, else grows the
    columns; returns the columns, head and tail.
    """
    if tail < t.size:
        return t, a, b, head, tail
    live = tail - head
    if head > 0 and 2 * live <= t.size:
        t[:live] = t[head:tail].copy()
        a[:live] = a[head:tail].copy()
        b[:live] = b[head:tail].copy()
        return t, a, b, 0, live
    return grown(t, tail + 1), grown(a, tail + 1), grown(b, tail + 1), head, tail


@njit(cache=True)
def fifo_add(s, at, i, nj):
    """FifoDeadlines.add: worker i's stint ``nj`` ends probation at ``at``."""
    s.fifo_at, s.fifo_i, s.fifo_nj, s.fifo_head, s.fifo_tail = queue_room(
        s.fifo_at, s.fifo_i, s.fifo_nj, s.fifo_head, s.fifo_tail
    )
    k = s.fifo_tail
    s.fifo_at[k] = at
    s.fifo_i[k] = i
    s.fifo_nj[k] = nj
    s.fifo_tail = k + 1
    if not s.fifo_armed:
        fifo_arm(s, at)


@njit(cache=True)
def fifo_arm(s, at):
    """FifoDeadlines._arm: a wake-up at ``at``."""
    s.fifo_armed = 1
    call_in(s, max(at - s.now, 0.0), K_FIFO_WAKE, 0, 0, at)
