"""Word of mouth and colleague ties, compiled (a mirror of :mod:`netsim.market.word_of_mouth`
and :mod:`netsim.market.ties`; see :mod:`netsim.kernel.market`). Rates per month.
"""

from __future__ import annotations

from numba import njit

from netsim.kernel import layout as L
from netsim.kernel.basics import random_seeking_contact, schedule_tip
from netsim.kernel.market import apply
from netsim.kernel.queues import call_in, exp1, uniform
from netsim.kernel.storage import log_event, neighbour_add, tie_attempt


@njit(cache=True)
def tip(s, v):
    """WordOfMouth._tip: a staff member passes news of open vacancy v to a seeking contact."""
    s.n_events += 1
    if s.vac_status[v] != L.VS_OPEN:
        return
    schedule_tip(s, v)
    c = s.vac_company[v]
    if s.staff_len[c] == 0:
        return
    teller = s.staff_pool[s.staff_start[c] + int(uniform(s) * s.staff_len[c])]
    seeker = random_seeking_contact(s, teller)
    if seeker < 0:
        deg = s.nb_len[teller]
        if deg == 0:
            return
        friend = s.nb_pool[s.nb_start[teller] + int(uniform(s) * deg)]
        if s.employer[friend] == c:
            return
        seeker = random_seeking_contact(s, friend)
    if seeker >= 0:
        apply(s, seeker, c, v, L.CH_WORD_OF_MOUTH)


@njit(cache=True)
def colleague_tie(s):
    """ColleagueTies._colleague_tie: one event of the aggregate process, then the next."""
    s.n_events += 1
    i = int(uniform(s) * s.n)
    if s.state[i] == L.S_EMPLOYED:
        c = s.employer[i]
        size = s.staff_len[c]
        if size >= 2:
            j = s.staff_pool[s.staff_start[c] + int(uniform(s) * size)]
            if j != i:
                colleagues_meet(s, i, j, c)
    call_in(s, exp1(s) / s.colleague_rate, L.K_COLLEAGUE, 0, 0, 0.0)


@njit(cache=True)
def linked(s, i, j):
    """Whether workers i and j are tied: a scan of the shorter of their neighbour lists.

    The lists are read anyway when a tie is added, whereas a table of every tie (five per
    worker) misses the caches at a million workers on every lookup.
    """
    if s.nb_len[j] < s.nb_len[i]:
        i, j = j, i
    base = s.nb_start[i]
    for k in range(base, base + s.nb_len[i]):  # noqa: SIM110 (numba: a loop, not any())
        if s.nb_pool[k] == j:
            return True
    return False


@njit(cache=True)
def colleagues_meet(s, i, j, c):
    """ColleagueTies._colleagues_meet: workers i and j of company c form a tie if new."""
    t = s.now
    tie_attempt(s, i, j, t)
    if linked(s, i, j):
        return
    neighbour_add(s, i, j)
    neighbour_add(s, j, i)
    s.mc[L.MC_TIES_FORMED] += 1
    strength = s.colleague_strength
    log_event(s, t, L.E_TIE_FORMED, L.D_COLLEAGUE, i, c, -1, j, strength, -1)
