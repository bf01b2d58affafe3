"""The lecture app's logic without a browser: settings, live stepping, export, compare."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import pre_calibration, small_scenario
from netsim.api import load
from netsim.cli import main
from netsim.model.loading import load_scenario
from netsim.scenario.errors import NetsimInputError
from netsim.ui.live import LiveRun
from netsim.ui.settings import (
    LECTURE_KEYS,
    apply_values,
    default_params,
    lecture_values,
    ui_message,
)

GAMING = {
    "horizon_months": 18,
    "platform": {
        "enabled": True,
        "member_share": 0.3,
        "payout": {"rule": "flat", "params": {"bonus": 2000}},
        "gaming": {"rotation_share": 0.3},
    },
}


def _write(tmp_path, data=None, name="lecture.yaml"):
    sc = small_scenario(**(data or GAMING))
    path = tmp_path / name
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False))
    return path


# ---------------------------------------------------------------------- settings
def test_every_lecture_key_is_a_scenario_key(small):
    values = lecture_values(small)
    assert set(values) == {k.path for k in LECTURE_KEYS}
    # Applying the values unchanged gives the same scenario back.
    assert apply_values(small.model_dump(mode="json"), values) == small


def test_widget_values_are_applied_and_validated(tmp_path):
    path = _write(tmp_path)
    values = lecture_values(load_scenario(path))
    values["platform.payout.rule"] = "deferred"
    values["platform.payout.params"] = "{bonus: 3000, retention_months: 9}"
    values["platform.defences.screening"] = True
    sc = apply_values(path, values)
    assert sc.platform.payout.rule == "deferred"
    assert sc.platform.payout.params == {"bonus": 3000, "retention_months": 9}
    assert sc.platform.defences.screening is True


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("platform.member_share", 1.5, "platform.member_share: must be <= 1, got 1.5"),
        ("population.workers", 1, "population.workers: must be >= 2"),
        ("platform.payout.rule", "flatt", "did you mean 'flat'"),
        ("platform.payout.params", "{bonus: -5}", "platform.payout.params.bonus"),
    ],
)
def test_bad_widget_values_get_the_scenario_file_messages(tmp_path, key, value, expected):
    path = _write(tmp_path)
    values = lecture_values(load_scenario(path))
    values[key] = value
    with pytest.raises(NetsimInputError) as err:
        apply_values(path, values)
    text = ui_message(err.value)
    assert text.startswith(str(path)), text  # names the file ...
    assert expected in text  # ... the key path and what was expected
    assert "(set in the UI)" in text and "--set" not in text


def test_default_params_of_a_rule():
    assert default_params("deferred") == {"bonus": 2000.0, "retention_months": 12.0}
    assert default_params("no such rule") == {}


# ---------------------------------------------------------------------- live run and export
def test_step_returns_the_new_rows_and_stops_at_the_horizon(tmp_path):
    live = LiveRun(load_scenario(_write(tmp_path)))
    first = live.step(3)
    assert first["month"].tolist() == [0, 1, 2, 3]
    assert live.step(1)["month"].tolist() == [4]
    rest = live.step(100)
    assert rest["month"].tolist() == list(range(5, 19))
    assert live.finished and live.step(1).empty


def test_ego_network_shows_a_referrer_and_their_referrals(tmp_path):
    live = LiveRun(load_scenario(_write(tmp_path)))
    live.step(18)
    ego = live.ego_network()
    chains = live.sim.platform.chain_table()
    mine = chains[chains["referrer"] == ego.ego]
    assert ego.hires == mine["hire"].nunique() > 0
    assert ego.referred == mine["worker"].nunique()
    assert mine["hire"].nunique() == chains.groupby("referrer")["hire"].nunique().max()
    kinds = set(ego.nodes["kind"])
    assert {"ego", "referred", "company"} <= kinds
    assert (ego.edges["kind"] == "referral").sum() == ego.hires


def _tables(run):
    out = {
        "timeseries": run.timeseries,
        "workers": run.workers,
        "companies": run.companies,
        "events": run.events,
        "chains": run.chains,
        "ledger": run.ledger,
    }
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def test_export_after_a_full_run_is_what_netsim_run_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    live = LiveRun(load_scenario(_write(tmp_path)))
    for _ in range(live.horizon):
        live.step(1)
    written = live.export(tmp_path / "ui-export")
    assert {p.name for p in written} >= {"scenario.yaml", "ui-labour-market.png"}
    assert all(p.stat().st_size > 0 for p in written)
    assert main(["run", "ui-export/scenario.yaml", "--out", "cli-run"]) == 0
    ui, cli = _tables(load(tmp_path / "ui-export")), _tables(load(tmp_path / "cli-run"))
    for name in ui:
        pd.testing.assert_frame_equal(ui[name], cli[name], check_exact=True, obj=name)


def test_export_part_way_is_the_first_months_of_netsim_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    live = LiveRun(load_scenario(_write(tmp_path)))
    live.step(7)
    live.export(tmp_path / "ui-export")
    assert main(["run", "ui-export/scenario.yaml", "--out", "cli-run"]) == 0
    ui, cli = load(tmp_path / "ui-export"), load(tmp_path / "cli-run")
    assert len(ui.timeseries) == 8
    pd.testing.assert_frame_equal(ui.timeseries, cli.timeseries.iloc[:8], check_exact=True)
    early = cli.events[cli.events["time_months"] <= 7]
    pd.testing.assert_frame_equal(ui.events, early.reset_index(drop=True), check_exact=True)


def test_export_refuses_a_foreign_folder_and_writes_nothing(tmp_path):
    live = LiveRun(load_scenario(_write(tmp_path)))
    live.step(2)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("precious")
    with pytest.raises(NetsimInputError, match="Nothing was written"):
        live.export(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.tex"]


# ---------------------------------------------------------------------- compare
def test_compare_uses_common_random_numbers(tmp_path):
    from netsim.ui.compare import PairRun, totals_table, variant_b

    # Gamed placements within 18 months need the churnier pre-calibration market.
    a = load_scenario(_write(tmp_path, pre_calibration(**GAMING)))
    same = PairRun(a, variant_b(a, "# nothing changed\n"))
    rows = same.step(18)
    for col in ("unemployment_rate", "payouts_gamed", "churn_rate"):
        assert rows[f"a_{col}"].tolist() == rows[f"b_{col}"].tolist()
    assert (totals_table(rows)["B − A"] == 0).all()

    b = variant_b(a, "platform.payout.rule=deferred\n"
                     "platform.payout.params={bonus: 2000, retention_months: 12}")
    assert b.seed == a.seed and b.platform.payout.rule == "deferred"
    diff = PairRun(a, b)
    rows = diff.step(18)
    assert rows["month"].tolist() == list(range(19))
    # Same world: month 0 is identical; the rule then changes what gamers earn.
    assert rows.loc[0, "a_unemployment_rate"] == rows.loc[0, "b_unemployment_rate"]
    table = totals_table(rows).set_index("quantity")
    assert table.loc["payouts, gamed", "B"] < table.loc["payouts, gamed", "A"]


def test_compare_changes_are_validated_like_set(tmp_path):
    from netsim.ui.compare import variant_b

    a = load_scenario(_write(tmp_path))
    with pytest.raises(NetsimInputError) as err:
        variant_b(a, "platform.gaming.rotation_shar=0.5")
    assert "did you mean 'rotation_share'" in ui_message(err.value)


def test_ui_colours_are_the_static_figures_colours():
    from netsim.ui import charts
    from netsim.viz import style

    assert charts.OKABE_ITO == style.OKABE_ITO
    assert charts.CHANNEL_COLOURS == style.CHANNEL_COLOURS
    assert charts.GAMING_COLOURS == style.GAMING_COLOURS


def test_netsim_ui_refuses_a_bad_scenario_before_serving(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nplatform: {enabled: yes, member_shar: 0.2}\n")
    assert main(["ui", str(bad), "--no-show", "--port", "5999"]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml: platform.member_shar" in err and "member_share" in err
    assert main(["ui", "--port", "70000", "--no-show"]) == 2
    assert "--port must be at most 65535" in capsys.readouterr().err


def test_downloaded_scenario_yaml_loads_back_to_the_same_scenario(tmp_path):
    from netsim.ui.live import scenario_yaml

    sc = apply_values(_write(tmp_path), {"platform.payout.rule": "instalments",
                                         "platform.payout.params": "{}"})
    assert load_scenario(yaml.safe_load(scenario_yaml(sc))) == sc


def test_the_student_page_puts_only_their_own_placed_friend_up_for_rotation():
    from netsim.model.simulation import Simulation
    from netsim.platform.classroom import Classroom
    from netsim.ui.classroom import ClassroomHub, StudentSession, leaderboard_markdown
    from test_classroom import PLATFORM  # the seeded run test_classroom's rotations use

    sc = small_scenario(**PLATFORM)
    sim = Simulation(sc).start()
    hub = ClassroomHub()
    hub.publish(Classroom().attach(sim.platform))
    tabs = [StudentSession(hub) for _ in range(10)]
    for tab in tabs:
        tab.join()
    tabs[0].rotate()  # nothing placed yet: refused with a message
    assert "Nobody to rotate" in tabs[0].rotate_note.object
    sim.advance(1)
    for tab in tabs:
        tab.refresh()
    owner = next(t for t in tabs if t.rotate_pick.options)  # student t5 of test_classroom
    other = next(t for t in tabs if not t.rotate_pick.options)
    hire_id = owner.rotate_pick.value
    assert "payout safe now" in owner.placed.object  # pay per hit
    other.rotate_pick.options = {"forged": hire_id}  # a tampered page names another's hire
    other.rotate_pick.value = hire_id
    other.rotate()
    assert "Refused" in other.rotate_note.object and not hub.room._rotations
    owner.rotate()
    assert "quits into search at month 1.0" in owner.rotate_note.object
    assert owner.rotate_pick.options == {}  # no longer offered
    sim.advance(2.5)
    owner.refresh()
    assert "None yet" in owner.placed.object  # the friend quit: the placement has ended
    board = leaderboard_markdown(hub.room)
    mine = next(line for line in board.splitlines() if f"| {owner.room.member_of(owner.token)} |"
                in line)
    assert mine.endswith("| 1 |")  # one rotation on the leaderboard


def test_the_student_page_says_when_the_employer_keeps_the_member_off_the_platform():
    from netsim.model.simulation import Simulation
    from netsim.platform.classroom import Classroom
    from netsim.ui.classroom import ClassroomHub, StudentSession
    from test_classroom import PLATFORM

    sim = Simulation(small_scenario(**PLATFORM)).start()
    hub = ClassroomHub()
    hub.publish(Classroom().attach(sim.platform))
    market = sim.platform.market
    tabs = [StudentSession(hub) for _ in range(5)]
    for t in tabs:
        t.join()
    tab = next(t for t in tabs if market.employer(t.room.member_of(t.token)) >= 0)
    tab.refresh()
    assert "off the platform" not in tab.status.object
    employer = market.employer(tab.room.member_of(tab.token))
    market.set_policy(employer, 0)
    tab.refresh()
    assert f"Your employer, company {employer}, keeps its staff off the platform" in (
        tab.status.object
    )
