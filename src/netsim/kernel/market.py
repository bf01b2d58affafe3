"""The labour market's events, compiled: a mirror of :mod:`netsim.market` for the core model.

Every function here mirrors one method of the Python market (named in its docstring),
operation for operation and draw for draw, so that a run with the kernel gives the same
tables, event for event and bit for bit, as the Python market; ``tests/test_kernel.py``
checks this on random small scenarios. The Python market stays the reference and the home
of every mechanism; the kernel runs only scenarios it covers (:mod:`netsim.kernel.bridge`).
Rates are per month, times in months.
"""

from __future__ import annotations

import math

from numba import njit

from netsim.kernel import layout as L
from netsim.kernel.basics import (
    accrue_salary,
    fenwick_sample,
    knowledge_transfer,
    offer,
    random_seeking_contact,
)
from netsim.kernel.queues import beta22, exp1, fifo_add, uniform, worker_timer
from netsim.kernel.storage import (
    log_event,
    mark_worker,
    recent_hire,
    record_stint,
    staff_add,
    staff_remove,
)
from netsim.kernel.vacancies import close_vacancy, open_vacancy

_NAN = math.nan


@njit(cache=True)
def schedule_worker(s, i):
    """WorkerEvents._schedule_worker: worker i's competing-risks timer for its state."""
    s.epoch[i] += 1
    st = s.state[i]
    if st == L.S_EMPLOYED:
        early = s.quit_rate[i] + s.ojs_rate[i] + s.exit_rate
        late = early + s.dismiss_rate
        left = s.since[i] + s.probation - s.now
        e = exp1(s)  # FastStream.exponential(1.0): the same number
        if left > 0.0 and e < early * left:
            delay = e / early
        elif late <= 0.0:
            return
        elif left > 0.0:
            delay = left + (e - early * left) / late
        else:
            delay = e / late
    else:
        rate = s.find_rate[i] + s.exit_rate if st == L.S_SEEKING else s.reentry_rate
        if rate <= 0.0:
            return
        delay = exp1(s) / rate
    worker_timer(s, i, delay)


@njit(cache=True)
def worker_event(s, i, epoch):
    """WorkerEvents._worker_event: worker i's timer of ``epoch`` fired."""
    s.n_events += 1
    if s.epoch[i] != epoch:
        s.n_stale += 1
        return
    st = s.state[i]
    if st == L.S_SEEKING:
        u = uniform(s) * (s.find_rate[i] + s.exit_rate)
        if u < s.exit_rate:
            exit_market(s, i)
            return
        search(s, i, L.CH_MARKET)
        if s.state[i] == L.S_SEEKING:
            schedule_worker(s, i)
    elif st == L.S_EMPLOYED:
        employed_event(s, i)
    else:
        reenter(s, i)


@njit(cache=True)
def employed_event(s, i):
    """WorkerEvents._employed_event: quit, dismissal, exit or on-the-job search."""
    c = s.employer[i]
    quit_rate = s.quit_rate[i]
    dismiss = 0.0 if s.now < s.since[i] + s.probation else s.dismiss_rate
    total = quit_rate + dismiss + s.exit_rate + s.ojs_rate[i]
    u = uniform(s) * total
    if u < quit_rate:
        separate(s, i, L.R_QUIT)
        to_seeking(s, i)
    elif u < quit_rate + dismiss:
        separate(s, i, L.R_DISMISSAL)
        to_seeking(s, i)
    elif u < quit_rate + dismiss + s.exit_rate:
        exit_market(s, i)
    elif s.pass_news:
        seeker = random_seeking_contact(s, i)
        if seeker >= 0:
            search(s, seeker, L.CH_WORD_OF_MOUTH)
        schedule_worker(s, i)
    else:
        search(s, i, L.CH_MARKET)
        if s.employer[i] == c:
            schedule_worker(s, i)


@njit(cache=True)
def search(s, i, channel):
    """OpenMarketSearch._search: worker i meets an open vacancy (brand-weighted), applies."""
    if s.n_open_market == 0:
        return
    c = fenwick_sample(s, uniform(s))
    if c < 0:
        return
    v = s.om_pool[s.om_start[c] + int(uniform(s) * s.om_len[c])]
    apply(s, i, c, v, channel)


@njit(cache=True)
def apply(s, i, c, v, channel):
    """Hiring._apply: worker i applies to open vacancy v at company c; True if hired."""
    if s.employer[i] == c or s.state[i] == L.S_OUT:
        return False
    skill = s.vac_skill[v]
    fit = 1.0 if skill == s.skill_of[i] else s.cross_skill_fit
    if fit < 1.0 and uniform(s) >= fit:
        return False
    pay = offer(s, i, c)
    if s.state[i] == L.S_EMPLOYED:
        if pay < s.salary[i] * (1.0 + s.switch_premium):
            return False
    elif pay < s.reservation_ratio * s.last_salary[i]:
        return False
    hire(s, i, v, channel, pay, fit)
    return True


