"""How a payout rule can be gamed: sybil chains and rotating colluders, as pure functions.

The engine calls these to give cheaters their best response to *whatever* rule the scenario
names, so a new rule is gamed without new code. Everything here works from a rule's
schedule and clawbacks through :func:`netsim.payouts.realised_payments`.

Units: money in currency units, salary in currency units per month, time in months.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from netsim.platform.payouts import PayoutRule, realised_payments


def _take(
    rule: PayoutRule, chain_length: int, positions: range, salary: float, stay_months: float
) -> float:
    """Payments to ``positions`` minus their clawbacks for a hire staying ``stay_months``."""
    paid, clawed = realised_payments(rule, chain_length, salary, stay_months)
    received = sum(p.amount for p in paid if p.position in positions)
    repaid = sum(c.amount for c in clawed if c.position in positions)
    return received - repaid


def sybil_take(
    rule: PayoutRule,
    chain_length: int,
    cheater_position: int,
    n_sybils: int,
    salary: float,
    stay_months: float,
) -> tuple[float, float]:
    """The cheater's realised take (currency) without and with ``n_sybils`` fake identities.

    The honest chain has ``chain_length`` referrers and the cheater at ``cheater_position``
    (0-based; ``chain_length - 1`` is the last referrer). The sybils are inserted directly
    after the cheater, so the gamed chain has ``chain_length + n_sybils`` referrers and the
    cheater owns positions ``cheater_position .. cheater_position + n_sybils``. The take is
    what all owned identities receive minus what they repay, for a hire of monthly
    ``salary`` who stays ``stay_months``. A sybil-proof rule has ``with <= without``.
    """
    if chain_length < 1:
        raise ValueError(f"chain_length must be >= 1, got {chain_length}")
    if not 0 <= cheater_position < chain_length:
        raise ValueError(f"cheater_position {cheater_position} not in 0..{chain_length - 1}")
    if n_sybils < 0:
        raise ValueError(f"n_sybils must be >= 0, got {n_sybils}")
    without = _take(
        rule, chain_length, range(cheater_position, cheater_position + 1), salary, stay_months
    )
    with_sybils = _take(
        rule,
        chain_length + n_sybils,
        range(cheater_position, cheater_position + n_sybils + 1),
        salary,
        stay_months,
    )
    return without, with_sybils


@dataclass(frozen=True)
class RotationPlan:
    """The best response of a colluding referrer–candidate pair to a payout rule.

    ``stay_months``: how long the candidate stays in each job (months);
    ``profit_per_cycle``: the pair's take per placement minus the switching cost (currency);
    ``profit_per_month``: ``profit_per_cycle`` over the cycle, stay plus search (currency
    per month); ``rotate``: whether rotating pays at all. When it does not, the pair
    behaves honestly: ``stay_months`` is the longest stay considered and both profits are 0.
    """

    stay_months: float
    profit_per_cycle: float
    profit_per_month: float
    rotate: bool


def _breakpoints(
    rule: PayoutRule, salary: float, min_stay_months: float, max_stay_months: float
) -> list[float]:
    """Stays at which the pair's realised take can change, within the allowed range."""
    points = {min_stay_months, max_stay_months}
    points.update(p.delay_months for p in rule.schedule(1, salary))
    points.add(rule.clawback_months())
    # Whole months as a safety net: a researcher's rule may claw back in steps that it does
    # not declare in clawback_months(); the extra points cannot change a correct optimum.
    points.update(range(math.ceil(min_stay_months), math.floor(max_stay_months) + 1))
    return sorted(t for t in points if min_stay_months <= t <= max_stay_months)


