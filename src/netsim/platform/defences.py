"""Defences: screening of the public job history, a cooldown per candidate, and sybil
detection; rejections of gamers count as detections, of honest candidates as false
positives. (Caps per candidate and clawbacks act on the money, in :mod:`netsim.platform.money`.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netsim.platform.money import PlatformHire


class Defences:
    """Mixin of :class:`~netsim.platform.referral_platform.ReferralPlatform`: defences."""

    def admit(self, k: int, chain: tuple[int, ...]) -> bool:
        """Screening and cooldown for a platform candidate; False = rejected."""
        d = self.cfg.defences
        t = self.market.now
        reject = False
        if d.cooldown_months > 0.0:
            last = self.last_placed.get(k)
            reject = last is not None and t - last < d.cooldown_months
        if not reject and d.screening:
            short = sum(
                1
                for (_c, start, end) in self.market.history(k)
                if end >= t - d.memory_months and end - start < d.short_stint_months
            )
            reject = short >= d.max_short_stints
        if reject:
            if self._gaming_of(k, chain):
                self.month["detections"] += 1
                if self.cfg.gaming.dissolve_on_detection:
                    self.dissolve(k, "detected")
            else:
                self.month["false_positives"] += 1
        return not reject

    def _gaming_of(self, k: int, chain: tuple[int, ...]) -> str:
        """Which strategy, if any, produced a candidacy of k with this chain.

        The gamer closest to the candidate decides: identities are checked from the end of
        the chain, and the first owner whose strategy claims the candidacy names it.
        """
        seen = set()
        for ident in reversed(chain):
            o = self.owner(ident)
            if o in seen:
                continue
            seen.add(o)
            st = self.strategies[self.strategy[o]]
            if st.gaming and st.claims(self, o, k, chain):
                return st.name
        return ""

    def _detect_sybils(self, ph: PlatformHire) -> None:
        p = self.cfg.defences.sybil_detection_probability
        if p <= 0.0:
            return
        for pos, ident in enumerate(ph.chain):
            if ident < 0 and self.rand.random() < p:
                self.month["detections"] += 1
                # A detected fake identity forfeits its payments on this hire.
                ph.owners = ph.owners[:pos] + (-1,) + ph.owners[pos + 1 :]