@njit(cache=True)
def match_quality(s, channel):
    """Hiring._match_quality: a new hire's satisfaction (Beta(2, 2), better if referred)."""
    sat = beta22(s)
    info = s.referral_information
    if info > 0.0 and channel == L.CH_WORD_OF_MOUTH and uniform(s) < info:
        sat = max(sat, beta22(s))
    return sat


@njit(cache=True)
def hire(s, i, v, channel, salary, fit):
    """Hiring._hire: worker i takes vacancy v."""
    t = s.now
    c = s.vac_company[v]
    close_vacancy(s, v, L.VS_FILLED)
    prev = -1
    if s.state[i] == L.S_EMPLOYED:
        prev = s.employer[i]
        separate(s, i, L.R_JOB_TO_JOB)
    else:
        s.mc[L.MC_HIRES_FROM_SEEKING] += 1
    source = prev if prev >= 0 else s.last_employer[i]
    knowledge_transfer(s, source, c, t)
    hid = s.n_hires
    s.n_hires += 1
    sat = match_quality(s, channel)
    shift = s.sat_shift[c]
    if shift:
        sat = min(max(sat + shift, 0.0), 1.0)
    employ(s, i, c, t, salary, sat, fit, channel, hid)
    s.company_hires[c] += 1
    s.mc[L.MC_HIRES + channel] += 1
    log_event(s, t, L.E_HIRE, channel, i, c, v, prev, salary, hid)
    if s.probation > 0.0 and s.probation_dismissal * (1.0 - fit) > 0.0:
        fifo_add(s, t + s.probation, i, s.n_jobs[i])
    schedule_worker(s, i)


@njit(cache=True)
def employ(s, i, c, t, salary, sat, fit, channel, hid):
    """MarketState._employ: put worker i into company c from time t."""
    if s.state[i] == L.S_SEEKING:
        s.seeking_count -= 1
    s.state[i] = L.S_EMPLOYED
    s.employer[i] = c
    s.since[i] = t
    s.salary[i] = salary
    s.satisfaction[i] = sat
    s.quit_rate[i] = s.quit_base[i] * math.exp(s.sat_sensitivity * (0.5 - sat)) * s.quit_mult[c]
    s.fit[i] = fit
    s.channel[i] = channel
    mark_worker(s, i)
    s.hire_id[i] = hid
    s.stint_hire[i] = hid
    s.paid_until[i] = max(t, 0.0)
    if t > s.now - s.onboarding:
        recent_hire(s, t, i, hid)
    staff_add(s, c, i)
    s.n_jobs[i] += 1
    s.employed_count += 1
    s.since_sum += t


@njit(cache=True)
def separate(s, i, reason):
    """Separations._separate: worker i leaves its employer (the caller sets the state)."""
    t = s.now
    start = s.since[i]
    hid = s.hire_id[i]
    c = s.employer[i]
    staff_remove(s, c, i)
    record_stint(s, i, c, start, t)
    accrue_salary(s, i, t)
    s.last_employer[i] = c
    s.last_salary[i] = s.salary[i]
    s.employer[i] = -1
    s.employed_count -= 1
    s.since_sum -= start
    s.company_seps[c] += 1
    s.mc[L.MC_SEPARATIONS + reason] += 1
    log_event(s, t, L.E_SEPARATION, L.R_BASE + reason, i, c, -1, hid, _NAN, hid)
    if s.alive[c] and uniform(s) < s.replacement_probability:
        open_vacancy(s, c, L.D_REPLACEMENT)


@njit(cache=True)
def to_seeking(s, i):
    """Separations._to_seeking."""
    s.state[i] = L.S_SEEKING
    s.seeking_count += 1
    s.mc[L.MC_EMPLOYED_TO_SEEKING] += 1
    schedule_worker(s, i)


@njit(cache=True)
def exit_market(s, i):
    """Separations._exit_market."""
    t = s.now
    if s.state[i] == L.S_EMPLOYED:
        separate(s, i, L.R_EXIT)
        s.mc[L.MC_EMPLOYED_TO_OUT] += 1
    else:
        s.seeking_count -= 1
        s.mc[L.MC_SEEKING_TO_OUT] += 1
    s.state[i] = L.S_OUT
    s.out_count += 1
    s.mc[L.MC_MARKET_EXITS] += 1
    log_event(s, t, L.E_MARKET_EXIT, L.D_NONE, i, -1, -1, -1, _NAN, -1)
    schedule_worker(s, i)


@njit(cache=True)
def reenter(s, i):
    """Separations._reenter."""
    s.state[i] = L.S_SEEKING
    s.out_count -= 1
    s.seeking_count += 1
    s.mc[L.MC_MARKET_ENTRIES] += 1
    log_event(s, s.now, L.E_MARKET_ENTRY, L.D_NONE, i, -1, -1, -1, _NAN, -1)
    schedule_worker(s, i)


@njit(cache=True)
def probation_end(s, i, nj):
    """Separations._probation_end: worker i's stint ``nj`` ends probation."""
    s.n_events += 1
    if s.n_jobs[i] != nj or s.state[i] != L.S_EMPLOYED:
        return
    if uniform(s) < s.probation_dismissal * (1.0 - s.fit[i]):
        separate(s, i, L.R_PROBATION)
        to_seeking(s, i)
