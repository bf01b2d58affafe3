"""Random streams derived from one run seed.

Every random draw in a run comes from a :class:`numpy.random.Generator` spawned from the
run's seed with :class:`numpy.random.SeedSequence`. Separate purposes get separate child
streams, so switching on an output (say, sampled network statistics) never changes the
dynamics. The event loop draws scalars one at a time; :class:`FastStream` serves them from
pre-drawn blocks because a scalar call into NumPy costs about a microsecond.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

#: Child streams of a run seed, in a fixed order (appending keeps old streams unchanged).
STREAMS = (
    "population",
    "graph",
    "dynamics",
    "statistics",
    "platform",
    # The world's mechanisms, each with its own stream so that switching one on leaves the
    # others' draws (and a run with all of them off) unchanged.
    "freelance",
    "firms",
    "posts",
    "screening",
    "ties",
    "campaigns",
    "invites",
)

_BLOCK = 1 << 14


def spawn_generators(seed: int) -> dict[str, np.random.Generator]:
    """Return one independent ``Generator`` per name in :data:`STREAMS` for ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(s))
        for name, s in zip(STREAMS, children, strict=True)
    }


def _scalars(draw, block: int = _BLOCK):
    """A C-level ``next()`` over ``draw(block)`` blocks, drawn one block at a time when needed.

    ``chain.from_iterable`` over ``iter(callable, sentinel)`` serves each number without a
    Python frame (~50 ns against ~120 ns for a method), and draws the next block only when
    the last is used up, as a hand-written index would.
    """
    return chain.from_iterable(iter(lambda: draw(block).tolist(), None)).__next__


class FastStream:
    """Scalar uniform and exponential draws from a ``Generator``, served from blocks.

    The sequence is a deterministic function of the generator's state, so a run replays
    exactly. ``exponential(rate)`` returns a waiting time with mean ``1/rate`` in the
    caller's time unit (netsim: months). :attr:`random` (a uniform on [0, 1)) and
    :attr:`normal` (a standard normal) are plain callables, the cheapest call Python has.
    """

    __slots__ = ("gen", "random", "normal", "_exp1")

    def __init__(self, gen: np.random.Generator) -> None:
        self.gen = gen
        #: ``random()``: a uniform draw on [0, 1).
        self.random = _scalars(gen.random)
        #: ``normal()``: a standard normal draw.
        self.normal = _scalars(gen.standard_normal)
        self._exp1 = _scalars(gen.standard_exponential)

    def exponential(self, rate: float) -> float:
        """An exponential waiting time with the given rate (mean ``1/rate``)."""
        return self._exp1() / rate

    def integers(self, n: int) -> int:
        """A uniform integer in ``range(n)`` (``n >= 1``)."""
        return int(self.random() * n)

    def choice(self, seq):
        """A uniformly chosen element of a non-empty sequence."""
        return seq[int(self.random() * len(seq))]

    def beta22(self) -> float:
        """A Beta(2, 2) draw on (0, 1): the median of three uniforms."""
        random = self.random
        a, b, c = random(), random(), random()
        if a > b:
            a, b = b, a
        return b if b < c else (a if a > c else c)
