"""Contract tests for payout rules: every registered rule's declared properties hold.

Axelrod-style: :class:`PayoutRuleContract` holds the checks; each built-in rule has a
``Test...`` subclass naming the rule class, a few parameter sets and some invalid ones.
A registered rule without a test class fails :func:`test_every_registered_rule_is_tested`.
"""

from __future__ import annotations

import pickle
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from netsim.gaming import sybil_take
from netsim.payout_rules import (
    ClawbackPayout,
    DeferredPayout,
    FlatPayout,
    InstalmentsPayout,
    NoPayout,
    RecursivePayout,
    TenureSharePayout,
)
from netsim.payouts import PAYOUT_RULES, PayoutRule, realised_payments

EPS = 1e-9
chain_lengths = st.integers(min_value=1, max_value=12)
salaries = st.floats(min_value=0, max_value=50_000, allow_nan=False)
stays = st.one_of(
    st.floats(min_value=0, max_value=120, allow_nan=False),
    st.integers(min_value=0, max_value=120).map(float),  # exact payment delays matter
)
# The contract's hypothesis tests run once per subclass, so hypothesis sees one test from
# several "executors" and shares its example database between them. That is harmless here:
# a failing example found for one rule is merely replayed for the others.
fast = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
)


class PayoutRuleContract:
    """Checks every payout rule must pass. Subclasses set the three class attributes."""

    rule_cls: ClassVar[type[PayoutRule]]
    #: Parameter sets to test (dicts given to the rule; ``{}`` means defaults).
    param_sets: ClassVar[list[dict[str, Any]]] = [{}]
    #: Parameter dicts that must be rejected (out of range values).
    bad_params: ClassVar[list[dict[str, Any]]] = []

    def rules(self) -> list[PayoutRule]:
        return [self.rule_cls(params) for params in self.param_sets]

    def test_registered(self):
        assert PAYOUT_RULES.get(self.rule_cls.name) is self.rule_cls

    def test_declares_classifier(self):
        classifier = self.rule_cls.classifier
        assert isinstance(classifier["pays_at_hire"], bool)
        assert isinstance(classifier["sybil_proof"], bool)
        # Class-level values describe the default parameters; the methods agree with them.
        default = self.rule_cls()
        assert default.vesting_months() == pytest.approx(classifier["vesting_months"])
        assert default.clawback_months() == pytest.approx(classifier.get("clawback_months", 0))

    @fast
    @given(chain_length=chain_lengths, salary=salaries, stay=stays)
    def test_schedule_well_formed(self, chain_length, salary, stay):
        for rule in self.rules():
            schedule = rule.schedule(chain_length, salary)
            for p in schedule:
                assert p.amount >= 0
                assert p.delay_months >= 0
                assert 0 <= p.position < chain_length
                if p.if_employed:
                    assert p.delay_months <= rule.vesting_months() + EPS
                if not rule.classifier["pays_at_hire"]:
                    assert p.delay_months > 0
            paid, clawed = realised_payments(rule, chain_length, salary, stay)
            assert sum(p.amount for p in paid) <= rule.budget_bound(salary) + EPS
            for c in clawed:
                assert c.amount >= 0
                assert 0 <= c.position < chain_length
                received = sum(p.amount for p in paid if p.position == c.position)
                assert c.amount <= received + EPS

    @fast
    @given(chain_length=chain_lengths, salary=salaries, stay=stays)
    def test_salary_linked_is_declared_truthfully(self, chain_length, salary, stay):
        """A rule declaring ``salary_linked = False`` pays and claws back the same for any
        salary (the platform then plans one rotation for every hire)."""
        for rule in self.rules():
            if rule.salary_linked:
                continue
            assert rule.schedule(chain_length, salary) == rule.schedule(chain_length, 3000.0)
            assert realised_payments(rule, chain_length, salary, stay) == realised_payments(
                rule, chain_length, 3000.0, stay
            )

    def test_pays_at_hire_for_some_chain(self):
        for rule in self.rules():
            at_hire = any(
                p.delay_months == 0
                for length in range(1, 13)
                for p in rule.schedule(length, 3000.0)
            )
            assert at_hire == rule.classifier["pays_at_hire"]

    @fast
    @given(chain_length=chain_lengths, salary=salaries, stay=stays)
    def test_deterministic(self, chain_length, salary, stay):
        for rule in self.rules():
            assert realised_payments(rule, chain_length, salary, stay) == realised_payments(
                rule, chain_length, salary, stay
            )

    def test_pickle_round_trip(self):
        for rule in self.rules():
            clone = pickle.loads(pickle.dumps(rule))
            assert clone == rule
            assert hash(clone) == hash(rule)
            for length in (1, 2, 5):
                assert clone.schedule(length, 4000.0) == rule.schedule(length, 4000.0)
                assert realised_payments(clone, length, 4000.0, 3.0) == realised_payments(
                    rule, length, 4000.0, 3.0
                )

    @fast
    @given(
        chain_length=chain_lengths,
        data=st.data(),
        n_sybils=st.integers(min_value=0, max_value=6),
        salary=salaries,
        stay=stays,
    )
    def test_sybil_proof_if_declared(self, chain_length, data, n_sybils, salary, stay):
        if not self.rule_cls.classifier["sybil_proof"]:
            return
        cheater = data.draw(st.integers(min_value=0, max_value=chain_length - 1))
        for rule in self.rules():
            without, with_sybils = sybil_take(rule, chain_length, cheater, n_sybils, salary, stay)
            assert with_sybils <= without + EPS

    def test_params_reject_unknown_keys(self):
        with pytest.raises(ValidationError):
            self.rule_cls({"no_such_parameter": 1})

    def test_params_reject_out_of_range(self):
        for bad in self.bad_params:
            with pytest.raises(ValidationError):
                self.rule_cls(bad)

    def test_params_documented(self):
        for field_name, field in self.rule_cls.Params.model_fields.items():
            assert field.description, field_name
            assert (field.json_schema_extra or {}).get("unit"), field_name
            assert not field.is_required(), field_name


