"""Random streams derived from one run seed.

Every random draw in a run comes from a :class:`numpy.random.Generator` spawned from the
run's seed with :class:`numpy.random.SeedSequence`. Separate purposes get separate child
streams, so switching on an output (say, sampled network statistics) never changes the
dynamics. The event loop draws scalars one at a time; :class:`FastStream` serves them from
pre-drawn blocks because a scalar call into NumPy costs about a microsecond.
"""

from __future__ import annotations

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


class FastStream:
    """Scalar uniform and exponential draws from a ``Generator``, served from blocks.

    The sequence is a deterministic function of the generator's state, so a run replays
    exactly. ``exponential(rate)`` returns a waiting time with mean ``1/rate`` in the
    caller's time unit (netsim: months).
    """

    __slots__ = ("gen", "_u", "_ui", "_e", "_ei", "_n", "_ni")

    def __init__(self, gen: np.random.Generator) -> None:
        self.gen = gen
        self._u: list[float] = []
        self._ui = 0
        self._e: list[float] = []
        self._ei = 0
        self._n: list[float] = []
        self._ni = 0

    def random(self) -> float:
        """A uniform draw on [0, 1)."""
        i = self._ui
        if i >= len(self._u):
            self._u = self.gen.random(_BLOCK).tolist()
            i = 0
        self._ui = i + 1
        return self._u[i]

    def exponential(self, rate: float) -> float:
        """An exponential waiting time with the given rate (mean ``1/rate``)."""
        i = self._ei
        if i >= len(self._e):
            self._e = self.gen.standard_exponential(_BLOCK).tolist()
            i = 0
        self._ei = i + 1
        return self._e[i] / rate

    def integers(self, n: int) -> int:
        """A uniform integer in ``range(n)`` (``n >= 1``)."""
        return int(self.random() * n)

    def choice(self, seq):
        """A uniformly chosen element of a non-empty sequence."""
        return seq[int(self.random() * len(seq))]

    def normal(self) -> float:
        """A standard normal draw."""
        i = self._ni
        if i >= len(self._n):
            self._n = self.gen.standard_normal(_BLOCK).tolist()
            i = 0
        self._ni = i + 1
        return self._n[i]

    def beta22(self) -> float:
        """A Beta(2, 2) draw on (0, 1): the median of three uniforms."""
        a, b, c = self.random(), self.random(), self.random()
        if a > b:
            a, b = b, a
        return b if b < c else (a if a > c else c)
