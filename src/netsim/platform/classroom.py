"""Classroom mode: students play platform members of a running model (``netsim ui``).

A :class:`Classroom` is the inbox between the browser and the engine. A student who joins
is given one unclaimed honest member (:meth:`Classroom.join`); that member's strategy
becomes :class:`StudentChoice`. When a vacancy reaches the member and the honest rule would
recommend someone, the vacancy waits in the member's inbox with the fitting contacts and
the honest choice (:meth:`Classroom.pending`); the student may answer with the contacts they
recommend (:meth:`Classroom.answer`). One hop later, when the engine needs the choice, it
takes the student's answer, or the honest choice if there is none. The honest choice is
drawn exactly as an honest member draws it, so a classroom in which nobody answers runs
exactly as the plain run (tested). A student's token names one member only, so a student
can act only as their own member.

A student can also put a friend up for rotation (:meth:`Classroom.rotate`): of the contacts
their member placed (recommended, hired through the platform) who are still in that job
(:meth:`Classroom.placements`), the chosen one quits into search at the earliest moment the
member's payout under the rule is safe (:func:`~netsim.platform.gaming.payout_safe_after`:
at once under pay per hit, after the retention, guarantee or tenure windows otherwise), as a
rotation gamer's friend does, so the student can recommend them again. The request waits in
the inbox; the engine applies it at the next month's end (a fixed point of the run), so a
classroom in which nobody acts still runs exactly as the plain run.

The inbox is shared by the browser sessions' threads and the engine thread, so every
method takes one lock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netsim.platform.gaming import payout_safe_after
from netsim.platform.strategies import Honest

if TYPE_CHECKING:
    from netsim.engine.hooks import Hire, MonthEnd, Separation, VacancyClosed
    from netsim.platform.referral_platform import ReferralPlatform

__all__ = ["Classroom", "Offer", "Placement", "StudentChoice"]


@dataclass
class Offer:
    """A vacancy waiting in a student's inbox.

    ``fitting``: the member's contacts with the vacancy's skill (whom they may recommend);
    ``honest``: whom the honest rule recommends (used if the student does not answer);
    ``time_months``: when the vacancy reached the member.
    """

    vacancy: int
    company: int
    fitting: tuple[int, ...]
    honest: tuple[int, ...]
    time_months: float
    answer: tuple[int, ...] | None = None
    #: Wall-clock second (``time.monotonic``) by which the student should answer.
    deadline: float = 0.0


@dataclass
class Placement:
    """A contact the student's member placed who is still in that job.

    ``hire_id``: the platform hire that placed ``friend`` at ``company`` at ``hired_months``;
    ``safe_months``: the month from which the member's payout for it is safe (all paid,
    nothing to claw back), so the friend may quit; ``rotating``: put up for rotation.
    """

    hire_id: int
    friend: int
    company: int
    hired_months: float
    safe_months: float
    rotating: bool = False


@dataclass
class Student:
    """One joined student: their ``member`` and the offers waiting for them (by vacancy)."""

    name: str
    member: int
    offers: dict[int, Offer] = field(default_factory=dict)
    #: Vacancies that reached the member since the student joined.
    seen: int = 0
    #: Recommendations the student made themself (not the honest default).
    answered: int = 0
    #: Placed friends still in that job, by hire id.
    placements: dict[int, Placement] = field(default_factory=dict)
    #: Rotations the engine applied (quits scheduled).
    rotations: int = 0
    #: Friends the engine made quit for rotation: placing one again is gamed.
    rotated: set[int] = field(default_factory=set)


class StudentChoice(Honest):
    """An honest member whose recommendations a student chooses (classroom mode).

    Behaves as :class:`~netsim.platform.strategies.Honest` except in :meth:`recommend`,
    which takes the student's answer from the :class:`Classroom` inbox when there is one.
    """

    name = "student"
    description = (
        "A member played by a student in classroom mode (netsim ui): honest unless the "
        "student re-places a friend they put up for rotation, which counts as gamed."
    )
    # A student may game: placing again a friend they rotated out of a job is rotation
    # gaming, so its payouts count as gamed and the platform's defences may detect it.
    gaming = True

    def __init__(self, classroom: Classroom | None = None) -> None:
        self.classroom = classroom

    def notice(self, platform, member: int, vacancy: int, chosen: list[int]) -> None:
        if self.classroom is not None:
            self.classroom.offer(platform, member, vacancy, chosen)

    def claims(self, platform, owner: int, candidate: int, chain: tuple[int, ...]) -> bool:
        """A candidacy is gamed if the student recommends (last in the chain) a friend
        they put up for rotation before."""
        if self.classroom is None or not chain or platform.owner(chain[-1]) != owner:
            return False
        return self.classroom.rotated(owner, candidate)

    def recommend(self, platform, member: int, vacancy: int, chosen: list[int]) -> list[int]:
        if self.classroom is None:
            return chosen
        return self.classroom.choice(member, vacancy, chosen)


def _may_refer(market, m: int) -> bool:
    """Whether ``m``'s employer (if any) lets its staff refer on the platform."""
    e = market.employer(m)
    return e < 0 or market.company_policy(e) != 0


