"""Colleague ties: employed workers befriend colleagues at a constant rate per month.

One aggregate Poisson process for the whole population (rate ``colleague_tie_rate_per_month``
times the number of workers), thinned to the employed: a draw that lands on a worker who is
not employed, or alone at their company, forms no tie.
"""

from __future__ import annotations

from netsim.market.state import EMPLOYED


class ColleagueTies:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: colleague ties."""

    def _colleague_tie_process(self):
        """Each employed worker befriends a random colleague at a constant rate (thinning)."""
        n = self.workers.n
        ties = self.sc.ties
        rate = ties.colleague_tie_rate_per_month * n
        if rate <= 0.0:
            return
        state, employer, staff, rand, net = (
            self.state,
            self.employer,
            self.staff,
            self.rand,
            self.net,
        )
        while True:
            yield self.env.timeout(rand.exponential(rate))
            self.n_events += 1
            i = rand.integers(n)
            if state[i] != EMPLOYED:
                continue
            mates = staff[employer[i]]
            if len(mates) < 2:
                continue
            j = rand.choice(mates)
            if j != i and net.add_tie(i, j, ties.colleague_tie_strength, "colleague", self.env.now):
                self.month.ties_formed += 1
                self.log.log(
                    self.env.now,
                    "tie_formed",
                    "colleague",
                    i,
                    employer[i],
                    other=j,
                    value=ties.colleague_tie_strength,
                )
