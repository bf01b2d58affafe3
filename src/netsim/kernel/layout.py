"""The compiled market's state: one numba ``StructRef`` holding every array and counter.

The kernel (:mod:`netsim.kernel.events`) reads and writes this record only; the bridge
(:mod:`netsim.kernel.bridge`) fills it from a populated Python market and writes it back.
Per-worker arrays are *views* of the Python market's typed arrays (no copy, no sync);
everything else is the kernel's own and is synced back at month ends. Times are in months.

Codes (event kinds, log details, channels, separation reasons, vacancy statuses, worker
states) are module constants taken from the Python definitions, so the two cannot drift.
"""

from __future__ import annotations

from numba import njit, types
from numba.experimental import structref

from netsim.market.state import (
    EMPLOYED,
    FREELANCING,
    OUT,
    SEEKING,
    V_EXPIRED,
    V_FILLED,
    V_INTERNAL,
    V_OPEN,
)
from netsim.output.recorder import (
    CHANNELS,
    DETAILS,
    EVENT_KINDS,
    SEPARATION_REASONS,
    MonthCounters,
)

__all__ = ["KernelState", "FIELDS", "make_state"]

# Worker states and vacancy statuses, as in the Python market.
S_SEEKING, S_EMPLOYED, S_OUT, S_FREELANCING = SEEKING, EMPLOYED, OUT, FREELANCING
VS_OPEN, VS_INTERNAL, VS_FILLED, VS_EXPIRED = V_OPEN, V_INTERNAL, V_FILLED, V_EXPIRED

# Event-log kinds and details (codes of recorder.EVENT_KINDS and recorder.DETAILS).
E_VACANCY_OPENED = EVENT_KINDS.index("vacancy_opened")
E_VACANCY_EXPIRED = EVENT_KINDS.index("vacancy_expired")
E_HIRE = EVENT_KINDS.index("hire")
E_SEPARATION = EVENT_KINDS.index("separation")
E_MARKET_EXIT = EVENT_KINDS.index("market_exit")
E_MARKET_ENTRY = EVENT_KINDS.index("market_entry")
E_TIE_FORMED = EVENT_KINDS.index("tie_formed")
D_NONE = DETAILS.index("")
D_INITIAL = DETAILS.index("initial")
D_GROWTH = DETAILS.index("growth")
D_REPLACEMENT = DETAILS.index("replacement")
D_COLLEAGUE = DETAILS.index("colleague")

# Channels: index into recorder.CHANNELS (month counters, worker channel) and log detail.
CH_MARKET = CHANNELS.index("market")
CH_WORD_OF_MOUTH = CHANNELS.index("word_of_mouth")
CH_INTERNAL = CHANNELS.index("internal")
N_CHANNELS = len(CHANNELS)
#: Log detail code of each channel index (the channels come first in DETAILS).
assert all(DETAILS.index(ch) == k for k, ch in enumerate(CHANNELS))

# Separation reasons: index into recorder.SEPARATION_REASONS, log detail code = R_BASE + index.
R_QUIT = SEPARATION_REASONS.index("quit")
R_JOB_TO_JOB = SEPARATION_REASONS.index("job_to_job")
R_DISMISSAL = SEPARATION_REASONS.index("dismissal")
R_PROBATION = SEPARATION_REASONS.index("probation_dismissal")
R_EXIT = SEPARATION_REASONS.index("exit")
R_INTERNAL_MOVE = SEPARATION_REASONS.index("internal_move")
R_BASE = DETAILS.index("quit")
assert all(DETAILS.index(r) == R_BASE + k for k, r in enumerate(SEPARATION_REASONS))
N_REASONS = len(SEPARATION_REASONS)

# Month counters: the hires by channel, the separations by reason, then these flows.
MC_HIRES = 0
MC_SEPARATIONS = N_CHANNELS
#: The month's other flows, in MonthCounters' order (the recorder's names).
MC_FLOWS = tuple(n for n in MonthCounters.__slots__ if n not in ("hires", "separations"))
#: Where the month's other flows start in the counters.
MC_OTHERS = N_CHANNELS + N_REASONS
MC_VACANCIES_OPENED = MC_OTHERS + MC_FLOWS.index("vacancies_opened")
MC_VACANCIES_EXPIRED = MC_OTHERS + MC_FLOWS.index("vacancies_expired")
MC_MARKET_EXITS = MC_OTHERS + MC_FLOWS.index("market_exits")
MC_MARKET_ENTRIES = MC_OTHERS + MC_FLOWS.index("market_entries")
MC_TIES_FORMED = MC_OTHERS + MC_FLOWS.index("ties_formed")
MC_HIRES_FROM_SEEKING = MC_OTHERS + MC_FLOWS.index("hires_from_seeking")
MC_EMPLOYED_TO_SEEKING = MC_OTHERS + MC_FLOWS.index("employed_to_seeking")
MC_EMPLOYED_TO_OUT = MC_OTHERS + MC_FLOWS.index("employed_to_out")
MC_SEEKING_TO_OUT = MC_OTHERS + MC_FLOWS.index("seeking_to_out")
N_MC = MC_OTHERS + len(MC_FLOWS)

