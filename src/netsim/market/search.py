"""The open-market channel: a searching worker meets an opening, weighted by brand.

Under ``always_hiring`` demand every company hires on demand (brand-weighted); otherwise a
worker meets an open vacancy with probability proportional to the company's brand times its
number of open vacancies (a :class:`~netsim.engine.sampling.FenwickSampler`).
"""

from __future__ import annotations

from bisect import bisect_right


class OpenMarketSearch:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: open-market search."""

    def _search(self, i: int, channel: str) -> None:
        """Worker i meets an opening on the open market (brand-weighted) and applies.

        A freelancer meets projects instead of positions (:mod:`netsim.market.gigs`).
        """
        if self.freelancers and self.contract[i]:
            self._search_project(i, channel)
            return
        if self.always_hiring:
            c = bisect_right(self._brand_cum, self.rand.random() * self._brand_cum[-1])
            self._apply(i, min(c, len(self._brand_cum) - 1), -1, channel)
            return
        if self.n_open_market == 0:
            return
        c = self.vacancy_sampler.sample(self.rand.random())
        if c < 0:
            return
        self._apply(i, c, self.rand.choice(self.open_market[c]), channel)
