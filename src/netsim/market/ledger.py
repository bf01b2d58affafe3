"""The money ledger: every payment of a run as one entry, double-entry style.

One ledger per run, owned by the market (:attr:`MarketServices.ledger
<netsim.market.services.MarketServices.ledger>`): the platform books its fees, payouts and
bonuses in it, and every other mechanism that moves money (a firm's own referral bonus, a
campaign's spend) books there too. An entry moves ``amount`` (currency units, always >= 0)
from a payer account to a payee account at ``time_months``. Accounts are ``(kind, id)``
pairs: ``("company", c)``, ``("worker", i)``, ``("platform", 0)`` or ``("outside", 0)`` (the
rest of the economy, e.g. the media a campaign buys). Because every entry debits one account and
credits another, the balances of all accounts always sum to zero: money is conserved by
construction, and :meth:`Ledger.check_conservation` verifies the platform's books against
the entries (fees = payouts - clawbacks + refunds + invite bonuses + margin).
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas loads when a table is built: validating needs no pandas
    import pandas as pd

ACCOUNT_KINDS = ("platform", "company", "worker", "outside")
#: Why money moved (append only: the codes are stored in ledger tables).
REASONS = (
    "fee",
    "payout",
    "clawback",
    "refund",
    "kickback",
    "invite_bonus",
    "erp_bonus",  # a company's own employee-referral bonus to a member of its staff
    "campaign_spend",  # a company's spend on a viral job campaign
)

PLATFORM = ("platform", 0)
#: The rest of the economy (media sold to a campaign, say).
OUTSIDE = ("outside", 0)


class Ledger:
    """Append-only list of payments with running balances per account."""

    def __init__(self) -> None:
        self._kind = {k: i for i, k in enumerate(ACCOUNT_KINDS)}
        self._reason = {r: i for i, r in enumerate(REASONS)}
        self.cols = {
            "time_months": array("d"),
            "payer_kind": array("b"),
            "payer": array("i"),
            "payee_kind": array("b"),
            "payee": array("i"),
            "amount": array("d"),
            "reason": array("b"),
            "hire": array("i"),
            "gamed": array("b"),
        }
        self.balances: dict[tuple[str, int], float] = {}
        self.totals = dict.fromkeys(REASONS, 0.0)

    def pay(
        self,
        t: float,
        payer: tuple[str, int],
        payee: tuple[str, int],
        amount: float,
        reason: str,
        hire: int = -1,
        gamed: bool = False,
    ) -> None:
        """Book ``amount`` (>= 0, currency) from ``payer`` to ``payee`` at ``t`` (months)."""
        if amount < 0.0:
            raise ValueError(f"ledger amounts are never negative, got {amount}")
        if amount == 0.0:
            return
        c = self.cols
        c["time_months"].append(t)
        c["payer_kind"].append(self._kind[payer[0]])
        c["payer"].append(payer[1])
        c["payee_kind"].append(self._kind[payee[0]])
        c["payee"].append(payee[1])
        c["amount"].append(amount)
        c["reason"].append(self._reason[reason])
        c["hire"].append(hire)
        c["gamed"].append(gamed)
        b = self.balances
        b[payer] = b.get(payer, 0.0) - amount
        b[payee] = b.get(payee, 0.0) + amount
        self.totals[reason] += amount

    def __len__(self) -> int:
        return len(self.cols["amount"])

    @property
    def platform_margin(self) -> float:
        """The platform's balance: what it kept (currency)."""
        return self.balances.get(PLATFORM, 0.0)

    def check_conservation(self, tol: float = 1e-6) -> None:
        """Raise ``AssertionError`` unless the books balance (see module docstring)."""
        tot = self.totals
        expected = (
            tot["fee"] - tot["payout"] + tot["clawback"] - tot["refund"] - tot["invite_bonus"]
        )
        scale = max(1.0, tot["fee"])
        if abs(self.platform_margin - expected) > tol * scale:
            raise AssertionError(
                f"platform margin {self.platform_margin} != fees - payouts + clawbacks - "
                f"refunds - invite bonuses = {expected}"
            )
        if abs(sum(self.balances.values())) > tol * scale:
            raise AssertionError("account balances do not sum to zero")

    def to_frame(self) -> pd.DataFrame:
        """The ledger as a DataFrame (one row per payment, in booking order)."""
        import pandas as pd

        c = self.cols
        return pd.DataFrame(
            {
                "time_months": np.asarray(c["time_months"], dtype=np.float64),
                "payer_kind": pd.Categorical.from_codes(
                    np.asarray(c["payer_kind"], dtype=np.int8), categories=list(ACCOUNT_KINDS)
                ),
                "payer": np.asarray(c["payer"], dtype=np.int32),
                "payee_kind": pd.Categorical.from_codes(
                    np.asarray(c["payee_kind"], dtype=np.int8), categories=list(ACCOUNT_KINDS)
                ),
                "payee": np.asarray(c["payee"], dtype=np.int32),
                "amount": np.asarray(c["amount"], dtype=np.float64),
                "reason": pd.Categorical.from_codes(
                    np.asarray(c["reason"], dtype=np.int8), categories=list(REASONS)
                ),
                "hire": np.asarray(c["hire"], dtype=np.int32),
                "gamed": np.asarray(c["gamed"], dtype=bool),
            }
        )
