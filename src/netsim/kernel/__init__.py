"""The compiled kernel: the core market's events in numba, identical to the Python market.

The Python market (:mod:`netsim.market`) is the reference and the home of every mechanism.
For a run whose scenario uses only the core market (no platform, freelancers, living
firms, campaigns, tie dynamics or company screening, vacancy demand, nobody subscribed to
the hooks), the kernel runs the market's events instead, on the same state and the same
random numbers, so the tables are the same to the bit, only computed faster. Rooms:

==============================  =========================================================
:mod:`netsim.kernel.scope`      which runs the kernel covers; when 'auto' uses it
:mod:`netsim.kernel.layout`     the state record (a numba ``StructRef``) and its codes
:mod:`netsim.kernel.queues`     timer queue, far timers, deadlines, random blocks
:mod:`netsim.kernel.hashing`    the hash map of the knowledge stocks (flat arrays)
:mod:`netsim.kernel.pages`      huge pages under the large arrays (a hint, Linux)
:mod:`netsim.kernel.storage`    list pools and the records synced back to Python
:mod:`netsim.kernel.basics`     sampling, offers, salary, knowledge, contacts
:mod:`netsim.kernel.vacancies`  open, post, close, expire, fill internally
:mod:`netsim.kernel.market`     worker events, applications, hires, separations
:mod:`netsim.kernel.contacts`   word of mouth and colleague ties
:mod:`netsim.kernel.loop`       the event loop and the entry points of SimPy processes
:mod:`netsim.kernel.access`     reading and writing the state from Python
:mod:`netsim.kernel.bridge`     taking over a populated market and syncing it back
==============================  =========================================================

Developing it: numba caches each compiled function next to its file and notices only a
change of that file, not of a function it calls from another one; after editing the
kernel, delete ``src/netsim/kernel/__pycache__/*.nb*`` (an install writes every file anew,
so users never meet a stale cache).

It may import the engine, the scenario's error type, the market's constants and the
recorder's codes; nothing imports it but :mod:`netsim.model.simulation`, and numba only
when a run uses the kernel (it loads in ~0.5 s).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from netsim.kernel.scope import AUTO_MIN_WORKER_MONTHS, unsupported
from netsim.scenario.errors import NetsimInputError, unknown_name_problem

if TYPE_CHECKING:
    from netsim.kernel.bridge import CompiledMarket
    from netsim.market.labour_market import LabourMarket

__all__ = ["AUTO_MIN_WORKER_MONTHS", "KERNELS", "attach_kernel", "unsupported"]

#: Kernel choices: 'auto' (compiled where it applies), 'compiled' (required), 'python'.
KERNELS = ("auto", "compiled", "python")


def attach_kernel(
    sim: LabourMarket, burn_in: int, kernel: str | None = None
) -> CompiledMarket | None:
    """Hand ``sim``'s market to the compiled kernel if ``kernel`` asks for it and it applies.

    Call it when the run starts (after :meth:`~netsim.market.state.MarketState.populate`
    and after the mechanisms and listeners have subscribed); ``burn_in`` is the whole
    months the run starts before month 0.

    ``kernel`` defaults to the ``NETSIM_KERNEL`` environment variable, else 'auto'.
    'compiled' raises :class:`~netsim.scenario.errors.NetsimInputError` (the command line's
    exit 2) when the kernel does not apply (naming why) or numba is not installed; so does
    an unknown choice. 'auto' uses the kernel where it applies and the run is large enough to
    pay for loading it (:data:`AUTO_MIN_WORKER_MONTHS`), else keeps the Python market;
    'python' always keeps it. The results are the same either way.
    """
    where = "kernel" if kernel else "NETSIM_KERNEL"  # the argument, else the variable
    choice = kernel or os.environ.get("NETSIM_KERNEL", "auto")
    if choice not in KERNELS:
        problem = unknown_name_problem(choice, KERNELS, f"kernel {choice!r}")
        raise NetsimInputError(problem, key_path=where)
    if choice == "python":
        return None
    months = sim.sc.horizon_months + burn_in
    if choice == "auto" and sim.workers.n * months < AUTO_MIN_WORKER_MONTHS:
        return None
    reason = unsupported(sim)
    if reason is None:
        try:
            from netsim.kernel.bridge import CompiledMarket
        except ImportError as exc:  # numba missing
            reason = f"numba is not installed ({exc})"
        else:
            return CompiledMarket(sim, burn_in)
    if choice == "compiled":
        raise NetsimInputError(
            f"'compiled', but the compiled kernel cannot run this scenario: {reason}; "
            "use 'auto' or 'python'",
            key_path=where,
        )
    return None