# Timer kinds in the kernel's queue.
K_WORKER = 0  # a worker's competing-risks timer (a: worker, b: epoch)
K_TIP = 1  # word of mouth for a vacancy (a: vacancy)
K_COLLEAGUE = 2  # the aggregate colleague-tie process
K_INTERNAL = 3  # an internal fill (a: vacancy)
K_DQ_WAKE = 4  # the expiry queue's wake-up (a: token)
K_DQ_RELEASE = 5  # the expiry queue's release of a month's deadlines (a: month)
K_FIFO_WAKE = 6  # the probation queue's wake-up (f: the time armed for)

#: Fields of the kernel state, in the order :func:`make_state` takes them.
FIELDS = (
    # scenario constants
    "n", "m", "n_skills", "pass_news", "month_offset", "n_months",
    "exit_rate", "dismiss_rate", "reentry_rate", "probation", "onboarding", "tip_rate",
    "replacement_probability", "vacancy_mean_months", "skill_focus", "switch_premium",
    "reservation_ratio", "probation_dismissal", "sat_sensitivity", "base_salary",
    "offer_sigma", "cross_skill_fit", "referral_information", "internal_fill_share",
    "internal_fill_months", "horizon", "colleague_rate", "colleague_strength", "carry", "delta",
    # clock, counters and stocks
    "now", "log_enabled", "n_events", "n_stale", "n_hires", "employed_count",
    "seeking_count", "out_count", "n_open_market", "internal_open", "since_sum", "mc",
    # random numbers: the generator and FastStream's three blocks with their positions
    "gen", "ru_buf", "ru_pos", "re_buf", "re_pos", "rn_buf", "rn_pos",
    # workers (views of the Python market's typed arrays)
    "epoch", "state", "employer", "since", "salary", "satisfaction", "quit_rate", "fit",
    "hire_id", "stint_hire", "pos_in_company", "last_employer", "last_salary", "n_jobs",
    "income_salary", "paid_until", "find_rate", "ojs_rate", "quit_base", "productivity",
    "skill_of", "channel",
    # companies
    "brand", "pay", "main_skill", "is_large", "alive", "sat_shift", "quit_mult",
    "company_hires", "company_internal", "company_seps", "pos_cum",
    "staff_start", "staff_len", "staff_cap", "staff_pool", "staff_top", "dirty_staff",
    "om_start", "om_len", "om_cap", "om_pool", "om_top", "dirty_om",
    "fw_tree", "fw_w", "fw_top",
    # vacancies
    "n_vac", "vac_company", "vac_skill", "vac_opened", "vac_status", "vac_pos",
    "dv", "dv_n",
    # social network
    "nb_start", "nb_len", "nb_cap", "nb_pool", "nb_top", "ta_i", "ta_j",
    "ta_t", "ta_n",
    # knowledge stocks
    "kn_keys", "kn_vals", "kn_n", "kn_total", "kn_squares", "kn_t0", "kd_keys", "kd_n",
    "kn_rebased",
    # the timer queue: a four-ary heap of (t, entry row) and the entries' table
    "seq", "h_n", "h_t", "h_ref", "p_seq", "p_kind", "p_a", "p_b", "p_f", "p_free", "p_nfree",
    "p_top",
    # worker timers waiting for their month (linked lists per month)
    "wf_head", "wf_tail", "wf_fire", "wf_i", "wf_ep", "wf_next", "wf_top", "wf_free",
    # vacancy expiries (netsim.engine.deadlines.DeadlineQueue)
    "dq_n", "dq_at", "dq_seqs", "dq_item", "dq_seq", "dq_wake_at", "dq_token",
    "dq_release_at", "dqf_head", "dqf_tail", "dqf_at", "dqf_seq", "dqf_item", "dqf_next",
    "dqf_top", "dqf_free",
    # ends of probation (netsim.engine.deadlines.FifoDeadlines)
    "fifo_at", "fifo_i", "fifo_nj", "fifo_head", "fifo_tail", "fifo_armed",
    # hires within the onboarding period (MarketState._recent_hires)
    "rh_t", "rh_i", "rh_hid", "rh_head", "rh_tail",
    # what happened since the last sync: stints, workers hired, the event log
    "st_i", "st_c", "st_start", "st_end", "st_n", "dw", "dw_n",
    "lg_t", "lg_kind", "lg_detail", "lg_worker", "lg_company", "lg_vac", "lg_other",
    "lg_value", "lg_hire", "lg_n",
)  # fmt: skip


