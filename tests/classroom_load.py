"""Many classroom students on localhost, for the load test and benchmarks/bench_classroom.py.

:func:`classroom_scenario` writes the lecture both use (members see many vacancies) and
:func:`served` runs ``netsim ui`` on it on a free port. :class:`Tab` is one browser tab
without a browser: it speaks the Bokeh server protocol over the websocket as BokehJS does
(open a session, pull the page's document, send widget changes and button clicks as
``PATCH-DOC`` messages, apply the server's patches), but keeps only each model's
attributes as JSON, so sixty of them run in one asyncio loop at little cost. The page is
built, and every click handled, by the real server code.
"""

from __future__ import annotations

import asyncio
import html
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from netsim.model.loading import load_scenario

#: The lecture of the load test: every member sees many vacancies (reach 200 of ~200-400
#: members), so each student is offered one within the first simulated month.
LECTURE = [
    "companies.count={companies}", "horizon_months=120", "platform.enabled=true",
    "platform.member_share=0.2", "platform.reach=200", "platform.recommend_base=0.6",
]  # fmt: skip


def classroom_scenario(folder: Path, workers: int = 2000) -> Path:
    """Write the lecture with ``workers`` workers (one company per 20) to ``folder``."""
    sets = [f"population.workers={workers}"] + [s.format(companies=workers // 20) for s in LECTURE]
    sc = load_scenario({"name": "classroom", "seed": 1}, sets)
    path = folder / "classroom.yaml"
    path.write_text(yaml.safe_dump(sc.model_dump(mode="json"), sort_keys=False))
    return path


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(scenario: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``netsim ui SCENARIO --port N --no-show`` in the scenario's folder: its URL and process."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsim", "ui", str(scenario), "--port", str(port), "--no-show"],
        cwd=scenario.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        if "serving" not in line:
            raise RuntimeError(f"netsim ui did not start: {line}")
        yield f"http://localhost:{port}/", proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _plain(markup: str) -> str:
    """The text of a Panel pane's HTML (tags dropped, entities decoded)."""
    return re.sub(r"<[^>]+>", "", html.unescape(markup)).strip()


#: Seconds a student waits for the page's reply to a press before pressing again (every
#: press gets a reply; a loaded server may take a while).
REPLY_S = 20.0
#: What a student's page says when the member's employer keeps its staff off the platform.
BARRED = "keeps its staff off the platform"


class Tab:
    """One page of the app (``path`` under ``url``) as a websocket client; see the module.

    :attr:`models` holds each model's attributes by id as the server last described them;
    :attr:`seen` every text a pane showed, in order, by CSS class (a confirmation that is
    soon replaced is still seen).
    """

    def __init__(self, url: str, path: str) -> None:
        self.ws_url = url.replace("http://", "ws://").rstrip("/") + path.rstrip("/") + "/ws"
        self.models: dict[str, dict[str, Any]] = {}
        #: Each model's type name (e.g. ``Tabs``) by id.
        self.types: dict[str, str] = {}
        self.seen: dict[str, list[str]] = {}
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None

    async def open(self) -> Tab:
        """Open the session, pull the page and tell the server it has loaded."""
        from bokeh.client.websocket import WebSocketClientConnectionWrapper
        from bokeh.protocol import Protocol
        from bokeh.protocol.receiver import Receiver
        from bokeh.util.token import generate_jwt_token, generate_session_id
        from tornado.websocket import websocket_connect

        token = generate_jwt_token(generate_session_id())
        socket_ = await websocket_connect(self.ws_url, subprotocols=["bokeh", token],
                                          max_message_size=50 * 1024 * 1024)
        self._ws = WebSocketClientConnectionWrapper(socket_)
        self._protocol, self._receiver = Protocol(), Receiver(Protocol())
        await self._next("ACK")
        await self._protocol.create("PULL-DOC-REQ").send(self._ws)
        reply = await self._next("PULL-DOC-REPLY")
        self._learn(reply.content["doc"]["roots"])
        self._reader = asyncio.create_task(self._read())
        await self._event("document_ready", {"type": "map"})
        return self

    async def _next(self, msgtype: str):
        while True:
            fragment = await self._ws.read_message()
            if fragment is None:
                raise ConnectionError(f"{self.ws_url}: the server closed the websocket")
            message = await self._receiver.consume(fragment)
            if message is not None and message.msgtype == msgtype:
                return message

    async def _read(self) -> None:
        """Apply the server's patches as they come (the page's live updates)."""
        while True:
            message = await self._next("PATCH-DOC")
            for ev in message.content.get("events", []):
                if ev.get("kind") == "ModelChanged":
                    self._learn(ev["new"])
                    attrs = self.models.setdefault(ev["model"]["id"], {})
                    attrs[ev["attr"]] = ev["new"]
                    if ev["attr"] == "text":
                        for css in attrs.get("css_classes") or ():
                            self.seen.setdefault(css, []).append(_plain(ev["new"]))
            self._changed.set()

    def _learn(self, value: Any) -> None:
        """Record every model described in ``value`` (a document's roots or a new value)."""
        if isinstance(value, list):
            for v in value:
                self._learn(v)
        elif isinstance(value, dict):
            if value.get("type") == "object" and "id" in value:
                self.models[value["id"]] = dict(value.get("attributes", {}))
                self.types[value["id"]] = value.get("name", "").rsplit(".", 1)[-1]
            for v in value.values():
                self._learn(v)

    async def _send(self, events: list[dict]) -> None:
        from bokeh.protocol.messages.patch_doc import patch_doc

        await patch_doc(patch_doc.create_header(), {}, {"events": events}).send(self._ws)

    async def _event(self, name: str, values: dict) -> None:
        await self._send([{"kind": "MessageSent", "msg_type": "bokeh_event",
                           "msg_data": {"type": "event", "name": name, "values": values}}])

    def _id(self, css: str | None = None, label: str | None = None) -> str:
        for mid, attrs in self.models.items():
            if (css is None or css in (attrs.get("css_classes") or ())) and (
                label is None or attrs.get("label") == label
            ):
                return mid
        raise LookupError(f"no model with CSS class {css!r} and label {label!r} on the page")

    def text(self, css: str) -> str:
        """The plain text the pane with CSS class ``css`` shows now."""
        return _plain(self.models[self._id(css)].get("text", ""))

    def enabled(self, label: str) -> bool:
        """Whether the button ``label`` can be pressed now."""
        return not self.models[self._id(label=label)].get("disabled", False)

    async def click(self, label: str) -> None:
        """Press the button ``label`` (a ``button_click`` event, as a browser sends)."""
        ref = {"id": self._id(label=label)}
        await self._event("button_click", {"type": "map", "entries": [["model", ref]]})

    async def change(self, mid: str, attr: str, value: Any) -> None:
        """Change a widget's ``attr`` (e.g. typing a value, choosing a tab)."""
        self.models[mid][attr] = value
        await self._send([{"kind": "ModelChanged", "model": {"id": mid}, "attr": attr,
                           "new": value}])

    async def wait_for(self, test, timeout_s: float = 30.0):
        """Wait until ``test()`` returns something true (checked at every server patch)."""
        async def until():
            while not (found := test()):
                self._changed.clear()
                await self._changed.wait()
            return found

        return await asyncio.wait_for(until(), timeout_s)

    async def close(self) -> None:
        """Stop reading and close the websocket."""
        if self._reader is not None:
            self._reader.cancel()
        self._ws.close()


class Student(Tab):
    """A student's phone at ``/student``: join, then recommend once."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "/student")
        self.member: int | None = None
        #: The vacancy for which the page confirmed the recommendation.
        self.recommended: int | None = None
        #: Recommendations pressed (more than one if one came after the vacancy moved on).
        self.pressed = 0

    async def join(self, name: str) -> int:
        """Type ``name``, press Join and return the member the page says we play."""
        await self.change(self._id("netsim-student-name"), "value", name)
        await self.click("Join")
        found = await self.wait_for(
            lambda: re.search(r"You are member (\d+)", self.text("netsim-student-status")))
        self.member = int(found[1])
        return self.member

    def barred(self) -> bool:
        """Whether the page says the member's employer keeps them off the platform (then
        no vacancy reaches them while they work there)."""
        return BARRED in self.text("netsim-student-status")

    def confirmed(self, since: int = 0) -> list[str]:
        """The "You recommended" replies the page showed (from its ``since``-th reply on)."""
        return [t for t in self.seen.get("netsim-sent", [])[since:]
                if t.startswith("You recommended")]

    async def recommend(self, timeout_s: float = 60.0) -> int | None:
        """Wait for a vacancy, recommend the ticked contacts, and wait for the page to
        confirm; the vacancy. Press again on a later vacancy if the first came too late (a
        press made just as the server replaced the vacancy shown gets "Too late"; each
        reply names its press or vacancy, so a reply is never merged away as unchanged
        text), or if the page did not answer within ``REPLY_S`` and no confirmation
        arrived since. None if, with no vacancy to answer, the page says the member's
        employer keeps them off the platform: a member who changed jobs may be reached by
        no vacancy for the rest of the lecture."""
        start = len(self.seen.get("netsim-sent", []))

        def vacancy_of(said: str) -> int:
            return int(re.search(r"for vacancy (\d+)", said)[1])

        async def once() -> int | None:
            while True:
                await self.wait_for(lambda: self.confirmed(start) or self.enabled("Recommend")
                                    or self.barred(), timeout_s)
                if late := self.confirmed(start):  # a slow reply to an earlier press
                    return vacancy_of(late[0])
                if not self.enabled("Recommend"):
                    return None
                before = len(self.seen.get("netsim-sent", []))
                await self.click("Recommend")
                self.pressed += 1
                try:
                    said = await self.wait_for(lambda b=before: next(
                        (t for t in self.seen.get("netsim-sent", [])[b:]
                         if t.startswith(("You recommended", "Too late"))), None), REPLY_S)
                except TimeoutError:
                    continue
                if said.startswith("You recommended"):
                    return vacancy_of(said)

        self.recommended = await asyncio.wait_for(once(), timeout_s)
        return self.recommended


class Lecturer(Tab):
    """The lecturer's tab at ``/``: loading it draws the world and opens the classroom."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "/")

    async def open(self) -> Lecturer:
        await super().open()
        await self.wait_for(lambda: "Month 0 of" in self.text("netsim-status"))
        return self

    async def leaderboard(self, test=lambda rows: len(rows) > 1, timeout_s: float = 30.0):
        """The Classroom tab's leaderboard rows (cells as text, header first), once
        ``test(rows)`` holds (the board is redrawn every refresh)."""
        await self.change(self._tabs(), "active", 3)  # the Classroom tab renders when opened

        def rows():
            try:
                markup = html.unescape(self.models[self._id("netsim-leaderboard")]["text"])
            except (LookupError, KeyError):
                return None
            table = [[_plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                     for r in re.findall(r"<tr>(.*?)</tr>", markup, re.S)]
            return table if test(table) else None

        return await self.wait_for(rows, timeout_s)

    def _tabs(self) -> str:
        return next(mid for mid, name in self.types.items() if name == "Tabs")

    async def answer_window(self, seconds: int) -> None:
        """Set the seconds per month the engine waits for students' answers."""
        await self.change(self._tabs(), "active", 3)  # the Classroom tab renders when opened
        slider = await self.wait_for(lambda: next(
            (mid for mid, a in self.models.items()
             if a.get("title") == "Seconds per month students have to answer"), None))
        await self.change(slider, "value", seconds)
