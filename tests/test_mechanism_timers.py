"""Mechanisms' plain timers (``MarketServices.call_in``) run in the order SimPy events of
``MarketServices.after`` would: by time, then by creation, interleaved with each other and
with the model's SimPy processes, so moving a mechanism from ``after`` (or a SimPy process) to
``call_in`` changes no result, only the cost (issue 10)."""

from __future__ import annotations

from conftest import small_scenario
from netsim.model.simulation import Simulation


def test_call_in_and_after_fire_by_time_then_creation_order():
    sim = Simulation(small_scenario(horizon_months=3, burn_in_months=0), 1)
    services = sim.services()
    fired: list[tuple[float, str]] = []

    def note(name: str, _: object) -> None:
        fired.append((services.now, name))

    # Equal times (a synchronous cascade's hops) keep creation order across both kinds;
    # an earlier timer created later still comes first.
    services.call_in(1.0, note, "timer 1", None)
    services.after(1.0, lambda _ev: note("event 2", None))
    services.call_in(1.0, note, "timer 3", None)
    services.after(0.5, lambda _ev: note("event 0", None))
    services.call_in(0.25, note, "timer -1", None)
    sim.run()
    assert fired == [
        (0.25, "timer -1"),
        (0.5, "event 0"),
        (1.0, "timer 1"),
        (1.0, "event 2"),
        (1.0, "timer 3"),
    ]
