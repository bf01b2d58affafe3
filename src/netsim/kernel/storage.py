"""Per-company and per-worker lists in one pool each, and the kernel's append-only records.

Staff lists, open-vacancy lists and neighbour lists are held as slices of a flat pool
(start, length, capacity per owner); a full slice moves to the pool's end with twice the
room. Order within a list is kept exactly as in the Python lists (append at the end; a
removal moves the last entry into the gap), because random choices index into them.
"""

from __future__ import annotations

from numba import njit

from netsim.kernel.queues import grown, queue_room


@njit(cache=True)
def pool_append(start, length, cap, pool, top, g, x):
    """Append ``x`` to list ``g``; returns the (maybe new) pool and its new top."""
    if length[g] == cap[g]:
        new_cap = max(2 * cap[g], 4)
        pool = grown(pool, top + new_cap)
        pool[top : top + length[g]] = pool[start[g] : start[g] + length[g]]
        start[g] = top
        cap[g] = new_cap
        top += new_cap
    pool[start[g] + length[g]] = x
    length[g] += 1
    return pool, top


@njit(cache=True)
def staff_add(s, c, i):
    """Worker i joins company c's staff list (at its end)."""
    s.pos_in_company[i] = s.staff_len[c]
    s.staff_pool, s.staff_top = pool_append(
        s.staff_start, s.staff_len, s.staff_cap, s.staff_pool, s.staff_top, c, i
    )
    s.dirty_staff[c] = 1


@njit(cache=True)
def pool_remove(start, length, pool, position, g, x):
    """Remove ``x`` from list ``g`` (its index in ``position``): the last entry takes its
    place, as in the Python lists. Returns the entry that moved, or -1."""
    base = start[g]
    p = position[x]
    length[g] -= 1
    last = pool[base + length[g]]
    position[x] = -1
    if last == x:
        return -1
    pool[base + p] = last
    position[last] = p
    return last


@njit(cache=True)
def staff_remove(s, c, i):
    """Worker i leaves company c's staff list (the last member takes its place)."""
    pool_remove(s.staff_start, s.staff_len, s.staff_pool, s.pos_in_company, c, i)
    s.dirty_staff[c] = 1


@njit(cache=True)
def open_add(s, c, v):
    """Vacancy v joins company c's list of open vacancies."""
    s.vac_pos[v] = s.om_len[c]
    s.om_pool, s.om_top = pool_append(s.om_start, s.om_len, s.om_cap, s.om_pool, s.om_top, c, v)
    s.dirty_om[c] = 1


@njit(cache=True)
def open_remove(s, c, v):
    """Vacancy v leaves company c's list of open vacancies."""
    moved = pool_remove(s.om_start, s.om_len, s.om_pool, s.vac_pos, c, v)
    if moved >= 0:
        mark_vacancy(s, moved)
    s.dirty_om[c] = 1


@njit(cache=True)
def neighbour_add(s, u, v):
    """v joins u's neighbour list."""
    s.nb_pool, s.nb_top = pool_append(s.nb_start, s.nb_len, s.nb_cap, s.nb_pool, s.nb_top, u, v)


@njit(cache=True)
def mark_vacancy(s, v):
    """Note that vacancy v's status or position changed since the last sync."""
    k = s.dv_n
    s.dv = grown(s.dv, k + 1)
    s.dv[k] = v
    s.dv_n = k + 1


@njit(cache=True)
def log_event(s, t, kind, detail, worker, company, vacancy, other, value, hire):
    """EventLog.log: one row (if the log is on)."""
    if not s.log_enabled:
        return
    k = s.lg_n
    if k == s.lg_t.size:
        s.lg_t = grown(s.lg_t, k + 1)
        s.lg_kind = grown(s.lg_kind, k + 1)
        s.lg_detail = grown(s.lg_detail, k + 1)
        s.lg_worker = grown(s.lg_worker, k + 1)
        s.lg_company = grown(s.lg_company, k + 1)
        s.lg_vac = grown(s.lg_vac, k + 1)
        s.lg_other = grown(s.lg_other, k + 1)
        s.lg_value = grown(s.lg_value, k + 1)
        s.lg_hire = grown(s.lg_hire, k + 1)
    s.lg_t[k] = t
    s.lg_kind[k] = kind
    s.lg_detail[k] = detail
    s.lg_worker[k] = worker
    s.lg_company[k] = company
    s.lg_vac[k] = vacancy
    s.lg_other[k] = other
    s.lg_value[k] = value
    s.lg_hire[k] = hire
    s.lg_n = k + 1


@njit(cache=True)
def record_stint(s, i, c, start, end):
    """A completed stint (worker, company, start, end in months), for the job histories."""
    k = s.st_n
    if k == s.st_i.size:
        s.st_i = grown(s.st_i, k + 1)
        s.st_c = grown(s.st_c, k + 1)
        s.st_start = grown(s.st_start, k + 1)
        s.st_end = grown(s.st_end, k + 1)
    s.st_i[k] = i
    s.st_c[k] = c
    s.st_start[k] = start
    s.st_end[k] = end
    s.st_n = k + 1


@njit(cache=True)
def recent_hire(s, t, i, hid):
    """MarketState._recent_hires.append: a hire still in its onboarding period."""
    s.rh_t, s.rh_i, s.rh_hid, s.rh_head, s.rh_tail = queue_room(
        s.rh_t, s.rh_i, s.rh_hid, s.rh_head, s.rh_tail
    )
    k = s.rh_tail
    s.rh_t[k] = t
    s.rh_i[k] = i
    s.rh_hid[k] = hid
    s.rh_tail = k + 1


@njit(cache=True)
def count_onboarding(s, t, employed):
    """MarketState._count_onboarding: employed workers hired less than onboarding ago."""
    horizon = t - s.onboarding
    while s.rh_head < s.rh_tail and s.rh_t[s.rh_head] <= horizon:
        s.rh_head += 1
    n = 0
    for k in range(s.rh_head, s.rh_tail):
        i = s.rh_i[k]
        if s.stint_hire[i] == s.rh_hid[k] and s.state[i] == employed:
            n += 1
    return n


@njit(cache=True)
def mark_worker(s, i):
    """Note that worker i's channel changed since the last sync."""
    k = s.dw_n
    s.dw = grown(s.dw, k + 1)
    s.dw[k] = i
    s.dw_n = k + 1


@njit(cache=True)
def tie_attempt(s, i, j, t):
    """Note a colleague meeting (i, j at t), replayed into the Python network at sync."""
    k = s.ta_n
    if k == s.ta_i.size:
        s.ta_i = grown(s.ta_i, k + 1)
        s.ta_j = grown(s.ta_j, k + 1)
        s.ta_t = grown(s.ta_t, k + 1)
    s.ta_i[k] = i
    s.ta_j[k] = j
    s.ta_t[k] = t
    s.ta_n = k + 1


@njit(cache=True)
def knowledge_key(s, key):
    """Note a changed knowledge stock (dest * m + origin), for the sync."""
    k = s.kd_n
    s.kd_keys = grown(s.kd_keys, k + 1)
    s.kd_keys[k] = key
    s.kd_n = k + 1
