"""Which runs the compiled kernel covers (the core market), and when 'auto' uses it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netsim.market.labour_market import LabourMarket

#: 'auto' uses the kernel from this many worker-months (workers x months, burn-in included).
#: Loading the kernel costs ~1.5 s (its first run after installing ~75 s, compiling; cached
#: afterwards) and saves ~15 us a worker-month: below ~1,000,000 worker-months (say,
#: 10,000 workers for 100 months) the Python market is as fast or faster.
AUTO_MIN_WORKER_MONTHS = 1_000_000


def unsupported(sim: LabourMarket) -> str | None:
    """Why the compiled kernel cannot run this simulation, or None if it can."""
    sc = sim.sc
    switches = {
        "the platform": sc.platform.enabled,
        "freelancers": sc.freelance.enabled,
        "living firms": sc.firms.enabled,
        "campaigns": sc.campaigns.enabled,
        "tie dynamics": sc.ties.dynamics.enabled,
        "company screening": sc.screening.enabled,
        "'always_hiring' demand": sim.always_hiring,
    }
    for name, on in switches.items():
        if on:
            return f"{name} (the kernel runs the core market only)"
    for hook in type(sim.hooks).__slots__:
        # Even month_end: a listener there may act on the market through its services,
        # which change the Python state only.
        if getattr(sim.hooks, hook):
            return f"a subscriber to the {hook!r} hook"
    if sim.held or sim.net.half_life:
        return "held workers or decaying ties"
    return None
