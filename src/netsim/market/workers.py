"""Worker events: one competing-risks timer per worker, drawn from the worker's hazards.

A worker's hazards depend on its own state (visibility, mobility, satisfaction, probation),
so each worker holds one pending timer (:class:`netsim.engine.timers.WorkerTimers`) for the
*sum* of its current hazards; the event type is drawn when it fires. Rates are per month.
"""

from __future__ import annotations

from netsim.market.state import EMPLOYED, OUT, SEEKING


class WorkerEvents:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: worker timers and events."""

    def _schedule_worker(self, i: int) -> None:
        """(Re)start worker i's competing-risks timer for its current state.

        An employed worker's total hazard steps up by the dismissal rate when probation
        ends. The waiting time is drawn by inverting that piecewise-constant hazard (one
        unit exponential), so the end of probation needs no event and no re-draw.
        """
        self.epoch[i] += 1
        st = self.state[i]
        if st == EMPLOYED:
            early = self.quit_rate[i] + self.ojs_rate[i] + self.exit_rate
            late = early + self.dismiss_rate
            left = self.since[i] + self.probation - self.env.now  # probation still to run
            e = self.rand.exponential(1.0)
            if left > 0.0 and e < early * left:
                delay = e / early
            elif late <= 0.0:
                return
            elif left > 0.0:
                delay = left + (e - early * left) / late
            else:
                delay = e / late
        else:
            if st == SEEKING:
                rate = self.find_rate[i] + self.exit_rate
            elif st == OUT:
                rate = self.reentry_rate
            else:  # a freelancer on gigs (market/gigs.py)
                rate = self._gig_search_rate(i) + self.exit_rate
            if rate <= 0.0:
                return
            delay = self.rand.exponential(rate)
        self.timers.set(i, delay)

    def _in_probation(self, i: int) -> bool:
        """Whether employed worker i is still in probation now."""
        return self.env.now < self.since[i] + self.probation

    def _worker_event(self, i: int, epoch: int) -> None:
        """Worker i's competing-risks timer of ``epoch`` fired (ignored if i has moved on)."""
        self.n_events += 1
        if self.epoch[i] != epoch:
            self.timers.n_stale += 1
            return
        st = self.state[i]
        if st == SEEKING:
            self._seeking_event(i)
        elif st == EMPLOYED:
            self._employed_event(i)
        elif st == OUT:
            self._reenter(i)
        else:
            self._freelancing_event(i)

    def _seeking_event(self, i: int) -> None:
        u = self.rand.random() * (self.find_rate[i] + self.exit_rate)
        if u < self.exit_rate:
            self._exit_market(i)
            return
        self._search(i, "market")
        if self.state[i] == SEEKING:
            self._schedule_worker(i)

    def _employed_event(self, i: int) -> None:
        c = self.employer[i]
        quit_rate = self.quit_rate[i]
        dismiss = 0.0 if self._in_probation(i) else self.dismiss_rate
        total = quit_rate + dismiss + self.exit_rate + self.ojs_rate[i]
        u = self.rand.random() * total
        if u < quit_rate:
            self._separate(i, "quit")
            self._to_seeking(i)
        elif u < quit_rate + dismiss:
            self._separate(i, "dismissal")
            self._to_seeking(i)
        elif u < quit_rate + dismiss + self.exit_rate:
            self._exit_market(i)
        elif self.pass_news:
            # Calvo-Armengol & Jackson: the employed hearer passes the news on, to a seeking
            # contact drawn uniformly; the news is lost if there is none.
            seeker = self._random_seeking_contact(i)
            if seeker >= 0:
                self._search(seeker, "word_of_mouth")
            self._schedule_worker(i)
        else:
            self._search(i, "market")
            if self.employer[i] == c:
                self._schedule_worker(i)
