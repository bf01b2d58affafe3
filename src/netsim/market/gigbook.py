"""The book of gigs: every engagement of a freelancer with a client, in flat typed arrays.

A gig is one project filled by one freelancer (ids ``0, 1, …`` in order of start). Its
columns are appended when it starts and its end is set when it ends (planned end while it
runs). Times in months, rates in currency per month. Kept apart from employment: a
freelancer has no ``employer`` and is in no company's staff; it holds 0..K gigs.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

#: Columns of the ``gigs`` table (``gigs.parquet``) and their meaning.
GIG_COLUMNS = {
    "gig": "gig id (order of start)",
    "worker": "the freelancer",
    "company": "the client",
    "vacancy": "the project vacancy it filled (-1 for gigs running at time 0)",
    "hire": "hire id of its start (shared numbering with hires; -1 at time 0)",
    "channel": "how it was found: initial, market, word_of_mouth, platform",
    "start_months": "start (months; negative for gigs running at time 0)",
    "end_months": "end (months): actual if ended, else the planned end",
    "length_months": "the project's drawn length (months)",
    "ended": "whether it ended before the end of the run",
    "end_reason": "gig_end (ran its length), exit (the freelancer left), quit; '' if running",
    "rate": "monthly rate (currency/month)",
}


class GigBook:
    """Every gig of a run, and each freelancer's current gigs (see the module docstring)."""

    def __init__(self, n_workers: int) -> None:
        self.worker = array("q")
        self.company = array("q")
        self.vacancy = array("q")
        self.hire = array("q")
        self.channel: list[str] = []
        self.start = array("d")
        self.end = array("d")
        self.length = array("d")
        self.rate = array("d")
        self.live: list[bool] = []
        self.reason: list[str] = []
        #: Current gigs of each worker (gig ids; empty for employees). Everyone starts with
        #: the one shared empty tuple and gets a list at their first gig: a million empty
        #: lists would cost 56 MB and 0.1-0.3 s in every run, freelancers or not.
        self.held: list[list[int] | tuple[()]] = [()] * n_workers
        #: Gig income booked so far, by worker (currency; gigs count from time 0).
        self.income = array("d", [0.0]) * n_workers
        #: Live gig of each hire id (for quits scheduled by hire id).
        self.of_hire: dict[int, int] = {}
        #: Live gigs of each company (gig ids), for a firm that closes.
        self.of_company: dict[int, set[int]] = {}
        self.n_live = 0
        #: Flows since the last monthly record: gigs started (by channel) and ended.
        self.month_started: dict[str, int] = {}
        self.month_ended = 0

    def __len__(self) -> int:
        return len(self.worker)

    def add(
        self, i: int, c: int, v: int, hid: int, channel: str, t: float, length: float, rate: float
    ) -> int:
        """Start a gig of freelancer i for company c at time t; returns its id."""
        g = len(self.worker)
        self.worker.append(i)
        self.company.append(c)
        self.vacancy.append(v)
        self.hire.append(hid)
        self.channel.append(channel)
        self.start.append(t)
        self.end.append(t + length)
        self.length.append(length)
        self.rate.append(rate)
        self.live.append(True)
        self.reason.append("")
        mine = self.held[i]
        if isinstance(mine, list):
            mine.append(g)
        else:
            self.held[i] = [g]
        self.of_company.setdefault(c, set()).add(g)
        if hid >= 0:
            self.of_hire[hid] = g
        self.n_live += 1
        if t >= 0.0:
            self.month_started[channel] = self.month_started.get(channel, 0) + 1
        return g

    def finish(self, g: int, t: float, reason: str) -> None:
        """End gig g at time t (months) and book its income from max(start, 0) to t."""
        self.live[g] = False
        self.end[g] = t
        self.reason[g] = reason
        i = self.worker[g]
        self.held[i].remove(g)
        self.of_company[self.company[g]].discard(g)
        self.of_hire.pop(self.hire[g], None)
        self.n_live -= 1
        earned = self.rate[g] * max(t - max(self.start[g], 0.0), 0.0)
        self.income[i] += earned
        self.month_ended += 1

    def holds_client(self, i: int, c: int) -> bool:
        """Whether freelancer i holds a gig with company c now (O(K))."""
        company = self.company
        return any(company[g] == c for g in self.held[i])

    def income_until(self, t: float) -> np.ndarray:
        """Gig income by worker up to time t (months), running gigs included (currency)."""
        out = np.frombuffer(self.income, dtype=np.float64).copy()
        for g, alive in enumerate(self.live):
            if alive:
                out[self.worker[g]] += self.rate[g] * max(t - max(self.start[g], 0.0), 0.0)
        return out

    def gig_counts(self, n_workers: int, shown: np.ndarray | None = None) -> np.ndarray:
        """Gigs held by each worker (those running at the start included), as an int array;
        ``shown`` (bool per gig) counts only those gigs."""
        worker = np.asarray(self.worker, dtype=np.int64)
        return np.bincount(worker if shown is None else worker[shown], minlength=n_workers)

    def reset_month(self) -> None:
        """Zero the monthly flows."""
        self.month_started = {}
        self.month_ended = 0

    def table(self) -> pd.DataFrame:
        """The ``gigs`` table, one row per gig (see :data:`GIG_COLUMNS`)."""
        ints = {
            k: np.asarray(getattr(self, k), dtype=np.int32)
            for k in ("worker", "company", "vacancy", "hire")
        }
        live = np.asarray(self.live, dtype=bool)
        return pd.DataFrame(
            {
                "gig": np.arange(len(self), dtype=np.int32),
                **ints,
                "channel": pd.Categorical(self.channel),
                "start_months": np.asarray(self.start, dtype=np.float64),
                "end_months": np.asarray(self.end, dtype=np.float64),
                "length_months": np.asarray(self.length, dtype=np.float64),
                "ended": ~live,
                "end_reason": pd.Categorical(self.reason),
                "rate": np.asarray(self.rate, dtype=np.float64),
            },
            columns=list(GIG_COLUMNS),
        )
