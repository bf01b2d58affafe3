"""Hand a populated Python market to the compiled kernel, and its state back at month ends.

:class:`CompiledMarket` takes over a :class:`~netsim.model.simulation.Simulation` right
after :meth:`~netsim.market.state.MarketState.populate`: the pending timers, deadlines,
lists and random blocks move into a :class:`~netsim.kernel.layout.KernelState` (per-worker
arrays are shared, not copied), the environment runs the kernel's events before each of
SimPy's own (:attr:`netsim.engine.environment.ModelEnvironment.kernel`), and the market's
SimPy processes call into the kernel. :meth:`CompiledMarket.sync` writes everything back
into the Python market (counters, event log, histories, lists, network, knowledge, the
random stream), so every table and the monthly record read the Python state as ever.
"""

from __future__ import annotations

import math
from array import array
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from netsim.engine.timers import starting
from netsim.kernel import access as A
from netsim.kernel import layout as L
from netsim.kernel.hashing import map_from
from netsim.kernel.layout import FIELDS, make_state
from netsim.kernel.loop import (
    draw_exponential,
    grow_vacancy,
    rebuild_sampler,
    release_expiries,
    run_until,
    start_colleague_ties,
)
from netsim.kernel.pages import HugePages
from netsim.kernel.queues import push_at, release_workers
from netsim.kernel.storage import count_onboarding
from netsim.output.recorder import CHANNELS, EVENT_COLUMNS, SEPARATION_REASONS

if TYPE_CHECKING:
    from netsim.market.labour_market import LabourMarket

_EMPTY_F = np.empty(0)


def _view(values, dtype) -> np.ndarray:
    return np.frombuffer(values, dtype=dtype)


def _pool(lists: list[list[int]], dtype=np.int64, together: bool = False) -> tuple:
    """Lists as one pool: start, length, capacity per list, the pool (of ``dtype``), its top.

    ``together`` lays a list's start, length and capacity side by side in one row of a
    table (the three arrays returned are its columns), so that reaching a list at random
    costs one cache miss, not three.
    """
    lengths = np.fromiter(map(len, lists), np.int64, len(lists))
    caps = lengths + 4
    start = np.zeros(len(lists), np.int64)
    if len(lists):
        start[1:] = np.cumsum(caps)[:-1]
    top = int(caps.sum())
    pool = np.full(max(top, 16), -1, dtype)
    flat = np.fromiter((x for lst in lists for x in lst), np.int64, int(lengths.sum()))
    rows = np.repeat(start, lengths) + (
        np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    )
    pool[rows] = flat
    if together:
        table = np.zeros((len(lists), 4), np.int64)  # 32 bytes a row: one cache line
        table[:, 0], table[:, 1], table[:, 2] = start, lengths, caps
        return table[:, 0], table[:, 1], table[:, 2], pool, top
    return start, lengths.copy(), caps, pool, top


def _far_lists(n_months: int, offset: int, far: dict) -> tuple:
    """Month buckets as linked lists: head and tail per month, three columns, next, top.

    ``far`` maps a month to its entries in order, each (float, int, int). Months outside
    the run (after its end) are left out: they never come due.
    """
    head = np.full(n_months, -1, np.int64)
    tail = np.full(n_months, -1, np.int64)
    rows = [(month, e) for month, es in far.items() if 0 <= month + offset < n_months for e in es]
    size = max(len(rows), 16)
    c0, c1, c2 = np.empty(size), np.empty(size, np.int64), np.empty(size, np.int64)
    nxt = np.full(size, -1, np.int64)
    for k, (month, (a, b, c)) in enumerate(rows):
        c0[k], c1[k], c2[k] = a, b, c
        bucket = month + offset
        if head[bucket] < 0:
            head[bucket] = k
        else:
            nxt[tail[bucket]] = k
        tail[bucket] = k
    return head, tail, c0, c1, c2, nxt, len(rows)


def _dirty(dirty: np.ndarray, start: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, ...]:
    """The marked lists of a pool: owners, starts and lengths."""
    owners = np.flatnonzero(dirty)
    return owners, start[owners], length[owners]


