"""Load, override and validate scenario files.

:func:`load_scenario` is the one way in: it reads a YAML file (or takes a dict or a
:class:`~netsim.scenario.Scenario`), applies ``--set path.to.key=value`` overrides, validates
against the schema and against the chosen graph generator's own parameters, and returns a
fully resolved :class:`~netsim.scenario.Scenario` (every default filled in). Every mistake
becomes one :class:`~netsim.errors.NetsimInputError` naming the file and the key path.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from netsim.errors import Issue, NetsimInputError, unknown_name_problem
from netsim.scenario import Scenario

__all__ = [
    "load_scenario",
    "parse_override",
    "read_yaml",
    "resolved_dict",
    "scenario_to_yaml",
    "validation_issues",
]

_FROM_SET = " (from --set)"


# --------------------------------------------------------------------------- reading YAML


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects a key given twice in one mapping."""


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping gives the same key twice (YAML would silently keep the last)."""


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


def read_yaml(path: str | Path, what: str = "scenario") -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping.

    Raises :class:`NetsimInputError` for a missing or unreadable file, malformed YAML (with
    line and column), a key given twice, or a top level that is not a mapping.
    """
    label = str(path)
    path = Path(path)
    if not path.exists():
        raise NetsimInputError(f"{what} file not found", file=label)
    if path.is_dir():
        raise NetsimInputError(f"expected a {what} file, got a directory", file=label)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NetsimInputError(f"cannot read {what} file: {exc}", file=label) from None
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
            f"top level must be a mapping of {what} keys (key: value), got {_type_name(data)}",
            file=label,
        )
    return data


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    if isinstance(exc, _DuplicateKeyError):
        return f"{where}{problem}"
    text = f"malformed YAML at {where}{problem}"
    if context:
        text += f" ({context})"
    return text


def _type_name(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{value!r}"


# --------------------------------------------------------------------------- overrides


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``"a.b.c=value"`` into ``(["a", "b", "c"], value)``; value parsed as YAML."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise NetsimInputError(
            f"--set expects KEY=VALUE (e.g. population.workers=500), got {text!r}"
        )
    parts = key.split(".")
    if any(not p for p in parts):
        raise NetsimInputError(f"empty part in key path{_FROM_SET}", key_path=key)
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        raise NetsimInputError(
            f"value {raw!r} is not valid YAML{_FROM_SET}: {_yaml_problem(exc)}", key_path=key
        ) from None
    return parts, value


def _apply_override(data: dict[str, Any], text: str, root: type[BaseModel]) -> str:
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
                    unknown_name_problem(part, model.model_fields) + _FROM_SET, key_path=here
                )
            model = _section_model(model.model_fields[part])
        if depth == len(parts) - 1:
            node[part] = value
            break
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            raise NetsimInputError(
                f"cannot set {key_path}{_FROM_SET}: {here} is {_type_name(child)}, not a section",
                key_path=here,
            )
        node = child
    return key_path


def _section_model(field: FieldInfo | None) -> type[BaseModel] | None:
    """The nested model class of a field, or None if the field is not a section."""
    if field is None:
        return None
    ann = field.annotation
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return None


# --------------------------------------------------------------------------- errors


def _field_at(root: type[BaseModel], loc: Sequence[Any]) -> FieldInfo | None:
    """The FieldInfo at ``loc`` (walking nested sections), or None."""
    if not loc:
        return None
    owner = _model_at(root, loc[:-1])
    if owner is None or not isinstance(loc[-1], str):
        return None
    return owner.model_fields.get(loc[-1])


