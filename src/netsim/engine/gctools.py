"""Garbage-collector settings for allocation-heavy phases.

netsim's hot loops allocate many small objects that hold no reference cycles (SimPy events,
closures, tuples). CPython's cyclic collector is triggered by allocation counts alone, so it
runs often and finds nothing: at 100,000 workers it costs about a fifth of the run time.
These context managers pause it, or make it rare, and restore the previous settings after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector (for short bulk builds of cycle-free containers)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def gc_relaxed(gen0_threshold: int = 200_000) -> Iterator[None]:
    """Collect rarely: freeze what exists now and raise the young-generation threshold.

    Unlike :func:`gc_paused` this still collects cyclic garbage during a long run, just
    seldom, so memory stays bounded even if a plug-in creates reference cycles.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(gen0_threshold, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
