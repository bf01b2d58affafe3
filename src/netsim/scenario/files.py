"""Scenario and experiment files: safe YAML reading, ``--set`` overrides, YAML writing.

:func:`read_yaml` reads a file with PyYAML's safe loader, refusing duplicate keys, nesting
deeper than :data:`MAX_YAML_DEPTH` and alias bombs; :func:`apply_override` applies one
``path.to.key=value`` override (the value parsed as YAML) to the raw data;
:func:`scenario_to_yaml` writes a resolved scenario back. Validation against the schema and
the plug-in registries is :func:`netsim.model.loading.load_scenario`, which builds on this
module. Every mistake becomes a :class:`~netsim.scenario.errors.NetsimInputError` naming
the file and the key path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from netsim.scenario.errors import NetsimInputError, unknown_name_problem
from netsim.scenario.messages import (
    FROM_SET,
    clip,
    section_model,
    type_name,
    validation_issues,
)
from netsim.scenario.schema import Scenario

__all__ = [
    "copy_data",
    "apply_override",
    "parse_override",
    "read_yaml",
    "resolved_dict",
    "scenario_to_yaml",
    "validation_issues",
]


# --------------------------------------------------------------------------- reading YAML


#: Deepest nesting of mappings and lists a YAML file may have (scenarios need about 4).
MAX_YAML_DEPTH = 50
#: Most values a YAML file may hold once its aliases (``*name``) are expanded; a few aliases
#: of aliases can otherwise stand for billions of values and exhaust memory.
MAX_YAML_VALUES = 1_000_000


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping gives the same key twice (YAML would silently keep the last)."""


class _TooBigError(yaml.composer.ComposerError):
    """Nested deeper than :data:`MAX_YAML_DEPTH` or larger than :data:`MAX_YAML_VALUES`."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects a key given twice in one mapping, nesting deeper than
    :data:`MAX_YAML_DEPTH` (which would otherwise exhaust Python's recursion limit) and more
    than :data:`MAX_YAML_VALUES` values with aliases expanded."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> values in it, aliases expanded

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        self._depth += 1
        try:
            mark = self.peek_event().start_mark
            if self._depth > MAX_YAML_DEPTH:
                raise _TooBigError(
                    None,
                    None,
                    f"mappings and lists nested more than {MAX_YAML_DEPTH} levels deep",
                    mark,
                )
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:  # an alias reuses the size of its anchor
                self._sizes[id(node)] = 1 + sum(self._sizes.get(id(c), 1) for c in _children(node))
            if self._sizes[id(node)] > MAX_YAML_VALUES:
                raise _TooBigError(
                    None,
                    None,
                    f"more than {MAX_YAML_VALUES:,} values once aliases (*name) are expanded",
                    mark,
                )
            return node
        finally:
            self._depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            continue  # SafeLoader reports unhashable keys itself
        if key in seen:
            first = seen[key]
            raise _DuplicateKeyError(
                None,
                None,
                f"key {key!r} appears twice (first on line {first.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# YAML 1.1 (PyYAML) reads ``1e9`` as a string; scenario values are strictly typed, so read
# exponent notation without a dot as a number, as YAML 1.2 does.
_UniqueKeyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_yaml(path: str | Path, what: str = "scenario") -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping.

    Raises :class:`NetsimInputError` for a missing or unreadable file, malformed YAML (with
    line and column), a key given twice, or a top level that is not a mapping.
    """
    label = str(path)
    path = Path(path)
    try:
        exists = path.exists()
    except (OSError, ValueError) as exc:  # e.g. a NUL byte in the name
        raise NetsimInputError(f"not a usable file name: {exc}", file=label) from None
    if not exists:
        raise NetsimInputError(f"{what} file not found", file=label)
    if path.is_dir():
        raise NetsimInputError(f"expected a {what} file, got a directory", file=label)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise NetsimInputError(f"cannot read {what} file: {exc}", file=label) from None
    except UnicodeDecodeError as exc:  # say where, and what to do about it
        line = raw.count(b"\n", 0, exc.start) + 1
        raise NetsimInputError(
            f"line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the {what} "
            "file as UTF-8",
            file=label,
        ) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise NetsimInputError(_yaml_problem(exc), file=label) from None
    if data is None:
        raise NetsimInputError(
            f"file is empty; expected a mapping of {what} keys (write {{}} for all defaults)",
            file=label,
        )
    if not isinstance(data, dict):
        raise NetsimInputError(
            f"top level must be a mapping of {what} keys (key: value), got {type_name(data)}",
            file=label,
        )
    return data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    if isinstance(exc, _DuplicateKeyError | _TooBigError):
        return f"{where}{problem}"
    text = f"malformed YAML at {where}{problem}"
    if context:
        text += f" ({context})"
    return text


# --------------------------------------------------------------------------- overrides


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``"a.b.c=value"`` into ``(["a", "b", "c"], value)``; value parsed as YAML."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise NetsimInputError(
            f"--set expects KEY=VALUE (e.g. population.workers=500), got {clip(repr(text))}"
        )
    parts = key.split(".")
    if any(not p for p in parts):
        raise NetsimInputError(f"empty part in key path{FROM_SET}", key_path=key)
    try:
        value = yaml.load(raw, Loader=_UniqueKeyLoader) if raw.strip() else None  # noqa: S506
    except yaml.YAMLError as exc:
        raise NetsimInputError(
            f"value {clip(repr(raw))} is not valid YAML{FROM_SET}: {_yaml_problem(exc)}",
            key_path=key,
        ) from None
    return parts, value


def apply_override(data: dict[str, Any], text: str, root: type[BaseModel]) -> str:
    """Set one override in ``data`` (in place); returns its key path."""
    parts, value = parse_override(text)
    key_path = ".".join(parts)
    model: type[BaseModel] | None = root
    node = data
    for depth, part in enumerate(parts):
        here = ".".join(parts[: depth + 1])
        if model is not None:
            if part not in model.model_fields:
                raise NetsimInputError(
                    unknown_name_problem(part, model.model_fields) + FROM_SET, key_path=here
                )
            model = section_model(model.model_fields[part])
        if depth == len(parts) - 1:
            node[part] = value
            break
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            raise NetsimInputError(
                f"cannot set {key_path}{FROM_SET}: {here} is {type_name(child)}, not a section",
                key_path=here,
            )
        node = child
    return key_path


def copy_data(value: Any) -> Any:
    """A copy of YAML-like data: mappings become dicts, sequences lists, and numpy scalars
    Python ones (``np.int64(5)`` is an integer to the strict schema, ``np.float64`` a
    number), so values computed in a notebook can be passed in."""
    if isinstance(value, Mapping):
        return {k: copy_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [copy_data(v) for v in value]
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()  # checked by module name: importing numpy here costs start-up
    return value


# --------------------------------------------------------------------------- writing


def resolved_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-compatible data, every default included."""
    return scenario.model_dump(mode="json")


def scenario_to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML that :func:`load_scenario` reads back unchanged."""
    return yaml.safe_dump(
        resolved_dict(scenario), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
