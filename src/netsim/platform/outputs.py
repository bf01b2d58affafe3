"""What the platform reports: its monthly columns, headline summary, per-worker columns
and the table of referral chains (money in currency units, times in months).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from netsim.market.ledger import ACCOUNT_KINDS, REASONS

if TYPE_CHECKING:
    import pandas as pd


class Outputs:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: outputs."""

    @staticmethod
    def _zero_month() -> dict[str, float]:
        return {
            "platform_hires": 0,
            "recommendations": 0,
            "fees": 0.0,
            "payouts_honest": 0.0,
            "payouts_gamed": 0.0,
            "clawbacks": 0.0,
            "refunds": 0.0,
            "kickbacks": 0.0,
            "invite_bonuses": 0.0,
            "detections": 0,
            "false_positives": 0,
            "new_members": 0,
            "invites": 0,
            "invite_joins": 0,
            "held_placements": 0,
            "pairs_dissolved": 0,
        }

    def month_row(self) -> dict[str, float]:
        """Platform columns of the month-end record; resets the month's flows."""
        self.ledger.check_conservation()
        is_open = self.market.vacancy_open
        for v in [v for v in self.recommended if not is_open(v)]:
            del self.recommended[v]  # closed: nobody can be recommended for it any more
        row = dict(self.month)
        row["members"] = len(self.member_list)
        row["platform_margin"] = self.ledger.platform_margin
        self.totals["detections"] += self.month["detections"]
        self.totals["false_positives"] += self.month["false_positives"]
        self.totals["recommendations"] += self.month["recommendations"]
        self.month = self._zero_month()
        return row

    def summary(self, t: float, retention_months: float = 12.0) -> dict[str, float]:
        """Headline platform metrics at time t (months); money in currency units."""
        tot = self.ledger.totals
        hires = list(self.hires.values())
        net_fees = tot["fee"] - tot["refund"]
        retained = sum(1 for h in hires if min(h.end_months, t) - h.time_months >= retention_months)
        led = self.ledger.to_frame()
        gamed = led[led["gamed"]]
        gaming_income = float(
            gamed.loc[gamed["reason"] == "payout", "amount"].sum()
            - gamed.loc[gamed["reason"] == "clawback", "amount"].sum()
        )
        payouts = led[led["reason"] == "payout"]
        return {
            "platform_hires": len(hires),
            "platform_hires_gamed": sum(1 for h in hires if h.gaming),
            "platform_members_final": len(self.member_list),
            "fees_total": tot["fee"],
            "payouts_total": tot["payout"],
            "payouts_gamed": float(payouts.loc[payouts["gamed"], "amount"].sum()),
            "clawbacks_total": tot["clawback"],
            "refunds_total": tot["refund"],
            "kickbacks_total": tot["kickback"],
            "invite_bonuses_total": tot["invite_bonus"],
            "platform_margin": self.ledger.platform_margin,
            "cost_per_platform_hire": net_fees / len(hires) if hires else math.nan,
            f"cost_per_hire_retained_{retention_months:g}_months": (
                net_fees / retained if retained else math.nan
            ),
            "referrers_paid": int(payouts["payee"].nunique()),
            "gaming_income": gaming_income,
            "mean_chain_length": float(np.mean(self.chain_lengths)) if hires else math.nan,
            "max_chain_length": max(self.chain_lengths) if hires else 0,
            "detections": self.totals["detections"],
            "false_positives": self.totals["false_positives"],
            "recommendations": self.totals["recommendations"],
            "rotation_pairs_held": self.held_at_start,
            **{f"rotation_pairs_dissolved_{r}": n for r, n in self.dissolved.items()},
        }

    def worker_columns(self) -> dict[str, np.ndarray]:
        """Per-worker platform columns for the final worker table (money in currency)."""
        import pandas as pd  # here, not at the top: validating a scenario needs no pandas

        n = self.market.n_workers
        referral = np.zeros(n)
        kickback = np.zeros(n)
        c = self.ledger.cols
        worker = ACCOUNT_KINDS.index("worker")
        for payer_kind, payer, payee_kind, payee, amount, reason in zip(
            c["payer_kind"],
            c["payer"],
            c["payee_kind"],
            c["payee"],
            c["amount"],
            c["reason"],
            strict=True,
        ):
            name = REASONS[reason]
            if name in ("payout", "invite_bonus") and payee_kind == worker:
                referral[payee] += amount
            elif name == "clawback" and payer_kind == worker:
                referral[payer] -= amount
            elif name == "kickback":
                kickback[payee] += amount
                kickback[payer] -= amount
        names = [st.name for st in self.strategies]
        return {
            "platform_member": np.asarray(self.member, dtype=bool),
            "strategy": pd.Categorical.from_codes(
                np.asarray(self.strategy, dtype=np.int8), categories=names
            ),
            "income_referral": referral,
            "income_kickback": kickback,
        }

    def chain_table(self) -> pd.DataFrame:
        """One row per chain position of every platform hire."""
        import pandas as pd

        rows = [
            (
                ph.hire_id,
                ph.worker,
                ph.company,
                ph.time_months,
                pos,
                ident,
                self.owner(ident),
                ident < 0,
                ph.gaming,
            )
            for ph in self.hires.values()
            for pos, ident in enumerate(ph.chain)
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "hire",
                "worker",
                "company",
                "time_months",
                "position",
                "identity",
                "referrer",
                "sybil",
                "gaming",
            ],
        )