@structref.register
class KernelStateType(types.StructRef):
    """The numba type of :class:`KernelState`."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class KernelState(structref.StructRefProxy):
    """The compiled market's state (opaque to Python: read it through the kernel's functions)."""


structref.define_proxy(KernelState, KernelStateType, list(FIELDS))


# fmt: off
@njit(cache=True)
def make_state(
    n, m, n_skills, pass_news, month_offset, n_months, exit_rate, dismiss_rate,
    reentry_rate, probation, onboarding, tip_rate, replacement_probability,
    vacancy_mean_months, skill_focus, switch_premium, reservation_ratio,
    probation_dismissal, sat_sensitivity, base_salary, offer_sigma, cross_skill_fit,
    referral_information, internal_fill_share, internal_fill_months, horizon,
    colleague_rate, colleague_strength, carry, delta, now, log_enabled, n_events, n_stale,
    n_hires, employed_count, seeking_count, out_count, n_open_market, internal_open,
    since_sum, mc, gen, ru_buf, ru_pos, re_buf, re_pos, rn_buf, rn_pos, epoch, state,
    employer, since, salary, satisfaction, quit_rate, fit, hire_id, stint_hire,
    pos_in_company, last_employer, last_salary, n_jobs, income_salary, paid_until,
    find_rate, ojs_rate, quit_base, productivity, skill_of, channel, brand, pay, main_skill,
    is_large, alive, sat_shift, quit_mult, company_hires, company_internal, company_seps,
    pos_cum, staff_start, staff_len, staff_cap, staff_pool, staff_top, dirty_staff,
    om_start, om_len, om_cap, om_pool, om_top, dirty_om, fw_tree, fw_w, fw_top, n_vac,
    vac_company, vac_skill, vac_opened, vac_status, vac_pos, dv, dv_n, nb_start, nb_len,
    nb_cap, nb_pool, nb_top, ta_i, ta_j, ta_t, ta_n, kn_keys, kn_vals, kn_n, kn_total,
    kn_squares, kn_t0, kd_keys, kd_n, kn_rebased, seq, h_n, h_t, h_ref, p_seq, p_kind, p_a,
    p_b, p_f, p_free, p_nfree, p_top, wf_head, wf_tail, wf_fire, wf_i, wf_ep, wf_next,
    wf_top, wf_free, dq_n, dq_at, dq_seqs, dq_item, dq_seq, dq_wake_at, dq_token,
    dq_release_at, dqf_head, dqf_tail, dqf_at, dqf_seq, dqf_item, dqf_next, dqf_top,
    dqf_free, fifo_at, fifo_i, fifo_nj, fifo_head, fifo_tail, fifo_armed, rh_t, rh_i,
    rh_hid, rh_head, rh_tail, st_i, st_c, st_start, st_end, st_n, dw, dw_n, lg_t, lg_kind,
    lg_detail, lg_worker, lg_company, lg_vac, lg_other, lg_value, lg_hire, lg_n,
):
    """Build a :class:`KernelState` from its fields, in :data:`FIELDS` order."""
    return KernelState(
        n, m, n_skills, pass_news, month_offset, n_months, exit_rate, dismiss_rate,
        reentry_rate, probation, onboarding, tip_rate, replacement_probability,
        vacancy_mean_months, skill_focus, switch_premium, reservation_ratio,
        probation_dismissal, sat_sensitivity, base_salary, offer_sigma, cross_skill_fit,
        referral_information, internal_fill_share, internal_fill_months, horizon,
        colleague_rate, colleague_strength, carry, delta, now, log_enabled, n_events,
        n_stale, n_hires, employed_count, seeking_count, out_count, n_open_market,
        internal_open, since_sum, mc, gen, ru_buf, ru_pos, re_buf, re_pos, rn_buf, rn_pos,
        epoch, state, employer, since, salary, satisfaction, quit_rate, fit, hire_id,
        stint_hire, pos_in_company, last_employer, last_salary, n_jobs, income_salary,
        paid_until, find_rate, ojs_rate, quit_base, productivity, skill_of, channel, brand,
        pay, main_skill, is_large, alive, sat_shift, quit_mult, company_hires,
        company_internal, company_seps, pos_cum, staff_start, staff_len, staff_cap,
        staff_pool, staff_top, dirty_staff, om_start, om_len, om_cap, om_pool, om_top,
        dirty_om, fw_tree, fw_w, fw_top, n_vac, vac_company, vac_skill, vac_opened,
        vac_status, vac_pos, dv, dv_n, nb_start, nb_len, nb_cap, nb_pool, nb_top, ta_i,
        ta_j, ta_t, ta_n, kn_keys, kn_vals, kn_n, kn_total, kn_squares, kn_t0, kd_keys,
        kd_n, kn_rebased, seq, h_n, h_t, h_ref, p_seq, p_kind, p_a, p_b, p_f, p_free,
        p_nfree, p_top, wf_head, wf_tail, wf_fire, wf_i, wf_ep, wf_next, wf_top, wf_free,
        dq_n, dq_at, dq_seqs, dq_item, dq_seq, dq_wake_at, dq_token, dq_release_at,
        dqf_head, dqf_tail, dqf_at, dqf_seq, dqf_item, dqf_next, dqf_top, dqf_free, fifo_at,
        fifo_i, fifo_nj, fifo_head, fifo_tail, fifo_armed, rh_t, rh_i, rh_hid, rh_head,
        rh_tail, st_i, st_c, st_start, st_end, st_n, dw, dw_n, lg_t, lg_kind, lg_detail,
        lg_worker, lg_company, lg_vac, lg_other, lg_value, lg_hire, lg_n,
    )
# fmt: on