def _model_at(root: type[BaseModel], loc: Sequence[Any]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None or not isinstance(part, str):
            return None
        model = _section_model(model.model_fields.get(part))
    return model


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null (empty)"}[value]
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _num(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _literal_choices(field: Any) -> list[Any] | None:
    ann = getattr(field, "annotation", None)
    if typing.get_origin(ann) is typing.Literal:
        return list(typing.get_args(ann))
    return None


def _problem(err: Mapping[str, Any], root: type[BaseModel]) -> str:
    """What was expected, in words, for one pydantic error."""
    kind = err["type"]
    loc = err["loc"]
    ctx = err.get("ctx") or {}
    got = f", got {_show(err.get('input'))}"
    if kind == "extra_forbidden":
        section = _model_at(root, loc[:-1])
        choices = list(section.model_fields) if section is not None else []
        return unknown_name_problem(str(loc[-1]), choices)
    if kind == "missing":
        return "required key is missing"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be an integer" + got
    if kind in ("float_type", "float_parsing", "finite_number"):
        return "must be a number" + got
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false" + got
    if kind == "string_type":
        return "must be a string" + got
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        section = _model_at(root, loc)
        keys = f" with keys {', '.join(section.model_fields)}" if section is not None else ""
        return f"must be a mapping{keys}" + got
    if kind == "greater_than_equal":
        return f"must be >= {_num(ctx.get('ge'))}" + got
    if kind == "greater_than":
        return f"must be > {_num(ctx.get('gt'))}" + got
    if kind == "less_than_equal":
        return f"must be <= {_num(ctx.get('le'))}" + got
    if kind == "less_than":
        return f"must be < {_num(ctx.get('lt'))}" + got
    if kind == "literal_error":
        choices = _literal_choices(_field_at(root, loc))
        expected = ", ".join(repr(c) for c in choices) if choices else ctx.get("expected", "")
        return f"must be one of {expected}" + got
    if kind == "string_pattern_mismatch":
        return f"must match the pattern {ctx.get('pattern')}" + got
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        text = str(error) if error is not None else err["msg"]
        return text
    msg = err["msg"]
    return f"{msg[:1].lower()}{msg[1:]}" + got


def validation_issues(
    exc: ValidationError, root: type[BaseModel], prefix: Sequence[str] = ()
) -> list[Issue]:
    """Turn every error of a pydantic ``ValidationError`` into ``(key_path, problem)``.

    ``root`` is the model that was validated (used to look up allowed keys, choices and
    bounds); ``prefix`` is prepended to every key path (e.g. ``("graph", "params")``).
    """
    issues: list[Issue] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        key_path = ".".join(str(p) for p in (*prefix, *loc)) or None
        issues.append((key_path, _problem(err, root)))
    return issues


def _mark_overrides(issues: list[Issue], override_keys: Sequence[str]) -> list[Issue]:
    """Say ``(from --set)`` on problems whose key was set on the command line."""
    marked: list[Issue] = []
    for key, problem in issues:
        from_set = key is not None and any(
            key == k or key.startswith(k + ".") for k in override_keys
        )
        if from_set and not problem.endswith(_FROM_SET):
            problem += _FROM_SET
        marked.append((key, problem))
    return marked


# --------------------------------------------------------------------------- loading


def load_scenario(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Sequence[str] = (),
    *,
    base_dir: str | Path | None = None,
) -> Scenario:
    """Return the validated, fully resolved scenario from a file, a dict or a Scenario.

    ``overrides`` are ``"path.to.key=value"`` strings (values parsed as YAML) applied before
    validation. Relative graph files are looked up next to the scenario file (``base_dir``,
    default: the current directory for dicts and Scenario objects). Raises
    :class:`NetsimInputError` naming the file and key path of every problem.
    """
    file: str | None = None
    if isinstance(source, Scenario):
        data = source.model_dump(mode="python")
    elif isinstance(source, Mapping):
        data = copy_data(source)
    elif isinstance(source, str | Path):
        file = str(source)
        data = read_yaml(source)
        if base_dir is None:
            base_dir = Path(source).parent
    else:
        raise TypeError(f"load_scenario() takes a path, a dict or a Scenario, not {source!r}")
    base = Path(base_dir) if base_dir is not None else Path.cwd()

    try:
        override_keys = [_apply_override(data, text, Scenario) for text in overrides]
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:
            issues = validation_issues(exc, Scenario) + _graph_issues_anyway(data, exc, base)
            raise NetsimInputError.combine(_mark_overrides(issues, override_keys)) from None
        issues: list[Issue] = []
        for resolve in (
            lambda: _resolve_graph(scenario, base),
            lambda: _resolve_payout(scenario),
            lambda: _resolve_strategies(scenario),
        ):
            try:
                resolve()
            except NetsimInputError as exc:
                issues += exc.issues
        if issues:
            raise NetsimInputError.combine(_mark_overrides(issues, override_keys)) from None
    except NetsimInputError as exc:
        raise exc.with_file(file) from None
    return scenario


def _graph_issues_anyway(data: Any, exc: ValidationError, base_dir: Path) -> list[Issue]:
    """Graph problems of a scenario that has other problems too, so all are reported at once.

    Only possible when ``graph`` and ``population`` themselves are valid (the graph check
    needs ``population.workers``).
    """
    if not isinstance(data, dict) or any(
        e["loc"][:1] in (("graph",), ("population",), ()) for e in exc.errors()
    ):
        return []
    try:
        partial = Scenario.model_validate(
            {k: data[k] for k in ("graph", "population") if k in data}
        )
        _resolve_graph(partial, base_dir)
    except (ValidationError, NetsimInputError) as err:
        return err.issues if isinstance(err, NetsimInputError) else []
    return []


def copy_data(value: Any) -> Any:
    """A copy of YAML-like data: mappings become dicts, sequences lists."""
    if isinstance(value, Mapping):
        return {k: copy_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [copy_data(v) for v in value]
    return value


def _resolve_strategies(scenario: Scenario) -> None:
    """Check the custom strategies named in ``platform.gaming.custom_shares``."""
    from netsim.platform import BUILT_IN_GAMING, STRATEGIES, Strategy

    built_in = {name: key for name, key in BUILT_IN_GAMING}
    issues: list[Issue] = []
    for name in scenario.platform.gaming.custom_shares:
        key = f"platform.gaming.custom_shares.{name}"
        if name in built_in or name == "honest":
            hint = f"use platform.gaming.{built_in[name]}" if name in built_in else "the rest"
            issues.append((key, f"{name!r} is built in ({hint})"))
            continue
        try:
            cls = _lookup_plugin(STRATEGIES, name, "referrer strategy", key)
        except NetsimInputError as exc:
            issues += exc.issues
            continue
        if not (isinstance(cls, type) and issubclass(cls, Strategy)):
            issues.append(
                (key, f"{name} is not a strategy (a subclass of netsim.platform.Strategy)")
            )
    if issues:
        raise NetsimInputError.combine(issues)


def _lookup_plugin(registry: Any, name: str, what: str, key_path: str) -> Any:
    """The class a scenario names in ``registry`` (registered or ``package.module:Class``),
    or an input error at ``key_path`` with the registered names and a did-you-mean."""
    try:
        return registry.get(name)
    except KeyError as exc:
        if ":" in name:
            problem = f"cannot load {what} plug-in {exc.args[0]}"
        else:
            problem = unknown_name_problem(name, registry.names(), what=f"{what} {name!r}")
            problem = problem.replace("(allowed: ", "(registered: ", 1)
        raise NetsimInputError(problem, key_path=key_path) from None


def _resolve_graph(scenario: Scenario, base_dir: Path) -> None:
    """Check the graph generator and its parameters; store the validated params."""
    from netsim.graphs import GRAPH_GENERATORS

    name = scenario.graph.generator
    cls = _lookup_plugin(GRAPH_GENERATORS, name, "graph generator", "graph.generator")

    params_model_cls = getattr(cls, "Params", None)
    if params_model_cls is None:
        return  # a plug-in without a Params model takes its params unchecked
    try:
        params = params_model_cls.model_validate(scenario.graph.params)
    except ValidationError as exc:
        issues = validation_issues(exc, params_model_cls, prefix=("graph", "params"))
        issues = [(k, f"{p} (for graph generator {name!r})") for k, p in issues]
        raise NetsimInputError.combine(issues) from None

    check = getattr(cls, "check_inputs", None)
    if check is not None:
        try:
            checked = check(params, base_dir, scenario.population.workers)
        except (ValueError, OSError) as exc:
            key = _check_key(str(exc), list(params_model_cls.model_fields))
            raise NetsimInputError(str(exc), key_path=key) from None
        if checked is not None:
            params = checked
    scenario.graph.params = params.model_dump(mode="json")


def _resolve_payout(scenario: Scenario) -> None:
    """Check the payout rule (a registered name or ``package.module:Class``) and its
    parameters; store the validated params, so the resolved scenario records every default.
    """
    from netsim.payouts import PAYOUT_RULES, PayoutRule

    payout = scenario.platform.payout
    name = payout.rule
    cls = _lookup_plugin(PAYOUT_RULES, name, "payout rule", "platform.payout.rule")
    if not (isinstance(cls, type) and issubclass(cls, PayoutRule)):
        raise NetsimInputError(
            f"{name} is not a payout rule (a subclass of netsim.payouts.PayoutRule)",
            key_path="platform.payout.rule",
        )
    try:
        params = cls.Params.model_validate(payout.params)
    except ValidationError as exc:
        issues = validation_issues(exc, cls.Params, prefix=("platform", "payout", "params"))
        issues = [(k, f"{p} (for payout rule {name!r})") for k, p in issues]
        raise NetsimInputError.combine(issues) from None
    payout.params = params.model_dump(mode="json")


def _check_key(message: str, fields: list[str]) -> str:
    """The key a generator's ``check_inputs`` complaint is about.

    File generators are about ``graph.params.path``; otherwise the one parameter the message
    names (``"... needs an even k, got k=7"``), else ``graph.params``.
    """
    if "path" in fields:
        return "graph.params.path"
    named = [f for f in fields if re.search(rf"(?<![\w.]){re.escape(f)}(?![\w])", message)]
    return f"graph.params.{named[0]}" if len(named) == 1 else "graph.params"


# --------------------------------------------------------------------------- writing


def resolved_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-compatible data, every default included."""
    return scenario.model_dump(mode="json")


def scenario_to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML that :func:`load_scenario` reads back unchanged."""
    return yaml.safe_dump(
        resolved_dict(scenario), sort_keys=False, allow_unicode=True, default_flow_style=False
    )
