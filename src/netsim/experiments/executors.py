"""Where a sweep's runs execute: in this process, a local process pool, or Dask.

Every executor calls :func:`_execute` once per run; with a results folder the worker writes
its own run folder (atomically) and returns a small status dict.

Nothing outlives the sweep: when the main process dies, even by SIGKILL, its workers end
within a fraction of a second and write nothing more. Each worker process holds a *lifeline*
to the main process (:func:`hold_lifeline`): a thread blocked on a Linux pidfd of the main
process (polling elsewhere) that ends the worker the moment the main process is gone, plus
``PR_SET_PDEATHSIG`` so a pool worker also dies with its forkserver. The forkserver and the
resource tracker exit by themselves once the last holder of their pipes (the main process
and the workers) is gone. A worker checks the lifeline once more just before it writes a
run folder. Measured on Linux: the whole session is gone about 0.5 s after a SIGKILL.
Dask's local cluster ends its worker processes by itself (measured: 0.1 s); they get the
lifeline too, for the check before writing. A remote cluster (``scheduler``) is not ours to
stop: its running tasks may finish, but they write nothing (their results travel back).
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netsim.model.run import simulate
from netsim.output.folders import process_running
from netsim.scenario.errors import NetsimInputError

if TYPE_CHECKING:
    from netsim.experiments.design import RunSpec

__all__ = ["atomic_write", "hold_lifeline", "main_alive", "run_all", "write_failure"]

# --------------------------------------------------------------------------- the lifeline

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_main_pid: int | None = None  # the sweep's main process, in a worker; None in the main process
_main_fd: int | None = None  # a pidfd of it (Linux), readable once it has exited


def hold_lifeline(main_pid: int, *, die_with_parent: bool = True) -> None:
    """Make this worker process end as soon as process ``main_pid`` (the sweep) is gone.

    ``die_with_parent`` also asks the kernel to SIGKILL us when our parent exits (Linux);
    leave it off where the parent may be a short-lived thread of a long-lived process.
    """
    global _main_pid, _main_fd
    if os.getpid() == main_pid or os.name == "nt":
        # The main process itself (serial runs) has nothing to watch. On Windows there is no
        # safe probe (os.kill would terminate the process), and no forkserver either.
        return
    if die_with_parent:
        _set_parent_death_signal()
    _main_pid = main_pid
    try:
        _main_fd = os.pidfd_open(main_pid)
    except (AttributeError, OSError):  # not Linux >= 5.3, or it is already gone
        _main_fd = None
    if not main_alive():  # it died before we were watching
        _die()
    threading.Thread(target=_watch, name="netsim-lifeline", daemon=True).start()


def main_alive() -> bool:
    """Whether the sweep's main process still runs (always True in the main process)."""
    if _main_pid is None:
        return True
    if _main_fd is not None:
        readable, _, _ = select.select([_main_fd], [], [], 0)
        return not readable
    return _pid_running(_main_pid)


def _watch() -> None:
    """Block until the main process has exited, then end this process at once."""
    if _main_fd is not None:
        select.select([_main_fd], [], [])
    else:  # no pidfd: poll (a zombie parent counts as gone)
        while _pid_running(_main_pid):
            time.sleep(0.2)
    _die()


def _die() -> None:
    """End this process at once: no cleanup handlers, no further writes."""
    os.kill(os.getpid(), signal.SIGKILL)


def _pid_running(pid: int | None) -> bool:
    """Is the main process running? Unknown (``None``) counts as running."""
    return pid is None or process_running(pid)


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        _die()


# --------------------------------------------------------------------------- one run


def _execute(
    run_id: str,
    scenario,
    seed: int,
    out_root: str | None,
    reduce: Callable[[Any], Any] | None = None,
) -> dict:
    """Run one simulation (in a worker process). Pure apart from writing its own folder.

    With ``reduce`` the run's :class:`RunResult` is reduced here, in the worker, and only
    ``reduce(result)`` comes back (as ``status["reduced"]``); no run folder is written (a
    calibration needs a few moments per run, not its tables). Otherwise, with ``out_root``
    the run folder (or failure file) is written here and a small status dict returned;
    without (remote clusters), the :class:`RunResult` travels back instead. Nothing is
    written once the sweep's main process is gone.
    """
    from netsim.output.results import write_run

    start = time.perf_counter()
    reduced = None
    try:
        result = simulate(scenario, seed)
        if reduce is not None:
            reduced, result = reduce(result), None
    except Exception:
        text = traceback.format_exc()
        if out_root is not None and main_alive():
            write_failure(Path(out_root), run_id, text)
        return {"run_id": run_id, "status": "failed", "error": text, "result": None}
    if out_root is not None and result is not None:
        if not main_alive():
            _die()
        write_run(result, Path(out_root) / "runs" / run_id)
        result = None
    status = {
        "run_id": run_id,
        "status": "ok",
        "result": result,
        "wall_time_s": time.perf_counter() - start,
    }
    if reduce is not None:
        status["reduced"] = reduced
    return status