class CompiledMarket:
    """The compiled kernel attached to one simulation (see the module docstring)."""

    def __init__(self, sim: LabourMarket, burn_in: int) -> None:
        self.sim = sim
        self.burn_in = int(burn_in)
        self.env = sim.env
        self._python_owns_stream = True
        self._vacancies_synced = len(sim.vac_company)
        values = self._collect()
        self.pages = HugePages()
        self.pages.advise(values.values())
        self.state = make_state(*[values[name] for name in FIELDS])
        self._take_timers()
        self._take_stream()
        sim.expiries._release = self._release_expiries  # SimPy releases armed before
        sim.env.kernel = self.run_until

    # ------------------------------------------------------------------ building the state

    def _collect(self) -> dict:  # noqa: PLR0915 (one field after the other)
        sim = self.sim
        sc = sim.sc
        vs = sc.vacancies
        n, m = sim.workers.n, sim.companies.n
        burn_in = self.burn_in
        n_months = burn_in + math.floor(sc.horizon_months) + 2
        v: dict = {
            "n": n, "m": m, "n_skills": int(sim.n_skills), "pass_news": int(sim.pass_news),
            "month_offset": burn_in, "n_months": n_months,
            "exit_rate": sim.exit_rate, "dismiss_rate": sim.dismiss_rate,
            "reentry_rate": sim.reentry_rate, "probation": float(sim.probation),
            "onboarding": float(sim.onboarding), "tip_rate": float(sim.tip_rate),
            "replacement_probability": float(sim.replacement_probability),
            "vacancy_mean_months": float(sim.vacancy_mean_months),
            "skill_focus": float(sim.skill_focus), "switch_premium": float(sim.switch_premium),
            "reservation_ratio": float(sim.reservation_ratio),
            "probation_dismissal": float(sim.probation_dismissal),
            "sat_sensitivity": float(sim.sat_sensitivity), "base_salary": float(sim.base_salary),
            "offer_sigma": float(sim.offer_sigma), "cross_skill_fit": float(sim.cross_skill_fit),
            "referral_information": float(sim.referral_information),
            "internal_fill_share": float(vs.internal_fill_share),
            "internal_fill_months": float(vs.internal_fill_months),
            "horizon": float(sim.horizon),
            "colleague_rate": float(sc.ties.colleague_tie_rate_per_month * n),
            "colleague_strength": float(sc.ties.colleague_tie_strength),
            "carry": float(sim.knowledge.carry), "delta": float(sim.knowledge.delta),
            "now": float(sim.env.now), "log_enabled": int(sim.log.enabled),
            "n_events": sim.n_events, "n_stale": sim.timers.n_stale, "n_hires": sim.n_hires,
            "employed_count": sim.employed_count, "seeking_count": sim.seeking_count,
            "out_count": sim.out_count, "n_open_market": sim.n_open_market,
            "internal_open": sim._internal_open, "since_sum": float(sim._since_sum),
            "mc": np.zeros(L.N_MC, np.int64),
            "gen": sim.rand.gen, "ru_buf": _EMPTY_F, "ru_pos": 0, "re_buf": _EMPTY_F,
            "re_pos": 0, "rn_buf": _EMPTY_F, "rn_pos": 0,
        }  # fmt: skip
        v.update(self._workers())
        v.update(self._companies())
        v.update(self._vacancies())
        v.update(self._network())
        v.update(self._knowledge())
        v.update(self._queues(n_months))
        v.update(self._records())
        return v

    def _workers(self) -> dict:
        sim = self.sim
        f8, i8 = np.float64, np.int64
        return {
            "epoch": _view(sim.timers.epoch, i8), "state": _view(sim.state, np.uint8),
            "employer": _view(sim.employer, i8), "since": _view(sim.since, f8),
            "salary": _view(sim.salary, f8), "satisfaction": _view(sim.satisfaction, f8),
            "quit_rate": _view(sim.quit_rate, f8), "fit": _view(sim.fit, f8),
            "hire_id": _view(sim.hire_id, i8), "stint_hire": _view(sim.stint_hire, i8),
            "pos_in_company": _view(sim.pos_in_company, i8),
            "last_employer": _view(sim.last_employer, i8),
            "last_salary": _view(sim.last_salary, f8), "n_jobs": _view(sim.n_jobs, i8),
            "income_salary": _view(sim.income_salary, f8),
            "paid_until": _view(sim.paid_until, f8), "find_rate": _view(sim.find_rate, f8),
            "ojs_rate": _view(sim.ojs_rate, f8), "quit_base": _view(sim.quit_base, f8),
            "productivity": _view(sim.productivity, f8),
            "skill_of": np.asarray(sim.skill_of, i8),
            "channel": np.full(sim.workers.n, -1, np.int8),
        }  # fmt: skip

    def _companies(self) -> dict:
        sim = self.sim
        m = sim.companies.n
        staff = _pool(sim.staff)
        om = _pool(sim.open_market)
        sampler = sim.vacancy_sampler
        return {
            "brand": np.asarray(sim.brand, np.float64), "pay": np.asarray(sim.pay, np.float64),
            "main_skill": np.asarray(sim.main_skill, np.int64),
            "is_large": np.asarray(sim.is_large, np.uint8),
            "alive": np.asarray(sim.alive, np.uint8),
            "sat_shift": np.asarray(sim.sat_shift, np.float64),
            "quit_mult": np.asarray(sim.quit_mult, np.float64),
            "company_hires": np.asarray(sim.company_hires, np.int64),
            "company_internal": np.asarray(sim.company_internal_moves, np.int64),
            "company_seps": np.asarray(sim.company_separations, np.int64),
            "pos_cum": np.asarray(sim._pos_cum, np.int64),
            "staff_start": staff[0], "staff_len": staff[1], "staff_cap": staff[2],
            "staff_pool": staff[3], "staff_top": staff[4], "dirty_staff": np.zeros(m, np.uint8),
            "om_start": om[0], "om_len": om[1], "om_cap": om[2], "om_pool": om[3],
            "om_top": om[4], "dirty_om": np.zeros(m, np.uint8),
            "fw_tree": np.array(sampler._tree, np.float64),
            "fw_w": np.array(sampler._w, np.float64), "fw_top": sampler._top,
        }  # fmt: skip

    def _vacancies(self) -> dict:
        sim = self.sim
        return {
            "n_vac": len(sim.vac_company),
            "vac_company": np.array(sim.vac_company, np.int64),
            "vac_skill": np.asarray(sim.vac_skill, np.int64),
            "vac_opened": np.array(sim.vac_opened, np.float64),
            "vac_status": np.asarray(sim.vac_status, np.int8),
            "vac_pos": np.array(sim.vac_pos, np.int64),
            "dv": np.empty(16, np.int64), "dv_n": 0,
        }  # fmt: skip

    def _network(self) -> dict:
        net = self.sim.net
        # Contacts are reached at random (a teller's, a friend's, a colleague's): their
        # list's bookkeeping in one row, worker numbers in 32 bits (half the memory).
        nb = _pool(net.neighbours, np.int32, together=True)
        return {
            "nb_start": nb[0], "nb_len": nb[1], "nb_cap": nb[2], "nb_pool": nb[3],
            "nb_top": nb[4], "ta_i": np.empty(16, np.int64),
            "ta_j": np.empty(16, np.int64), "ta_t": np.empty(16), "ta_n": 0,
        }  # fmt: skip

    def _knowledge(self) -> dict:
        kn = self.sim.knowledge
        m = self.sim.companies.n
        keys = [dest * m + origin for dest, stock in enumerate(kn._by_origin) for origin in stock]
        values = [amount for stock in kn._by_origin for amount in stock.values()]
        kn_keys, kn_vals, kn_n = map_from(np.array(keys, np.int64), np.array(values, np.float64))
        return {
            "kn_keys": kn_keys, "kn_vals": kn_vals, "kn_n": kn_n,
            "kn_total": np.asarray(kn._total, np.float64),
            "kn_squares": np.asarray(kn._squares, np.float64), "kn_t0": float(kn._t0),
            "kd_keys": np.empty(16, np.int64), "kd_n": 0, "kn_rebased": 0,
        }  # fmt: skip

    def _queues(self, n_months: int) -> dict:
        sim = self.sim
        dq, fifo = sim.expiries, sim.probation_ends
        offset = self.burn_in
        wf = _far_lists(n_months, offset, sim.timers._far)
        dqf = _far_lists(n_months, offset, dq._far)
        heap = dq._heap
        q = list(fifo._queue)
        rh = list(sim._recent_hires)
        return {
            "seq": 0, "h_n": 0, "h_t": np.empty(1024), "h_ref": np.empty(1024, np.int64),
            "p_seq": np.empty(1024, np.int64), "p_kind": np.empty(1024, np.int64),
            "p_a": np.empty(1024, np.int64), "p_b": np.empty(1024, np.int64),
            "p_f": np.empty(1024), "p_free": np.empty(1024, np.int64), "p_nfree": 0, "p_top": 0,
            "wf_head": wf[0], "wf_tail": wf[1], "wf_fire": wf[2], "wf_i": wf[3],
            "wf_ep": wf[4], "wf_next": wf[5], "wf_top": wf[6], "wf_free": -1,
            "dq_n": len(heap), "dq_at": np.array([e[0] for e in heap] or [0.0]),
            "dq_seqs": np.array([e[1] for e in heap] or [0], np.int64),
            "dq_item": np.array([e[2] for e in heap] or [0], np.int64),
            "dq_seq": next(dq._seq), "dq_wake_at": float(dq._wake_at),
            "dq_token": dq._wake_token, "dq_release_at": float(dq._release_at),
            "dqf_head": dqf[0], "dqf_tail": dqf[1], "dqf_at": dqf[2], "dqf_seq": dqf[3],
            "dqf_item": dqf[4], "dqf_next": dqf[5], "dqf_top": dqf[6], "dqf_free": -1,
            "fifo_at": np.array([e[0] for e in q] or [0.0]),
            "fifo_i": np.array([e[1][0] for e in q] or [0], np.int64),
            "fifo_nj": np.array([e[1][1] for e in q] or [0], np.int64),
            "fifo_head": 0, "fifo_tail": len(q), "fifo_armed": int(fifo._armed),
            "rh_t": np.array([e[0] for e in rh] or [0.0]),
            "rh_i": np.array([e[1] for e in rh] or [0], np.int64),
            "rh_hid": np.array([e[2] for e in rh] or [0], np.int64),
            "rh_head": 0, "rh_tail": len(rh),
        }  # fmt: skip

    def _records(self) -> dict:
        f8, i8 = np.float64, np.int64
        return {
            "st_i": np.empty(16, i8), "st_c": np.empty(16, i8), "st_start": np.empty(16, f8),
            "st_end": np.empty(16, f8), "st_n": 0, "dw": np.empty(16, i8), "dw_n": 0,
            "lg_t": np.empty(16, f8), "lg_kind": np.empty(16, np.int8),
            "lg_detail": np.empty(16, np.int8), "lg_worker": np.empty(16, np.int32),
            "lg_company": np.empty(16, np.int32), "lg_vac": np.empty(16, np.int32),
            "lg_other": np.empty(16, np.int32), "lg_value": np.empty(16, f8),
            "lg_hire": np.empty(16, np.int32), "lg_n": 0,
        }  # fmt: skip

    def _take_timers(self) -> None:
        """Move the Python calendar's pending timers into the kernel's queue, in order."""
        sim, env = self.sim, self.env
        kinds = {
            sim._worker_event: L.K_WORKER,
            sim._tip: L.K_TIP,
            sim._fill_internally: L.K_INTERNAL,
            sim.expiries._wake: L.K_DQ_WAKE,
            sim.probation_ends._wake: L.K_FIFO_WAKE,
        }
        entries = list(env._timers)
        for waiting in env._later.values():
            entries.extend(waiting)
        entries.sort(key=lambda e: (e[0], e[1]))
        s = self.state
        for t, _seq, fn, a, b in entries:
            kind = kinds.get(fn)
            if kind is None:
                raise RuntimeError(f"netsim.kernel: cannot take over the timer {fn!r}")
            if kind == L.K_FIFO_WAKE:
                push_at(s, t, kind, 0, 0, float(a))
            else:
                push_at(s, t, kind, int(a), int(b) if b is not None else 0, 0.0)
        env._timers, env._later, env._later_keys = [], {}, []

    # ------------------------------------------------------------------ the random stream

    def _take_stream(self) -> None:
        if self._python_owns_stream:
            (ru, rp), (re, ep), (rn, np_) = (b.position() for b in self.sim.rand.blocks)
            A.set_stream(self.state, ru, rp, re, ep, rn, np_)
            self._python_owns_stream = False

    def _give_stream(self) -> None:
        ru, rp, re, ep, rn, np_ = A.stream(self.state)
        u, e, nrm = self.sim.rand.blocks
        u.resume(ru, rp)
        e.resume(re, ep)
        nrm.resume(rn, np_)
        self._python_owns_stream = True

    # ------------------------------------------------------------------ entry points

    def run_until(self, until: float) -> None:
        """Run the kernel's events before ``until`` (SimPy's next event time)."""
        self._take_stream()
        run_until(self.state, until)

    def _release_expiries(self, month: int) -> None:
        self._take_stream()
        release_expiries(self.state, self.env.now, month)

    def release_workers(self, month: int) -> None:
        """WorkerTimers.release for ``month`` (called at the month's start)."""
        self._take_stream()
        release_workers(self.state, float(self.env.now), month)

    def rebuild_sampler(self) -> None:
        """The monthly rebuild of the vacancy sampler."""
        rebuild_sampler(self.state)

    def processes(self) -> list:
        """The market's SimPy processes (LabourMarket.processes), calling the kernel."""
        return [self._growth_process(), starting(self._start_colleague_ties)]

    def _start_colleague_ties(self) -> None:
        self._take_stream()
        start_colleague_ties(self.state, float(self.env.now))

    def _growth_process(self):
        sim, env = self.sim, self.env
        growth = sim.sc.vacancies.growth_rate_per_month
        if growth <= 0.0 or not sim._pos_cum or sim._pos_cum[-1] <= 0:
            return
        total = sim._pos_cum[-1]  # firms neither enter nor exit in a kernel run
        while True:
            self._take_stream()
            yield env.timeout(draw_exponential(self.state, growth * total))
            self._take_stream()
            grow_vacancy(self.state, float(env.now), total)

    def launch(self) -> None:
        """Month 0 after a burn-in: the outputs start (after Simulation._launch)."""
        A.launch(self.state, int(self.sim.log.enabled))

    # ------------------------------------------------------------------ writing back

    def sync(self, lists: bool = True) -> None:
        """Write the kernel's state back into the Python market (see the module docstring).

        ``lists=False`` leaves the staff and open-vacancy lists for a later sync: the
        monthly record does not read them, and rebuilding thousands of lists every month
        cost as much as the kernel's events (the run's end syncs them).
        """
        sim, s = self.sim, self.state
        (
            sim.n_events, sim.timers.n_stale, sim.n_hires, sim.employed_count,
            sim.seeking_count, sim.out_count, sim.n_open_market, sim._internal_open,
            sim._since_sum,
        ) = A.counters(s)  # fmt: skip
        log, n_log, stints, n_st, dw, n_dw, dv, n_dv, ties, n_ties, kd, n_kd, mc = A.records(s)
        self._sync_month(mc)
        self._sync_log(log, n_log)
        self._sync_stints(stints, n_st)
        for i, code in zip(dw[:n_dw].tolist(), A.channels(s, dw[:n_dw]).tolist(), strict=True):
            sim.channel[i] = CHANNELS[code]
        self._sync_companies(lists)
        self._sync_vacancies(dv[:n_dv])
        self._sync_knowledge(kd[:n_kd])
        us, vs, times = (c[:n_ties] for c in ties)
        sim.net.add_ties(us, vs, sim.sc.ties.colleague_tie_strength, "colleague", times)
        count_onboarding(s, float(self.env.now), L.S_EMPLOYED)  # drops older hires
        rh = A.recent(s)
        sim._recent_hires = deque(zip(*(c.tolist() for c in rh), strict=True))
        A.clear_records(s)
        self.pages.advise(A.growing(s))  # arrays the kernel moved since the last sync
        self._give_stream()

    def _sync_month(self, mc: np.ndarray) -> None:
        month = self.sim.month
        counts = mc.tolist()
        for k, ch in enumerate(CHANNELS):
            month.hires[ch] += counts[L.MC_HIRES + k]
        for k, reason in enumerate(SEPARATION_REASONS):
            month.separations[reason] += counts[L.MC_SEPARATIONS + k]
        for k, name in enumerate(L.MC_FLOWS):
            setattr(month, name, getattr(month, name) + counts[L.MC_OTHERS + k])

    def _sync_log(self, cols, n: int) -> None:
        log = self.sim.log
        if not n:
            return
        for name, col in zip(EVENT_COLUMNS, cols, strict=True):
            log.cols[name].frombytes(col[:n].tobytes())

    def _sync_stints(self, cols, n: int) -> None:
        sim = self.sim
        history, tenures = sim.history, sim.completed_tenures
        for i, c, start, end in zip(*(col[:n].tolist() for col in cols), strict=True):
            stints = history.get(i)
            if stints is None:
                history[i] = [(c, start, end)]
            else:
                stints.append((c, start, end))
            tenures.append(end - start)

    def _sync_companies(self, lists: bool) -> None:
        sim = self.sim
        (
            hires, internal, seps, st_start, st_len, st_pool, dirty_staff,
            om_start, om_len, om_pool, dirty_om, tree, w,
        ) = A.company_arrays(self.state)  # fmt: skip
        sim.company_hires[:] = hires.tolist()
        sim.company_internal_moves[:] = internal.tolist()
        sim.company_separations[:] = seps.tolist()
        for owner, start, length, pool, dirty in (
            (sim.staff, st_start, st_len, st_pool, dirty_staff),
            (sim.open_market, om_start, om_len, om_pool, dirty_om),
        ):
            if not lists:
                break
            flat = pool.tolist()
            for c, a, k in zip(*(x.tolist() for x in _dirty(dirty, start, length)), strict=True):
                owner[c][:] = flat[a : a + k]
            dirty[:] = 0
        sampler = sim.vacancy_sampler
        sampler._tree = array("d", tree.tobytes())
        sampler._w = array("d", w.tobytes())

    def _sync_vacancies(self, dirty: np.ndarray) -> None:
        sim = self.sim
        company, skill, opened, status, pos, n_vac = A.vacancy_arrays(self.state)
        done = self._vacancies_synced
        for v in np.unique(dirty[dirty < done]).tolist():
            sim.vac_status[v] = int(status[v])
            sim.vac_pos[v] = int(pos[v])
        sim.vac_company.frombytes(company[done:n_vac].tobytes())
        sim.vac_skill.extend(skill[done:n_vac].tolist())
        sim.vac_opened.frombytes(opened[done:n_vac].tobytes())
        sim.vac_status.extend(status[done:n_vac].tolist())
        sim.vac_pos.frombytes(pos[done:n_vac].tobytes())
        self._vacancies_synced = n_vac

    def _sync_knowledge(self, keys: np.ndarray) -> None:
        s, kn = self.state, self.sim.knowledge
        total, squares, t0, rebased = A.knowledge_arrays(s)
        kn._total[:] = total.tolist()
        kn._squares[:] = squares.tolist()
        kn._t0 = float(t0)
        if rebased:  # every stock changed
            keys = A.knowledge_keys(s)
        keys = np.unique(keys)
        m = self.sim.companies.n
        for key, value in zip(keys.tolist(), A.knowledge_values(s, keys).tolist(), strict=True):
            kn._by_origin[key // m][key % m] = value