def best_rotation(
    rule: PayoutRule,
    salary: float,
    switching_cost: float,
    search_months: float,
    min_stay_months: float,
    max_stay_months: float,
) -> RotationPlan:
    """The stay that maximises a colluding pair's profit per month under ``rule``.

    The referrer (position 0 of a chain of length 1, hence also the last referrer) places
    the candidate, who stays ``tau`` months and moves on; each cycle lasts
    ``tau + search_months`` and costs ``switching_cost`` (currency per move). Profit per
    cycle is the rule's realised payments minus clawbacks for a stay of ``tau``, minus the
    switching cost. ``salary`` (currency per month) only sizes salary-linked rewards: it is
    *not* counted as profit, because the candidate would earn a salary in a job anyway, so
    it does not distinguish rotating from staying.

    The realised take is piecewise linear in ``tau`` and jumps only at payment delays and
    clawback thresholds; on each piece profit per month, ``(a + b tau) / (tau + s)``, is
    monotone, so the optimum lies at a breakpoint: ``min_stay_months``, each payment delay
    and clawback threshold in range, ``max_stay_months`` (and, as a safety net, every whole
    month). Payments due at delay ``d`` count when ``tau >= d``. Ties go to the shorter stay.
    """
    if not 0 <= min_stay_months <= max_stay_months:
        raise ValueError(
            f"need 0 <= min_stay_months <= max_stay_months, got {min_stay_months}, "
            f"{max_stay_months}"
        )
    if search_months < 0 or switching_cost < 0:
        raise ValueError("search_months and switching_cost must be >= 0")
    best: tuple[float, float, float] | None = None  # (per month, per cycle, stay)
    for tau in _breakpoints(rule, salary, min_stay_months, max_stay_months):
        cycle_months = tau + search_months
        if cycle_months <= 0:
            # A zero-length cycle would give infinite profit per month; not a real plan.
            continue
        per_cycle = _take(rule, 1, range(0, 1), salary, tau) - switching_cost
        per_month = per_cycle / cycle_months
        if best is None or per_month > best[0]:
            best = (per_month, per_cycle, tau)
    if best is None or best[1] <= 0:
        return RotationPlan(float(max_stay_months), 0.0, 0.0, rotate=False)
    return RotationPlan(float(best[2]), best[1], best[0], rotate=True)


def payout_safe_after(
    rule: PayoutRule, chain_length: int, positions: tuple[int, ...], salary: float
) -> float:
    """The shortest stay (months after the hire) after which ``positions`` keep everything.

    That is the earliest moment a placed friend can quit without costing the referrers at
    ``positions`` (0-based chain positions) any payout or clawback: their realised take
    (:func:`netsim.payouts.realised_payments`) for a stay that short equals their take for
    a stay past every payment delay and clawback threshold. Pay per hit: 0; a deferred
    bonus: its retention; a clawback: its guarantee; a tenure share: its last month. Like
    :func:`best_rotation`, only the rule's schedule and clawbacks are consulted, so a
    researcher's rule is handled without new code.
    """
    delays = [p.delay_months for p in rule.schedule(chain_length, salary)]
    longest = max([0.0, rule.clawback_months(), *delays])
    owned = [range(p, p + 1) for p in positions]

    def take(stay: float) -> float:
        return sum(_take(rule, chain_length, r, salary, stay) for r in owned)

    full = take(longest)
    points = sorted(set(_breakpoints(rule, salary, 0.0, longest)) | set(delays))
    # Payments due at a stay of exactly `tau` count (the quit comes just after them).
    return next((t for t in points if take(t) >= full - 1e-9), longest)


def closed_form_recursive_total(bonus: float, ratio: float, chain_length: int) -> float:
    """Total paid by the recursive rule for ``chain_length`` referrers: ``B (1-r^L) / (1-r)``.

    ``bonus`` B in currency, ``0 <= ratio < 1``; with ``ratio == 0`` the total is B.
    """
    if chain_length < 1:
        raise ValueError(f"chain_length must be >= 1, got {chain_length}")
    if ratio == 0:
        return float(bonus)
    return bonus * (1.0 - ratio**chain_length) / (1.0 - ratio)
