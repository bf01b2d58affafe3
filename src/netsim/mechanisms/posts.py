"""Public posts: employed workers post about their employer; quitters may post in anger.

Posts are an aggregate Poisson process: at rate ``firms.posts.rate_per_month`` times the
number of workers a random worker is drawn, and posts if employed (thinning, so each
employed worker posts at that rate). The tone is positive with probability equal to the
worker's satisfaction, less ``restrict_tone_shift`` at a restricting firm and more
``embrace_tone_shift`` at an embracing one (clipped to 0..1). A quit (into search or to
another job) is followed by a negative post about the old employer with probability
``quit_negative_probability``. Every post goes through the ``post`` hook
(:meth:`MarketServices.publish_post <netsim.market.services.MarketServices.publish_post>`),
where the brand and screening see it, and into the ``posts`` table.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from netsim.engine.hooks import Hooks, Separation
from netsim.engine.rng import FastStream
from netsim.engine.timers import starting
from netsim.market.services import MarketServices
from netsim.mechanisms.brand import QUIT_REASONS
from netsim.scenario.schema import Scenario

#: What made a worker post (``trigger`` column of the posts table).
TRIGGERS = ("staff", "quit")


class PublicPosts:
    """Workers' public posts about employers (see the module docstring)."""

    def __init__(
        self, scenario: Scenario, market: MarketServices, hooks: Hooks, gen: np.random.Generator
    ) -> None:
        self.cfg = cfg = scenario.firms.posts
        self.market = market
        self.rand = FastStream(gen)
        self.tone_shift = (-cfg.restrict_tone_shift, 0.0, cfg.embrace_tone_shift)
        self.cols = {
            "time_months": array("d"),
            "worker": array("i"),
            "company": array("i"),
            "tone": array("b"),
            "trigger": array("b"),
        }
        if cfg.quit_negative_probability > 0.0:
            hooks.separation.append(self._on_separation)

    def processes(self) -> list:
        """The posting process (none if the rate is 0)."""
        return [starting(self._start_posts)] if self.cfg.rate_per_month > 0.0 else []

    def _start_posts(self) -> None:
        """Set the first of the chain of posting timers (:meth:`_post`): one aggregate Poisson
        process, rate per worker times workers."""
        m = self.market
        self._n = m.n_workers  # asked on every post
        rate = self.cfg.rate_per_month * self._n
        m.call_in(self.rand.exponential(rate), self._post, rate, None)

    def _post(self, rate: float, _: None) -> None:
        """A random worker posts about their employer (if any); the next post is set."""
        m, rand = self.market, self.rand
        m.count_event()
        i = rand.integers(self._n)
        c = m.employers[i]
        if c >= 0:
            p = m.satisfaction(i) + self.tone_shift[m.company_policy(c)]
            self._publish(i, c, 1 if rand.random() < p else -1, 0)
        m.call_in(rand.exponential(rate), self._post, rate, None)

    def _on_separation(self, sep: Separation) -> None:
        if sep.reason in QUIT_REASONS and self.rand.random() < self.cfg.quit_negative_probability:
            self._publish(sep.worker, sep.company, -1, 1)

    def _publish(self, i: int, c: int, tone: int, trigger: int) -> None:
        col = self.cols
        col["time_months"].append(self.market.now)
        col["worker"].append(i)
        col["company"].append(c)
        col["tone"].append(tone)
        col["trigger"].append(trigger)
        self.market.publish_post(i, c, tone)

    def counts(self) -> tuple[int, int]:
        """Positive and negative posts so far."""
        tone = np.asarray(self.cols["tone"], dtype=np.int8)
        return int((tone > 0).sum()), int((tone < 0).sum())

    def table(self) -> pd.DataFrame:
        """Every post: time (months), worker, company, tone (+1/-1), trigger."""
        c = self.cols
        return pd.DataFrame(
            {
                "time_months": np.asarray(c["time_months"], dtype=np.float64),
                "worker": np.asarray(c["worker"], dtype=np.int32),
                "company": np.asarray(c["company"], dtype=np.int32),
                "tone": np.asarray(c["tone"], dtype=np.int8),
                "trigger": pd.Categorical.from_codes(
                    np.asarray(c["trigger"], dtype=np.int8), categories=list(TRIGGERS)
                ),
            }
        )
