"""The platform's synchronous cascade mode: generations move in steps, as in the Independent
Halting Cascade (Kolic et al. 2025; the kernel itself is netsim.platform.ihc)."""

from __future__ import annotations

import pytest

from conftest import small_scenario
from netsim.model.simulation import Simulation


def test_synchronous_platform_cascades_move_in_whole_generations():
    hop = 0.2
    sc = small_scenario(
        population={"workers": 1500},
        horizon_months=36,
        platform={
            "enabled": True,
            "member_share": 0.3,
            "subscriber_share": 1.0,
            "reach": 10,
            "cascade_mode": "synchronous",
            "hop_delay_months": hop,
            "recommend_base": 0.3,
            "pass_on_probability": 1.0,
        },
    )
    sim = Simulation(sc, 4)
    posted: dict[int, float] = {}  # vacancies posted at set-up are posted at time 0
    sim.hooks.vacancy_posted.append(lambda v: posted.setdefault(v, sim.env.now))
    sim.run()
    hires = list(sim.platform.hires.values())
    assert len(hires) > 10
    ev = sim.events()
    rows = ev[ev["kind"] == "hire"]
    vacancy = dict(zip(rows["hire"], rows["vacancy"], strict=True))
    for h in hires:
        g = (h.time_months - posted.get(vacancy[h.hire_id], 0.0)) / (2 * hop)
        # Seeing and deciding take one hop each: a hire whose chain has L referrers comes
        # exactly 2 L hops after the post.
        assert g == pytest.approx(len(h.chain), abs=1e-6), (h, g)
