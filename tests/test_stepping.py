"""Live stepping (Simulation.start / advance) gives exactly the tables of a one-shot run."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import small_scenario
from netsim.model.simulation import Simulation


def _tables(sim: Simulation) -> dict[str, pd.DataFrame]:
    tables = {
        "timeseries": sim.timeseries(),
        "events": sim.events(),
        "workers": sim.worker_table(),
        "companies": sim.company_table(),
    }
    if sim.platform is not None:
        tables["chains"] = sim.platform.chain_table()
        tables["ledger"] = sim.ledger.to_frame()
    return tables


@pytest.mark.parametrize(
    "sections",
    [
        {},
        {
            "platform": {
                "enabled": True,
                "member_share": 0.3,
                "payout": {"rule": "deferred", "params": {"bonus": 2000, "retention_months": 6}},
                "gaming": {"rotation_share": 0.2, "sybil_share": 0.1},
            }
        },
    ],
    ids=["no platform", "platform with gaming"],
)
def test_month_by_month_equals_run(sections):
    sc = small_scenario(horizon_months=18, **sections)
    whole = Simulation(sc).run()
    stepped = Simulation(sc).start()
    for m in range(1, 19):
        stepped.advance(m)
        assert stepped.month_reached == m
        assert len(stepped.timeseries()) == m + 1  # month 0 plus one row per month
    stepped.advance(99)  # capped at the horizon: nothing more happens
    a, b = _tables(whole), _tables(stepped)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
    assert whole.n_events == stepped.n_events


def test_event_table_read_mid_run_keeps_its_rows_and_lets_the_run_go_on():
    # A column of the table that still viewed the log's typed array would stop the log
    # from growing (BufferError), and one the log grew under would change a table already
    # handed out.
    sc = small_scenario(horizon_months=12)
    whole = Simulation(sc).run()
    stepped = Simulation(sc).start()
    stepped.advance(4)
    early = stepped.events()
    kept = early.copy()
    stepped.advance(12)
    pd.testing.assert_frame_equal(early, kept, check_exact=True)
    pd.testing.assert_frame_equal(stepped.events(), whole.events(), check_exact=True)
    assert len(early) < len(whole.events())


def test_uneven_steps_equal_run():
    sc = small_scenario(horizon_months=12)
    whole = Simulation(sc).run()
    stepped = Simulation(sc).start()
    for m in (0.5, 3, 3, 7.25, 12):
        stepped.advance(m)
    pd.testing.assert_frame_equal(whole.timeseries(), stepped.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(whole.worker_table(), stepped.worker_table(), check_exact=True)


@pytest.mark.parametrize(
    "scenario", ["freelancers.yaml", "viral_campaigns.yaml", "it_community_ties.yaml"]
)
def test_stepping_equals_run_with_the_world_mechanisms(scenario):
    from pathlib import Path

    from netsim.model.loading import load_scenario

    path = Path(__file__).resolve().parents[1] / "scenarios" / scenario
    sc = load_scenario(path, ["population.workers=400", "companies.count=20", "horizon_months=10"])
    whole = Simulation(sc).run()
    stepped = Simulation(sc).start()
    for m in range(1, 11):
        stepped.advance(m)
    a, b = _tables(whole), _tables(stepped)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)
    for name, table in whole.mechanism_tables().items():
        pd.testing.assert_frame_equal(table, stepped.mechanism_tables()[name], obj=name)
