"""Bookkeeping invariants of the engine over random small scenarios (hypothesis).

Each example draws a small scenario (20-150 workers, 1-15 companies, 6-24 months, either
demand model, rates including zeros, any graph generator) and a seed, runs it once as a
:class:`~netsim.model.simulation.Simulation` (to inspect its internal state) and once through
:func:`netsim.api.simulate` (to check the published tables), and checks that:

(a) nobody holds two jobs: each employed worker is in exactly one staff list, its
    employer's, and non-employed workers are in none;
(b) every hire filled a vacancy of its company that was opened before it, no vacancy is
    filled twice and none is both filled and expired;
(c) head counts are non-negative and add up to the population in every month;
(d) month-end stocks follow from last month's stocks and this month's flows, and the
    monthly hire counts by channel match the event log;
(e) each company's ``employees`` is the number of workers it employs;
(f) salaries are positive, a job-to-job move pays at least ``switch_premium`` more than
    the job it leaves, and an internal move never cuts pay.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.model.simulation import EMPLOYED, Simulation
from netsim.output.recorder import CHANNELS


def rate(hi: float) -> st.SearchStrategy[float]:
    """A rate in [0, hi] with a good chance of exactly zero."""
    return st.one_of(st.just(0.0), st.floats(0.0, hi, allow_nan=False, allow_subnormal=False))


def prob() -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))


@st.composite
def graphs(draw, workers: int) -> dict:
    name = draw(
        st.sampled_from(["barabasi_albert", "watts_strogatz", "stochastic_block", "homophily"])
    )
    if name == "barabasi_albert":
        params = {"m": draw(st.integers(1, min(5, workers - 1)))}
    elif name == "watts_strogatz":
        params = {"k": 2 * draw(st.integers(1, 4)), "p": draw(prob())}
    elif name == "stochastic_block":
        params = {
            "blocks": draw(st.integers(1, 6)),
            "mean_degree": draw(st.floats(0.0, 6.0)),
            "within_share": draw(prob()),
        }
    else:
        params = {"mean_degree": draw(st.floats(0.0, 6.0)), "homophily": draw(prob())}
    return {"generator": name, "params": params}


@st.composite
def scenarios(draw) -> dict:
    workers = draw(st.integers(20, 150))
    onboarding = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))
    probation = onboarding + draw(st.sampled_from([0.0, 0.5, 3.0, 6.0]))
    return {
        "name": "hypothesis",
        "horizon_months": draw(st.integers(6, 24)),
        "burn_in_months": draw(st.sampled_from([0, 0, 2, 12])),
        "population": {
            "workers": workers,
            "skills": draw(st.integers(1, 4)),
            "productivity_sigma": draw(st.floats(0.0, 0.8)),
            "initial_employment_rate": draw(prob()),
            "vital_forces": {"share": draw(prob())},
        },
        "companies": {
            "count": draw(st.integers(1, 15)),
            "large_share": draw(prob()),
            "sme_size": {"median_positions": draw(st.floats(1.0, 15.0))},
            "large_size": {"median_positions": draw(st.floats(5.0, 60.0))},
            "onboarding_months": onboarding,
            "probation_months": probation,
            "skill_focus": draw(prob()),
        },
        "graph": draw(graphs(workers)),
        "labour_market": {
            "demand": draw(st.sampled_from(["vacancies", "always_hiring"])),
            "job_finding_rate_per_month": draw(rate(2.0)),
            "on_the_job_search_rate_per_month": draw(rate(0.5)),
            "word_of_mouth_rate_per_month": draw(rate(6.0)),
            "quit_rate_per_month": draw(rate(0.2)),
            "dismissal_rate_per_month": draw(rate(0.1)),
            "probation_dismissal_probability": draw(prob()),
            "exit_rate_per_month": draw(rate(0.1)),
            "reentry_rate_per_month": draw(rate(0.5)),
            "cross_skill_fit": draw(prob()),
            "reservation_wage_ratio": draw(st.floats(0.0, 1.2)),
            "switch_premium": draw(st.floats(0.0, 0.3)),
            "offer_sigma": draw(st.floats(0.0, 0.4)),
        },
        "vacancies": {
            "growth_rate_per_month": draw(rate(0.05)),
            "replacement_probability": draw(prob()),
            "mean_duration_months": draw(st.floats(0.1, 6.0)),
            "internal_fill_share": draw(prob()),
            "internal_fill_months": draw(st.floats(0.05, 2.0)),
        },
        "ties": {"colleague_tie_rate_per_month": draw(rate(0.3))},
        "outputs": {
            "network_stats_every_months": draw(st.sampled_from([0, 6])),
            "network_stats_sample": 50,
        },
    }


# --------------------------------------------------------------------------- checks


def check_one_job_each(sim: Simulation) -> None:
    """(a) Internal state: staff lists and employers agree; nobody is listed twice."""
    where: dict[int, list[int]] = {}
    for c, staff in enumerate(sim.staff):
        for i in staff:
            where.setdefault(i, []).append(c)
    for i, st_ in enumerate(sim.state):
        if st_ == EMPLOYED:
            assert where.get(i) == [sim.employer[i]], (i, sim.employer[i], where.get(i))
            assert sim.staff[sim.employer[i]][sim.pos_in_company[i]] == i
        else:
            assert i not in where, (i, st_, where[i])
            assert sim.employer[i] == -1
    assert sim.employed_count == sum(s == EMPLOYED for s in sim.state)


def check_vacancies(ev: pd.DataFrame, burn_in: bool) -> None:
    """(b) Every hire fills a distinct, previously opened vacancy of the same company.

    After a burn-in the log starts at month 0: a vacancy opened before it (id below the
    first logged one) may be filled or expire without its opening in the log.
    """
    kind = ev["kind"].astype(str).to_numpy()
    opened: dict[int, tuple[int, float, int]] = {}  # vacancy -> (company, time, row)
    for row, (v, c, t) in enumerate(
        zip(
            ev["vacancy"].to_numpy(),
            ev["company"].to_numpy(),
            ev["time_months"].to_numpy(),
            strict=True,
        )
    ):
        if kind[row] == "vacancy_opened":
            assert v not in opened, f"vacancy {v} opened twice"
            opened[int(v)] = (int(c), float(t), row)
    hires = ev[kind == "hire"]
    expired = ev[kind == "vacancy_expired"]
    filled = hires["vacancy"].to_numpy()
    assert (filled >= 0).all()
    dup = [v for v, n in Counter(filled.tolist()).items() if n > 1]
    assert not dup, f"vacancies filled twice: {dup[:5]}"
    assert not set(filled.tolist()) & set(expired["vacancy"].tolist()), "filled and expired"
    assert expired["vacancy"].is_unique
    for row, v, c, t in zip(
        hires.index,
        filled,
        hires["company"].to_numpy(),
        hires["time_months"].to_numpy(),
        strict=True,
    ):
        if burn_in and int(v) not in opened:
            assert v < min(opened, default=math.inf), f"hire of vacancy {v} that never opened"
            continue
        assert int(v) in opened, f"hire of vacancy {v} that never opened"
        oc, ot, orow = opened[int(v)]
        assert oc == c and ot <= t and orow < row, (v, oc, c, ot, t)
    for v, c, t in zip(expired["vacancy"], expired["company"], expired["time_months"], strict=True):
        if burn_in and int(v) not in opened:
            assert v < min(opened, default=math.inf)
            continue
        assert opened[int(v)][0] == c and opened[int(v)][1] <= t


def check_hire_chain(ev: pd.DataFrame, burn_in: bool) -> None:
    """(b') Hire ids are issued in order, and each separation ends the worker's latest hire.

    A worker employed at the start has no logged hire; its first separation ends hire -1
    (after a burn-in: -1 or a hire before the log's first).
    A job-to-job hire follows its ``job_to_job`` separation directly in the log.
    """
    hires = ev[ev["kind"] == "hire"]
    first = int(hires["hire"].iloc[0]) if burn_in and len(hires) else 0
    assert hires["hire"].tolist() == list(range(first, first + len(hires)))
    last_hire: dict[int, int] = {}
    prev_event: dict[int, tuple[str, str]] = {}
    for kind, detail, w, other, hid in zip(
        ev["kind"].astype(str).to_numpy(),
        ev["detail"].astype(str).to_numpy(),
        ev["worker"].to_numpy(),
        ev["other"].to_numpy(),
        ev["hire"].to_numpy(),
        strict=True,
    ):
        w = int(w)
        if kind == "separation" and w not in last_hire and burn_in:
            assert hid == other and (hid < first or not len(hires)), (w, hid)
        elif kind == "separation":
            assert hid == other == last_hire.get(w, -1), (w, hid, last_hire.get(w))
        elif kind == "hire":
            if detail != "internal" and other >= 0:
                assert prev_event.get(w) == ("separation", "job_to_job"), (w, prev_event.get(w))
            if detail == "internal":
                assert prev_event.get(w) == ("separation", "internal_move"), w
            last_hire[w] = int(hid)
        if w >= 0 and kind != "tie_formed":
            prev_event[w] = (kind, detail)


def check_stocks(ts: pd.DataFrame, workers: int) -> None:
    """(c) Non-negative stocks adding up to the population."""
    stocks = ts[["employed", "seeking", "out_of_market"]]
    assert (stocks >= 0).all().all()
    assert (stocks.sum(axis=1) == workers).all()
    assert (ts["open_vacancies"] >= 0).all() and (ts["internal_vacancies"] >= 0).all()
    assert list(ts["month"]) == list(range(len(ts)))


def check_flows(ts: pd.DataFrame, ev: pd.DataFrame) -> None:
    """(d) Stock-flow reconciliation month by month, and hires by channel vs the log."""
    prev, cur = ts.iloc[:-1].reset_index(drop=True), ts.iloc[1:].reset_index(drop=True)
    pd.testing.assert_series_equal(
        cur["employed"],
        prev["employed"]
        + cur["hires_from_seeking"]
        - cur["employed_to_seeking"]
        - cur["employed_to_out"],
        check_names=False,
    )
    pd.testing.assert_series_equal(
        cur["seeking"],
        prev["seeking"]
        - cur["hires_from_seeking"]
        + cur["employed_to_seeking"]
        - cur["seeking_to_out"]
        + cur["market_entries"],
        check_names=False,
    )
    pd.testing.assert_series_equal(
        cur["out_of_market"],
        prev["out_of_market"]
        + cur["employed_to_out"]
        + cur["seeking_to_out"]
        - cur["market_entries"],
        check_names=False,
    )
    assert (cur["market_exits"] == cur["employed_to_out"] + cur["seeking_to_out"]).all()

    # Events in (m-1, m] belong to month m (no event falls exactly on a month end).
    month = np.ceil(ev["time_months"].to_numpy()).astype(int)
    kind = ev["kind"].astype(str).to_numpy()
    detail = ev["detail"].astype(str).to_numpy()
    n = len(ts)
    for ch in CHANNELS:
        counts = np.bincount(month[(kind == "hire") & (detail == ch)], minlength=n)[:n]
        assert counts.tolist() == ts[f"hires_{ch}"].tolist(), ch
    for k, col in (
        ("market_entry", "market_entries"),
        ("market_exit", "market_exits"),
        ("vacancy_expired", "vacancies_expired"),
    ):
        counts = np.bincount(month[kind == k], minlength=n)[:n]
        assert counts.tolist() == ts[col].tolist(), col
    # Hires from search: external hires whose 'other' (previous employer) is -1.
    from_seeking = (kind == "hire") & (detail != "internal") & (ev["other"].to_numpy() < 0)
    counts = np.bincount(month[from_seeking], minlength=n)[:n]
    assert counts.tolist() == ts["hires_from_seeking"].tolist()


def check_company_headcount(workers: pd.DataFrame, companies: pd.DataFrame) -> None:
    """(e) Company head counts match the workers table."""
    employed = workers[workers["state"] == "employed"]
    assert (employed["employer"] >= 0).all()
    assert (workers.loc[workers["state"] != "employed", "employer"] == -1).all()
    counts = employed["employer"].value_counts().reindex(companies["company"], fill_value=0)
    assert counts.tolist() == companies["employees"].tolist()


def check_salaries(workers: pd.DataFrame, ev: pd.DataFrame, switch_premium: float) -> None:
    """(f) Positive pay; job-to-job raises of at least ``switch_premium``.

    A worker's current salary changes only when a hire is logged (external or internal).
    So just before a job-to-job move the salary equals the ``value`` of that worker's
    latest earlier ``hire`` event, if there is one; if there is none, the job being left
    is the initial job (salary not in the log) and the move is skipped.
    """
    employed = workers[workers["state"] == "employed"]
    assert (employed["salary"] > 0).all() and np.isfinite(employed["salary"]).all()
    hires = ev[ev["kind"] == "hire"]
    assert (hires["value"] > 0).all()
    last: dict[int, float] = {}
    for w, ch, other, value in zip(
        hires["worker"].to_numpy(),
        hires["detail"].astype(str).to_numpy(),
        hires["other"].to_numpy(),
        hires["value"].to_numpy(),
        strict=True,
    ):
        before = last.get(int(w))
        if before is not None:
            if ch == "internal":
                assert value >= before, (w, before, value)
            elif other >= 0:  # job to job
                floor = before * (1.0 + switch_premium)
                assert value >= floor * (1 - 1e-12), (w, before, value, switch_premium)
        last[int(w)] = float(value)
    # Job-to-job hires and job-to-job separations come in pairs.
    seps = ev[(ev["kind"] == "separation") & (ev["detail"] == "job_to_job")]
    j2j = hires[(hires["detail"] != "internal") & (hires["other"] >= 0)]
    assert len(seps) == len(j2j)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=scenarios(), seed=st.integers(0, 2**63 - 1))
def test_engine_invariants(data: dict, seed: int) -> None:
    sc = load_scenario(data)
    sim = Simulation(sc.model_copy(update={"seed": seed}), seed).run()
    check_one_job_each(sim)

    res = simulate(sc, seed)
    pd.testing.assert_frame_equal(res.events, sim.events())
    ev, ts = res.events, res.timeseries
    assert len(ts) == int(math.floor(sc.horizon_months)) + 1
    check_vacancies(ev, sc.burn_in_months > 0)
    check_hire_chain(ev, sc.burn_in_months > 0)
    check_stocks(ts, sc.population.workers)
    check_flows(ts, ev)
    check_company_headcount(res.workers, res.companies)
    check_salaries(res.workers, ev, sc.labour_market.switch_premium)
