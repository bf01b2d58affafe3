"""The kernel's hash map holds what a Python dict holds (netsim.kernel.hashing).

Random sequences of keys (hypothesis), with many repeats and enough keys to make the map
grow several times, are put into the map and into a Python dict; the two must agree on
membership, on values and on the number of keys at every step. Keys in arithmetic
progression (as pair keys ``lo * n + hi`` are) must not pile up in one run of slots.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim.kernel.hashing import map_add, map_from, present, slot

keys_ = st.lists(st.integers(0, 2**62), max_size=300) | st.lists(st.integers(0, 40), max_size=300)


@settings(max_examples=60, deadline=None)
@given(keys_, st.lists(st.tuples(st.integers(0, 60), st.floats(-1e6, 1e6)), max_size=300))
def test_map_agrees_with_a_python_dict(start, updates):
    values_in = np.arange(len(start), dtype=np.float64)
    keys, values, count = map_from(np.array(start, np.int64), values_in)
    expected = dict(zip(start, values_in.tolist(), strict=True))  # a later duplicate wins
    assert count == len(expected)
    for key, amount in updates:  # as knowledge_transfer adds
        keys, values, count, old, new = map_add(keys, values, count, key, amount)
        assert old == expected.get(key, 0.0)
        expected[key] = expected.get(key, 0.0) + amount
        assert new == expected[key]
        assert count == len(expected)
        assert 3 * count < 2 * keys.size  # always a free slot left: probes end
    for key, value in expected.items():
        assert values[slot(keys, key)] == value
    assert sorted(present(keys).tolist()) == sorted(expected)


def test_pair_keys_spread_over_the_table():
    n = 1_000_000
    pairs = np.array([lo * n + lo + 1 for lo in range(0, 200_000, 7)], np.int64)
    keys, _, count = map_from(pairs, np.zeros(len(pairs)))
    assert count == len(pairs)
    # Linear probing: with a good home slot the longest probe stays short at <= 2/3 load.
    longest = max((slot(keys, key) - _home_slot(keys, key)) % keys.size for key in pairs.tolist())
    assert longest < 64


def _home_slot(keys: np.ndarray, key: int) -> int:
    from netsim.kernel.hashing import _home

    return int(_home(key, keys.size - 1))
