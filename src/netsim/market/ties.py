"""Colleague ties: employed workers befriend colleagues at a constant rate per month.

One aggregate Poisson process for the whole population (rate ``colleague_tie_rate_per_month``
times the number of workers), thinned to the employed: a draw that lands on a worker who is
not employed, or alone at their company, forms no tie.
"""

from __future__ import annotations

from netsim.market.state import EMPLOYED


class ColleagueTies:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: colleague ties."""

    def _start_colleague_ties(self) -> None:
        """Each employed worker befriends a random colleague at a constant rate (thinning):
        set the first timer of the chain (:meth:`_colleague_tie`; started as a process by
        :func:`netsim.engine.timers.starting`)."""
        rate = self.sc.ties.colleague_tie_rate_per_month * self.workers.n
        if rate > 0.0:
            self._call_in(self.rand.exponential(rate), self._colleague_tie, rate, None)

    def _colleague_tie(self, rate: float, _: None = None) -> None:
        """One event of the aggregate process (``rate`` per month): maybe a tie, then the next."""
        self.n_events += 1
        rand, n = self.rand, self.workers.n
        i = rand.integers(n)
        if self.state[i] == EMPLOYED:
            c = self.employer[i]
            mates = self.staff[c]
            if len(mates) >= 2:
                j = rand.choice(mates)
                if j != i:
                    self._colleagues_meet(i, j, c)
        self._call_in(rand.exponential(rate), self._colleague_tie, rate, None)

    def _colleagues_meet(self, i: int, j: int, c: int) -> None:
        """Workers i and j of company c form a colleague tie (if they have none yet)."""
        strength = self.sc.ties.colleague_tie_strength
        t = self.env.now
        if self.net.add_tie(i, j, strength, "colleague", t):
            self.month.ties_formed += 1
            self.log.log(t, "tie_formed", "colleague", i, c, other=j, value=strength)
