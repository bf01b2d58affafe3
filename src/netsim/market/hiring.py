"""The hiring step every channel shares: an application, the wage offer, and the hire.

A candidate fits a vacancy of their own skill (else with probability ``cross_skill_fit``);
an employed candidate accepts an offer that beats their salary by the switch premium, a
seeking one an offer above their reservation wage. A hire starts onboarding and probation
and calls the ``hire`` hooks with its referral chain.
"""

from __future__ import annotations

from netsim.engine.hooks import Hire
from netsim.market.state import EMPLOYED, OUT, V_FILLED

#: Channels through which a hire comes via a contact who may know both sides.
CONTACT_CHANNELS = frozenset({"word_of_mouth", "platform", "employee_referral"})


class Hiring:
    """Mixin of :class:`~netsim.market.labour_market.LabourMarket`: applications and hires."""

    def _apply(self, i: int, c: int, v: int, channel: str, chain: tuple[int, ...] = ()) -> bool:
        """Worker i applies to vacancy v at company c (v = -1: created on demand).

        ``chain`` is the referral chain of a platform candidacy (screened by the platform
        before it applies, see :meth:`netsim.market.services.MarketServices.apply`). Every
        application is then put to the ``screen`` hooks (the company's own screening rule),
        before fit and wage are checked. Projects and freelancers go to :meth:`_apply_gig`.
        Returns whether i was hired.
        """
        if self.freelancers and (self.contract[i] or v in self.project_len):
            return self._apply_gig(i, c, v, channel, chain)
        if self.employer[i] == c or self.state[i] == OUT:
            return False
        held = self.held
        if held and i in held:
            only, until = held[i]
            if channel != only and self.env.now < until:
                return False  # held by a mechanism: declines offers through other channels
        if self.hooks.screen and self._screened_out(i, c, channel):
            return False
        skill = self.vac_skill[v] if v >= 0 else self._draw_vacancy_skill(c)
        fit = 1.0 if skill == self.skill_of[i] else self.cross_skill_fit
        if fit < 1.0 and self.rand.random() >= fit:
            return False
        offer = self._offer(i, c)
        if self.state[i] == EMPLOYED:
            if offer < self.salary[i] * (1.0 + self.switch_premium):
                return False
        elif offer < self.reservation_ratio * self.last_salary[i]:
            return False
        if v < 0:
            v = self._open_vacancy(c, "on_demand", skill=skill, market_only=True)
        self._hire(i, v, channel, offer, fit, chain)
        return True

    def _screened_out(self, i: int, c: int, channel: str) -> bool:
        """Whether company c's own screening (the ``screen`` hooks) rejects applicant i."""
        # A loop, not any(genexpr): this runs once per application.
        for screen in self.hooks.screen:  # noqa: SIM110
            if not screen(i, c, channel):
                return True
        return False

    def _match_quality(self, channel: str) -> float:
        """A new hire's satisfaction with the match (0..1, Beta(2, 2)).

        A referrer who knows both the candidate and the firm passes on only the better of
        two possible matches (with probability ``referral_information``): referrals carry
        information about match quality, so referred hires are more satisfied and quit less.
        """
        sat = self.rand.beta22()
        info = self.referral_information
        if info > 0.0 and channel in CONTACT_CHANNELS and self.rand.random() < info:
            sat = max(sat, self.rand.beta22())
        return sat

    def _hire(
        self, i: int, v: int, channel: str, salary: float, fit: float, chain: tuple[int, ...] = ()
    ) -> None:
        t = self.env.now
        c = self.vac_company[v]
        self._close_vacancy(v, V_FILLED)
        prev = -1
        if self.state[i] == EMPLOYED:
            prev = self.employer[i]
            self._separate(i, "job_to_job")
        else:
            self.month.hires_from_seeking += 1
        source = prev if prev >= 0 else self.last_employer[i]
        self.knowledge.transfer(source, c, t)
        hid = self.n_hires
        self.n_hires += 1
        sat = self._match_quality(channel)
        shift = self.sat_shift[c]
        if shift:  # a firm's climate (staff policy, brand) shifts new hires' satisfaction
            sat = min(max(sat + shift, 0.0), 1.0)
        self._employ(i, c, t, salary, sat, fit, channel, hid)
        self.company_hires[c] += 1
        self.month.hires[channel] += 1
        self.log.log(t, "hire", channel, i, c, v, prev, salary, hid)
        # Only a hire that may fail probation needs an event when probation ends.
        if self.probation > 0.0 and self.probation_dismissal * (1.0 - fit) > 0.0:
            self._schedule_probation_end(i, t + self.probation)
        self._schedule_worker(i)
        hooks = self.hooks.hire
        if hooks:
            hire = Hire(hid, t, i, c, v, channel, salary, prev, chain)
            for hook in hooks:
                hook(hire)
