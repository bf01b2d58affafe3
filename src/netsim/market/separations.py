"""Separations: quits, dismissals, probation dismissals, market exit and re-entry.

Every separation books the ended stint, may open a replacement vacancy, and calls the
``separation`` hooks; a worker who starts seeking calls the ``seeking`` hooks.
"""

from __future__ import annotations

from netsim.engine.hooks import Separation
from netsim.market.state import EMPLOYED, FREELANCING, OUT, SEEKING


class Separations:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: how jobs end."""

    def _separate(self, i: int, reason: str) -> None:
        """Worker i leaves its employer (the caller sets the new state)."""
        t = self.env.now
        start = self.since[i]
        hid = self.hire_id[i]
        c = self._unemploy(i, t)
        self.company_separations[c] += 1
        self.month.separations[reason] += 1
        self.log.log(t, "separation", reason, i, c, -1, hid, float("nan"), hid)
        if not self.always_hiring and self.rand.random() < self.replacement_probability:
            self._open_vacancy(c, "replacement")
        hooks = self.hooks.separation
        if hooks:
            sep = Separation(hid, t, i, c, reason, t - start, self.stint_hire[i])
            for hook in hooks:
                hook(sep)

    def _to_seeking(self, i: int) -> None:
        self.state[i] = SEEKING
        self.seeking_count += 1
        self.month.employed_to_seeking += 1
        self._schedule_worker(i)
        for hook in self.hooks.seeking:
            hook(i)

    def _exit_market(self, i: int) -> None:
        t = self.env.now
        if self.state[i] == EMPLOYED:
            self._separate(i, "exit")
            self.month.employed_to_out += 1
        elif self.state[i] == FREELANCING:
            self._end_gigs_on_exit(i)
        else:
            self.seeking_count -= 1
            self.month.seeking_to_out += 1
        self.state[i] = OUT
        self.out_count += 1
        self.month.market_exits += 1
        self.log.log(t, "market_exit", worker=i)
        self._schedule_worker(i)

    def _reenter(self, i: int) -> None:
        self.state[i] = SEEKING
        self.out_count -= 1
        self.seeking_count += 1
        self.month.market_entries += 1
        self.log.log(self.env.now, "market_entry", worker=i)
        self._schedule_worker(i)
        for hook in self.hooks.seeking:
            hook(i)

    def _schedule_probation_end(self, i: int, at: float) -> None:
        # n_jobs identifies the stint: it changes with every new employer. Probation has one
        # length, so ends arrive in time order and wait in a FIFO, not in SimPy's heap.
        self.probation_ends.add(at, (i, self.n_jobs[i]))

    def _probation_end_due(self, item: tuple[int, int]) -> None:
        """A probation end from the FIFO fell due (``item`` is worker and stint)."""
        self._probation_end(*item)

    def _probation_end(self, i: int, n_jobs: int) -> None:
        self.n_events += 1
        if self.n_jobs[i] != n_jobs or self.state[i] != EMPLOYED:
            return  # that job has already ended
        if self.rand.random() < self.probation_dismissal * (1.0 - self.fit[i]):
            self._separate(i, "probation_dismissal")
            self._to_seeking(i)

    def schedule_quit(self, i: int, hire_id: int, at: float) -> None:
        """Make worker i quit into search at ``at`` (months) if still in the stint of ``hire_id``.

        Used by strategies that choose how long to stay (rotation gaming). The quit is
        scheduled just after any payment due at the same moment.
        """

        def quit_now(_ev) -> None:
            self.n_events += 1
            if self.state[i] == EMPLOYED and self.stint_hire[i] == hire_id:
                self._separate(i, "quit")
                self._to_seeking(i)
            elif self.freelancers:
                self._quit_gig(i, hire_id)  # a gig the strategy chose to leave early

        self._timer(max(at - self.env.now, 0.0) + 1e-9, quit_now)
