"""Load a scenario: read it, apply overrides, validate it and resolve its plug-ins.

:func:`load_scenario` is the one way in: it reads a YAML file (or takes a dict or a
:class:`~netsim.scenario.Scenario`), applies ``--set path.to.key=value`` overrides, validates
against the schema, then looks up and checks the plug-ins it names (graph generator, payout
rule, referrer strategies) in their registries, and returns a fully resolved scenario (every
default filled in). It lives in the ``model`` room because the plug-in registries belong to
the rooms it assembles (``world``, ``platform``); the schema and file handling it uses are in
``scenario``. Every mistake becomes one :class:`~netsim.scenario.errors.NetsimInputError`
naming the file and the key path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from netsim.model.plugins import (
    resolve_graph,
    resolve_payout,
    resolve_policy_rule,
    resolve_strategies,
)
from netsim.model.screening_plugins import resolve_screening
from netsim.scenario.errors import Issue, NetsimInputError
from netsim.scenario.files import apply_override, copy_data, read_yaml
from netsim.scenario.messages import mark_overrides, validation_issues
from netsim.scenario.schema import Scenario

__all__ = ["load_scenario"]


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
        override_keys = [apply_override(data, text, Scenario) for text in overrides]
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as exc:
            issues = validation_issues(exc, Scenario) + _graph_issues_anyway(data, exc, base)
            raise NetsimInputError.combine(mark_overrides(issues, override_keys)) from None
        issues: list[Issue] = []
        for resolve in (
            lambda: resolve_graph(scenario, base),
            lambda: resolve_payout(scenario, base),
            lambda: resolve_strategies(scenario, base),
            lambda: resolve_screening(scenario, base),
            lambda: resolve_policy_rule(scenario, base),
        ):
            try:
                resolve()
            except NetsimInputError as exc:
                issues += exc.issues
        if issues:
            raise NetsimInputError.combine(mark_overrides(issues, override_keys)) from None
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
        resolve_graph(partial, base_dir)
    except (ValidationError, NetsimInputError) as err:
        return err.issues if isinstance(err, NetsimInputError) else []
    return []


