"""Huge pages for the kernel's arrays are a hint only (netsim.kernel.pages).

Asking changes no value, skips arrays too small to hold a huge page, asks once per address
range, and asks for the whole huge pages inside an array, never beyond it.
"""

from __future__ import annotations

import sys

import numpy as np

from netsim.kernel.pages import _HUGE, MIN_BYTES, HugePages


def test_advice_changes_no_value_and_asks_once_per_range():
    rng = np.random.default_rng(3)
    big = rng.random(3 * MIN_BYTES // 8)
    small = rng.random(100)
    before = big.copy(), small.copy()
    pages = HugePages()
    pages.advise([big, small, "not an array"])
    first = pages.advised
    pages.advise([big])  # the same range again: not asked twice
    assert pages.advised == first
    assert np.array_equal(big, before[0]) and np.array_equal(small, before[1])
    if sys.platform.startswith("linux") and pages._madvise is not None and first:
        assert first % _HUGE == 0  # whole huge pages only ...
        assert big.nbytes - 2 * _HUGE < first <= big.nbytes  # ... and all of them inside


def test_small_arrays_are_left_alone():
    pages = HugePages()
    pages.advise([np.zeros(MIN_BYTES // 8 - 1)])
    assert pages.advised == 0
