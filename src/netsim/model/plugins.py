"""Resolve the plug-ins a scenario names: graph generators, payout rules, strategies.

Each is a registered name or ``module:Class``. At load time the class is looked up
(importing ``module`` with the scenario's folder and the working folder on the import path,
see :func:`netsim.scenario.registry.plugin_path`), checked to be a subclass of the right base class,
and its parameters validated, so a bad plug-in is an input error before anything runs.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from netsim.scenario.errors import Issue, NetsimInputError, unknown_name_problem
from netsim.scenario.messages import validation_issues
from netsim.scenario.registry import remember_plugin_dir
from netsim.scenario.schema import MAX_PLUGIN_NUMBER, Scenario

__all__ = [
    "check_numbers",
    "resolve_graph",
    "resolve_payout",
    "resolve_policy_rule",
    "resolve_strategies",
]


def resolve_strategies(scenario: Scenario, base_dir: Path) -> None:
    """Check the custom strategies named in ``platform.gaming.custom_shares``
    (``module:Class`` names are imported, also from ``base_dir``, see
    :mod:`netsim.scenario.registry`)."""
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
            cls = _lookup_plugin(STRATEGIES, name, "referrer strategy", key, base_dir)
        except NetsimInputError as exc:
            issues += exc.issues
            continue
        if not (isinstance(cls, type) and issubclass(cls, Strategy)):
            issues.append(
                (key, f"{name} is not a strategy (a subclass of netsim.platform.Strategy)")
            )
        elif missing := _unimplemented(cls, Strategy):
            issues.append(
                (
                    key,
                    f"{name} is incomplete: it must define {', '.join(missing)} "
                    "(see netsim.platform.Strategy)",
                )
            )
    if issues:
        raise NetsimInputError.combine(issues)


def _lookup_plugin(registry: Any, name: str, what: str, key_path: str, base_dir: Path) -> Any:
    """The class a scenario names in ``registry`` (registered or ``package.module:Class``),
    or an input error at ``key_path`` with the registered names and a did-you-mean.

    A ``module:Class`` found in ``base_dir`` (the scenario's folder) has that folder
    remembered for the run and for sweep workers
    (:func:`netsim.scenario.registry.remember_plugin_dir`).
    """
    try:
        found = registry.get(name, search=[base_dir])
        _remember_if_inside(name, base_dir)
        return found
    except KeyError as exc:
        if ":" in name:
            problem = f"cannot load {what} plug-in {exc.args[0]}"
        else:
            problem = unknown_name_problem(name, registry.names(), what=f"{what} {name!r}")
            problem = problem.replace("(allowed: ", "(registered: ", 1)
        raise NetsimInputError(problem, key_path=key_path) from None


def _remember_if_inside(name: str, base_dir: Path) -> None:
    """Remember ``base_dir`` if the module of the plug-in ``name`` was imported from it."""
    if ":" not in name:
        return
    module = sys.modules.get(name.partition(":")[0].split(".")[0])
    file = getattr(module, "__file__", None)
    if file and Path(file).resolve().is_relative_to(Path(base_dir).resolve()):
        remember_plugin_dir(base_dir)


#: The documented import path of each plug-in base class (the code lives in a room).
PUBLIC_MODULES = {
    "GraphGenerator": "netsim.graphs",
    "PayoutRule": "netsim.payouts",
    "Strategy": "netsim.platform",
    "ScreeningRule": "netsim.mechanisms.screening_rules",
    "PolicyRule": "netsim.mechanisms.policy_rules",
}


def _check_class(cls: Any, base: type, name: str, what: str, key_path: str) -> None:
    """An input error unless the plug-in ``cls`` is a subclass of ``base`` with a pydantic
    ``Params`` model (every plug-in base class provides one)."""
    where = f"{PUBLIC_MODULES.get(base.__qualname__, base.__module__)}.{base.__qualname__}"
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise NetsimInputError(f"{name} is not a {what} (a subclass of {where})", key_path=key_path)
    params = getattr(cls, "Params", None)
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        raise NetsimInputError(
            f"{name}.Params must be a pydantic model (a subclass of pydantic.BaseModel)",
            key_path=key_path,
        )
    missing = _unimplemented(cls, base)
    if missing:
        raise NetsimInputError(
            f"{name} is incomplete: it must define {', '.join(missing)} (see {where})",
            key_path=key_path,
        )


#: What a plug-in class must define itself, by base class: groups of members of which it
#: must define at least one (the methods the base leaves unimplemented and the attributes a
#: run reads). Without this, the base class itself (``netsim.graphs:GraphGenerator``) passed
#: validation and the run then failed with a traceback.
REQUIRED_MEMBERS = {
    "GraphGenerator": (("build", "build_edges"),),
    "PayoutRule": (("schedule",),),
    "Strategy": (("name",),),
    "ScreeningRule": (("rejection_probability",),),
    "PolicyRule": (("decide",),),
}


def _unimplemented(cls: type, base: type) -> list[str]:
    """The members of :data:`REQUIRED_MEMBERS` that ``cls`` neither defines nor inherits
    from a class below ``base``."""
    def shown(member: str) -> str:
        return f"{member}()" if callable(getattr(base, member, None)) else member

    def defined(member: str) -> bool:
        value = getattr(cls, member, None)
        return value is not None and not (
            callable(value) and value is getattr(base, member, None)
        )

    return [
        " or ".join(shown(m) for m in group)
        for group in REQUIRED_MEMBERS.get(base.__qualname__, ())
        if not any(defined(m) for m in group)
    ]


def check_numbers(value: Any, key_path: str, what: str) -> list[Issue]:
    """Problems with the numbers in a plug-in's validated parameters: every number must be
    finite and at most :data:`netsim.scenario.MAX_PLUGIN_NUMBER` in size."""
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in check_numbers(v, f"{key_path}.{k}", what)]
    if isinstance(value, list | tuple):
        return [i for n, v in enumerate(value) for i in check_numbers(v, f"{key_path}[{n}]", what)]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    if isinstance(value, float) and not math.isfinite(value):
        return [(key_path, f"must be a finite number, got {value!r} (for {what})")]
    if abs(value) > MAX_PLUGIN_NUMBER:
        limit = f"{MAX_PLUGIN_NUMBER:g}"
        return [(key_path, f"must be at most {limit} in size, got {value!r} (for {what})")]
    return []


def resolve_graph(scenario: Scenario, base_dir: Path) -> None:
    """Check the graph generator (a :class:`netsim.graphs.GraphGenerator` subclass) and its
    parameters; store the validated params."""
    from netsim.world.graphs import GRAPH_GENERATORS, GraphGenerator

    name = scenario.graph.generator
    key = "graph.generator"
    cls = _lookup_plugin(GRAPH_GENERATORS, name, "graph generator", key, base_dir)
    _check_class(cls, GraphGenerator, name, "graph generator", key)
    _check_degree_multiplier(scenario, name, cls, GRAPH_GENERATORS)

    params_model_cls = cls.Params
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
    dumped = params.model_dump(mode="json")
    issues = check_numbers(dumped, "graph.params", f"graph generator {name!r}")
    if issues:
        raise NetsimInputError.combine(issues)
    scenario.graph.params = dumped


def _check_degree_multiplier(scenario: Scenario, name: str, cls: Any, registry: Any) -> None:
    """A generator that cannot give vital forces more ties must not silently ignore the
    vital-force degree multiplier: reject a multiplier other than 1 (with vital forces)."""
    vf = scenario.population.vital_forces
    if cls.uses_degree_weight or vf.degree_multiplier == 1.0 or vf.share == 0.0:
        return
    honour = ", ".join(n for n, c in registry if c.uses_degree_weight)
    raise NetsimInputError(
        f"graph generator {name!r} cannot give vital forces more ties (its ties are fixed), "
        f"got degree_multiplier={vf.degree_multiplier:g}; set it to 1 or use a generator "
        f"that honours it ({honour})",
        key_path="population.vital_forces.degree_multiplier",
    )


def resolve_payout(scenario: Scenario, base_dir: Path) -> None:
    """Check the payout rule (a registered name or ``package.module:Class``) and its
    parameters; store the validated params, so the resolved scenario records every default.
    """
    from netsim.platform.payouts import PAYOUT_RULES, PayoutRule

    payout = scenario.platform.payout
    name = payout.rule
    key = "platform.payout.rule"
    cls = _lookup_plugin(PAYOUT_RULES, name, "payout rule", key, base_dir)
    _check_class(cls, PayoutRule, name, "payout rule", key)
    try:
        params = cls.Params.model_validate(payout.params)
    except ValidationError as exc:
        issues = validation_issues(exc, cls.Params, prefix=("platform", "payout", "params"))
        issues = [(k, f"{p} (for payout rule {name!r})") for k, p in issues]
        raise NetsimInputError.combine(issues) from None
    dumped = params.model_dump(mode="json")
    issues = check_numbers(dumped, "platform.payout.params", f"payout rule {name!r}")
    if issues:
        raise NetsimInputError.combine(issues)
    payout.params = dumped


def _check_key(message: str, fields: list[str]) -> str:
    """The key a generator's ``check_inputs`` complaint is about.

    File generators are about ``graph.params.path``; otherwise the one parameter the message
    names (``"... needs an even k, got k=7"``), else ``graph.params``.
    """
    if "path" in fields:
        return "graph.params.path"
    named = [f for f in fields if re.search(rf"(?<![\w.]){re.escape(f)}(?![\w])", message)]
    return f"graph.params.{named[0]}" if len(named) == 1 else "graph.params"


def resolve_policy_rule(scenario: Scenario, base_dir: Path) -> None:
    """Check the staff policy rule (``firms.staff_policy.rule``: a registered name or
    ``package.module:Class``) and its parameters; store the validated params."""
    from netsim.mechanisms.policy_rules import POLICY_RULES, PolicyRule

    policy = scenario.firms.staff_policy
    name = policy.rule
    key = "firms.staff_policy.rule"
    cls = _lookup_plugin(POLICY_RULES, name, "staff policy rule", key, base_dir)
    _check_class(cls, PolicyRule, name, "staff policy rule", key)
    try:
        params = cls.Params.model_validate(policy.params)
    except ValidationError as exc:
        issues = validation_issues(exc, cls.Params, prefix=("firms", "staff_policy", "params"))
        issues = [(k, f"{p} (for staff policy rule {name!r})") for k, p in issues]
        raise NetsimInputError.combine(issues) from None
    dumped = params.model_dump(mode="json")
    issues = check_numbers(dumped, "firms.staff_policy.params", f"staff policy rule {name!r}")
    if issues:
        raise NetsimInputError.combine(issues)
    policy.params = dumped
