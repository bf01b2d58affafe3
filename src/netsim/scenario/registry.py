"""Plug-in registries: named families of classes a researcher can extend.

Graph generators (and, later, payout rules and referrer strategies) are looked up by the
name a scenario file gives. A plug-in is a class with a ``name`` attribute, registered with
:meth:`Registry.register` (usable as a decorator), or named in a scenario as
``package.module:Class`` so no engine code has to change.

Where ``module:Class`` plug-ins are found: on the normal import path (installed packages,
``PYTHONPATH``), then in the folders given to :meth:`Registry.get` (the scenario file's
folder, when a scenario is loaded), then in the current working folder, then in the folders
listed in the environment variable ``NETSIM_PLUGIN_PATH`` (separated by ``os.pathsep``).
Loading a scenario adds its folder to ``NETSIM_PLUGIN_PATH`` when one of its plug-ins was
found there, so the run itself and a sweep's worker processes find the same module.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

#: Environment variable with extra folders to import ``module:Class`` plug-ins from.
PLUGIN_PATH_ENV = "NETSIM_PLUGIN_PATH"

_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_SPEC = re.compile(rf"^({_DOTTED}):({_DOTTED})$")


def plugin_dirs(extra: Iterable[str | Path] = ()) -> list[str]:
    """Folders searched for plug-in modules after the normal import path, in order:
    ``extra``, the current working folder, then ``NETSIM_PLUGIN_PATH``."""
    env = [d for d in os.environ.get(PLUGIN_PATH_ENV, "").split(os.pathsep) if d]
    dirs = [str(Path(d).resolve()) for d in (*extra, Path.cwd(), *env)]
    return list(dict.fromkeys(dirs))


def remember_plugin_dir(folder: str | Path) -> None:
    """Add ``folder`` to ``NETSIM_PLUGIN_PATH`` (inherited by worker processes)."""
    folder = str(Path(folder).resolve())
    env = [d for d in os.environ.get(PLUGIN_PATH_ENV, "").split(os.pathsep) if d]
    if folder not in env:
        os.environ[PLUGIN_PATH_ENV] = os.pathsep.join([*env, folder])


@contextmanager
def plugin_path(dirs: Iterable[str]) -> Iterator[None]:
    """Append ``dirs`` to ``sys.path`` for the duration (appended, so a plug-in module never
    shadows an installed package); remove them again afterwards."""
    added = [d for d in dirs if d not in sys.path]
    sys.path.extend(added)
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for d in added:
            if d in sys.path:
                sys.path.remove(d)


def _is_missing(exc: ModuleNotFoundError, module_name: str) -> bool:
    """Whether ``exc`` says ``module_name`` (or a package on its way) is not on the path."""
    parts = module_name.split(".")
    return exc.name in {".".join(parts[: i + 1]) for i in range(len(parts))}


class Registry(Generic[T]):
    """A name -> class mapping for one kind of plug-in (e.g. graph generators)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, type[T]] = {}

    def register(self, cls: type[T]) -> type[T]:
        """Add ``cls`` under ``cls.name``; returns ``cls`` so it works as a decorator."""
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not name:
            raise TypeError(f"{self.kind} plug-in {cls!r} needs a non-empty str 'name'")
        if name in self._entries and self._entries[name] is not cls:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = cls
        return cls

    def get(self, name: str, search: Iterable[str | Path] = ()) -> type[T]:
        """Return the class registered as ``name`` or importable as ``package.module:Class``.

        ``search``: extra folders to import the module from (see :func:`plugin_dirs`).
        Raises ``KeyError`` with the known names when nothing matches, or with the reason
        when a ``module:Class`` spec is malformed or cannot be imported. The returned object
        is not type-checked here: callers check it against their plug-in base class.
        """
        if name in self._entries:
            return self._entries[name]
        if ":" in name:
            return self._import(name, search)
        raise KeyError(name)

    def _import(self, spec: str, search: Iterable[str | Path]) -> type[T]:
        match = _SPEC.match(spec)
        if match is None:
            raise KeyError(
                f"{spec!r}: expected module:Class with an absolute module name, e.g. "
                "mygraphs:Random (relative names like .mygraphs are not supported)"
            )
        module_name, attr = match.groups()
        try:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if not _is_missing(exc, module_name):
                    raise  # the plug-in module itself imports something missing
                with plugin_path(plugin_dirs(search)):
                    module = importlib.import_module(module_name)
        # Any import failure is the plug-in's; a module calling sys.exit() while imported
        # would otherwise end netsim silently with its own exit code.
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            reason = f"{type(exc).__name__}: {exc}"
            raise KeyError(
                f"{spec} (module {module_name!r} cannot be imported: {reason})"
            ) from None
        obj = module
        for part in attr.split("."):
            if not hasattr(obj, part):
                raise KeyError(f"{spec} (module {module_name!r} has no {attr!r})")
            obj = getattr(obj, part)
        return obj

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[tuple[str, type[T]]]:
        return iter(sorted(self._entries.items()))
