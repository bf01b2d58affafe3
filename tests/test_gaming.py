"""Gaming maths against theory: recursive totals, sybil gains, colluders' rotation plans."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.gaming import RotationPlan, best_rotation, closed_form_recursive_total, sybil_take
from netsim.payout_rules import (
    ClawbackPayout,
    DeferredPayout,
    FlatPayout,
    InstalmentsPayout,
    NoPayout,
    RecursivePayout,
    TenureSharePayout,
)
from netsim.payouts import realised_payments

fast = settings(max_examples=60, deadline=None)
bonuses = st.floats(min_value=0, max_value=10_000, allow_nan=False)
ratios = st.floats(min_value=0, max_value=0.99, allow_nan=False)
costs = st.floats(min_value=0, max_value=5_000, allow_nan=False)
searches = st.floats(min_value=0, max_value=12, allow_nan=False)
min_stays = st.floats(min_value=0.5, max_value=24, allow_nan=False)


# ------------------------------------------------------------------ recursive (DARPA) rule


@fast
@given(bonus=bonuses, ratio=ratios, length=st.integers(min_value=0, max_value=30))
def test_recursive_total_matches_closed_form_and_bound(bonus, ratio, length):
    rule = RecursivePayout({"bonus": bonus, "ratio": ratio})
    paid, _ = realised_payments(rule, length + 1, 3000.0, 0.0)
    total = sum(p.amount for p in paid)
    expected = bonus * (1 - ratio ** (length + 1)) / (1 - ratio)
    assert total == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert closed_form_recursive_total(bonus, ratio, length + 1) == pytest.approx(
        expected, rel=1e-12, abs=1e-12
    )
    assert total <= bonus / (1 - ratio) + 1e-9


def test_closed_form_ratio_zero_and_darpa_below_2b():
    assert closed_form_recursive_total(2000.0, 0.0, 7) == 2000.0
    # Pickard et al. 2011: with ratio 1/2 the payout per find stays below 2B.
    assert closed_form_recursive_total(2000.0, 0.5, 40) < 4000.0


@fast
@given(
    ratio=st.floats(min_value=0.01, max_value=0.99),
    length=st.integers(min_value=1, max_value=12),
    data=st.data(),
    n_sybils=st.integers(min_value=1, max_value=6),
)
def test_recursive_sybils_raise_take(ratio, length, data, n_sybils):
    cheater = data.draw(st.integers(min_value=0, max_value=length - 1))
    rule = RecursivePayout({"bonus": 1000.0, "ratio": ratio})
    without, with_sybils = sybil_take(rule, length, cheater, n_sybils, 3000.0, 24.0)
    assert with_sybils > without
    # Closed form: the cheater k = L-1-p steps from the end adds the next n steps' rewards.
    k = length - 1 - cheater
    gain = 1000.0 * ratio**k * sum(ratio**j for j in range(1, n_sybils + 1))
    assert with_sybils - without == pytest.approx(gain, rel=1e-9)


def test_sybil_take_zero_sybils_is_identity():
    rule = RecursivePayout()
    without, with_sybils = sybil_take(rule, 4, 1, 0, 3000.0, 12.0)
    assert without == with_sybils == 500.0  # k = 2 steps from the end: B / 4


def test_sybil_take_rejects_bad_positions():
    with pytest.raises(ValueError):
        sybil_take(FlatPayout(), 3, 3, 1, 3000.0, 12.0)
    with pytest.raises(ValueError):
        sybil_take(FlatPayout(), 3, 0, -1, 3000.0, 12.0)


# ------------------------------------------------------------------ rotation closed forms


@fast
@given(bonus=bonuses, cost=costs, search=searches, min_stay=min_stays)
def test_flat_rotates_at_min_stay(bonus, cost, search, min_stay):
    plan = best_rotation(FlatPayout({"bonus": bonus}), 3000.0, cost, search, min_stay, 60.0)
    if bonus - cost > 1e-9:
        assert plan.rotate
        assert plan.stay_months == min_stay
        assert plan.profit_per_cycle == pytest.approx(bonus - cost)
        assert plan.profit_per_month == pytest.approx((bonus - cost) / (min_stay + search))
    elif bonus - cost < -1e-9:
        assert plan == RotationPlan(60.0, 0.0, 0.0, rotate=False)


def test_no_rule_never_rotates():
    plan = best_rotation(NoPayout(), 3000.0, 0.0, 2.0, 1.0, 48.0)
    assert plan == RotationPlan(48.0, 0.0, 0.0, rotate=False)


@fast
@given(bonus=st.floats(1, 10_000), retention=st.floats(36.01, 120), min_stay=min_stays)
def test_deferred_beyond_max_stay_never_pays(bonus, retention, min_stay):
    rule = DeferredPayout({"bonus": bonus, "retention_months": retention})
    plan = best_rotation(rule, 3000.0, 0.0, 1.0, min_stay, 36.0)
    assert not plan.rotate
    assert plan.stay_months == 36.0
    assert plan.profit_per_cycle == plan.profit_per_month == 0.0


@fast
@given(
    bonus=st.floats(1000, 10_000),
    cost=st.floats(0, 999),
    retention=st.floats(1, 36),
    search=searches,
)
def test_deferred_within_range_stays_exactly_retention(bonus, cost, retention, search):
    rule = DeferredPayout({"bonus": bonus, "retention_months": retention})
    plan = best_rotation(rule, 3000.0, cost, search, 0.5, 36.0)
    assert plan.rotate
    assert plan.stay_months == retention
    assert plan.profit_per_cycle == pytest.approx(bonus - cost)


@fast
@given(
    bonus=st.floats(1000, 10_000),
    cost=st.floats(0, 999),
    guarantee=st.floats(0.5, 24),
    min_stay=min_stays,
    search=searches,
)
def test_full_clawback_stays_to_guarantee(bonus, cost, guarantee, min_stay, search):
    rule = ClawbackPayout({"bonus": bonus, "guarantee_months": guarantee})
    plan = best_rotation(rule, 3000.0, cost, search, min_stay, 36.0)
    assert plan.rotate
    assert plan.stay_months == max(min_stay, guarantee)
    assert plan.profit_per_cycle == pytest.approx(bonus - cost)


def test_pro_rata_clawback_waits_for_guarantee():
    # Pro rata, the take below g is B tau / g, so per month B tau / (g (tau + s)) rises in tau
    # when search s > 0; beyond g the take is B and per month falls. Optimum: tau = g.
    rule = ClawbackPayout({"bonus": 1200.0, "guarantee_months": 6.0, "pro_rata": True})
    plan = best_rotation(rule, 3000.0, 0.0, 2.0, 1.0, 36.0)
    assert plan.stay_months == 6.0
    assert plan.profit_per_cycle == pytest.approx(1200.0)


@fast
@given(
    share=st.floats(0, 1),
    max_months=st.integers(1, 48),
    salary=st.floats(0, 20_000),
    cost=costs,
    search=searches,
    min_stay=min_stays,
)
def test_tenure_share_rotation_earns_at_most_the_staying_income(
    share, max_months, salary, cost, search, min_stay
):
    rule = TenureSharePayout({"share": share, "max_months": max_months})
    plan = best_rotation(rule, salary, cost, search, min_stay, 60.0)
    # Take for a stay tau is share*salary*floor(min(tau, max)) <= share*salary*tau, so per
    # month of a cycle (tau + search >= tau) it never beats staying and collecting the share.
    assert plan.profit_per_month <= share * salary + 1e-9


@fast
@given(
    bonus=bonuses,
    count=st.integers(1, 24),
    interval=st.floats(0.25, 6),
    cost=costs,
    search=searches,
    min_stay=min_stays,
)
def test_instalments_rotation_bounded_by_instalment_rate(
    bonus, count, interval, cost, search, min_stay
):
    # Take for a stay tau is (B / count) * min(count, floor(tau / interval)), at most
    # (B / (count * interval)) * tau; profit per month (take - cost) / (tau + search) is then
    # at most B / (count * interval), the rate at which instalments accrue.
    rule = InstalmentsPayout({"bonus": bonus, "count": count, "interval_months": interval})
    plan = best_rotation(rule, 3000.0, cost, search, min_stay, 60.0)
    assert plan.profit_per_month <= bonus / (count * interval) + 1e-9
    if plan.rotate:
        assert plan.profit_per_cycle <= bonus - cost + 1e-9
        # The stay is a breakpoint: min_stay, an instalment date or max_stay.
        on_date = math.isclose(plan.stay_months / interval, round(plan.stay_months / interval))
        assert plan.stay_months in (min_stay, 60.0) or on_date


def test_best_rotation_rejects_bad_ranges():
    with pytest.raises(ValueError):
        best_rotation(FlatPayout(), 3000.0, 0.0, 1.0, 10.0, 5.0)
    with pytest.raises(ValueError):
        best_rotation(FlatPayout(), 3000.0, -1.0, 1.0, 1.0, 5.0)
