"""A hash map over non-negative int64 keys, in flat arrays (linear probing).

The kernel's knowledge stocks are keyed by pairs of companies (``dest * m + origin``, one
per pair a worker has moved between: millions at a million workers). numba's typed
``Dict`` holds them correctly, but every lookup is a call into its C helper (hashing, an
index table, then an entry table), two dependent memory reads that miss the caches at that
size. Here a map is one array of keys (``EMPTY`` where free) and one array of values beside
it; a key's home slot comes from a 64-bit mixer, and a collision moves on to the next
slot, so a lookup reads one cache line in the common case. Maps grow (double and
re-insert) before they are two-thirds full.

A map is passed as its arrays and returned grown where it may grow, since a numba
``StructRef`` field cannot be handed on by reference: callers keep ``(keys, values, count)``
as fields of the kernel state. Iteration order is the slots' order; the kernel only
iterates where order does not matter (scaling every stock, listing keys to sort them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: The key of a free slot (real keys are >= 0).
EMPTY = -1
_MIN_SLOTS = 16


@njit(cache=True)
def _home(key, mask):
    """The home slot of ``key`` (the SplitMix64 finaliser, so that keys in arithmetic
    progressions, as pair keys are, spread over the table)."""
    x = np.uint64(key)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return np.int64(x & np.uint64(mask))


@njit(cache=True)
def slot(keys, key):
    """The slot holding ``key``, or the free slot where it would go (its key is EMPTY)."""
    mask = keys.size - 1
    k = _home(key, mask)
    while True:
        here = keys[k]
        if here in (key, EMPTY):
            return k
        k = (k + 1) & mask


@njit(cache=True)
def slots_for(count):
    """A table size (a power of two) that holds ``count`` keys below two-thirds full."""
    size = _MIN_SLOTS
    while 3 * count >= 2 * size:
        size *= 2
    return size


@njit(cache=True)
def map_from(keys_in, values_in):
    """A map table of ``keys_in[k] -> values_in[k]`` (a later duplicate wins); returns
    (keys, values, count)."""
    keys = np.full(slots_for(keys_in.size), EMPTY, np.int64)
    values = np.zeros(keys.size, values_in.dtype)
    count = 0
    for j in range(keys_in.size):
        k = slot(keys, keys_in[j])
        if keys[k] == EMPTY:
            keys[k] = keys_in[j]
            count += 1
        values[k] = values_in[j]
    return keys, values, count


@njit(cache=True)
def map_grown(keys, values, count):
    """``(keys, values)`` themselves if one more key fits below two-thirds full, else
    larger copies holding the same pairs."""
    if 3 * (count + 1) < 2 * keys.size:
        return keys, values
    bigger = np.full(2 * keys.size, EMPTY, np.int64)
    more = np.zeros(bigger.size, values.dtype)
    for k in range(keys.size):
        if keys[k] != EMPTY:
            j = slot(bigger, keys[k])
            bigger[j] = keys[k]
            more[j] = values[k]
    return bigger, more


@njit(cache=True)
def map_add(keys, values, count, key, amount):
    """Add ``amount`` to ``key``'s value, inserting the key (at 0) if absent. Returns
    ``(keys, values, count, old, new)``: the arrays (grown if the key was new), the count
    of keys, and the key's value before and after. Free slots hold 0."""
    k = slot(keys, key)
    old = values[k]
    new = old + amount
    values[k] = new
    if keys[k] == EMPTY:
        keys[k] = key
        count += 1
        keys, values = map_grown(keys, values, count)
    return keys, values, count, old, new


@njit(cache=True)
def present(keys):
    """The keys held, in slot order."""
    out = np.empty(keys.size, np.int64)
    n = 0
    for key in keys:
        if key != EMPTY:
            out[n] = key
            n += 1
    return out[:n]
