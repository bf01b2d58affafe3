"""The public record of every worker: what the internet remembers of their career.

Two parts, both in months:

* **stints** — the worker's completed stints ``(company, start, end)``, read from the
  market (:meth:`netsim.market.services.MarketServices.history`; the market keeps them in
  the order they ended, so counting those within the window walks only the remembered
  ones, newest first);
* **posts** — public posts about employers, recorded from the ``post`` hook
  (:class:`netsim.engine.hooks.Post`; whoever makes workers post, this module only listens).

The record forgets: every count is over the last ``memory_months`` ("how long the internet
remembers"). Posts older than that are dropped at each month end, so the memory held is
bounded by the posts of one window (plus one month).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netsim.engine.hooks import Hooks, MonthEnd, Post
    from netsim.market.services import MarketServices

__all__ = ["PublicRecord"]


class PublicRecord:
    """Completed stints and remembered public posts per worker (see the module docstring).

    ``memory_months`` is the longest window any reader uses; ``short_stint_months`` the
    threshold below which a completed stint counts as short.
    """

    def __init__(
        self,
        market: MarketServices,
        hooks: Hooks,
        memory_months: float,
        short_stint_months: float,
    ) -> None:
        self.market = market
        self.memory_months = memory_months
        self.short_stint_months = short_stint_months
        #: Remembered posts by worker: ``(time, company, tone)``, oldest first. Lists, not
        #: deques: a worker holds a few posts, and an empty deque alone is ~600 bytes (a
        #: list of one post ~90), which at 100,000 posting workers is tens of MB.
        self._posts: dict[int, list[tuple[float, int, int]]] = {}
        #: Times of the remembered negative posts by worker, oldest first: screening asks
        #: for their number on every application, so it is read without a scan.
        self._negatives: dict[int, list[float]] = {}
        #: Every remembered post's (time, worker), oldest first: the forgetting queue.
        self._order: deque[tuple[float, int]] = deque()
        self.posts_recorded = 0
        hooks.post.append(self._on_post)
        hooks.month_end.append(self._forget)

    # ------------------------------------------------------------------ recording
    def _on_post(self, post: Post) -> None:
        w = post.worker
        mine = self._posts.get(w)
        if mine is None:
            mine = self._posts[w] = []
        mine.append((post.time_months, post.company, post.tone))
        if post.tone < 0:
            neg = self._negatives.get(w)
            if neg is None:
                neg = self._negatives[w] = []
            neg.append(post.time_months)
        self._order.append((post.time_months, w))
        self.posts_recorded += 1

    def _forget(self, ev: MonthEnd) -> None:
        """Drop posts the internet no longer remembers (older than the window)."""
        self.forget(ev.time_months)

    def forget(self, t: float) -> None:
        """Drop every post made before ``t - memory_months`` (months)."""
        cutoff = t - self.memory_months
        order, posts, negatives = self._order, self._posts, self._negatives
        while order and order[0][0] < cutoff:
            _, w = order.popleft()
            mine = posts[w]
            # A worker's posts are in time order too: this is the oldest, and if negative
            # the oldest of their negative ones.
            if mine.pop(0)[2] < 0:
                neg = negatives[w]
                del neg[0]
                if not neg:
                    del negatives[w]
            if not mine:
                del posts[w]

    @property
    def has_posts(self) -> bool:
        """Whether any post is remembered at all (lets readers skip the per-worker lookup)."""
        return bool(self._order)

    @property
    def posts_held(self) -> int:
        """Posts currently held in memory (bounded by one window of posts)."""
        return len(self._order)

    # ------------------------------------------------------------------ reading
    def stints(self, i: int, t: float) -> list[tuple[int, float, float]]:
        """Worker i's completed stints that ended within the window before t, oldest first."""
        hist = self.market.history(i)
        cutoff = t - self.memory_months
        k = len(hist)
        while k > 0 and hist[k - 1][2] >= cutoff:
            k -= 1
        return list(hist[k:])

    def short_stints(self, i: int, t: float) -> int:
        """How many of worker i's remembered stints were short (months, see the class)."""
        cutoff = t - self.memory_months
        short = self.short_stint_months
        n = 0
        # Newest first: stop at the first stint the internet has forgotten.
        for _c, start, end in reversed(self.market.history(i)):
            if end < cutoff:
                break
            if end - start < short:
                n += 1
        return n

    def posts(self, i: int, t: float) -> list[tuple[float, int, int]]:
        """Worker i's posts made within the window before t: ``(time, company, tone)``."""
        cutoff = t - self.memory_months
        return [p for p in self._posts.get(i, ()) if p[0] >= cutoff]

    def negative_posts(self, i: int, t: float) -> int:
        """How many of worker i's remembered posts are negative."""
        neg = self._negatives.get(i)
        if not neg:
            return 0
        cutoff = t - self.memory_months
        if neg[0] >= cutoff:  # the usual case: month-end forgetting keeps the window
            return len(neg)
        return sum(1 for time in neg if time >= cutoff)
