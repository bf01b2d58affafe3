"""What a run with freelancers reports: gigs, utilisation, contract types, income by source.

The gigs themselves are the market's (:mod:`netsim.market.gigs`, read here only through
:class:`~netsim.market.services.MarketServices`); this mechanism, attached only when the
scenario switches freelancing on, adds their outputs:

===================================  ==========================================================
output                               meaning
===================================  ==========================================================
monthly ``freelancers_in_market``    freelancers not out of the market (stock)
monthly ``freelancing``              freelancers holding at least one gig (stock; the rest seek)
monthly ``gigs_live``                gigs running (stock)
monthly ``utilisation``              gigs_live / (K × freelancers_in_market): capacity in use
monthly ``gigs_started[_<channel>]`` gigs started this month (all; by channel)
monthly ``gigs_ended``               gigs ended this month (any reason)
monthly ``open_projects``            project vacancies open on the market (stock)
worker ``contract``                  'employee' or 'freelancer'
worker ``gigs_held``                 gigs held from month 0 (a gig running at month 0 included)
worker ``gigs_now``                  gigs running at the end
worker ``income_gig``                gig income from time 0 (currency; salary: income_salary)
company ``gigs``                     gigs the company gave out (a gig running at month 0 included)
table ``gigs``                       one row per gig running at or after month 0
                                     (:data:`~netsim.market.gigbook.GIG_COLUMNS`)
===================================  ==========================================================

It draws no random numbers. Gigs that ended within a burn-in (``burn_in_months``: they end
before month 0) are not in its outputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsim.engine.hooks import Hooks, MonthEnd
from netsim.market.services import MarketServices
from netsim.market.state import OUT

#: Channels that start gigs, for the monthly columns (time-0 gigs are 'initial').
GIG_CHANNELS = ("market", "word_of_mouth", "platform")


class FreelanceOutputs:
    """The outputs of freelancing in one run (see the module docstring)."""

    def __init__(self, market: MarketServices, hooks: Hooks) -> None:
        self.market = market
        self.freelancer_ids = [i for i, f in enumerate(market.contracts) if f]
        self.utilisation: list[float] = []
        hooks.month_end.append(self._on_month_end)

    def start(self) -> None:
        """When the outputs start: the month's gig flows count from here (after a burn-in)."""
        self.market.gigs.reset_month()

    def _shown(self) -> np.ndarray:
        """Which gigs the outputs show: those running at or after month 0 (bool per gig)."""
        return np.asarray(self.market.gigs.end, dtype=np.float64) >= 0.0

    def processes(self) -> list:
        """No processes of its own."""
        return []

    def _on_month_end(self, ev: MonthEnd) -> None:
        market = self.market
        book = market.gigs
        state, held = market.states, book.held
        in_market = busy = 0
        for i in self.freelancer_ids:
            if state[i] != OUT:
                in_market += 1
                busy += bool(held[i])
        capacity = market.max_clients * in_market
        util = book.n_live / capacity if capacity else 0.0
        row = ev.row
        row["freelancers_in_market"] = in_market
        row["freelancing"] = busy
        row["gigs_live"] = book.n_live
        row["utilisation"] = util
        started = book.month_started
        row["gigs_started"] = sum(n for ch, n in started.items() if ch != "initial")
        for ch in GIG_CHANNELS:
            row[f"gigs_started_{ch}"] = started.get(ch, 0)
        row["gigs_ended"] = book.month_ended
        row["open_projects"] = market.n_open_projects
        if ev.month > 0:
            self.utilisation.append(util)
        book.reset_month()

    def worker_columns(self) -> dict:
        """``contract``, ``gigs_held``, ``gigs_now`` and ``income_gig`` per worker."""
        market = self.market
        n = market.n_workers
        book = market.gigs
        contract = np.asarray(market.contracts, dtype=np.int8)
        return {
            "contract": pd.Categorical.from_codes(contract, categories=["employee", "freelancer"]),
            "gigs_held": book.gig_counts(n, self._shown()).astype(np.int32),
            "gigs_now": np.asarray([len(h) for h in book.held], dtype=np.int32),
            "income_gig": book.income_until(market.now),
        }

    def company_columns(self) -> dict:
        """``gigs`` per company: gigs it gave out, time-0 gigs included."""
        company = np.asarray(self.market.gigs.company, dtype=np.int64)[self._shown()]
        n = self.market.n_companies
        return {"gigs": np.bincount(company, minlength=n).astype(np.int32)}

    def summary(self, t_months: float) -> dict:
        """Freelancers, gigs started in the run per freelancer, mean utilisation, gig income."""
        book = self.market.gigs
        n_free = len(self.freelancer_ids)
        started = sum(1 for s in book.start if s >= 0.0)
        return {
            "freelancers": n_free,
            "gigs_started": started,
            "gigs_per_freelancer": started / n_free if n_free else 0.0,
            "utilisation_mean": float(np.mean(self.utilisation)) if self.utilisation else 0.0,
            "income_gig_total": float(book.income_until(t_months).sum()),
        }

    def tables(self) -> dict:
        """The ``gigs`` table (``gigs.parquet``)."""
        table = self.market.gigs.table()
        return {"gigs": table[self._shown()].reset_index(drop=True)}
