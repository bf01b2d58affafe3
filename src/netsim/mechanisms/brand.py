"""Brand (employer reputation) as a state that moves with staff satisfaction, quits and posts.

A company's brand is its long-run brand times ``exp(R)``, where ``R`` is a reputation index
(log units). Once a month (month end, O(companies)) the index leaks towards 0 with time
constant ``tau = firms.brand.time_constant_months`` and moves with the month's signal::

    R <- exp(-1/tau) R + w_s (mean staff satisfaction - 0.5)
                       + w_p (net posts - the market's net posts per head * heads) / staff
                       - w_q (quits - the market's quits per head * heads) / staff

(``w_s, w_p, w_q`` = ``satisfaction_weight``, ``post_weight``, ``quit_weight``; staff
counted with five heads added, a shrinkage prior that keeps one post at a two-person firm
from swinging its brand; quits are quits into search and to other jobs), bounded by
``max_index``. The index is therefore a log-brand random walk driven by the month's counts,
with a memory of about ``tau`` months. Satisfaction is measured against 0.5, the mean of a
new hire's draw, and quits against the market's average, so a firm whose staff are as
content, as loyal and as well spoken of as anyone's keeps its long-run brand on average
(net posts = positive - negative; the market's averages are over the firms in business).
A new firm starts at ``R = log(firms.entry.brand_share)``: no reputation yet, built up
over about ``tau`` months.
The brand weights open-market search (:meth:`MarketServices.set_brands
<netsim.market.services.MarketServices.set_brands>`).
"""

from __future__ import annotations

import math

import numpy as np

from netsim.engine.hooks import Hooks, Post, Separation
from netsim.market.services import MarketServices
from netsim.scenario.schema import Scenario

#: Separation reasons that count as quits (voluntary departures).
QUIT_REASONS = frozenset({"quit", "job_to_job"})
#: Heads added to a firm's staff when counts are taken per head (a shrinkage prior).
SHRINK_HEADS = 5.0


class BrandDynamics:
    """The moving brand of every company (see the module docstring)."""

    def __init__(self, scenario: Scenario, market: MarketServices, hooks: Hooks) -> None:
        self.cfg = scenario.firms.brand
        self.market = market
        m = market.n_companies
        #: Long-run brand per company (0 for dormant slots until they enter).
        self.anchor = np.array([market.brand(c) for c in range(m)], dtype=np.float64)
        #: Reputation index per company (log units).
        self.index = np.zeros(m)
        self.alive = np.array([market.company_alive(c) for c in range(m)], dtype=bool)
        self.quits = [0] * m
        self.positive = [0] * m
        self.negative = [0] * m
        hooks.post.append(self._on_post)
        hooks.separation.append(self._on_separation)

    def _on_post(self, post: Post) -> None:
        if post.tone > 0:
            self.positive[post.company] += 1
        else:
            self.negative[post.company] += 1

    def _on_separation(self, sep: Separation) -> None:
        if sep.reason in QUIT_REASONS:
            self.quits[sep.company] += 1

    def enter(self, c: int, anchor: float, brand_share: float) -> float:
        """Company c enters with long-run brand ``anchor``; returns its brand now."""
        self.anchor[c] = anchor
        self.index[c] = math.log(brand_share)
        self.alive[c] = True
        return anchor * brand_share

    def exit(self, c: int) -> None:
        """Company c closed: its brand is 0 from now on."""
        self.alive[c] = False
        self.index[c] = 0.0

    @property
    def brands(self) -> np.ndarray:
        """Current brand per company (0 for firms not in business)."""
        return np.where(self.alive, self.anchor * np.exp(self.index), 0.0)

    def update(self, sat_sums: np.ndarray, heads: np.ndarray) -> np.ndarray:
        """The month-end step: move every index, set the brands in the market, reset the
        month's counts. Returns the month's quits per company."""
        cfg = self.cfg
        quits = np.asarray(self.quits, dtype=np.float64)
        pos = np.asarray(self.positive, dtype=np.float64)
        neg = np.asarray(self.negative, dtype=np.float64)
        # Per head of staff plus a prior of SHRINK_HEADS: one post at a two-person firm
        # must not swing its brand by a factor of several.
        staff = heads.astype(np.float64) + SHRINK_HEADS
        alive = self.alive
        mean_sat = np.where(heads > 0, sat_sums / np.maximum(heads, 1), 0.5)
        total_heads = float(heads[alive].sum())
        market_quits = float(quits[alive].sum()) / total_heads if total_heads else 0.0
        net = pos - neg
        market_net = float(net[alive].sum()) / total_heads if total_heads else 0.0
        signal = (
            cfg.satisfaction_weight * (mean_sat - 0.5)
            + cfg.post_weight * (net - market_net * heads) / staff
            - cfg.quit_weight * (quits - market_quits * heads) / staff
        )
        leak = math.exp(-1.0 / cfg.time_constant_months)
        index = np.clip(leak * self.index + signal, -cfg.max_index, cfg.max_index)
        self.index = np.where(alive, index, 0.0)
        self.market.set_brands(self.brands.tolist())
        m = len(self.quits)
        self.quits, self.positive, self.negative = [0] * m, [0] * m, [0] * m
        return quits
