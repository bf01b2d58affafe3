"""Resolve the plug-ins a scenario names: graph generators, payout rules, strategies.

Each is a registered name or ``module:Class``. At load time the class is looked up
(importing ``module`` with the scenario's folder and the working folder on the import path,
see :func:`netsim.registry.plugin_path`), checked to be a subclass of the right base class,
and its parameters validated, so a bad plug-in is an input error before anything runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from netsim.errors import Issue, NetsimInputError, unknown_name_problem
from netsim.messages import validation_issues
from netsim.scenario import Scenario

__all__ = ["resolve_graph", "resolve_payout", "resolve_strategies"]


def resolve_strategies(scenario: Scenario) -> None:
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


def resolve_graph(scenario: Scenario, base_dir: Path) -> None:
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


def resolve_payout(scenario: Scenario) -> None:
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
