"""The vacancy life cycle, compiled: open, post, close, expire, fill internally.

A mirror of :mod:`netsim.market.vacancies` and :mod:`netsim.market.internal` for the core
market (no projects, no hooks); see :mod:`netsim.kernel.market`. Times in months.
"""

from __future__ import annotations

import math

from numba import njit

from netsim.kernel import layout as L
from netsim.kernel.basics import (
    accrue_salary,
    draw_vacancy_skill,
    fenwick_add,
    offer,
    schedule_tip,
)
from netsim.kernel.queues import call_in, dq_add, exp1, grown, uniform
from netsim.kernel.storage import log_event, mark_vacancy, open_add, open_remove

_NAN = math.nan


@njit(cache=True)
def open_vacancy(s, c, origin):
    """Vacancies._open_vacancy (not market-only, no project): open a vacancy at c."""
    v = s.n_vac
    if v == s.vac_company.size:
        s.vac_company = grown(s.vac_company, v + 1)
        s.vac_skill = grown(s.vac_skill, v + 1)
        s.vac_opened = grown(s.vac_opened, v + 1)
        s.vac_status = grown(s.vac_status, v + 1)
        s.vac_pos = grown(s.vac_pos, v + 1)
    s.n_vac = v + 1
    s.vac_company[v] = c
    s.vac_skill[v] = draw_vacancy_skill(s, c)
    s.vac_opened[v] = s.now
    s.vac_pos[v] = -1
    s.mc[L.MC_VACANCIES_OPENED] += 1
    log_event(s, s.now, L.E_VACANCY_OPENED, origin, -1, c, v, -1, _NAN, -1)
    internal = s.is_large[c] and s.staff_len[c] > 0 and uniform(s) < s.internal_fill_share
    if internal:
        s.vac_status[v] = L.VS_INTERNAL
        s.internal_open += 1
        call_in(s, exp1(s) / (1.0 / s.internal_fill_months), L.K_INTERNAL, v, 0, 0.0)
    else:
        s.vac_status[v] = L.VS_OPEN
        post(s, v)
    return v


@njit(cache=True)
def post(s, v):
    """Vacancies._post and _list_open: put vacancy v on the open market."""
    s.n_open_market += 1
    c = s.vac_company[v]
    s.vac_status[v] = L.VS_OPEN
    open_add(s, c, v)
    mark_vacancy(s, v)
    fenwick_add(s, c, s.brand[c])
    dq_add(s, s.now + exp1(s) / (1.0 / s.vacancy_mean_months), v)
    schedule_tip(s, v)


@njit(cache=True)
def close_vacancy(s, v, status):
    """Vacancies._close_vacancy: set v's status, off the open market if it was on it."""
    c = s.vac_company[v]
    if s.vac_status[v] == L.VS_OPEN and s.vac_pos[v] >= 0:
        s.n_open_market -= 1
        open_remove(s, c, v)
        fenwick_add(s, c, -s.brand[c])
    s.vac_status[v] = status
    mark_vacancy(s, v)


@njit(cache=True)
def expire(s, v):
    """Vacancies._expire: open vacancy v expires unfilled."""
    s.n_events += 1
    close_vacancy(s, v, L.VS_EXPIRED)
    s.mc[L.MC_VACANCIES_EXPIRED] += 1
    log_event(s, s.now, L.E_VACANCY_EXPIRED, L.D_NONE, -1, s.vac_company[v], v, -1, _NAN, -1)


@njit(cache=True)
def fill_internally(s, v):
    """InternalPool._fill_internally: a large company moves one of its staff into v."""
    s.n_events += 1
    if s.vac_status[v] != L.VS_INTERNAL:
        return
    s.internal_open -= 1
    c = s.vac_company[v]
    if not s.alive[c]:
        s.vac_status[v] = L.VS_EXPIRED
        mark_vacancy(s, v)
        return
    if s.staff_len[c] == 0:
        post(s, v)
        return
    t = s.now
    i = s.staff_pool[s.staff_start[c] + int(uniform(s) * s.staff_len[c])]
    close_vacancy(s, v, L.VS_FILLED)
    salary = max(s.salary[i], offer(s, i, c))
    hid = s.n_hires
    s.n_hires += 1
    s.company_internal[c] += 1
    s.mc[L.MC_HIRES + L.CH_INTERNAL] += 1
    s.mc[L.MC_SEPARATIONS + L.R_INTERNAL_MOVE] += 1
    old = s.hire_id[i]
    log_event(s, t, L.E_SEPARATION, L.R_BASE + L.R_INTERNAL_MOVE, i, c, -1, old, _NAN, old)
    log_event(s, t, L.E_HIRE, L.CH_INTERNAL, i, c, v, c, salary, hid)
    accrue_salary(s, i, t)
    s.salary[i] = salary
    s.hire_id[i] = hid
    if uniform(s) < s.replacement_probability:
        open_vacancy(s, c, L.D_REPLACEMENT)