class Classroom:
    """The inbox of one run's students. :meth:`attach` it to the run's platform first."""

    #: Offers kept per student (the oldest are dropped: a phone shows a short list).
    MAX_OFFERS = 8

    def __init__(self, wait_seconds: float = 0.0) -> None:
        #: Wall-clock seconds the engine waits for students' answers per simulated month:
        #: the first vacancy of a month to reach a student opens a window this long, and
        #: every answer of that month is awaited until the window closes at the latest (0:
        #: never wait). So 60 students slow the run to about a month per window, not 60.
        #: A vacancy a page shows before its window closes gets the whole time from then
        #: (:meth:`shown`), so a month waits two windows at most. Waiting changes no draw,
        #: only how fast the run moves.
        self.wait_seconds = float(wait_seconds)
        self._window = (-1, 0.0)  # (month, wall-clock end of its answer window)
        self._lock = threading.Lock()
        self._answered = threading.Condition(self._lock)
        self.platform: ReferralPlatform | None = None
        self.strategy = StudentChoice(self)
        self._code = -1
        #: Students by token.
        self.students: dict[str, Student] = {}
        self._by_member: dict[int, Student] = {}
        #: Whose placement each hire id is (placements still in their job).
        self._placed_by: dict[int, Student] = {}
        #: Rotation requests not yet applied by the engine: (student, hire id).
        self._rotations: list[tuple[Student, int]] = []

    def attach(self, platform: ReferralPlatform) -> Classroom:
        """Make the student strategy available to ``platform`` (changes nothing by itself).

        The classroom also follows the run's hires and separations (to know whom each
        student placed), takes a vacancy out of the inboxes when it closes (a filled or
        expired vacancy is never recommended for, so an answer to it would be lost), and
        applies rotation requests at month ends; none of it draws a random number or
        schedules an event unless a student asks for a rotation.
        """
        self.platform = platform
        self._code = platform.add_strategy(self.strategy)
        platform.hooks.hire.append(self._on_hire)
        platform.hooks.separation.append(self._on_separation)
        platform.hooks.month_end.append(self._on_month_end)
        platform.hooks.vacancy_closed.append(self._on_vacancy_closed)
        return self

    # ------------------------------------------------------------------ students
    def join(self, token: str, name: str = "") -> int:
        """Give the student ``token`` an unclaimed honest member with contacts; return it.

        Joining again with the same token returns the same member. Members are handed out
        in id order, so a class joins deterministically. Raises ``LookupError`` when no
        member is left. Hold the engine's lock while calling (the strategy code changes).
        """
        with self._lock:
            if token in self.students:
                return self.students[token].member
            p = self.platform
            if p is None:
                raise LookupError("the run has no referral platform")
            for m in p.member_list:
                # An honest member with contacts whose employer lets them refer (today).
                free = p.strategy[m] == 0 and m not in self._by_member
                if free and p.market.contacts(m) and _may_refer(p.market, m):
                    p.strategy[m] = self._code
                    st = Student(name or f"student {len(self.students) + 1}", m)
                    self.students[token] = st
                    self._by_member[m] = st
                    return m
            raise LookupError("every honest member is already played by a student")

    def member_of(self, token: str) -> int | None:
        """The member the student ``token`` plays, or None if they have not joined."""
        with self._lock:
            st = self.students.get(token)
            return None if st is None else st.member

    def barred_by(self, token: str) -> int | None:
        """The company that keeps the member of student ``token`` off the platform now (its
        employer restricts referrals, so no vacancy reaches them while they work there), or
        None if the member may refer (or the student has not joined)."""
        member = self.member_of(token)
        if member is None or self.platform is None:
            return None
        market = self.platform.market
        return None if _may_refer(market, member) else int(market.employer(member))

    def pending(self, token: str) -> list[Offer]:
        """The offers waiting for the student ``token``, newest first (copies)."""
        with self._lock:
            st = self.students.get(token)
            if st is None:
                return []
            return [Offer(**vars(o)) for o in reversed(st.offers.values())]

    def shown(self, token: str, vacancy: int) -> None:
        """The page of the student ``token`` shows ``vacancy`` now: they get the whole
        answer time (``wait_seconds``) from this moment.

        The page learns of a vacancy at its next refresh (once a second, later on a loaded
        server), which would otherwise eat into the month's window before the student saw
        anything. Only an offer still open is extended, so a month waits at most two
        windows in wall-clock time.
        """
        with self._lock:
            st = self.students.get(token)
            offer = None if st is None else st.offers.get(vacancy)
            now = time.monotonic()
            if offer is not None and offer.answer is None and now < offer.deadline:
                offer.deadline = max(offer.deadline, now + self.wait_seconds)

    def answer(self, token: str, vacancy: int, contacts: list[int]) -> None:
        """The student ``token`` recommends ``contacts`` for ``vacancy``.

        Raises ``PermissionError`` if the vacancy is not in this student's own inbox (a
        student acts only as their member) and ``ValueError`` if a contact is not one of
        their fitting contacts.
        """
        with self._lock:
            st = self.students.get(token)
            offer = None if st is None else st.offers.get(vacancy)
            if offer is None:
                raise PermissionError(f"vacancy {vacancy} is not in this student's inbox")
            wrong = [k for k in contacts if k not in offer.fitting]
            if wrong:
                raise ValueError(f"not a fitting contact of member {st.member}: {wrong}")
            offer.answer = tuple(contacts)
            self._answered.notify_all()

    def rotated(self, member: int, friend: int) -> bool:
        """Whether the student playing ``member`` put ``friend`` up for rotation before
        (the engine made them quit); False for members no student plays."""
        with self._lock:
            st = self._by_member.get(member)
            return st is not None and friend in st.rotated

    def placements(self, token: str) -> list[Placement]:
        """The friends the student ``token``'s member placed who are still in that job,
        oldest first (copies)."""
        with self._lock:
            st = self.students.get(token)
            return [] if st is None else [Placement(**vars(p)) for p in st.placements.values()]

    def rotate(self, token: str, hire_id: int) -> Placement:
        """The student ``token`` puts the friend of placement ``hire_id`` up for rotation.

        The engine makes the friend quit into search at the placement's ``safe_months`` (or
        at the next month's end, if that has passed). Raises ``PermissionError`` if
        ``hire_id`` is not a placement of this student's member still in its job (another
        member's, or one that has ended) and ``ValueError`` if it is already up for
        rotation; nothing changes then. Returns the placement (a copy).
        """
        with self._lock:
            st = self.students.get(token)
            placement = None if st is None else st.placements.get(hire_id)
            if placement is None:
                raise PermissionError(
                    f"placement {hire_id} is not one of your placed friends still in that job"
                )
            if placement.rotating:
                raise ValueError(f"contact {placement.friend} is already up for rotation")
            placement.rotating = True
            self._rotations.append((st, hire_id))
            return Placement(**vars(placement))

    def earnings(self) -> list[tuple[str, int, float, int, int]]:
        """The leaderboard: (name, member, net platform earnings in currency, own answers,
        rotations), best first. Earnings are the member's ledger balance: payouts less
        clawbacks and kickbacks. Hold the engine's lock while calling."""
        with self._lock:
            rows = list(self.students.values())
        balances = self.platform.ledger.balances if self.platform is not None else {}
        board = [
            (s.name, s.member, balances.get(("worker", s.member), 0.0), s.answered, s.rotations)
            for s in rows
        ]
        return sorted(board, key=lambda r: (-r[2], r[1]))

    # ------------------------------------------------------------------ engine side
    def offer(self, platform, member: int, vacancy: int, chosen: list[int]) -> None:
        """The engine: ``vacancy`` reached ``member``, who would recommend ``chosen``."""
        market = platform.market
        skill, skill_of = market.vacancy_skill(vacancy), market.skills
        fitting = tuple(k for k in market.contacts(member) if skill_of[k] == skill)
        with self._lock:
            st = self._by_member.get(member)
            if st is None:
                return
            month = int(market.now)
            if self._window[0] != month:  # the month's first offer opens its answer window
                self._window = (month, time.monotonic() + self.wait_seconds)
            offer = Offer(
                vacancy,
                market.vacancy_company(vacancy),
                fitting,
                tuple(chosen),
                market.now,
                deadline=self._window[1],
            )
            st.offers[vacancy] = offer
            st.seen += 1
            while len(st.offers) > self.MAX_OFFERS:
                st.offers.pop(next(iter(st.offers)))

    def choice(self, member: int, vacancy: int, chosen: list[int]) -> list[int]:
        """The engine: whom ``member`` recommends for ``vacancy`` (the student's answer, or
        ``chosen``, the honest choice)."""
        with self._lock:
            st = self._by_member.get(member)
            offer = None if st is None else st.offers.get(vacancy)
            while offer is not None and offer.answer is None:
                left = offer.deadline - time.monotonic()
                if left <= 0.0:
                    break
                self._answered.wait(left)
            if offer is not None:
                st.offers.pop(vacancy, None)
            if offer is None or offer.answer is None:
                return chosen
            st.answered += 1
            return list(offer.answer)

    def _on_hire(self, hire: Hire) -> None:
        """The engine: remember a platform hire whose last referrer a student plays."""
        ph = self.platform.hires.get(hire.hire_id) if hire.channel == "platform" else None
        if ph is None:
            return
        with self._lock:
            st = self._by_member.get(ph.owners[-1])
            if st is None:
                return
            mine = tuple(i for i, o in enumerate(ph.owners) if o == st.member)
            safe = payout_safe_after(self.platform.rule, len(ph.chain), mine, ph.salary)
            st.placements[hire.hire_id] = Placement(
                hire.hire_id, hire.worker, hire.company, hire.time_months,
                hire.time_months + safe,
            )  # fmt: skip
            self._placed_by[hire.hire_id] = st

    def _on_separation(self, sep: Separation) -> None:
        """The engine: a placed friend left that job; it is no longer the student's."""
        with self._lock:
            st = self._placed_by.pop(sep.stint_hire_id, None)
            if st is not None:
                st.placements.pop(sep.stint_hire_id, None)

    def _on_month_end(self, ev: MonthEnd) -> None:
        """The engine: schedule the quits of the friends put up for rotation since the last
        month's end, each at its payout's safe moment (a request whose placement ended in
        the meantime lapses)."""
        market = self.platform.market
        with self._lock:
            requests, self._rotations = self._rotations, []
            for st, hire_id in requests:
                p = st.placements.get(hire_id)
                if p is None or market.stint_hire(p.friend) != hire_id:
                    continue
                st.rotations += 1
                st.rotated.add(p.friend)
                market.schedule_quit(p.friend, hire_id, max(p.safe_months, ev.time_months))

    def _on_vacancy_closed(self, ev: VacancyClosed) -> None:
        """The engine: a vacancy was filled or expired; nobody can recommend for it now."""
        with self._lock:
            for st in self._by_member.values():
                st.offers.pop(ev.vacancy, None)
