"""What the compiled market's events share: sampling, offers, salary, knowledge, contacts.

Each function mirrors the Python method named in its docstring, operation for operation
and draw for draw (see :mod:`netsim.kernel.market`). Rates are per month, times in months.
"""

from __future__ import annotations

import math

from numba import njit

from netsim.kernel import layout as L
from netsim.kernel.hashing import map_add
from netsim.kernel.queues import call_in, exp1, normal, uniform
from netsim.kernel.storage import knowledge_key

_REBASE_AT = 1e50


@njit(cache=True)
def fenwick_sample(s, u):
    """FenwickSampler.sample: a company by brand times open vacancies; -1 if none."""
    n = s.m
    total = 0.0
    k = n
    while k > 0:
        total += s.fw_tree[k]
        k -= k & -k
    if total <= 1e-12:
        return -1
    target = u * total
    pos = 0
    step = s.fw_top
    while step:
        nxt = pos + step
        if nxt <= n and s.fw_tree[nxt] <= target:
            pos = nxt
            target -= s.fw_tree[nxt]
        step >>= 1
    if pos >= n or s.fw_w[pos] <= 0.0:
        for j in range(min(pos, n - 1), -1, -1):
            if s.fw_w[j] > 0.0:
                return j
        for j in range(pos, n):
            if s.fw_w[j] > 0.0:
                return j
        return -1
    return pos


@njit(cache=True)
def fenwick_add(s, c, delta):
    """FenwickSampler.add: add ``delta`` to company c's weight."""
    s.fw_w[c] += delta
    j = c + 1
    while j <= s.m:
        s.fw_tree[j] += delta
        j += j & -j


@njit(cache=True)
def draw_vacancy_skill(s, c):
    """MarketState._draw_vacancy_skill."""
    if uniform(s) < s.skill_focus:
        return s.main_skill[c]
    return int(uniform(s) * s.n_skills)


@njit(cache=True)
def offer(s, i, c):
    """MarketState._offer: a wage offer to worker i from company c (per month)."""
    return s.base_salary * s.productivity[i] * s.pay[c] * math.exp(s.offer_sigma * normal(s))


@njit(cache=True)
def knowledge_transfer(s, origin, dest, t):
    """KnowledgeStocks.transfer: a worker carries origin's knowledge to dest at t."""
    if origin == dest or origin < 0 or s.carry <= 0.0:
        return
    scale = math.exp(s.delta * (t - s.kn_t0))
    if scale > _REBASE_AT:
        factor = 1.0 / scale
        s.kn_vals *= factor  # free slots hold 0
        s.kn_total *= factor
        s.kn_squares *= factor * factor
        s.kn_t0 = t
        s.kn_rebased = 1
        scale = 1.0
    amount = s.carry * scale
    key = dest * s.m + origin
    s.kn_keys, s.kn_vals, s.kn_n, old, new = map_add(s.kn_keys, s.kn_vals, s.kn_n, key, amount)
    knowledge_key(s, key)
    s.kn_total[dest] += amount
    s.kn_squares[dest] += new * new - old * old


@njit(cache=True)
def accrue_salary(s, i, t):
    """MarketState._accrue_salary: book worker i's salary up to time t."""
    if t > s.paid_until[i]:
        s.income_salary[i] += s.salary[i] * (t - s.paid_until[i])
        s.paid_until[i] = t


@njit(cache=True)
def random_seeking_contact(s, i):
    """WordOfMouth._random_seeking_contact: a uniformly chosen seeking contact, or -1."""
    base = s.nb_start[i]
    deg = s.nb_len[i]
    count = 0
    for k in range(base, base + deg):
        if s.state[s.nb_pool[k]] == L.S_SEEKING:
            count += 1
    if count == 0:
        return -1
    pick = int(uniform(s) * count)
    for k in range(base, base + deg):
        j = s.nb_pool[k]
        if s.state[j] == L.S_SEEKING:
            if pick == 0:
                return j
            pick -= 1
    return -1


@njit(cache=True)
def schedule_tip(s, v):
    """WordOfMouth._schedule_tip."""
    if s.tip_rate > 0.0:
        call_in(s, exp1(s) / s.tip_rate, L.K_TIP, v, 0, 0.0)
