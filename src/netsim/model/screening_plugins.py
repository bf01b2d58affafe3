"""Resolve the screening rules a scenario names (``screening.rules``, ``large_rules``).

Like payout rules (:func:`netsim.model.plugins.resolve_payout`): each name is registered in
:data:`netsim.mechanisms.screening_rules.SCREENING_RULES` or is ``package.module:Class``; the
class is checked to be a :class:`~netsim.mechanisms.screening_rules.ScreeningRule` with a
``Params`` model and a ``rejection_probability``, and its parameters
(``screening.params.<rule>``) are validated and stored with every default filled in, so a
bad rule is an input error (with "did you mean") before anything runs.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from netsim.model.plugins import _check_class, _lookup_plugin, check_numbers
from netsim.scenario.errors import Issue, NetsimInputError, unknown_name_problem
from netsim.scenario.messages import validation_issues
from netsim.scenario.schema import Scenario

__all__ = ["resolve_screening"]


def resolve_screening(scenario: Scenario, base_dir: Path) -> None:
    """Check every screening rule the scenario names and its parameters (only when the
    screening is enabled: a switched-off section is not looked at)."""
    from netsim.mechanisms.screening_rules import SCREENING_RULES, ScreeningRule

    cfg = scenario.screening
    if not cfg.enabled:
        return
    issues: list[Issue] = []
    params = dict(cfg.params)
    for section, shares in (("rules", cfg.rules), ("large_rules", cfg.large_rules or {})):
        for name in shares:
            key = f"screening.{section}.{name}"
            try:
                cls = _lookup_plugin(SCREENING_RULES, name, "screening rule", key, base_dir)
                _check_class(cls, ScreeningRule, name, "screening rule", key)
            except NetsimInputError as exc:
                issues += exc.issues
                continue
            try:
                validated = cls.Params.model_validate(cfg.params.get(name, {}))
            except ValidationError as exc:
                found = validation_issues(exc, cls.Params, prefix=("screening", "params", name))
                issues += [(k, f"{p} (for screening rule {name!r})") for k, p in found]
                continue
            dumped = validated.model_dump(mode="json")
            issues += check_numbers(dumped, f"screening.params.{name}", f"screening rule {name!r}")
            if dumped:
                params[name] = dumped
    used = {*cfg.rules, *(cfg.large_rules or {})}
    for name in cfg.params:
        # Parameters of a registered rule no company uses are kept (a --set of the rules
        # may switch it off); any other name is a typo.
        if name not in used and name not in SCREENING_RULES:
            known = sorted(used | set(SCREENING_RULES.names()))
            problem = unknown_name_problem(name, known, what=f"screening rule {name!r}")
            issues.append((f"screening.params.{name}", problem))
    if issues:
        raise NetsimInputError.combine(list(dict.fromkeys(issues)))
    cfg.params = params