class TestNone(PayoutRuleContract):
    rule_cls = NoPayout


class TestFlat(PayoutRuleContract):
    rule_cls = FlatPayout
    param_sets = [{}, {"bonus": 0.0}, {"bonus": 5000.0}]
    bad_params = [{"bonus": -1.0}, {"bonus": float("inf")}]


class TestDeferred(PayoutRuleContract):
    rule_cls = DeferredPayout
    param_sets = [{}, {"bonus": 1000.0, "retention_months": 3.5}]
    bad_params = [{"retention_months": 0.0}, {"bonus": -5.0}, {"retention_months": 1e6}]


class TestInstalments(PayoutRuleContract):
    rule_cls = InstalmentsPayout
    param_sets = [{}, {"count": 1}, {"bonus": 3000.0, "count": 4, "interval_months": 3.0}]
    bad_params = [{"count": 0}, {"interval_months": 0.0}, {"count": 1.5}]


class TestClawback(PayoutRuleContract):
    rule_cls = ClawbackPayout
    param_sets = [{}, {"pro_rata": True}, {"guarantee_months": 12.0, "bonus": 500.0}]
    bad_params = [{"guarantee_months": 0.0}, {"guarantee_months": -1.0}, {"bonus": -1.0}]


class TestTenureShare(PayoutRuleContract):
    rule_cls = TenureSharePayout
    param_sets = [{}, {"share": 0.2, "max_months": 3}, {"share": 0.0}]
    bad_params = [{"share": 1.5}, {"share": -0.1}, {"max_months": 0}]


class TestRecursive(PayoutRuleContract):
    rule_cls = RecursivePayout
    param_sets = [{}, {"ratio": 0.0}, {"ratio": 0.9, "bonus": 100.0}]
    bad_params = [{"ratio": 1.0}, {"ratio": -0.1}, {"bonus": -1.0}]


# ------------------------------------------------------------------ specific schedules


def test_deferred_pays_only_after_retention():
    rule = DeferredPayout({"bonus": 1000.0, "retention_months": 12.0})
    assert realised_payments(rule, 2, 3000.0, 11.9) == ([], [])
    paid, _ = realised_payments(rule, 2, 3000.0, 12.0)
    assert [(p.position, p.amount) for p in paid] == [(1, 1000.0)]


def test_instalments_add_up_to_bonus():
    rule = InstalmentsPayout({"bonus": 1200.0, "count": 4, "interval_months": 2.0})
    schedule = rule.schedule(3, 3000.0)
    assert [p.delay_months for p in schedule] == [2.0, 4.0, 6.0, 8.0]
    assert sum(p.amount for p in schedule) == pytest.approx(1200.0)
    paid, _ = realised_payments(rule, 3, 3000.0, 5.0)
    assert sum(p.amount for p in paid) == pytest.approx(600.0)


@pytest.mark.parametrize(
    ("pro_rata", "tenure", "repaid"),
    [(False, 2.0, 600.0), (False, 6.0, 0.0), (True, 2.0, 400.0), (True, 0.0, 600.0)],
)
def test_clawback_amounts(pro_rata, tenure, repaid):
    rule = ClawbackPayout({"bonus": 600.0, "guarantee_months": 6.0, "pro_rata": pro_rata})
    _, clawed = realised_payments(rule, 2, 3000.0, tenure)
    assert sum(c.amount for c in clawed) == pytest.approx(repaid)
    assert all(c.position == 1 for c in clawed)


def test_tenure_share_per_month():
    rule = TenureSharePayout({"share": 0.1, "max_months": 12})
    paid, _ = realised_payments(rule, 1, 4000.0, 5.5)
    assert [p.delay_months for p in paid] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert sum(p.amount for p in paid) == pytest.approx(2000.0)


def test_recursive_darpa_amounts():
    paid = RecursivePayout({"bonus": 2000.0, "ratio": 0.5}).schedule(3, 0.0)
    assert {p.position: p.amount for p in paid} == {2: 2000.0, 1: 1000.0, 0: 500.0}


# ------------------------------------------------------------------ registry coverage


def _tested_rule_names() -> set[str]:
    seen: set[str] = set()
    stack = list(PayoutRuleContract.__subclasses__())
    while stack:
        cls = stack.pop()
        seen.add(cls.rule_cls.name)
        stack.extend(cls.__subclasses__())
    return seen


def test_every_registered_rule_is_tested():
    """CI fails when a registered rule has no contract test class here."""
    missing = set(PAYOUT_RULES.names()) - _tested_rule_names()
    assert not missing, f"payout rules without a PayoutRuleContract test class: {missing}"
