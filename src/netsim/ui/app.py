"""The lecture app (Panel): settings, Start/Pause/Step/Reset, live charts, compare, export.

One :class:`LectureSession` per browser tab (Panel builds the page anew for every session,
so two lecturers, or a lecturer and a projector, never share a run). The engine runs in an
:class:`~netsim.ui.engine_thread.EngineThread`; a periodic callback every
:data:`REFRESH_MS` drains its month rows into the charts. :func:`serve` starts the server
(what ``netsim ui`` calls).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import panel as pn

from netsim.model.loading import load_scenario
from netsim.scenario.errors import NetsimInputError
from netsim.scenario.schema import Scenario
from netsim.ui.charts import LiveCharts, NetworkChart
from netsim.ui.classroom import STUDENT_PATH, ClassroomHub, ClassroomPanel, student_page
from netsim.ui.compare import CompareView
from netsim.ui.engine_thread import EngineThread
from netsim.ui.live import LiveRun, scenario_yaml
from netsim.ui.settings import (
    LECTURE_KEYS,
    apply_values,
    default_params,
    lecture_values,
    params_text,
    payout_rule_names,
    ui_message,
)

__all__ = ["LectureSession", "REFRESH_MS", "serve", "shipped_scenarios"]

#: How often (milliseconds) a session moves queued month rows into its charts.
REFRESH_MS = 500
#: Default speed of a run (months per second).
DEFAULT_SPEED = 12


def shipped_scenarios(extra: str | Path | None = None) -> dict[str, Path]:
    """Scenario files to pick from: ``scenarios/**/*.yaml`` below the current folder, and
    ``extra`` (the file given on the command line) first. Label -> path."""
    found: dict[str, Path] = {}
    if extra is not None:
        path = Path(extra)
        try:  # a short label for a file below the current folder
            label = str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            label = str(path)
        found[label] = path
    root = Path("scenarios")
    if root.is_dir():
        for path in sorted(root.rglob("*.yaml")):
            found.setdefault(str(path), path)
    return found


def _widget(key, value: Any):
    if key.kind == "bool":
        return pn.widgets.Checkbox(name=key.label, value=bool(value))
    if key.kind == "int":
        return pn.widgets.IntInput(name=key.label, value=int(value), width=140)
    if key.kind == "float":
        return pn.widgets.FloatInput(name=key.label, value=float(value), step=0.05, width=140)
    if key.kind == "rule":
        return pn.widgets.Select(name=key.label, options=payout_rule_names(), value=value)
    return pn.widgets.TextInput(name=key.label, value=str(value))


class LectureSession:
    """One browser tab's state: the scenario source, the widgets, the run and its charts."""

    def __init__(
        self, choices: Mapping[str, Path], initial: str | None, hub: ClassroomHub | None = None
    ) -> None:
        self.choices = dict(choices)
        #: Classroom mode: students join this session's run at every Reset (see classroom.py).
        self.classroom = ClassroomPanel(hub or ClassroomHub())
        self.source: str | Path | dict = (
            self.choices.get(initial, {"name": "lecture"})
        )
        self.upload_dir = Path(tempfile.mkdtemp(prefix="netsim-ui-"))
        self.base = load_scenario(self.source)
        self.scenario: Scenario = self.base
        self._syncing = False
        self._build_widgets()
        self.charts = LiveCharts()
        self.network = NetworkChart()
        self.engine: EngineThread | None = None
        self.live: LiveRun | None = None
        self.layout = self._layout()

    # ------------------------------------------------------------------ widgets
    def _build_widgets(self) -> None:
        options = list(self.choices) or ["(defaults)"]
        first = next((k for k, p in self.choices.items() if p == self.source), options[0])
        self.picker = pn.widgets.Select(name="Scenario", options=options, value=first)
        self.picker.param.watch(self._on_pick, "value")
        self.upload = pn.widgets.FileInput(accept=".yaml,.yml", name="Upload a scenario")
        self.upload.param.watch(self._on_upload, "value")
        values = lecture_values(self.base)
        self.inputs = {k.path: _widget(k, values[k.path]) for k in LECTURE_KEYS}
        for path, w in self.inputs.items():
            w.param.watch(self._on_setting, "value")
            w.css_classes = ["setting-" + path.replace(".", "-").replace("_", "-")]
        self.message = pn.pane.Alert("", alert_type="danger", visible=False,
                                     css_classes=["netsim-message"])
        self.start_b = pn.widgets.Button(name="Start", button_type="success", width=80)
        self.pause_b = pn.widgets.Button(name="Pause", button_type="warning", width=80)
        self.step_b = pn.widgets.Button(name="Step", button_type="primary", width=80)
        self.reset_b = pn.widgets.Button(name="Reset", button_type="default", width=80)
        self.start_b.on_click(lambda _e: self.start())
        self.pause_b.on_click(lambda _e: self.pause())
        self.step_b.on_click(lambda _e: self.engine and self.engine.step(1))
        self.reset_b.on_click(lambda _e: self.reset())
        self.speed = pn.widgets.IntSlider(name="Speed (months per second)", start=1, end=60,
                                          value=DEFAULT_SPEED, width=220)
        self.speed.param.watch(self._on_speed, "value")
        self.status = pn.pane.Markdown("", css_classes=["netsim-status"])
        self.export_dir = pn.widgets.TextInput(name="Run folder", width=380,
                                               css_classes=["netsim-export-dir"])
        self.export_b = pn.widgets.Button(name="Export run folder", button_type="primary")
        self.export_b.on_click(lambda _e: self.export())
        self.export_note = pn.pane.Markdown("", css_classes=["netsim-export"])
        self.download = pn.widgets.FileDownload(
            callback=self._yaml_file, filename="scenario.yaml", label="Download scenario YAML",
            button_type="light",
        )

    def _on_speed(self, event) -> None:
        if self.engine is not None:
            self.engine.speed = event.new

    def _values(self) -> dict[str, Any]:
        return {path: w.value for path, w in self.inputs.items()}

    def _set_values(self, scenario: Scenario) -> None:
        self._syncing = True
        try:
            for path, value in lecture_values(scenario).items():
                self.inputs[path].value = value
        finally:
            self._syncing = False

    def _on_pick(self, event) -> None:
        self._load_source(self.choices.get(event.new, {"name": "lecture"}))

    def _on_upload(self, event) -> None:
        if not event.new:
            return
        name = Path(self.upload.filename or "uploaded.yaml").name
        path = self.upload_dir / name
        path.write_bytes(event.new)
        label = f"uploaded: {name}"
        self.choices[label] = path
        self.picker.options = list(self.choices)
        self.picker.value = label  # triggers _on_pick

    def _load_source(self, source: str | Path | dict) -> None:
        try:
            base = load_scenario(source)
        except NetsimInputError as exc:
            self._say(ui_message(exc))
            return
        self.source, self.base = source, base
        self._set_values(base)
        self._apply(reset=True)

    def _on_setting(self, event) -> None:
        if self._syncing:
            return
        if event.obj is self.inputs["platform.payout.rule"]:
            same = event.new == self.base.platform.payout.rule
            params = self.base.platform.payout.params if same else default_params(event.new)
            self._syncing = True
            self.inputs["platform.payout.params"].value = params_text(params)
            self._syncing = False
        fresh = self.live is None or (self.live.month == 0 and not self.engine.running)
        self._apply(reset=fresh)

    def _apply(self, reset: bool) -> None:
        """Validate the widgets as a scenario file would be; start afresh if ``reset``."""
        try:
            self.scenario = apply_values(self.source, self._values())
        except NetsimInputError as exc:
            self._say(ui_message(exc))
            return
        self._say("")
        if reset:
            self.reset()
        else:
            self._show_status()

    def _say(self, text: str) -> None:
        self.message.object = text
        self.message.visible = bool(text)
        for b in (self.start_b, self.step_b, self.reset_b):
            b.disabled = bool(text)

    # ------------------------------------------------------------------ run control
    def start(self) -> None:
        """Start (or continue) advancing at the chosen speed."""
        if self.engine is not None:
            self.engine.speed = self.speed.value
            self.engine.run()
        self._show_status()

    def pause(self) -> None:
        """Stop advancing after the current month."""
        if self.engine is not None:
            self.engine.pause()
        self._show_status()

    def reset(self) -> None:
        """A fresh run of the current settings, at month 0, paused."""
        if self.engine is not None:
            self.engine.stop()
        self.live = LiveRun(self.scenario)
        self.engine = EngineThread(self.live, speed=self.speed.value)
        self.classroom.new_run(self.live.sim.platform)
        self.charts.clear()
        self.network.clear()
        self.export_dir.value = str(Path("results") / "ui" / self.scenario.name /
                                    f"seed-{self.scenario.seed}")
        self.export_note.object = ""
        self._show_status()

    def refresh(self) -> None:
        """Move queued month rows into the charts (the periodic callback)."""
        updates = self.engine.drain() if self.engine is not None else []
        self.classroom.refresh()
        if not updates:
            return
        rows = [u.rows for u in updates if not u.rows.empty]
        if rows:
            self.charts.push(pd.concat(rows, ignore_index=True))
        egos = [u.ego for u in updates if u.ego is not None]
        if egos:
            self.network.show(egos[-1])
        errors = [u.error for u in updates if u.error]
        if errors:
            self._say(f"the engine stopped with an error (a bug, please report): {errors[0]}")
        self._show_status()

    def _show_status(self) -> None:
        sc = self.scenario
        if self.live is None or self.engine is None:
            self.status.object = "drawing the world…"
            return
        # Widgets changed during a run apply at Reset; say so until then.
        note = "" if self.live.scenario == sc else "settings changed: press **Reset** to run them"
        sc = self.live.scenario
        state = "running" if self.engine.running else "paused"
        if self.live.finished:
            state = "finished"
        platform = f"{sc.platform.payout.rule} rule" if sc.platform.enabled else "no platform"
        self.status.object = (
            f"**Month {self.live.month} of {self.live.horizon}** · {state} · "
            f"{sc.population.workers:,} workers · {platform} · seed {sc.seed}"
            + (f" · {note}" if note else "")
        )

    # ------------------------------------------------------------------ export
    def export(self) -> None:
        """Write the run folder (with ``scenario.yaml`` and chart PNGs) where asked."""
        self.engine.pause()
        try:
            with self.engine.sim_lock:
                paths = self.live.export(self.export_dir.value)
        except NetsimInputError as exc:
            self.export_note.object = ""
            self._say(ui_message(exc))
            return
        self._say("")
        listed = ", ".join(f"`{p.name}`" for p in paths[1:])
        self.export_note.object = (
            f"Exported month {self.live.month} to `{paths[0].parent}`: `scenario.yaml` "
            f"(`netsim run` reproduces it), charts {listed}, and the run's tables."
        )
        self._show_status()

    def _yaml_file(self) -> io.StringIO:
        self.download.filename = f"{self.scenario.name}.yaml"
        return io.StringIO(scenario_yaml(self.scenario))

    # ------------------------------------------------------------------ page
    def _layout(self):
        groups: dict[str, list] = {}
        for k in LECTURE_KEYS:
            groups.setdefault(k.group, []).append(self.inputs[k.path])
        cards = [
            pn.Card(*ws, title=g, collapsed=g == "World", width=300)
            for g, ws in groups.items()
        ]
        sidebar = pn.Column(
            pn.pane.Markdown("### netsim · lecture"), self.picker, self.upload, *cards,
            width=320,
        )
        controls = pn.Row(self.start_b, self.pause_b, self.step_b, self.reset_b, self.speed)
        figs = [pn.pane.Bokeh(f, sizing_mode="stretch_width")
                for f in self.charts.figures.values()]
        live = pn.Column(
            pn.GridBox(*figs, pn.pane.Bokeh(self.network.figure, sizing_mode="stretch_width"),
                       ncols=2, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
        export = pn.Column(
            pn.pane.Markdown(
                "Saves the run as it stands: the run's tables (as `netsim run` writes them), "
                "`scenario.yaml` with every setting, and the charts as PNG in `plots/`. "
                "Each chart's toolbar also saves it as PNG in the browser."
            ),
            self.export_dir, pn.Row(self.export_b, self.download), self.export_note,
        )
        self.compare = CompareView(lambda: self.scenario, lambda: self.speed.value)
        tabs = pn.Tabs(("Live", live), ("Compare", self.compare.layout), ("Export", export),
                       ("Classroom", self.classroom.layout),
                       dynamic=True, sizing_mode="stretch_width")
        main = pn.Column(controls, self.status, self.message, tabs, sizing_mode="stretch_width")
        return pn.Row(sidebar, main, sizing_mode="stretch_width")

    def close(self) -> None:
        """End the session's engine threads (the tab was closed)."""
        if self.engine is not None:
            self.engine.stop()
        self.compare.close()
        shutil.rmtree(self.upload_dir, ignore_errors=True)


def _page(choices: Mapping[str, Path], initial: str | None, hub: ClassroomHub):
    session = LectureSession(choices, initial, hub)
    # The world is drawn once the page shows: the page appears sooner, the run a moment later.
    pn.state.onload(session.reset)
    pn.state.add_periodic_callback(session.refresh, period=REFRESH_MS)
    pn.state.add_periodic_callback(session.compare.refresh, period=REFRESH_MS)
    pn.state.on_session_destroyed(lambda _ctx: session.close())
    return session.layout


def _origins(address: str, port: int) -> list[str]:
    """Hosts whose pages may open the app's websocket: this machine, and when listening on
    every interface (a classroom), any host name on ``port``, since students reach the
    machine by whatever address their network gives it."""
    local = [f"{address}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"]
    return local if address in ("localhost", "127.0.0.1") else [f"*:{port}"]


def serve(
    scenario: str | Path | None = None,
    port: int = 5006,
    *,
    show: bool = True,
    address: str = "localhost",
) -> None:
    """Serve the lecture app at ``http://address:port/`` until interrupted.

    ``scenario`` (a scenario file) is checked first: a bad file raises
    :class:`~netsim.scenario.errors.NetsimInputError` before any server starts.
    """
    if scenario is not None:
        load_scenario(scenario)
    choices = shipped_scenarios(scenario)
    first = next(iter(choices), None)  # the file given comes first
    initial = first if scenario is not None else next(
        (k for k in choices if k.endswith("rotation_gaming.yaml")), first
    )
    pn.extension(design="bootstrap")
    hub = ClassroomHub()  # the lecturer's run that students join at /student
    server = pn.serve(
        {"/": lambda: _page(choices, initial, hub), STUDENT_PATH: lambda: student_page(hub)},
        port=port,
        address=address,
        show=False,
        start=False,
        title="netsim lecture",
        verbose=False,
        websocket_origin=_origins(address, port),
    )
    server.start()  # listening from here: only now say so (tests wait for this line)
    print(f"netsim ui: serving http://{address}:{port}/ (Ctrl+C to stop)", flush=True)
    if show:
        server.io_loop.add_callback(server.show, "/")
    try:
        server.io_loop.start()
    except KeyboardInterrupt:
        print("netsim ui: stopped", flush=True)
