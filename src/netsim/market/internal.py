"""The internal-pool channel: a large company moves one of its own staff into a vacancy.

Tenure with the company continues; the worker's old role becomes the next vacancy, so
internal moves form vacancy chains.
"""

from __future__ import annotations

from netsim.market.state import V_EXPIRED, V_FILLED, V_INTERNAL


class InternalPool:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: internal moves."""

    def _fill_internally(self, v: int, _: None = None) -> None:
        """A large company moves one of its own staff into vacancy v."""
        self.n_events += 1
        if self.vac_status[v] != V_INTERNAL:
            return
        self._internal_open -= 1
        c = self.vac_company[v]
        staff = self.staff[c]
        if not self.alive[c]:  # the firm closed meanwhile
            self.vac_status[v] = V_EXPIRED
            return
        if not staff:
            self._post(v)
            return
        t = self.env.now
        i = self.rand.choice(staff)
        self._close_vacancy(v, V_FILLED)
        salary = max(self.salary[i], self._offer(i, c))
        hid = self.n_hires
        self.n_hires += 1
        self.company_internal_moves[c] += 1
        self.month.hires["internal"] += 1
        self.month.separations["internal_move"] += 1
        self.log.log(
            t,
            "separation",
            "internal_move",
            i,
            c,
            -1,
            self.hire_id[i],
            float("nan"),
            self.hire_id[i],
        )
        self.log.log(t, "hire", "internal", i, c, v, c, salary, hid)
        # Tenure with the company continues (as in tenure statistics); the worker's old role
        # becomes the next vacancy, so internal moves form vacancy chains.
        self._accrue_salary(i, t)
        self.salary[i] = salary
        self.hire_id[i] = hid
        if self.rand.random() < self.replacement_probability:
            self._open_vacancy(c, "replacement")
