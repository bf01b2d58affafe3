"""The word-of-mouth channel: staff pass news of their company's openings to contacts.

Each open vacancy sends news at ``word_of_mouth_rate_per_month`` while it is open.
"""

from __future__ import annotations

from netsim.market.state import SEEKING, V_OPEN


class WordOfMouth:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: word of mouth."""

    def _schedule_tip(self, v: int) -> None:
        rate = self.tip_rate
        if rate > 0.0:
            # A plain timer, not a SimPy event (netsim.engine.environment): same order, cheaper.
            self._call_in(self.rand.exponential(rate), self._tip, v, None)

    def _tip(self, v: int, _: None = None) -> None:
        """Word of mouth: a random staff member passes news of open vacancy v on.

        As in Calvó-Armengol & Jackson (2004), the news goes to a contact who is seeking;
        if the staff member knows no seeker, it goes to a random contact, who passes it to
        one of their own seeking contacts (two hops at most). The vacancy keeps sending
        news while it is open.
        """
        self.n_events += 1
        if self.vac_status[v] != V_OPEN:
            return
        self._schedule_tip(v)
        c = self.vac_company[v]
        staff = self.staff[c]
        if not staff:
            return
        rand = self.rand
        teller = rand.choice(staff)
        # With freelancers, news goes to someone who can take it (positions to seeking
        # employees, projects to freelancers below K clients; market/gigs.py).
        pick = self._random_contact_for if self.freelancers else None
        seeker = pick(teller, v) if pick else self._random_seeking_contact(teller)
        if seeker < 0:
            friend = self.net.random_neighbour(teller, rand)
            if friend < 0 or self.employer[friend] == c:
                return
            seeker = pick(friend, v) if pick else self._random_seeking_contact(friend)
        if seeker >= 0:
            self._apply(seeker, c, v, "word_of_mouth")

    def _random_seeking_contact(self, i: int) -> int:
        """A uniformly chosen seeking contact of worker i, or -1 if none."""
        state = self.state
        seekers = [k for k in self.net.neighbours[i] if state[k] == SEEKING]
        return self.rand.choice(seekers) if seekers else -1
