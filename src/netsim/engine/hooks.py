"""The engine's hook interface: the events a mechanism can subscribe to.

A mechanism (the referral platform, and every later one) attaches to a run by appending
callbacks to the lists of one :class:`Hooks` object; the market calls them, in subscription
order, at the moment the event happens (times in months). The set is deliberately small:

==================  ============================  =============================================
hook                callback argument             when
==================  ============================  =============================================
``hire``            :class:`Hire`                 a worker is hired (any channel), or starts a gig
``separation``      :class:`Separation`           a worker leaves an employer (any reason), or a
                                                  gig ends (reasons 'gig_end', 'exit', 'quit')
``vacancy_opened``  :class:`VacancyOpened`        a vacancy opens (any origin)
``vacancy_posted``  vacancy id (int)              a vacancy goes on the open market
``vacancy_closed``  :class:`VacancyClosed`        a vacancy is filled (any channel) or expires
``seeking``         worker id (int)               a worker starts seeking (job loss, re-entry)
``post``            :class:`Post`                 a worker posts publicly about an employer
``month_end``       :class:`MonthEnd`             the monthly record is being written
``screen``          worker, company, channel      an application reaches a company (every
                                                  channel but the internal pool); a callback
                                                  returning False rejects it
==================  ============================  =============================================

Callbacks must not change the market's state except through the market's services
(:class:`netsim.market.services.MarketServices`). Integers are passed where the event is
frequent, so that a hook costs no object when nobody listens and little when somebody does.
The event records are named tuples: immutable, so every subscriber sees the same event, and
built in a quarter of the time of a frozen dataclass (0.37 against 1.4 µs a ``Hire``; one
is built on every hire of a run with a mechanism on).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Hire(NamedTuple):
    """A hire as extensions see it (times in months)."""

    hire_id: int
    time_months: float
    worker: int
    company: int
    vacancy: int
    channel: str
    salary: float  #: currency per month
    previous_employer: int  #: -1 if hired from search
    chain: tuple[int, ...] = ()  #: referral chain (platform hires; fake identities < 0)


class Separation(NamedTuple):
    """The end of a hire (times in months)."""

    hire_id: int
    time_months: float
    worker: int
    company: int
    reason: str
    tenure_months: float
    #: The hire that began this stint with the company (internal moves start new hires but
    #: not new stints); extensions that track hires across internal moves key on this.
    stint_hire_id: int = -1


class VacancyOpened(NamedTuple):
    """A vacancy opened (times in months)."""

    vacancy: int
    company: int
    time_months: float
    origin: str  #: 'initial', 'growth', 'replacement', 'on_demand', 'project' or 'entry'
    skill: int  #: the skill it asks for


class VacancyClosed(NamedTuple):
    """A vacancy was filled or expired (times in months)."""

    vacancy: int
    company: int
    time_months: float
    status: str  #: 'filled' or 'expired'


class Post(NamedTuple):
    """A public post by a worker about an employer (times in months).

    Posts are the public side of job satisfaction: mechanisms that move a company's brand
    or screen applicants by their public record subscribe to them.
    """

    time_months: float
    worker: int
    company: int
    tone: int  #: +1 positive, -1 negative


class MonthEnd(NamedTuple):
    """The monthly record at ``time_months``; subscribers add their columns to ``row``.

    ``row`` is the month's record as built so far (a dict of column name to value);
    a subscriber adds its own columns and resets its within-month flows.
    """

    month: int
    time_months: float
    row: dict[str, Any]


class Hooks:
    """The callback lists of one run, one per hook (see the module docstring)."""

    __slots__ = (
        "hire",
        "separation",
        "vacancy_opened",
        "vacancy_posted",
        "vacancy_closed",
        "seeking",
        "post",
        "month_end",
        "screen",
    )

    def __init__(self) -> None:
        self.hire: list[Callable[[Hire], None]] = []
        self.separation: list[Callable[[Separation], None]] = []
        self.vacancy_opened: list[Callable[[VacancyOpened], None]] = []
        self.vacancy_posted: list[Callable[[int], None]] = []
        self.vacancy_closed: list[Callable[[VacancyClosed], None]] = []
        self.seeking: list[Callable[[int], None]] = []
        self.post: list[Callable[[Post], None]] = []
        self.month_end: list[Callable[[MonthEnd], None]] = []
        #: Screens of applications: ``screen(worker, company, channel)`` is False to reject
        #: (the first False wins; later screens are not asked).
        self.screen: list[Callable[[int, int, str], bool]] = []
