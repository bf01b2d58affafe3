"""The Fenwick vacancy sampler (compiled kernels) against a plain cumulative-sum reference."""

from __future__ import annotations

import bisect
from itertools import accumulate

import numpy as np
import pytest

from netsim.engine.sampling import FenwickSampler


def _reference(weights: list[float], u: float) -> int:
    """Index whose cumulative-weight interval holds ``u * total`` (-1 if all are 0)."""
    cum = list(accumulate(weights))
    if not cum or cum[-1] <= 1e-12:
        return -1
    return bisect.bisect_right(cum, u * cum[-1])


@pytest.mark.parametrize("n", [1, 2, 7, 64, 1000])
def test_draws_match_cumulative_sums_under_updates(n: int) -> None:
    rng = np.random.default_rng(n)
    s = FenwickSampler(n)
    w = [0.0] * n
    for step in range(2000):
        i = int(rng.integers(n))
        if step % 3 == 2 and w[i] > 0:
            s.add(i, -w[i])
            w[i] = 0.0
        else:
            d = float(rng.integers(1, 4))  # integer weights: sums are exact in both
            s.add(i, d)
            w[i] += d
        u = float(rng.random())
        got = s.sample(u)
        assert got == _reference(w, u)
        assert got == -1 or w[got] > 0
    assert s.total == pytest.approx(sum(w))
    assert [s.weight(k) for k in range(n)] == w


def test_empty_and_all_zero() -> None:
    s = FenwickSampler(5)
    assert s.sample(0.5) == -1
    s.add(3, 2.0)
    s.add(3, -2.0)
    assert s.sample(0.99) == -1


def test_set_all_and_rebuild_keep_the_distribution() -> None:
    rng = np.random.default_rng(3)
    weights = rng.random(300).tolist()
    weights[10] = 0.0
    s = FenwickSampler(300)
    s.set_all(weights)
    us = rng.random(500).tolist()
    first = [s.sample(u) for u in us]
    s.rebuild()
    assert [s.sample(u) for u in us] == first
    assert 10 not in first
    assert s.total == pytest.approx(sum(weights))
    with pytest.raises(ValueError, match="expected 300 weights"):
        s.set_all([1.0])


def test_frequencies_follow_weights() -> None:
    s = FenwickSampler(4)
    for i, wt in enumerate([1.0, 2.0, 3.0, 4.0]):
        s.set(i, wt)
    rng = np.random.default_rng(0)
    counts = np.bincount([s.sample(u) for u in rng.random(20_000).tolist()], minlength=4)
    assert np.allclose(counts / counts.sum(), [0.1, 0.2, 0.3, 0.4], atol=0.015)


def _one_pass_tree(weights: list[float]) -> list[float]:
    """The classic O(n) Fenwick build: each node adds itself to its parent, in index order."""
    n = len(weights)
    tree = [0.0] * (n + 1)
    for i, w in enumerate(weights):
        tree[i + 1] += w
        parent = (i + 1) + ((i + 1) & -(i + 1))
        if parent <= n:
            tree[parent] += tree[i + 1]
    return tree


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 63, 64, 65, 1000, 4097])
def test_rebuild_gives_the_one_pass_tree_to_the_bit(n: int) -> None:
    weights = np.random.default_rng(n).exponential(size=n) * 1e3
    s = FenwickSampler(n)
    s.set_all(weights.tolist())
    assert list(s._tree) == _one_pass_tree(weights.tolist())
