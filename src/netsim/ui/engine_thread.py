"""The engine's background thread: steps a :class:`~netsim.ui.live.LiveRun`, queues rows.

The browser session never touches the simulation: it sends commands (run, pause, step,
replace the run) and drains :attr:`EngineThread.updates` from a periodic callback, which
streams the rows into the charts under the Bokeh document lock. One thread per run, so two
sessions (or the two sides of compare mode) never share a simulation.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass

import pandas as pd

from netsim.ui.live import EgoNetwork, LiveRun

__all__ = ["EngineThread", "Update"]


@dataclass
class Update:
    """What one step produced: new month ``rows``, the ``month`` reached, an ``ego`` picture.

    ``error`` is set (and the thread paused) if the engine raised: a bug to show, not hide.
    """

    rows: pd.DataFrame
    month: int
    finished: bool
    ego: EgoNetwork | None = None
    error: str | None = None


class EngineThread:
    """Runs ``live`` in a daemon thread at ``speed`` months per second while running.

    ``ego_every`` months (and at a pause or the end) the ego network is recomputed too.
    """

    def __init__(self, live: LiveRun, speed: float = 12.0, ego_every: int = 3) -> None:
        self.live = live
        self.speed = float(speed)
        self.ego_every = ego_every
        self.updates: queue.Queue[Update] = queue.Queue()
        self._lock = threading.Lock()
        #: Held while the engine steps: hold it to read the simulation (e.g. to export).
        self.sim_lock = threading.Lock()
        self._running = threading.Event()
        self._wake = threading.Event()
        self._steps = 0
        self._stop = False
        self._thread = threading.Thread(target=self._loop, name="netsim-engine", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ commands
    @property
    def running(self) -> bool:
        """Whether the run advances by itself."""
        return self._running.is_set()

    def run(self) -> None:
        """Advance continuously (Start)."""
        self._running.set()
        self._wake.set()

    def pause(self) -> None:
        """Stop advancing after the current month (Pause)."""
        self._running.clear()

    def step(self, months: int = 1) -> None:
        """Advance ``months`` months once, then wait (Step)."""
        with self._lock:
            self._steps += months
        self._wake.set()

    def stop(self) -> None:
        """End the thread (the session closed or the run was replaced)."""
        self._stop = True
        self._running.clear()
        self._wake.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end (after :meth:`stop`)."""
        self._thread.join(timeout)

    # ------------------------------------------------------------------ the thread
    def _loop(self) -> None:
        while not self._stop:
            with self._lock:
                stepping = self._steps > 0
                if stepping:
                    self._steps -= 1
            if not (stepping or self._running.is_set()):
                self._wake.wait(0.2)
                self._wake.clear()
                continue
            if self.live.finished:
                self._running.clear()
                continue
            began = time.perf_counter()
            try:
                with self.sim_lock:
                    self._advance_one(paused=stepping and not self._running.is_set())
            except Exception as exc:  # a bug: show it in the page instead of dying silently
                self._running.clear()
                self.updates.put(Update(pd.DataFrame(), self.live.month, True, error=repr(exc)))
                return
            if self._running.is_set() and self.speed > 0:
                time.sleep(max(0.0, 1.0 / self.speed - (time.perf_counter() - began)))

    def _advance_one(self, paused: bool) -> None:
        rows = self.live.step(1)
        m = self.live.month
        done = self.live.finished
        ego = None
        if paused or done or m % self.ego_every == 0:
            ego = self.live.ego_network()
        if done:
            self._running.clear()
        self.updates.put(Update(rows, m, done, ego))

    def drain(self) -> list[Update]:
        """Every update queued since the last call (from the session's periodic callback)."""
        out = []
        while True:
            try:
                out.append(self.updates.get_nowait())
            except queue.Empty:
                return out
