"""What a run records: the event log (typed column arrays) and the monthly time series.

Every entry carries its time in months since the start of the run (``time_months``).
Columns are typed arrays while the run goes on (an append costs ~50 ns) and become a
:class:`pandas.DataFrame` with categorical ``kind`` and ``detail`` at the end.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

#: Event kinds in the log.
EVENT_KINDS = (
    "vacancy_opened",
    "vacancy_expired",
    "hire",
    "separation",
    "market_exit",
    "market_entry",
    "tie_formed",
    # Freelancers' gigs (market/gigs.py): detail is the channel of a start, the reason of an end.
    "gig_start",
    "gig_end",
)

#: Hiring channels of mechanisms that are off by default (appended to :data:`CHANNELS`,
#: append only): their hire shares are summarised by the mechanism, so a default run's
#: summary keeps its keys. ``campaign``: viral job campaigns; ``employee_referral``: a
#: firm's own employee referral programme.
MECHANISM_CHANNELS = ("campaign", "employee_referral")
#: Hiring channels (``detail`` of a ``hire``; append only).
CHANNELS = ("market", "word_of_mouth", "internal", "platform", *MECHANISM_CHANNELS)
#: Separation reasons (``detail`` of a ``separation``).
SEPARATION_REASONS = (
    "quit",
    "job_to_job",
    "dismissal",
    "probation_dismissal",
    "exit",
    "internal_move",
    "firm_exit",  # the employer closed (netsim.mechanisms.firms)
)
#: Why a vacancy opened (``detail`` of ``vacancy_opened``).
VACANCY_ORIGINS = ("initial", "growth", "replacement", "on_demand", "project", "entry")
#: Why a gig ended (``detail`` of ``gig_end``; also 'exit', 'quit' and 'firm_exit').
GIG_END_REASONS = ("gig_end", "exit", "quit", "firm_exit")
#: Where a tie came from (``detail`` of ``tie_formed``).
TIE_ORIGINS = ("initial", "file", "colleague", "platform")

DETAILS = tuple(
    dict.fromkeys(
        CHANNELS + SEPARATION_REASONS + VACANCY_ORIGINS + TIE_ORIGINS + GIG_END_REASONS + ("",)
    )
)

#: Event-log columns and their meaning (ids are -1 where not applicable).
EVENT_COLUMNS = {
    "time_months": "time of the event, months since the start",
    "kind": "one of EVENT_KINDS",
    "detail": "channel of a hire, reason of a separation, origin of a vacancy or tie",
    "worker": "worker id",
    "company": "company id",
    "vacancy": "vacancy id",
    "other": "hire: previous employer; tie: the other worker; separation, gig_end: hire id ended",
    "value": "hire: monthly salary; gig_start: monthly rate (currency/month); tie: strength",
    "hire": "hire id (hires, separations, gig starts and ends)",
}


#: Typecodes of the event log's columns other than 'i' (int32).
_TYPECODES = {"time_months": "d", "value": "d", "kind": "b", "detail": "b"}
if max(len(EVENT_KINDS), len(DETAILS)) > 127:  # codes are stored as signed bytes
    raise RuntimeError("EventLog: more than 127 event kinds or details")


class EventLog:
    """Append-only event log stored as typed column arrays."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._kind_code = {k: i for i, k in enumerate(EVENT_KINDS)}
        self._detail_code = {d: i for i, d in enumerate(DETAILS)}
        # Typed arrays: 1-8 bytes an entry instead of a boxed Python object; kind and detail
        # are codes of at most 127 names (checked above the class), so one byte each.
        self.cols: dict[str, array] = {
            name: array(_TYPECODES.get(name, "i")) for name in EVENT_COLUMNS
        }
        # Bound append methods, in EVENT_COLUMNS order: the log is on the hot path.
        self._append = [self.cols[name].append for name in EVENT_COLUMNS]

    def log(
        self,
        t: float,
        kind: str,
        detail: str = "",
        worker: int = -1,
        company: int = -1,
        vacancy: int = -1,
        other: int = -1,
        value: float = float("nan"),
        hire: int = -1,
    ) -> None:
        """Append one event (time in months)."""
        if not self.enabled:
            return
        a = self._append
        a[0](t)
        a[1](self._kind_code[kind])
        a[2](self._detail_code[detail])
        a[3](worker)
        a[4](company)
        a[5](vacancy)
        a[6](other)
        a[7](value)
        a[8](hire)

    def __len__(self) -> int:
        return len(self.cols["time_months"])

    def to_frame(self) -> pd.DataFrame:
        """The log as a DataFrame, in event order."""
        c = self.cols
        # The code columns are copied (np.array): a Categorical keeps the codes it is given,
        # and a view would lock the typed array against the appends of a run that goes on.
        # The other columns may be views: the DataFrame copies them into its blocks.
        data = {
            "time_months": np.asarray(c["time_months"], dtype=np.float64),
            "kind": pd.Categorical.from_codes(
                np.array(c["kind"], dtype=np.int8), categories=list(EVENT_KINDS)
            ),
            "detail": pd.Categorical.from_codes(
                np.array(c["detail"], dtype=np.int8), categories=list(DETAILS)
            ),
        }
        for name in ("worker", "company", "vacancy", "other", "hire"):
            data[name] = np.asarray(c[name], dtype=np.int32)
        data["value"] = np.asarray(c["value"], dtype=np.float64)
        return pd.DataFrame(data, columns=list(EVENT_COLUMNS))


class MonthCounters:
    """Flows counted within the current month; reset after each month-end record."""

    __slots__ = (
        "hires",
        "separations",
        "vacancies_opened",
        "vacancies_expired",
        "market_exits",
        "market_entries",
        "ties_formed",
        "hires_from_seeking",
        "employed_to_seeking",
        "employed_to_out",
        "seeking_to_out",
    )

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Zero every counter."""
        self.hires = dict.fromkeys(CHANNELS, 0)
        self.separations = dict.fromkeys(SEPARATION_REASONS, 0)
        self.vacancies_opened = 0
        self.vacancies_expired = 0
        self.market_exits = 0
        self.market_entries = 0
        self.ties_formed = 0
        self.hires_from_seeking = 0
        self.employed_to_seeking = 0
        self.employed_to_out = 0
        self.seeking_to_out = 0
