"""Random streams derived from one run seed.

Every random draw in a run comes from a :class:`numpy.random.Generator` spawned from the
run's seed with :class:`numpy.random.SeedSequence`. Separate purposes get separate child
streams, so switching on an output (say, sampled network statistics) never changes the
dynamics. The event loop draws scalars one at a time; :class:`FastStream` serves them from
pre-drawn blocks because a scalar call into NumPy costs about a microsecond.
"""

from __future__ import annotations

from collections import deque
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

#: Draws per block of :class:`FastStream` (the compiled kernel draws the same blocks).
BLOCK = 1 << 14


def spawn_generators(seed: int) -> dict[str, np.random.Generator]:
    """Return one independent ``Generator`` per name in :data:`STREAMS` for ``seed``."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.Generator(np.random.PCG64(s))
        for name, s in zip(STREAMS, children, strict=True)
    }


class _Blocks:
    """The blocks behind one of :class:`FastStream`'s scalar draws, the current one exposed.

    :attr:`next` is a C-level ``next()``: ``chain.from_iterable`` over ``iter(callable,
    sentinel)`` serves each number without a Python frame (~50 ns against ~120 ns for a
    method) and draws the next block only when the last is used up, as a hand-written index
    would. The current block and the iterator over it are kept, so that the compiled kernel
    (:mod:`netsim.kernel`) can take the stream over at any point and hand it back.
    """

    __slots__ = ("draw", "current", "it", "pending", "next")

    def __init__(self, draw) -> None:
        self.draw = draw
        self.current = np.empty(0)
        self.it = iter(())
        self.pending: np.ndarray | None = None
        self.next = chain.from_iterable(iter(self._block, None)).__next__

    def _block(self):
        if self.pending is not None:
            self.current, self.pending = self.pending, None
        else:
            self.current = self.draw(BLOCK)
        self.it = iter(self.current.tolist())
        return self.it

    def position(self) -> tuple[np.ndarray, int]:
        """The current block and the index of its next unused number."""
        if self.pending is not None:  # handed back by the kernel, not yet drawn from
            return self.pending, 0
        return self.current, len(self.current) - self.it.__length_hint__()

    def resume(self, block: np.ndarray, pos: int) -> None:
        """Go on from ``block[pos]`` (then fresh blocks), as the kernel left the stream."""
        deque(self.it, maxlen=0)  # used up: the chain asks _block for the next one
        self.current = np.empty(0)
        self.pending = np.asarray(block[pos:])


class FastStream:
    """Scalar uniform and exponential draws from a ``Generator``, served from blocks.

    The sequence is a deterministic function of the generator's state, so a run replays
    exactly. ``exponential(rate)`` returns a waiting time with mean ``1/rate`` in the
    caller's time unit (netsim: months). :attr:`random` (a uniform on [0, 1)) and
    :attr:`normal` (a standard normal) are plain callables, the cheapest call Python has.
    """

    __slots__ = ("gen", "random", "normal", "_exp1", "blocks")

    def __init__(self, gen: np.random.Generator) -> None:
        self.gen = gen
        #: The uniform, exponential and normal blocks (their positions: see :class:`_Blocks`).
        self.blocks = (
            _Blocks(gen.random),
            _Blocks(gen.standard_exponential),
            _Blocks(gen.standard_normal),
        )
        #: ``random()``: a uniform draw on [0, 1).
        self.random = self.blocks[0].next
        #: ``normal()``: a standard normal draw.
        self.normal = self.blocks[2].next
        self._exp1 = self.blocks[1].next

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
