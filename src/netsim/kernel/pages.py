"""Transparent huge pages for the kernel's large arrays (Linux only; a hint, never a result).

At a million workers the kernel's arrays span about a gigabyte, and each event reads a few
random entries of them. With the usual 4 KiB pages the processor's translation cache
covers a few megabytes, so most of these reads also walk the page tables; 2 MiB pages
cover the arrays with a few hundred entries. Linux gives a process huge pages only where it
asks (``madvise``, this machine's setting); NumPy asks for its own large arrays, but the
worker arrays the kernel shares with the Python market are ``array.array`` buffers and the
kernel's own arrays grow inside numba, and neither asks. :func:`advise` asks for them
(``MADV_HUGEPAGE``) and has the pages already written collapsed into huge pages
(``MADV_COLLAPSE``, Linux 6.1 and later). Where the system cannot (another OS, an older
kernel, huge pages off) nothing happens; no value and no order depends on it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import numpy as np

__all__ = ["HugePages"]

_MADV_HUGEPAGE = 14
_MADV_COLLAPSE = 25
_HUGE = 2 * 1024 * 1024
#: Arrays smaller than this are left alone (a system call each is not worth it).
MIN_BYTES = 2 * _HUGE


def _madvise():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    fn = libc.madvise
    fn.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    fn.restype = ctypes.c_int
    return fn


class HugePages:
    """Ask once for huge pages under each large array given (by address range)."""

    def __init__(self) -> None:
        self._madvise = _madvise()
        self._done: set[tuple[int, int]] = set()
        #: Bytes asked for so far.
        self.advised = 0

    def advise(self, arrays) -> None:
        """Ask for huge pages under every NumPy array in ``arrays`` of at least MIN_BYTES."""
        if self._madvise is None:
            return
        for a in arrays:
            if not isinstance(a, np.ndarray) or a.nbytes < MIN_BYTES:
                continue
            start = a.__array_interface__["data"][0]
            lo = -(-start // _HUGE) * _HUGE
            hi = (start + a.nbytes) // _HUGE * _HUGE
            if hi <= lo or (lo, hi) in self._done:
                continue
            self._done.add((lo, hi))
            if self._madvise(lo, hi - lo, _MADV_HUGEPAGE) == 0:
                self._madvise(lo, hi - lo, _MADV_COLLAPSE)  # may fail: then it stays a hint
                self.advised += hi - lo
