"""Turn pydantic validation errors of an experiment file into readable issues.

The experiment schema (:class:`netsim.experiments.design.Experiment`) nests its sections behind
``Optional`` and ``dict`` values and spells ``list`` through an alias, which the generic
:func:`netsim.scenario.messages.validation_issues` cannot see through; this module names the allowed
keys of such sections too, and the alias as the user wrote it.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from netsim.scenario.errors import Issue, unknown_name_problem
from netsim.scenario.messages import validation_issues

__all__ = ["experiment_issues"]


def experiment_issues(exc: ValidationError, Experiment: type[BaseModel]) -> list[Issue]:  # noqa: N803
    """Every error of validating an experiment file against the schema ``Experiment`` (passed
    in, so this module does not import the design module that imports it), as
    ``(key path, problem)`` pairs."""
    issues = validation_issues(exc, Experiment)
    for n, err in enumerate(exc.errors(include_url=False)):
        if err["type"] == "extra_forbidden":  # sections behind Optional/dict: name choices
            owner = _owner_model(Experiment, err["loc"][:-1])
            if owner is not None:
                choices = [f.alias or k for k, f in owner.model_fields.items()]
                issues[n] = (issues[n][0], unknown_name_problem(str(err["loc"][-1]), choices))
    return [_fix_alias(i) for i in issues]


def _owner_model(root: type[BaseModel], loc) -> type[BaseModel] | None:
    """The model at ``loc`` of an experiment, looking through Optional and dict values."""
    model: Any = root
    expect_key = False
    for part in loc:
        if expect_key:
            expect_key = False
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        fld = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if fld is None:
            return None
        model, expect_key = _unwrap(fld.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(ann: Any) -> tuple[Any, bool]:
    """(model class inside ``ann``, whether a dict key comes first)."""
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if typing.get_origin(ann) is dict:
        return (args[1] if len(args) == 2 else None), True
    if args and typing.get_origin(ann) is not list:
        return _unwrap(args[0])
    return ann, False


def _fix_alias(issue: Issue) -> Issue:
    key, problem = issue
    if key is not None:
        key = key.replace("list_", "list")
    return key, problem.replace("list_", "list")