def write_failure(root: Path, run_id: str, text: str) -> None:
    """Write a failed run's traceback to ``root/failures/<run_id>.txt`` (atomically)."""
    folder = root / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / f"{run_id}.txt", text)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so readers never see half."""
    from netsim.output.folders import mkstemp  # the umask's mode, not tempfile's private 0600

    fd, tmp = mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- executors


def run_all(
    todo: list[RunSpec],
    root: Path,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    on_done: Callable[[dict], None],
    reduce: Callable[[Any], Any] | None = None,
) -> None:
    """Run every spec of ``todo`` on ``executor``; call ``on_done(status)`` as each ends.

    ``reduce`` (picklable: a module-level function or a ``functools.partial`` of one) is
    applied to each run's result in the worker; see :func:`_execute`.
    """
    n = workers or os.cpu_count() or 1
    if executor == "serial" or (executor == "local" and min(n, len(todo)) == 1):
        for spec in todo:
            on_done(_execute(spec.run_id, spec.scenario, spec.seed, str(root), reduce))
    elif executor == "local":
        _run_pool(todo, root, min(n, len(todo)), on_done, reduce)
    else:
        _run_dask(todo, root, n, scheduler, on_done, reduce)


def _pool_context():
    """Worker processes forked from a server that has imported netsim once.

    'forkserver' is as safe as 'spawn' (the server holds no threads or locks of ours) but
    a worker starts in milliseconds instead of re-importing numpy, pandas and netsim (about
    a second each), which matters for short sweeps. Falls back to 'spawn' where
    'forkserver' does not exist (Windows).
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["netsim.api", "netsim.output.results"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_pool(todo: list[RunSpec], root: Path, n: int, on_done, reduce=None) -> None:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(
        max_workers=n,
        mp_context=_pool_context(),
        initializer=hold_lifeline,
        initargs=(os.getpid(),),
    )
    try:
        pending = {
            pool.submit(_execute, s.run_id, s.scenario, s.seed, str(root), reduce): s for s in todo
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                spec = pending.pop(fut)
                on_done(_status_of(fut, spec))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _status_of(fut, spec: RunSpec) -> dict:
    """The worker's status dict, or a failure if the worker itself died."""
    try:
        return fut.result()
    except Exception:
        return {"run_id": spec.run_id, "status": "failed", "error": traceback.format_exc()}


def _run_dask(
    todo: list[RunSpec], root: Path, n: int, scheduler: str | None, on_done, reduce=None
) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
        out_root: str | None = str(root)  # same machine: workers write their own folders
        _tie_local_cluster(client)
    else:
        try:
            client = Client(scheduler)
        except (OSError, ValueError) as exc:  # unreachable, refused, timed out
            raise NetsimInputError(
                f"cannot connect to the Dask scheduler {scheduler!r}: {exc}. No run was "
                "started; start the scheduler or correct the address, then run the sweep "
                "again (it resumes)",
                key_path="--scheduler",
            ) from None
        out_root = None  # remote workers may not share our disk: results come back here
    try:
        futures = {
            client.submit(
                _execute,
                s.run_id,
                s.scenario,
                s.seed,
                out_root,
                reduce,
                key=f"netsim-{s.run_id}",
            ): s
            for s in todo
        }
        for fut in as_completed(futures):
            on_done(_status_of(fut, futures[fut]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


#: Transports a Dask scheduler address may name.
_DASK_SCHEMES = ("tcp", "tls", "ucx", "ws", "wss", "inproc")


def check_scheduler_address(address: str) -> None:
    """A :class:`NetsimInputError` unless ``address`` looks like ``[tcp://]host:port``.

    Checked before the sweep writes anything; whether the scheduler answers is known only
    when connecting (:func:`_run_dask`).
    """
    from urllib.parse import urlsplit

    problem = None
    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        port = parts.port
    except ValueError as exc:
        problem = str(exc)
    else:
        if parts.scheme not in _DASK_SCHEMES:
            problem = f"unknown transport {parts.scheme!r} (use {', '.join(_DASK_SCHEMES)})"
        elif not parts.hostname or port is None or parts.path not in ("", "/"):
            problem = "expected host:port"
    if problem:
        raise NetsimInputError(
            f"not a Dask scheduler address: {address!r}: {problem} "
            "(e.g. tcp://scheduler.example.org:8786)",
            key_path="--scheduler",
        )


def _tie_local_cluster(client) -> None:
    """Give every worker process of a local cluster a lifeline to this process.

    Dask already ends a local cluster's worker processes when their parent goes (each holds
    a pipe from it); the lifeline adds the check that no run folder is written after the
    sweep died. The nannies run inside this process, so they end with it.
    """
    client.run(hold_lifeline, os.getpid(), die_with_parent=False)
