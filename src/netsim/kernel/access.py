"""Reading and writing a :class:`~netsim.kernel.layout.KernelState` from Python (numba).

A ``StructRef`` proxy has no Python attributes; these small compiled functions hand its
arrays and counters over. Arrays come back as NumPy arrays sharing the kernel's memory.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from netsim.kernel.hashing import present, slot


@njit(cache=True)
def counters(s):
    """The run's counters and stocks, as in the Python market."""
    return (
        s.n_events, s.n_stale, s.n_hires, s.employed_count, s.seeking_count, s.out_count,
        s.n_open_market, s.internal_open, s.since_sum,
    )  # fmt: skip


@njit(cache=True)
def records(s):
    """What happened since the last sync: (arrays, count) pairs, then the month counters."""
    return (
        (s.lg_t, s.lg_kind, s.lg_detail, s.lg_worker, s.lg_company, s.lg_vac, s.lg_other,
         s.lg_value, s.lg_hire), s.lg_n,
        (s.st_i, s.st_c, s.st_start, s.st_end), s.st_n,
        s.dw, s.dw_n, s.dv, s.dv_n, (s.ta_i, s.ta_j, s.ta_t), s.ta_n, s.kd_keys, s.kd_n,
        s.mc,
    )  # fmt: skip


@njit(cache=True)
def clear_records(s):
    """Forget what :func:`records` returned (after the sync has copied it)."""
    s.lg_n = 0
    s.st_n = 0
    s.dw_n = 0
    s.dv_n = 0
    s.ta_n = 0
    s.kd_n = 0
    s.kn_rebased = 0
    s.mc[:] = 0


@njit(cache=True)
def company_arrays(s):
    """Per-company state: counts, staff and open-vacancy pools, the vacancy sampler."""
    return (
        s.company_hires, s.company_internal, s.company_seps,
        s.staff_start, s.staff_len, s.staff_pool, s.dirty_staff,
        s.om_start, s.om_len, s.om_pool, s.dirty_om,
        s.fw_tree, s.fw_w,
    )  # fmt: skip


@njit(cache=True)
def knowledge_arrays(s):
    """Knowledge stocks: totals and squares per company, the reference time, whether the
    stocks were rebased since the last sync (then every stock changed)."""
    return s.kn_total, s.kn_squares, s.kn_t0, s.kn_rebased


@njit(cache=True)
def vacancy_arrays(s):
    """The vacancy table (company, skill, opened, status, position) and its length."""
    return s.vac_company, s.vac_skill, s.vac_opened, s.vac_status, s.vac_pos, s.n_vac


@njit(cache=True)
def recent(s):
    """Hires still in onboarding: times, workers, hire ids."""
    h, t = s.rh_head, s.rh_tail
    return s.rh_t[h:t], s.rh_i[h:t], s.rh_hid[h:t]


@njit(cache=True)
def knowledge_values(s, keys):
    """Knowledge stocks (reference units) for keys ``dest * m + origin``."""
    out = np.empty(keys.size)
    for k in range(keys.size):
        out[k] = s.kn_vals[slot(s.kn_keys, keys[k])]
    return out


@njit(cache=True)
def knowledge_keys(s):
    """Every key of the knowledge stocks."""
    return present(s.kn_keys)


@njit(cache=True)
def stream(s):
    """The random blocks and positions (uniform, exponential, normal)."""
    return s.ru_buf, s.ru_pos, s.re_buf, s.re_pos, s.rn_buf, s.rn_pos


@njit(cache=True)
def set_stream(s, ru, ru_pos, re, re_pos, rn, rn_pos):
    """Take over the random blocks at these positions."""
    s.ru_buf = ru
    s.ru_pos = ru_pos
    s.re_buf = re
    s.re_pos = re_pos
    s.rn_buf = rn
    s.rn_pos = rn_pos


@njit(cache=True)
def launch(s, log_enabled):
    """Month 0 after a burn-in (Simulation._launch): outputs on, flow counters restart."""
    s.log_enabled = log_enabled
    s.n_events = 0
    s.company_hires[:] = 0
    s.company_internal[:] = 0
    s.company_seps[:] = 0


@njit(cache=True)
def channels(s, workers):
    """The hiring channel codes (index into recorder.CHANNELS) of these workers."""
    out = np.empty(workers.size, np.int64)
    for k in range(workers.size):
        out[k] = s.channel[workers[k]]
    return out


@njit(cache=True)
def growing(s):
    """The large arrays the kernel reads at random and reallocates as they fill."""
    return (
        s.nb_pool, s.kn_keys, s.kn_vals, s.staff_pool, s.om_pool, s.h_t, s.h_ref,
        s.vac_company, s.vac_skill, s.vac_status, s.vac_pos, s.wf_fire, s.wf_i, s.wf_ep,
        s.wf_next,
    )  # fmt: skip
