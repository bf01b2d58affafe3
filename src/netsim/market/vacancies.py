"""Vacancies: open (initial, growth, replacement, on demand), post, expire, close.

A vacancy at a large company may be filled internally; otherwise it is posted on the open
market (the ``vacancy_posted`` hooks see it) until it is filled or expires (an exponential
duration with mean ``vacancies.mean_duration_months``, kept in a
:class:`~netsim.engine.deadlines.DeadlineQueue`). Growth vacancies open at a constant total
rate, at companies chosen by their initial positions.
"""

from __future__ import annotations

from bisect import bisect_right

from netsim.engine.hooks import VacancyClosed, VacancyOpened
from netsim.market.state import V_EXPIRED, V_FILLED, V_INTERNAL, V_OPEN


class Vacancies:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: the vacancy life cycle."""

    def _open_vacancy(
        self,
        c: int,
        origin: str,
        skill: int | None = None,
        market_only: bool = False,
        project_months: float | None = None,
    ) -> int:
        """Open a vacancy at company c; a project (``project_months`` its length) if given."""
        v = len(self.vac_company)
        self.vac_company.append(c)
        self.vac_skill.append(self._draw_vacancy_skill(c) if skill is None else skill)
        self.vac_opened.append(self.env.now)
        self.vac_pos.append(-1)
        if project_months is not None:
            self.project_len[v] = project_months
        self.month.vacancies_opened += 1
        self.log.log(self.env.now, "vacancy_opened", origin, company=c, vacancy=v)
        vs = self.sc.vacancies
        internal = (
            project_months is None
            and not market_only
            and self.is_large[c]
            and self.staff[c]
            and self.rand.random() < vs.internal_fill_share
        )
        if internal:
            self.vac_status.append(V_INTERNAL)
            self._internal_open += 1
            self._call_in(
                self.rand.exponential(1.0 / vs.internal_fill_months),
                self._fill_internally,
                v,
                None,
            )
        else:
            self.vac_status.append(V_OPEN)
        hooks = self.hooks.vacancy_opened
        if hooks:
            ev = VacancyOpened(v, c, self.env.now, origin, self.vac_skill[v])
            for hook in hooks:
                hook(ev)
        if not internal and not market_only:
            self._post(v)
        return v

    def _post(self, v: int) -> None:
        """Put vacancy v on the open market until filled or expired."""
        if self.freelancers and v in self.project_len:
            self.n_open_projects += 1
            self._list_open(v, self.open_projects, self.project_sampler)
        else:
            self.n_open_market += 1
            self._list_open(v, self.open_market, self.vacancy_sampler)

    def _list_open(self, v: int, lists: list[list[int]], sampler) -> None:
        """Open vacancy v in its company's list and brand-weighted sampler (positions and
        projects each have their own), schedule its expiry and news, call the hooks."""
        c = self.vac_company[v]
        self.vac_status[v] = V_OPEN
        lst = lists[c]
        self.vac_pos[v] = len(lst)
        lst.append(v)
        sampler.add(c, self.brand[c])
        self.expiries.add(self.env.now + self.rand.exponential(1.0 / self.vacancy_mean_months), v)
        self._schedule_tip(v)
        for hook in self.hooks.vacancy_posted:
            hook(v)

    def _unlist(self, v: int, lists: list[list[int]], sampler) -> None:
        """Take open vacancy v out of its company's list and sampler (see :meth:`_list_open`)."""
        c = self.vac_company[v]
        lst = lists[c]
        p = self.vac_pos[v]
        last = lst.pop()
        if last != v:
            lst[p] = last
            self.vac_pos[last] = p
        self.vac_pos[v] = -1
        sampler.add(c, -self.brand[c])

    def _close_vacancy(self, v: int, status: int) -> None:
        """Set vacancy v's status; take it off the open market if it was there."""
        c = self.vac_company[v]
        if self.vac_status[v] == V_OPEN and self.vac_pos[v] >= 0:
            if v in self.project_len:
                self.n_open_projects -= 1
                self._unlist(v, self.open_projects, self.project_sampler)
            else:
                self.n_open_market -= 1
                self._unlist(v, self.open_market, self.vacancy_sampler)
        self.vac_status[v] = status
        hooks = self.hooks.vacancy_closed
        if hooks:
            ev = VacancyClosed(v, c, self.env.now, "filled" if status == V_FILLED else "expired")
            for hook in hooks:
                hook(ev)

    def _expire(self, v: int) -> None:
        """Open vacancy v expires unfilled (called by the expiry DeadlineQueue)."""
        self.n_events += 1
        self._close_vacancy(v, V_EXPIRED)
        self.month.vacancies_expired += 1
        self.log.log(self.env.now, "vacancy_expired", company=self.vac_company[v], vacancy=v)

    def _growth_process(self):
        growth = self.sc.vacancies.growth_rate_per_month
        if growth <= 0.0 or self.always_hiring or not self._pos_cum or self._pos_cum[-1] <= 0:
            return
        while True:
            # The positions of firms in business change when firms enter or exit
            # (netsim.market.lifecycle); the rate is read at each draw.
            total = self._pos_cum[-1]
            if total <= 0:
                yield self.env.timeout(1.0)
                continue
            yield self.env.timeout(self.rand.exponential(growth * total))
            self.n_events += 1
            total = self._pos_cum[-1]
            if total <= 0:
                continue
            c = bisect_right(self._pos_cum, self.rand.random() * total)
            self._open_vacancy(min(c, len(self._pos_cum) - 1), "growth")
