"""Turn pydantic validation errors into readable :data:`~netsim.scenario.errors.Issue` pairs.

Each pydantic error becomes ``(key path, what was expected)``: allowed keys with a
did-you-mean for a misspelt key, the bounds for a value out of range, the choices of a
``Literal``. Shared by scenario files (:mod:`netsim.scenario.files`), plug-in parameters
(:mod:`netsim.model.plugins`) and experiment files (:mod:`netsim.experiments.design`).
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from netsim.scenario.errors import Issue, unknown_name_problem

__all__ = ["FROM_SET", "mark_overrides", "section_model", "type_name", "validation_issues"]

#: Appended to a problem whose key was set with ``--set`` on the command line.
FROM_SET = " (from --set)"


def type_name(value: Any) -> str:
    """A value described in words for a message: 'a list', 'the string \'x\''..."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the string {clip(repr(value))}"
    return clip(repr(value))


#: Longest value echoed in a message: a 5,000-character string should not fill the screen.
MAX_SHOWN = 60


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters with "..." and the full length, for messages."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def section_model(field: FieldInfo | None) -> type[BaseModel] | None:
    """The nested model class of a field, or None if the field is not a section."""
    if field is None:
        return None
    ann = field.annotation
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return None


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
        model = section_model(model.model_fields.get(part))
    return model


def _show(value: Any) -> str:
    if isinstance(value, str):
        return clip(repr(value))
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null (empty)"}[value]
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return clip(repr(value))


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
    if kind == "finite_number":
        return "must be a finite number (not NaN or inf)" + got
    if kind in ("float_type", "float_parsing"):
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


def mark_overrides(issues: list[Issue], override_keys: Sequence[str]) -> list[Issue]:
    """Say ``(from --set)`` on problems whose key was set on the command line."""
    marked: list[Issue] = []
    for key, problem in issues:
        from_set = key is not None and any(
            key == k or key.startswith(k + ".") for k in override_keys
        )
        if from_set and not problem.endswith(FROM_SET):
            problem += FROM_SET
        marked.append((key, problem))
    return marked
