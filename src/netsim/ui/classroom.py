"""Classroom mode of ``netsim ui``: students join the lecturer's running model at ``/student``.

The lecturer's session publishes its run's :class:`~netsim.platform.classroom.Classroom`
in the server's :class:`ClassroomHub` at every Reset (the latest lecturer tab's run is the
one students join). Each student tab (:class:`StudentSession`) joins with a token of its
own and sees only its own member: the vacancies that reach it, its contacts, whom to
recommend, the friends it placed (one of whom it may put up for rotation), and its
earnings. Students have no widget that changes the settings.
:class:`ClassroomPanel` is the lecturer's tab: the join link, a QR code of it (``segno``)
and the leaderboard.
"""

from __future__ import annotations

import secrets
import threading

import panel as pn

from netsim.market.state import STATES
from netsim.platform.classroom import Classroom

__all__ = ["ClassroomHub", "ClassroomPanel", "StudentSession", "STUDENT_PATH"]

#: Where students open the app (relative to the lecturer's address).
STUDENT_PATH = "/student"
#: Default seconds per simulated month the engine waits for students' answers.
DEFAULT_WAIT_S = 5


class ClassroomHub:
    """The server's current classroom: the run of the lecturer tab that was Reset last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._room: Classroom | None = None

    def publish(self, room: Classroom | None) -> None:
        """Make ``room`` the one students join (None: the run has no platform)."""
        with self._lock:
            self._room = room

    @property
    def room(self) -> Classroom | None:
        """The classroom students join now, if any."""
        with self._lock:
            return self._room


def _students_url() -> str:
    """The student page's full address as the lecturer's browser reached the server."""
    host = (pn.state.headers or {}).get("Host", "localhost")
    return f"http://{host}{STUDENT_PATH}"


def _qr_svg(url: str) -> str:
    """An SVG QR code of ``url`` (empty if ``segno`` is not installed)."""
    try:
        import segno
    except ImportError:
        return ""
    return segno.make(url, error="m").svg_inline(scale=5)


def leaderboard_markdown(room: Classroom | None) -> str:
    """The leaderboard as a Markdown table (earnings in currency, net of clawbacks)."""
    if room is None:
        return "No classroom: the run has no referral platform (switch it on and Reset)."
    board = room.earnings()
    if not board:
        return "Nobody has joined yet."
    lines = [
        "| # | student | member | earnings | own choices | rotations |",
        "|---|---|---|---:|---:|---:|",
    ]
    lines += [
        f"| {i} | {name} | {m} | {money:,.0f} | {own} | {rot} |"
        for i, (name, m, money, own, rot) in enumerate(board, 1)
    ]
    return "\n".join(lines)


class ClassroomPanel:
    """The lecturer's Classroom tab: join link and QR code, answer time, leaderboard."""

    def __init__(self, hub: ClassroomHub) -> None:
        self.hub = hub
        url = _students_url()
        self.link = pn.pane.Markdown(
            f"Students join the running model at **[{url}]({url})**: each plays one honest "
            "member (a recruiter-friend), sees the vacancies that reach them and chooses "
            "whom to recommend, and may put a friend they placed up for rotation. Members "
            "without a student follow their strategies.",
            css_classes=["netsim-student-link"],
        )
        self.qr = pn.pane.HTML(_qr_svg(url), width=220, height=220)
        self.wait = pn.widgets.IntSlider(
            name="Seconds per month students have to answer",
            start=0,
            end=30,
            value=DEFAULT_WAIT_S,
            width=260,
        )
        self.wait.param.watch(self._on_wait, "value")
        self.board = pn.pane.Markdown("", css_classes=["netsim-leaderboard"])
        self.layout = pn.Row(
            pn.Column(self.link, self.wait, self.qr, width=420),
            pn.Column(pn.pane.Markdown("### Leaderboard"), self.board),
            sizing_mode="stretch_width",
        )

    def _on_wait(self, event) -> None:
        room = self.hub.room
        if room is not None:
            room.wait_seconds = float(event.new)

    def new_run(self, platform) -> None:
        """A Reset: a fresh classroom on the new run's platform (None: no platform)."""
        room = None
        if platform is not None:
            room = Classroom(wait_seconds=self.wait.value).attach(platform)
        self.hub.publish(room)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the leaderboard (the lecturer's periodic callback)."""
        self.board.object = leaderboard_markdown(self.hub.room)


class StudentSession:
    """One student's tab: join, then see and answer the vacancies reaching their member."""

    def __init__(self, hub: ClassroomHub) -> None:
        self.hub = hub
        self.token = secrets.token_hex(8)
        self.room: Classroom | None = None
        self.vacancy: int | None = None
        #: Recommend presses so far (numbers the replies).
        self.presses = 0
        self.name = pn.widgets.TextInput(
            name="Your name", placeholder="e.g. Ada", width=240, css_classes=["netsim-student-name"]
        )
        self.join_b = pn.widgets.Button(name="Join", button_type="success", width=100)
        self.join_b.on_click(lambda _e: self.join())
        self.status = pn.pane.Markdown(
            "Type your name and press **Join**.", css_classes=["netsim-student-status"]
        )
        self.offer = pn.pane.Markdown("", css_classes=["netsim-offer"])
        self.pick = pn.widgets.CheckBoxGroup(
            options={}, value=[], inline=False, css_classes=["netsim-pick"]
        )
        self.send_b = pn.widgets.Button(
            name="Recommend", button_type="primary", disabled=True, width=140
        )
        self.send_b.on_click(lambda _e: self.send())
        # The answer to the last press has a pane of its own: the periodic refresh replaces
        # the vacancy shown, and would otherwise wipe the reply before the student saw it.
        self.sent = pn.pane.Markdown("", css_classes=["netsim-sent"])
        self.placed = pn.pane.Markdown("", css_classes=["netsim-placed"])
        self.rotate_pick = pn.widgets.Select(
            name="Friend to put up for rotation",
            options={},
            width=380,
            css_classes=["netsim-rotate-pick"],
        )
        self.rotate_b = pn.widgets.Button(
            name="Put up for rotation", button_type="warning", disabled=True, width=180
        )
        self.rotate_b.on_click(lambda _e: self.rotate())
        self.rotate_note = pn.pane.Markdown("", css_classes=["netsim-rotate-note"])
        self.layout = pn.Column(
            pn.pane.Markdown("### netsim · classroom"),
            pn.Row(self.name, self.join_b),
            self.status,
            self.offer,
            self.pick,
            self.send_b,
            self.sent,
            pn.pane.Markdown(
                "#### Friends you placed\nPut one up for rotation and they quit "
                "as soon as your payout is safe, so you can place them again."
            ),
            self.placed,
            self.rotate_pick,
            self.rotate_b,
            self.rotate_note,
            width=420,
        )

    def join(self) -> None:
        """Take an unclaimed member of the current run."""
        room = self.hub.room
        if room is None:
            self.status.object = "No classroom is open: ask the lecturer to switch the platform on."
            return
        try:
            member = room.join(self.token, self.name.value.strip()[:30])
        except LookupError as exc:
            self.status.object = f"Cannot join: {exc}."
            return
        self.room = room
        self.name.disabled = self.join_b.disabled = True
        self.rotate_b.disabled = False
        self.status.object = f"You are member **{member}**."
        self.refresh()

    def refresh(self) -> None:
        """Show the newest vacancy in the inbox and the earnings (periodic callback)."""
        room = self.room
        if room is None:
            return
        if room is not self.hub.room:
            self.status.object = "The lecturer started a new run: reload the page to join it."
            self.offer.object, self.pick.options, self.send_b.disabled = "", {}, True
            return
        member = room.member_of(self.token)
        me = next((r for r in room.earnings() if r[1] == member), None)
        earned = f" · earnings **{me[2]:,.0f}**" if me else ""
        market = room.platform.market
        contacts = market.contacts(member)
        seeking = sum(STATES[market.state(k)] == "seeking" for k in contacts)
        barred = room.barred_by(self.token)
        why = (
            ""
            if barred is None
            else f" Your employer, company {barred}, keeps its staff off the platform: no "
            "vacancy reaches you while you work there."
        )
        self.status.object = (
            f"You are member **{member}** with {len(contacts)} contacts "
            f"({seeking} seeking work){earned}.{why}"
        )
        self._show_placements(room, market.now)
        offers = room.pending(self.token)
        waiting = next((o for o in offers if o.answer is None), None)
        if waiting is None:
            if self.vacancy is not None:
                self.offer.object = "Waiting for the next vacancy to reach you…"
                self.pick.options, self.send_b.disabled, self.vacancy = {}, True, None
            elif not self.offer.object:
                self.offer.object = "Waiting for a vacancy to reach you…"
            return
        if waiting.vacancy == self.vacancy:
            return  # keep the student's ticks
        self.vacancy = waiting.vacancy
        self.offer.object = (
            f"**Vacancy {waiting.vacancy}** at company {waiting.company} reached you "
            f"(month {waiting.time_months:.1f}). Whom do you recommend? "
            "(ticked: whom an honest member would)"
        )
        self.pick.options = {_contact_label(room, k): k for k in waiting.fitting}
        self.pick.value = list(waiting.honest)
        self.send_b.disabled = False
        room.shown(self.token, waiting.vacancy)  # the answer time counts from now

    def send(self) -> None:
        """Recommend the ticked contacts for the vacancy shown."""
        if self.room is None:
            return
        self.presses += 1
        # Each reply names the press: a reply equal to the one shown would send no update.
        if self.vacancy is None:  # the vacancy closed between the page's refresh and the click
            self.sent.object = f"Too late: the vacancy moved on (press {self.presses})."
            return
        try:
            self.room.answer(self.token, self.vacancy, list(self.pick.value))
        except (PermissionError, ValueError):
            self.sent.object = f"Too late: vacancy {self.vacancy} moved on (press {self.presses})."
        else:
            who = ", ".join(str(k) for k in self.pick.value) or "nobody"
            self.sent.object = f"You recommended {who} for vacancy {self.vacancy}."
        self.offer.object = "Waiting for the next vacancy to reach you…"
        self.pick.options, self.send_b.disabled, self.vacancy = {}, True, None

    def _show_placements(self, room: Classroom, now: float) -> None:
        """List the friends the member placed who are still in that job, and when each
        one's payout is safe; offer those not yet up for rotation."""
        placed = room.placements(self.token)
        if not placed:
            self.placed.object = "None yet: a contact you recommend who is hired appears here."
        else:
            self.placed.object = "\n".join(f"- {_placement_label(p, now)}" for p in placed)
        options = {_placement_label(p, now): p.hire_id for p in placed if not p.rotating}
        if list(options.values()) != list(self.rotate_pick.options.values()):
            self.rotate_pick.options = options
            if self.rotate_pick.value not in options.values():
                self.rotate_pick.value = next(iter(options.values()), None)

    def rotate(self) -> None:
        """Put the chosen placed friend up for rotation (refused if there is none)."""
        if self.room is None:
            return
        hire_id = self.rotate_pick.value
        if hire_id is None:
            self.rotate_note.object = (
                "Nobody to rotate: none of the contacts you placed is still in that job."
            )
            return
        try:
            p = self.room.rotate(self.token, hire_id)
        except (PermissionError, ValueError) as exc:
            self.rotate_note.object = f"Refused: {exc}."
            return
        when = max(p.safe_months, self.room.platform.market.now)
        self.rotate_note.object = (
            f"Contact {p.friend} quits into search at month {when:.1f} (at this month's end "
            "at the earliest), once your payout is safe: recommend them again then."
        )
        self._show_placements(self.room, self.room.platform.market.now)


def _placement_label(p, now: float) -> str:
    """A placed friend as the student sees them: who, where, since when, payout safety."""
    if p.rotating:
        safe = f"up for rotation: quits at month {max(p.safe_months, now):.1f} at the earliest"
    elif p.safe_months <= now:
        safe = "payout safe now"
    else:
        safe = f"payout safe from month {p.safe_months:.1f}"
    return f"contact {p.friend} at company {p.company} since month {p.hired_months:.1f} · {safe}"


def _contact_label(room: Classroom, k: int) -> str:
    """A contact as a student sees them: id, what they do now, and where."""
    market = room.platform.market
    state, employer = STATES[market.state(k)], market.employer(k)
    where = f" at company {employer}" if employer >= 0 else ""
    member = " · platform member" if room.platform.member[k] else ""
    return f"contact {k} · {state}{where}{member}"


def student_page(hub: ClassroomHub, refresh_ms: int = 1000):
    """The Panel page served at :data:`STUDENT_PATH`."""
    session = StudentSession(hub)
    pn.state.add_periodic_callback(session.refresh, period=refresh_ms)
    return session.layout
