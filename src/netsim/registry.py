"""Plug-in registries: named families of classes a researcher can extend.

Graph generators (and, later, payout rules and referrer strategies) are looked up by the
name a scenario file gives. A plug-in is a class with a ``name`` attribute, registered with
:meth:`Registry.register` (usable as a decorator), or named in a scenario as
``package.module:Class`` so no engine code has to change.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


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

    def get(self, name: str) -> type[T]:
        """Return the class registered as ``name`` or importable as ``package.module:Class``.

        Raises ``KeyError`` with the known names when nothing matches.
        """
        if name in self._entries:
            return self._entries[name]
        if ":" in name:
            return self._import(name)
        raise KeyError(name)

    def _import(self, spec: str) -> type[T]:
        module_name, _, attr = spec.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise KeyError(f"{spec} (module {module_name!r} cannot be imported: {exc})") from exc
        try:
            cls = getattr(module, attr)
        except AttributeError as exc:
            raise KeyError(f"{spec} (module {module_name!r} has no {attr!r})") from exc
        return cls

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[tuple[str, type[T]]]:
        return iter(sorted(self._entries.items()))
