"""Which folders netsim may write into and replace, and how it creates them.

netsim never destroys what it did not write: :func:`check_run_dir` (called before anything
runs) lets a run replace only a missing or empty folder, or a run folder of the same scenario
(its ``manifest.json``) that holds nothing but netsim's own files (:data:`RUN_FILES`,
:data:`RUN_EXTRAS`); anything else is refused with a
:class:`~netsim.scenario.errors.NetsimInputError`. :func:`check_experiment_dir` does the same
for the folder of a sweep. Leftovers of killed runs (hidden ``.<name>.tmp-<pid>-*``
siblings whose process is gone) are removed by the next run there
(:func:`remove_stale_siblings`). Folders and files get the modes the umask gives
(:func:`make_dir`, :func:`mkstemp`; ``tempfile``'s private 0700/0600 are not used).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

from netsim.scenario.errors import NetsimInputError

#: Files a run folder holds (see the module docstring).
RUN_FILES = frozenset(
    {
        "manifest.json",
        "scenario.yaml",
        "summary.json",
        "timeseries.parquet",
        "timeseries.csv",
        "events.parquet",
        "workers.parquet",
        "companies.parquet",
        "ledger.parquet",
        "chains.parquet",
    }
    | {f"{name}.parquet" for name in ("gigs", "edges", "campaigns", "posts", "firms")}
)
#: What netsim adds to a run folder later: figures (``--plot``, ``netsim plot``) and the
#: report (``netsim report``, which writes ``report.html.tmp`` first).
RUN_EXTRAS = frozenset({"plots", "report.html", "report.html.tmp"})

# Hidden siblings of a run folder ``<name>``: ``.<name>.tmp-<pid>-<hex>`` while it is written,
# ``.<name>.old-<pid>`` while an older folder is swapped out. The pid tells a leftover of a
# killed run (pid gone) from the folder of a run still writing.
_SIBLING = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?:(?P<pid>\d+)(?:-[0-9a-z]*)?|[^/]*)$")


# --------------------------------------------------------------------------- folder and file modes


def make_dir(parent: Path, prefix: str) -> Path:
    """A new folder ``parent/<prefix><random hex>``, with the mode the umask gives.

    Like :func:`tempfile.mkdtemp` (never reuses a name), but not forced to 0700: results are
    meant to be read by whoever the user's umask lets read them.
    """
    for _ in range(100):
        path = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            path.mkdir()  # mode 0o777 minus the umask
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{parent}: no free name for {prefix}*")


def mkstemp(prefix: str, dir: str | Path) -> tuple[int, str]:
    """Like :func:`tempfile.mkstemp` (returns ``(fd, path)``), but with the umask's mode.

    :func:`tempfile.mkstemp` creates 0600 files; a results table should be 0644 under the
    usual umask 022, like any file the user writes.
    """
    for _ in range(100):
        path = os.path.join(dir, f"{prefix}{secrets.token_hex(4)}")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        return fd, path
    raise FileExistsError(f"{dir}: no free name for {prefix}*")


# --------------------------------------------------------------------------- output folder checks


def check_run_dir(out_dir: str | Path, scenario_name: str) -> Path:
    """``out_dir`` as a Path if a run of ``scenario_name`` may write there, else raise.

    Allowed: a folder that does not exist yet (below folders that do, or can be made), an
    empty folder, or a run folder of the same scenario (``manifest.json`` naming it) holding
    only files netsim writes; the run replaces it. Refused with :class:`NetsimInputError`:
    a file, a symbolic link, the current folder or one containing it (or netsim's own
    installation), a folder with anything else in it, a run folder of another scenario.
    Reads only; call it before running so that a refusal costs nothing.
    """
    path = Path(out_dir)
    problem = _common_problem(path)
    if problem is None and path.is_dir():
        problem = _run_dir_problem(path, scenario_name)
    if problem is not None:
        raise _refusal(path, problem, scenario_name)
    return path


def check_experiment_dir(
    out_dir: str | Path, experiment_name: str, kind: str = "experiment"
) -> Path:
    """``out_dir`` as a Path if experiment ``experiment_name`` may write there, else raise.

    Allowed: a folder that does not exist yet, an empty folder, or an experiment folder of
    the same experiment (``manifest.json`` naming it): the sweep resumes there, keeping
    every finished run. Everything else is refused as in :func:`check_run_dir`. ``kind``
    is the manifest key naming the owner (``"calibration"`` for a calibration's folder).
    """
    path = Path(out_dir)
    problem = _common_problem(path)
    if problem is None and path.is_dir() and any(path.iterdir()):
        manifest = _read_manifest(path)
        if manifest is None:
            problem = _not_ours(path, f"{kind} folder")
        elif kind not in manifest:
            problem = f"is not a {kind} folder (its manifest.json is another kind's or file)"
        elif manifest[kind] != experiment_name:
            problem = f"is the folder of {kind} {manifest[kind]!r}, not {experiment_name!r}"
    if problem is not None:
        raise _refusal(path, problem, experiment_name)
    return path


def prepare_experiment_dir(out_dir: str | Path, experiment_name: str) -> Path:
    """Check ``out_dir`` for a sweep (:func:`check_experiment_dir`), then tidy it.

    Removes the hidden temporary files a killed sweep leaves in the folder and in its
    ``failures/`` (``.<file name>.<8 characters>``, written before an atomic rename).
    Returns ``out_dir`` as a Path; raises :class:`NetsimInputError` (touching nothing) if the
    folder may not be used.
    """
    path = check_experiment_dir(out_dir, experiment_name)
    for folder in (path, path / "failures"):
        if folder.is_dir():
            for p in folder.iterdir():
                if _STALE_FILE.match(p.name) and p.is_file() and not p.is_symlink():
                    p.unlink(missing_ok=True)
    return path


# A sweep's temporary files: ``.<name>.`` plus 8 random characters (tempfile.mkstemp or
# :func:`mkstemp`), for its tables, manifest, experiment.yaml and failure tracebacks.
_STALE_FILE = re.compile(
    r"^\.(?:experiment\.yaml|manifest\.json|(?:runs|comparison|sensitivity)\.(?:parquet|csv)"
    r"|.+\.txt)\.[A-Za-z0-9_]{8}$"
)


def _common_problem(path: Path) -> str | None:
    """Why nothing may be written at ``path`` whatever its contents, or None."""
    if path.is_symlink():
        return "is a symbolic link (give the folder it points to, or a new path)"
    if path.exists() and not path.is_dir():
        return "is a file, not a folder"
    full = path.resolve()
    cwd = _cwd()
    if cwd is not None and (full == cwd or full in cwd.parents):
        return "is the current folder or contains it"
    package = Path(__file__).resolve().parent
    if full == package or full in package.parents:
        return "contains netsim's own installation"
    # A run is renamed into place in the parent; a sweep also writes inside the folder.
    existing = next(p for p in full.parents if p.exists())
    if not existing.is_dir():
        return f"cannot be created: {existing} is a file"
    for folder in (existing, full) if full.is_dir() else (existing,):
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"cannot be written: no permission in {folder}"
    return None


def _cwd() -> Path | None:
    """The current folder, or None if it was deleted (a long-lived worker's may be)."""
    try:
        return Path.cwd().resolve()
    except FileNotFoundError:
        return None


def _run_dir_problem(path: Path, scenario_name: str) -> str | None:
    """Why the existing folder ``path`` may not be replaced by a run, or None."""
    entries = sorted(p.name for p in path.iterdir())
    if not entries:
        return None
    manifest = _read_manifest(path)
    if manifest is None:
        return _not_ours(path, "run folder")
    if "scenario_name" not in manifest:
        return "is not a run folder (its manifest.json is an experiment's or another file)"
    if manifest["scenario_name"] != scenario_name:
        return f"is a run folder of scenario {manifest['scenario_name']!r}, not {scenario_name!r}"
    foreign = [name for name in entries if name not in RUN_FILES | RUN_EXTRAS]
    foreign += _foreign_in_plots(path / "plots")
    if foreign:
        return f"holds files netsim did not write ({_some(foreign)})"
    return None


# Figures netsim writes into ``plots/``: ``<figure name>.<format>`` (viz.save_figures).
_FIGURE_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.(?:png|svg|pdf|jpg|jpeg)$")


def _foreign_in_plots(plots: Path) -> list[str]:
    """What in a run folder's ``plots/`` netsim did not write (replacing it deletes all).

    ``plots`` may be absent; if present it must be a real folder (not a link, which could
    point at the user's own folder) holding only figure files, no sub-folders.
    """
    if not plots.exists() and not plots.is_symlink():
        return []
    if plots.is_symlink() or not plots.is_dir():
        return ["plots (not a folder of figures)"]
    return [
        f"plots/{p.name}"
        for p in sorted(plots.iterdir())
        if p.is_symlink() or not p.is_file() or not _FIGURE_FILE.match(p.name)
    ]


def _read_manifest(path: Path) -> dict | None:
    """The folder's ``manifest.json`` as a dict, or None if missing or unreadable."""
    try:
        data = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _not_ours(path: Path, what: str) -> str:
    entries = sorted(p.name for p in path.iterdir())
    why = "unreadable manifest.json" if "manifest.json" in entries else "no manifest.json"
    return f"is not a netsim {what} ({why}; it holds {_some(entries)})"


def _some(names: list[str], n: int = 3) -> str:
    shown = ", ".join(names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")


def _refusal(path: Path, problem: str, label: str) -> NetsimInputError:
    return NetsimInputError(
        f"{problem}. Nothing was written: netsim replaces only its own run folder of the same "
        f"scenario, or resumes its own folder of the same experiment. Use a new folder, "
        f"such as {_fresh(path, label)}",
        file=f"output folder {path}",
    )


def _fresh(path: Path, label: str) -> Path:
    """A path that does not exist yet, to suggest instead of ``path``.

    Inside a folder of the user's (nothing there is touched), beside a folder of netsim's
    (so that folder stays replaceable), under ``results/`` instead of the current folder.
    """
    cwd = _cwd()
    if cwd is not None and (path.resolve() == cwd or path.resolve() in cwd.parents):
        base = Path("results") / label
    elif path.is_dir() and not path.is_symlink() and _read_manifest(path) is None:
        base = path / label
    else:
        base = path.with_name(f"{path.name}-{label}")
    for i in range(1, 1000):
        candidate = base if i == 1 else base.with_name(f"{base.name}-{i}")
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
    return base


def remove_stale_siblings(out_dir: Path) -> list[Path]:
    """Remove hidden leftovers of killed runs next to ``out_dir``; return what was removed.

    A run writes ``.<name>.tmp-<pid>-<hex>`` beside its folder ``<name>`` and renames it into
    place when complete; a killed run leaves it behind. Leftovers whose process is still
    running (another run writing the same folder right now) are kept.
    """
    removed: list[Path] = []
    if not out_dir.parent.is_dir():
        return removed
    start = f".{out_dir.name}."
    # scandir and a prefix test first: a sweep's runs/ may hold thousands of run folders.
    with os.scandir(out_dir.parent) as entries:
        names = [e.name for e in entries if e.name.startswith(start)]
    for name in names:
        m = _SIBLING.match(name)
        if m is None or m["name"] != out_dir.name:
            continue
        if m["pid"] is not None and process_running(int(m["pid"])):
            continue
        p = out_dir.parent / name
        if not is_run_leftover(p):
            continue  # a user's '.name.old-backup' that merely looks like ours
        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed


def is_run_leftover(path: Path) -> bool:
    """Whether ``path`` holds nothing but what netsim writes into a run folder: a real
    folder (netsim never leaves a file or link beside a run folder) with only run files,
    ``plots/`` of figures and the report. Anything else is left alone."""
    if path.is_symlink() or not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    return names <= RUN_FILES | RUN_EXTRAS and not _foreign_in_plots(path / "plots")


def process_running(pid: int) -> bool:
    """Is process ``pid`` running on this machine? Our own pid counts as running; an exited
    but unreaped process (a zombie, which can write nothing) does not."""
    if pid <= 0:  # kill(0 or negative) would address process groups
        return False
    if pid == os.getpid() or os.name == "nt":  # on Windows, os.kill(pid, 0) terminates it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OverflowError:  # not a pid at all
        return False
    try:  # a zombie still answers os.kill; /proc says 'Z' (or 'X')
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
