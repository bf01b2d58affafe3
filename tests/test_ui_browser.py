"""``netsim ui`` in a real browser: Debian's Chromium driven by Playwright.

The app is started as ``netsim ui`` would be, on a free port; the tests load the page,
change a widget (and see a bad value's message), run 12 months and watch the charts grow,
export the run folder, and run compare mode. Skipped only when no ``chromium`` is installed
(``.ci/run`` installs it); every other failure fails. Set ``NETSIM_SCREENSHOTS=docs/img`` to
keep the screenshots (``ui-*.png``) there; otherwise they go to pytest's temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import small_scenario
from netsim.api import load

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    print("test_ui_browser: no `chromium` on PATH (apt-get install -y chromium); skipped")
    pytest.skip("no chromium on PATH (apt-get install -y chromium)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
#: Generous bounds (seconds): the machine is shared; docs/performance.md has the timings.
START_S = 30
WAIT_MS = 20_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shot(page: Page, name: str, tmp: Path) -> Path:
    folder = Path(os.environ.get("NETSIM_SCREENSHOTS") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ui-{name}.png"
    page.screenshot(path=path)
    try:  # keep the kept files small; 256 colours keep every chart colour apart
        from PIL import Image

        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)
    except ImportError:
        pass
    return path


def _rows(page: Page, source: str) -> int:
    return page.evaluate(
        "name => Bokeh.documents[0].get_model_by_name(name).data.month.length", source
    )


def _text(page: Page, css: str) -> str:
    return page.locator(css).first.evaluate(
        "e => (e.shadowRoot ? e.shadowRoot.textContent : e.textContent)"
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """``netsim ui SCENARIO --port N --no-show`` in a scratch folder; its URL and folder."""
    folder = tmp_path_factory.mktemp("ui")
    sc = small_scenario(
        name="lecture",
        horizon_months=36,
        population={"workers": 1500},
        companies={"count": 60},
        platform={
            "enabled": True,
            "member_share": 0.3,
            "payout": {"rule": "flat", "params": {"bonus": 2000}},
            "gaming": {"rotation_share": 0.3},
        },
    )
    yield from _launch(folder, sc)


def _launch(folder: Path, sc):
    """Serve ``sc`` with ``netsim ui`` from ``folder``; yield its URL, folder, start time."""
    path = folder / "lecture.yaml"
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False))
    port = _free_port()
    began = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsim", "ui", str(path), "--port", str(port), "--no-show"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "serving" in line, line + proc.stdout.read()
        yield {"url": f"http://localhost:{port}/", "folder": folder, "began": began}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(browser, app):
    """One tab for the whole module (loading a page is the slow part): the tests below run
    in file order, as a lecturer would: look, change, run, export, compare, upload."""
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.goto(app["url"])
    page.get_by_text("Month 0 of 36").wait_for()
    yield page
    page.close()


def test_page_is_usable_soon_after_start(app, page):
    assert time.perf_counter() - app["began"] < START_S
    assert _rows(page, "chart-unemployment") == 0


def test_change_a_widget_run_twelve_months_and_export(app, page, tmp_path):
    # A bad value gets the scenario file's message, and Start is refused meanwhile.
    share = page.locator(".setting-platform-member-share input")
    share.fill("1.5")
    share.press("Enter")
    page.locator(".netsim-message").wait_for()
    message = _text(page, ".netsim-message")
    assert "lecture.yaml: platform.member_share: must be <= 1, got 1.5 (set in the UI)" in message
    assert page.get_by_role("button", name="Start").is_disabled()
    share.fill("0.3")
    share.press("Enter")
    page.locator(".netsim-message").wait_for(state="hidden")

    # Switching the rule shows its parameters and resets the run to it.
    page.locator(".setting-platform-payout-rule select").select_option("deferred")
    page.get_by_text("deferred rule").wait_for()
    params = page.locator(".setting-platform-payout-params input")
    assert params.input_value() == "{bonus: 2000.0, retention_months: 12.0}"

    page.get_by_role("button", name="Step").click()
    page.get_by_text("Month 1 of 36").wait_for()
    page.get_by_role("button", name="Start").click()
    page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('chart-unemployment').data.month.length"
        " >= 13"
    )
    page.get_by_role("button", name="Pause").click()
    # On a busy machine the browser may lag behind the engine, which may have finished.
    page.get_by_text(re.compile("paused|finished")).wait_for()
    time.sleep(1.0)  # the last queued month reaches the page
    status = _text(page, ".netsim-status")
    month = int(status.split("Month ")[1].split(" of")[0])
    assert month >= 12
    for chart in ("unemployment", "hires", "churn", "payouts", "platform"):
        assert _rows(page, f"chart-{chart}") == month + 1, chart
    assert page.evaluate(
        "() => Bokeh.documents[0].get_model_by_name('network-nodes').data.x.length"
    ) > 1
    _shot(page, "live", tmp_path)

    page.locator(".bk-tab", has_text="Export").click()
    folder = page.locator(".netsim-export-dir input")
    folder.fill(str(tmp_path / "exported"))
    folder.press("Enter")
    page.get_by_role("button", name="Export run folder").click()
    page.get_by_text("Exported month").wait_for()
    run = load(tmp_path / "exported")
    assert len(run.timeseries) == month + 1
    assert run.scenario.platform.payout.rule == "deferred"
    pngs = sorted(p.name for p in (tmp_path / "exported" / "plots").glob("ui-*.png"))
    assert pngs == [
        "ui-churn.png", "ui-hires-by-channel.png", "ui-labour-market.png", "ui-platform-money.png"
    ]  # fmt: skip
    _shot(page, "export", tmp_path)


def test_compare_mode(page, tmp_path):
    # A: pay per hit (the sidebar); B: the tab's default change, a deferred bonus.
    page.locator(".setting-platform-payout-rule select").select_option("flat")
    page.get_by_text("press Reset to run them").wait_for()  # the run so far stays deferred
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("flat rule").wait_for()
    page.locator(".bk-tab", has_text="Compare").click()
    page.get_by_role("button", name="Run A and B").click()
    page.wait_for_function(
        "() => Bokeh.documents[0].get_model_by_name('chart-compare-payouts_gamed')"
        ".data.month.length >= 13"
    )
    page.get_by_role("button", name="Pause both").click()
    table = _text(page, ".netsim-compare-table")
    assert "payouts, gamed" in table and "B − A" in table
    data = page.evaluate(
        "() => { const d = Bokeh.documents[0].get_model_by_name("
        "'chart-compare-payouts_gamed').data;"
        " return [Array.from(d.a_payouts_gamed), Array.from(d.b_payouts_gamed)]; }"
    )
    n = min(len(data[0]), len(data[1]))
    assert data[0][:n] != data[1][:n]  # the rules differ, so what gamers earn differs
    _shot(page, "compare", tmp_path)


def test_upload_a_scenario(page, tmp_path):
    good = small_scenario(name="uploaded", horizon_months=12)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(good.model_dump(mode="json"), sort_keys=False))
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("Month 0 of 12").wait_for()
    assert "300 workers" in _text(page, ".netsim-status")

    bad = tmp_path / "broken.yaml"
    bad.write_text("name: broken\npopulation: {wokers: 10}\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator(".netsim-message").wait_for()
    message = _text(page, ".netsim-message")
    assert "broken.yaml: population.wokers" in message and "did you mean 'workers'" in message


@pytest.fixture(scope="module")
def classroom_app(tmp_path_factory):
    """A lecture whose members see many vacancies, so students get some at once."""
    sc = small_scenario(
        name="classroom",
        horizon_months=36,
        population={"workers": 600},
        companies={"count": 30},
        platform={
            "enabled": True,
            "member_share": 0.2,
            "reach": 200,
            "recommend_base": 0.6,
            "payout": {"rule": "flat", "params": {"bonus": 2000}},
        },
    )
    yield from _launch(tmp_path_factory.mktemp("classroom"), sc)


def _join(browser, url: str, name: str) -> Page:
    student = browser.new_page(viewport={"width": 420, "height": 700})
    student.set_default_timeout(WAIT_MS)
    student.goto(url + "student")
    student.locator(".netsim-student-name input").fill(name)
    student.get_by_role("button", name="Join").click()
    student.get_by_text("You are member").wait_for()
    return student


def _table(page: Page, css: str) -> list[list[str]]:
    """The cells of the first Markdown table in ``css``, row by row (header first)."""
    return page.locator(css).first.evaluate(
        "e => Array.from((e.shadowRoot || e).querySelectorAll('tr'))"
        ".map(r => Array.from(r.children).map(c => c.textContent.trim()))"
    )


def _month_of(page: Page) -> int:
    return int(re.search(r"Month (\d+)", _text(page, ".netsim-status")).group(1))


def _step(lecturer: Page) -> None:
    """Press Step and wait for the month shown to move on (a Pause pressed mid-month lets
    that month finish first, so it may move by two)."""
    month = _month_of(lecturer)
    lecturer.get_by_role("button", name="Step").click()
    deadline = time.monotonic() + WAIT_MS / 1000
    while _month_of(lecturer) <= month:
        assert time.monotonic() < deadline, _text(lecturer, ".netsim-status")
        time.sleep(0.2)


def test_two_students_join_and_recommend(browser, classroom_app, tmp_path):
    lecturer = browser.new_page(viewport={"width": 1360, "height": 900})
    lecturer.set_default_timeout(WAIT_MS)
    lecturer.goto(classroom_app["url"])
    lecturer.get_by_text("Month 0 of 36").wait_for()
    students = {name: _join(browser, classroom_app["url"], name) for name in ("Ada", "Alan")}
    members = {n: re.search(r"member (\d+)", _text(p, ".netsim-student-status")).group(1)
               for n, p in students.items()}
    assert members["Ada"] != members["Alan"]  # each plays their own member
    # The rotation control is there, and refuses while the student has placed nobody.
    students["Alan"].get_by_role("button", name="Put up for rotation").click()
    students["Alan"].get_by_text("Nobody to rotate").wait_for()
    lecturer.get_by_role("button", name="Start").click()
    for name, student in students.items():
        _recommend(student, tmp_path if name == "Ada" else None)
    lecturer.get_by_role("button", name="Pause").click()
    lecturer.get_by_text(re.compile("paused|finished")).wait_for()
    _rotate_a_placed_friend(lecturer, students["Ada"], tmp_path)
    lecturer.locator(".bk-tab", has_text="Classroom").click()
    board = lecturer.locator(".netsim-leaderboard")
    board.get_by_text("Alan").wait_for()
    text = _text(lecturer, ".netsim-leaderboard")
    for name, member in members.items():
        assert name in text and member in text
    assert "http://localhost" in _text(lecturer, ".netsim-student-link")
    assert lecturer.locator("svg").count() > 0  # the QR code
    rows = {r[1]: r for r in _table(lecturer, ".netsim-leaderboard")}
    assert rows["student"][-1] == "rotations"
    assert rows["Ada"][-1] == "1" and rows["Alan"][-1] == "0"
    _shot(lecturer, "classroom", tmp_path)
    for p in (*students.values(), lecturer):
        p.close()


def _recommend(student: Page, shots: Path | None) -> None:
    """Wait for a vacancy, recommend the ticked contacts (one at least) and see the page
    confirm it. A press that reaches the server just after the vacancy was filled gets
    "Too late" (the app's honest answer); then the student tries the next vacancy."""
    for _ in range(5):
        student.get_by_text("reached you").wait_for(timeout=60_000)
        boxes = student.locator(".netsim-pick input[type=checkbox]")
        if not any(boxes.nth(i).is_checked() for i in range(boxes.count())):
            boxes.first.check()
        if shots is not None:
            _shot(student, "classroom-student", shots)
        before = _text(student, ".netsim-sent")
        student.get_by_role("button", name="Recommend").click()
        deadline = time.monotonic() + WAIT_MS / 1000
        while (said := _text(student, ".netsim-sent")) == before:
            assert time.monotonic() < deadline, "the page never answered the press"
            time.sleep(0.1)
        if said.startswith("You recommended"):
            return
        assert said.startswith("Too late"), said
    pytest.fail("five vacancies in a row moved on before the student's press")


def _rotate_a_placed_friend(lecturer: Page, ada: Page, tmp_path: Path) -> None:
    """Step the paused run until Ada's member has placed a contact (with this seed contact 8,
    in month 7, as the honest draw would: the students ticked the honest choice), put the
    friend up for rotation, step once more and see the friend quit that job."""
    lecturer.locator(".bk-tab", has_text="Classroom").click()  # the tab renders when opened
    lecturer.get_by_text("Leaderboard").wait_for()
    set_to_0 = lecturer.evaluate(  # no answer window: Step is not held up by open vacancies
        "() => { let n = 0; for (const m of Bokeh.documents[0].all_models)"
        " if (m.title === 'Seconds per month students have to answer') { m.value = 0; n++; }"
        " return n; }"
    )
    assert set_to_0 == 1
    placed = ada.locator(".netsim-placed")
    for _ in range(20):  # the student page refreshes once a second: it may lag a step
        if "payout safe" in _text(ada, ".netsim-placed"):
            break
        _step(lecturer)
    else:
        pytest.fail("Ada's member placed nobody in 20 months")
    friend = re.search(r"contact (\d+) at company", _text(ada, ".netsim-placed")).group(1)
    ada.get_by_role("button", name="Put up for rotation").click()
    ada.get_by_text("quits into search at month").wait_for()
    placed.get_by_text("up for rotation").wait_for()
    _shot(ada, "classroom-rotation", tmp_path)
    _step(lecturer)  # its month end schedules the quit
    _step(lecturer)  # the quit happens just after it
    deadline = time.monotonic() + WAIT_MS / 1000
    while f"contact {friend} at" in _text(ada, ".netsim-placed"):  # the placement ended
        assert time.monotonic() < deadline, _text(ada, ".netsim-placed")
        time.sleep(0.3)
