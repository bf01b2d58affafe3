"""Viral job campaigns (netsim.mechanisms.campaigns): cascade closed forms, seed curve,
money, direction over seeded replications, and 'off leaves a run unchanged'."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import small_scenario
from netsim.mechanisms.campaigns import (
    Campaigns,
    bernoulli_successes,
    expected_seeds,
    independent_cascade,
    launches,
    seed_count,
)
from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.scenario import NetsimInputError
from netsim.scenario.campaigns_schema import CampaignClass

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "viral_campaigns.yaml"


def mean_reach(adj, seeds, p, reps=4000, seed=0):
    """Mean and standard error of the cascade size over ``reps`` replications."""
    rng = np.random.default_rng(seed)
    sizes = [len(independent_cascade(seeds, adj, p, rng)) for _ in range(reps)]
    return float(np.mean(sizes)), float(np.std(sizes) / math.sqrt(reps))


def adjacency(g: nx.Graph) -> dict[int, list[int]]:
    return {u: list(g.neighbors(u)) for u in g.nodes}


# ---------------------------------------------------------------- cascade closed forms
def test_star_seeded_at_hub_reaches_one_plus_pk():
    k, p = 20, 0.3
    mean, se = mean_reach(adjacency(nx.star_graph(k)), [0], p)
    assert abs(mean - (1 + p * k)) < 4 * se + 1e-9


def test_path_seeded_at_an_end_reaches_sum_of_powers():
    n, p = 12, 0.6
    mean, se = mean_reach(adjacency(nx.path_graph(n)), [0], p)
    assert abs(mean - sum(p**d for d in range(n))) < 4 * se


def test_kary_tree_reaches_sum_of_pk_powers():
    k, depth, p = 3, 4, 0.4
    g = nx.balanced_tree(k, depth)
    mean, se = mean_reach(adjacency(g), [0], p)
    assert abs(mean - sum((p * k) ** d for d in range(depth + 1))) < 4 * se


def _one_at_a_time(seeds, adj, p, rng):
    """The textbook cascade: a FIFO of reached people, one trial per contact."""
    reached, seen = [], set()
    for s in seeds:
        if s not in seen:
            seen.add(s)
            reached.append(s)
    k = 0
    while k < len(reached):
        for w in adj[reached[k]]:
            if w not in seen and rng.random() < p:
                seen.add(w)
                reached.append(w)
        k += 1
    return reached


@pytest.mark.parametrize("p", [0.15, 0.4])
def test_levels_equal_the_textbook_cascade_in_law(p):
    """On a graph with many loops (where a person is hit by several at once), the level-wise
    cascade's reach has the textbook cascade's mean and spread (4 standard errors)."""
    adj = adjacency(nx.watts_strogatz_graph(60, 6, 0.3, seed=3))
    rng = np.random.default_rng(11)
    reps = 3000
    fast = np.array([len(independent_cascade([0, 30], adj, p, rng)) for _ in range(reps)])
    slow = np.array([len(_one_at_a_time([0, 30], adj, p, rng)) for _ in range(reps)])
    se = math.sqrt(fast.var() / reps + slow.var() / reps)
    assert abs(fast.mean() - slow.mean()) < 4 * se
    assert abs(fast.std() - slow.std()) < 0.1 * slow.std() + 0.5


def test_cascade_edge_cases():
    adj = adjacency(nx.path_graph(5))
    rng = np.random.default_rng(0)
    assert independent_cascade([0, 0, 3], adj, 0.0, rng) == [0, 3]
    assert independent_cascade([0], adj, 1.0, rng) == [0, 1, 2, 3, 4]
    assert independent_cascade([2], adj, 1.0, rng) == [2, 1, 3, 0, 4]  # level by level
    # Inactive people are neither reached nor pass the ad on: the path is cut at 2.
    got = independent_cascade([0], adj, 1.0, rng, lambda ids: ids != 2)
    assert got == [0, 1]
    assert independent_cascade([2, 0], adj, 1.0, rng, lambda ids: ids != 2) == [0, 1]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    density=st.floats(0.0, 0.3),
    p=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
    n_seeds=st.integers(1, 5),
)
def test_reach_stays_within_the_seeds_components(n, density, p, seed, n_seeds):
    g = nx.gnp_random_graph(n, density, seed=seed)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, n, n_seeds).tolist()
    reached = independent_cascade(seeds, adjacency(g), p, rng)
    component = set().union(*(nx.node_connected_component(g, s) for s in seeds))
    assert len(reached) == len(set(reached)) <= len(component)
    assert set(reached) <= component and set(seeds) <= set(reached)


# ---------------------------------------------------------------- seeds and policy
def test_seed_count_is_monotone_and_concave_in_budget():
    a, b, production = 5.0, 0.6, 2000.0
    budgets = np.linspace(production, 100_000, 400)
    curve = np.array([expected_seeds(x, a, b, production) for x in budgets])
    assert np.all(np.diff(curve) > 0)
    assert np.all(np.diff(curve, 2) <= 1e-9)  # concave above the production cost
    counts = [seed_count(x, a, b, 10**9, production) for x in np.linspace(0, 100_000, 1000)]
    assert counts[0] == 0 and all(np.diff(counts) >= 0)
    assert seed_count(production, a, b, 99, production) == 0
    assert seed_count(3000.0, a, b, 99, production) == 5  # ceil(5 * 1^0.6)
    assert seed_count(10**8, a, b, 42, production) == 42  # at most every worker
    # Linear (b = 1) is allowed and gives a constant price per seed.
    assert expected_seeds(4000.0, 2.0, 1.0) == pytest.approx(8.0)


def test_launch_policy():
    sme = CampaignClass(min_quality=1.5)
    assert not launches(sme, 1.4, 3)
    assert launches(sme, 1.6, 3)
    assert not launches(sme, 2.0, 0)
    assert launches(CampaignClass(needs_open_vacancy=False), 0.1, 0)


def test_bad_seed_scale_is_an_input_error():
    with pytest.raises(NetsimInputError, match="seeds_per_1000"):
        small_scenario(campaigns={"enabled": True, "seeds_per_1000": 0})


# ---------------------------------------------------------------- runs
def campaign_scenario(**campaigns):
    """The shipped scenario, small: 1,000 workers, 30 companies, 36 months."""
    sc = load_scenario(
        SHIPPED, ["population.workers=1000", "companies.count=30", "horizon_months=36"]
    )
    return sc.model_copy(update={"campaigns": sc.campaigns.model_copy(update=campaigns)}, deep=True)


def test_money_and_counts_add_up():
    r = simulate(campaign_scenario(), 3)
    df = r.tables["campaigns"]
    assert len(df) > 20
    led = r.ledger
    spend = led[led["reason"] == "campaign_spend"]
    assert spend["amount"].sum() == pytest.approx(df["budget"].sum(), rel=1e-12)
    assert (spend["payer_kind"] == "company").all() and (spend["payee_kind"] == "outside").all()
    # Each company's balance fell by exactly its budgets (nothing else moves money here).
    paid = spend.groupby("payer")["amount"].sum()
    per_company = df.groupby("company")["budget"].sum()
    pd.testing.assert_series_equal(
        paid, per_company, check_names=False, check_index_type=False, rtol=1e-12
    )
    comp = r.companies.set_index("company")
    assert comp["campaign_spend"].sum() == pytest.approx(df["budget"].sum())
    assert comp["campaigns"].sum() == len(df)
    # Counts: hires <= applications <= reach; seekers reached <= reach; hires by channel.
    assert (df["hires"] <= df["applications"]).all()
    assert (df["applications"] <= df["reach"]).all()
    assert (df["seekers_reached"] <= df["reach"]).all()
    assert (df["reach"] > 0).any() and (df["hires"] > 0).any()
    ts = r.timeseries
    assert ts["hires_campaign"].sum() == df["hires"].sum() == comp["campaign_hires"].sum()
    assert ts["campaigns"].sum() == len(df)
    assert ts["campaign_reach"].sum() == df["reach"].sum()
    ev = r.events
    assert ((ev["kind"] == "hire") & (ev["detail"] == "campaign")).sum() == df["hires"].sum()
    assert r.summary["campaigns"] == len(df)
    assert 0 < r.summary["hire_share_campaign"] < 1


def _campaigns_over_seeds(scenario, seeds=range(1, 6)) -> pd.DataFrame:
    return pd.concat([simulate(scenario, s).tables["campaigns"] for s in seeds])


def test_bigger_budget_reaches_more_over_seeds():
    """Same ideas, 5 seeds: 10x the media budget buys ~4x the seeds (8 -> 31) and reaches
    clearly more people (> 1.4x), but less than 4x: cascades from many seeds overlap in a
    1,000-worker graph, so reach is concave in the budget too."""
    kw = {"quality_sigma": 0.3}
    small = campaign_scenario(
        **kw,
        large=CampaignClass(idea_rate_per_month=0.2, budget=4000, budget_sigma=0),
        sme=CampaignClass(idea_rate_per_month=0.05, budget=4000, budget_sigma=0),
    )
    big = campaign_scenario(
        **kw,
        large=CampaignClass(idea_rate_per_month=0.2, budget=22000, budget_sigma=0),
        sme=CampaignClass(idea_rate_per_month=0.05, budget=22000, budget_sigma=0),
    )
    big, small = _campaigns_over_seeds(big), _campaigns_over_seeds(small)
    assert (big["seeds"] == 31).all() and (small["seeds"] == 8).all()
    assert 1.4 * small["reach"].mean() < big["reach"].mean() < 31 / 8 * small["reach"].mean()


def test_better_ideas_reach_more_over_seeds():
    """Within the shipped scenario's campaigns over 5 seeds, at one fixed budget, reach
    rises with idea quality (rank correlation > 0.4) and good ideas (q > 1.5) reach at
    least three times as far as poor ones (q < 0.8)."""
    fixed = CampaignClass(idea_rate_per_month=0.1, budget=5000, budget_sigma=0)
    sc = campaign_scenario(large=fixed, sme=fixed)
    df = _campaigns_over_seeds(sc)
    assert df["quality"].corr(df["reach"], method="spearman") > 0.4
    good = df.loc[df["quality"] > 1.5, "reach"].mean()
    poor = df.loc[df["quality"] < 0.8, "reach"].mean()
    assert good > 3 * poor


def test_large_budgets_pay_and_sme_ideas_do_not_over_seeds():
    """The shipped scenario's claim, over 5 seeds at full size: large campaigns cost less
    per hire than the platform fee, SME campaigns more."""
    sc = load_scenario(SHIPPED)
    df = _campaigns_over_seeds(sc)
    by = df.groupby("size_class", observed=True)
    cost = by["budget"].sum() / by["hires"].sum()
    fee = sc.platform.fee_per_hire
    assert cost["large"] < fee < cost["sme"]


# ---------------------------------------------------------------- off == unchanged
def test_off_leaves_a_run_unchanged():
    base = simulate(small_scenario(), 7)
    # Other campaign keys changed, but switched off: not attached, nothing drawn.
    off = simulate(small_scenario(campaigns={"enabled": False, "seeds_per_1000": 50.0}), 7)
    assert off.summary == base.summary
    pd.testing.assert_frame_equal(off.timeseries, base.timeseries)
    assert "campaigns" not in off.tables
    assert "hire_share_campaign" not in base.summary
    # Switched on without ideas: its own stream, so every other draw stays the same.
    idle = CampaignClass(idea_rate_per_month=0.0)
    on = simulate(small_scenario(campaigns={"enabled": True, "large": idle, "sme": idle}), 7)
    cols = list(base.timeseries.columns)
    pd.testing.assert_frame_equal(on.timeseries[cols], base.timeseries)
    assert {k: on.summary[k] for k in base.summary} == base.summary
    assert len(on.tables["campaigns"]) == 0


@pytest.mark.parametrize(("size", "p"), [(1, 0.5), (40, 0.05), (1000, 0.3), (5000, 0.001)])
def test_bernoulli_successes_have_the_trials_law(size, p):
    """Every position succeeds with probability p, independently (counts and pair checks)."""
    rng = np.random.default_rng(5)
    reps = 4000
    hits = np.zeros(size)
    counts = np.empty(reps)
    for r in range(reps):
        won = bernoulli_successes(size, p, rng)
        assert np.all(np.diff(won) > 0) and (won.size == 0 or 0 <= won[0] <= won[-1] < size)
        hits[won] += 1
        counts[r] = won.size
    se = math.sqrt(size * p * (1 - p) / reps)
    assert abs(counts.mean() - size * p) < 4 * se + 1e-12
    assert abs(counts.var() - size * p * (1 - p)) < 0.1 * size * p * (1 - p) + 1e-9
    # Each position's rate is p (the first and the last alike, no edge effects).
    per_se = math.sqrt(p * (1 - p) / reps)
    assert abs(hits[0] / reps - p) < 4 * per_se and abs(hits[-1] / reps - p) < 4 * per_se


def test_bernoulli_successes_edges():
    rng = np.random.default_rng(0)
    assert bernoulli_successes(5, 1.0, rng).tolist() == [0, 1, 2, 3, 4]
    assert bernoulli_successes(5, 0.0, rng).size == 0
    assert bernoulli_successes(0, 0.5, rng).size == 0


def _flat(adj: dict[int, list[int]], n: int):
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(adj.get(u, [])) for u in range(n)], out=indptr[1:])
    indices = np.array([w for u in range(n) for w in adj.get(u, [])], dtype=np.int64)
    return indptr[:-1], indptr[1:], indices


def test_cascade_reads_flat_arrays_and_the_lists_of_people_who_changed():
    """With p = 1 the reach is the component: flat arrays are read for unchanged people, the
    lists for those marked changed (here the arrays are stale for person 2)."""
    adj = adjacency(nx.path_graph(6))
    flat = _flat(adj, 6)
    rng = np.random.default_rng(0)
    none = np.zeros(6, dtype=bool)
    assert independent_cascade([0], adj, 1.0, rng, arrays=(*flat, none)) == list(range(6))
    cut = {**adj, 2: [1]}  # 2 lost its tie to 3 after the arrays were taken
    got = independent_cascade([0], cut, 1.0, rng, arrays=(*flat, none | (np.arange(6) == 2)))
    assert got == [0, 1, 2]  # 3 is read from the arrays, but nobody reaches it now


@given(st.lists(st.integers(0, 60), max_size=400))
def test_first_hits_keep_the_order_of_first_appearance(hits):
    """Each person once, in the order of their first hit (a dict for few hits, a hash table
    for many): as a stable sort of the first positions gives it."""
    from netsim.mechanisms.campaigns import _first_hits

    arr = np.array(hits, dtype=np.int64)
    _, first = np.unique(arr, return_index=True)
    assert _first_hits(arr).tolist() == arr[np.sort(first)].tolist() == list(dict.fromkeys(hits))


def test_flat_arrays_keep_the_law():
    adj = adjacency(nx.watts_strogatz_graph(60, 6, 0.3, seed=3))
    rng = np.random.default_rng(12)
    reps, p = 3000, 0.2
    arrays = (*_flat(adj, 60), np.isin(np.arange(60), [5, 17, 40]))
    fast = np.array(
        [len(independent_cascade([0, 30], adj, p, rng, None, arrays)) for _ in range(reps)]
    )
    slow = np.array([len(_one_at_a_time([0, 30], adj, p, rng)) for _ in range(reps)])
    se = math.sqrt(fast.var() / reps + slow.var() / reps)
    assert abs(fast.mean() - slow.mean()) < 4 * se


def test_bernoulli_successes_with_a_vanishing_chance():
    """A chance far below one in a trillion gives no success and no overflow."""
    rng = np.random.default_rng(1)
    for p in (1e-300, 5e-324, 1e-17):
        assert bernoulli_successes(10**6, p, rng).size == 0


# ---------------------------------------------------------------- applications (law)
class _ApplyMarket:
    """The few market services Campaigns._apply_all uses, over plain lists."""

    SEEKING = 0

    def __init__(self, states: list[int], employer: list[int], hire_after: int) -> None:
        self.states = states
        self.skills = [0] * len(states)
        self.employers = employer
        self.applied: list[int] = []
        self.hire_after = hire_after  # applications before one hire (fills a vacancy)
        self.campaigns: Campaigns | None = None

    def state_codes(self) -> np.ndarray:
        return np.asarray(self.states, dtype=np.uint8)

    def brand(self, c: int) -> float:
        return 1.0

    def employer(self, i: int) -> int:
        return self.employers[i]

    def vacancy_skill(self, v: int) -> int:
        return 0

    def apply(self, i: int, v: int, channel: str) -> bool:
        self.applied.append(i)
        if len(self.applied) % self.hire_after:
            return False
        self.campaigns.open[3].remove(v)  # the market closes the filled vacancy
        return True


def _apply(states, employer, open_vacancies, hire_after, seed=5):
    market = _ApplyMarket(states, employer, hire_after)
    campaigns = Campaigns.__new__(Campaigns)
    campaigns.market = market
    campaigns.cfg = SimpleNamespace(apply_probability=0.5, apply_probability_employed=0.05)
    campaigns.gen = np.random.default_rng(seed)
    campaigns.open = {3: list(open_vacancies)}
    market.campaigns = campaigns
    reached = list(range(len(states)))
    return campaigns._apply_all(3, reached), market.applied


def test_reached_people_apply_with_their_chance_in_the_order_reached():
    """Seekers apply with 0.5, employed people with 0.05 (brand 1), independently (5 sd),
    staff of the company never, in the order reached; once the last vacancy is filled
    nobody else applies."""
    n = 40_000
    states = [0 if j % 4 == 0 else 1 for j in range(n)]  # a quarter seeking
    employer = [3 if j % 4 == 1 else -1 for j in range(n)]  # a quarter at the company
    (seekers, applications, hires), applied = _apply(states, employer, [7], hire_after=10**9)
    assert seekers == n // 4 and hires == 0 and applications == len(applied)
    assert applied == sorted(applied)
    assert not [i for i in applied if employer[i] == 3]
    for group, p in (([j for j in range(n) if j % 4 == 0], 0.5), (range(2, n, 4), 0.05)):
        got = len(set(applied) & set(group))
        assert abs(got - len(group) * p) < 5 * math.sqrt(len(group) * p * (1 - p)), (p, got)
    # Two vacancies, each filled by every 5th applicant: applications stop at the 10th.
    (_, applications, hires), applied = _apply(states, employer, [7, 8], hire_after=5)
    assert (applications, hires) == (10, 2) and len(applied) == 10
