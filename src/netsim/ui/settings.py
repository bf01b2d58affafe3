"""The scenario keys a lecture turns, as widget values, validated like a scenario file.

:data:`LECTURE_KEYS` lists them (key path, label, kind). :func:`lecture_values` reads their
values from a scenario; :func:`apply_values` turns widget values into ``--set`` style
overrides of the scenario file and loads it through :func:`netsim.model.loading.load_scenario`,
so a bad widget value gets the very message a bad scenario file gets (file, key path, what
was expected), ending in ``(set in the UI)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from netsim.model.loading import load_scenario
from netsim.scenario.errors import NetsimInputError
from netsim.scenario.messages import FROM_SET
from netsim.scenario.schema import Scenario

__all__ = [
    "LECTURE_KEYS",
    "LectureKey",
    "apply_values",
    "default_params",
    "lecture_values",
    "payout_rule_names",
    "ui_message",
]


@dataclass(frozen=True)
class LectureKey:
    """One widget: the scenario key path it sets, its label and its kind.

    ``kind`` is ``bool``, ``int``, ``float`` (fractions, months, currency), ``rule`` (a payout
    rule name) or ``params`` (a YAML mapping of the rule's parameters).
    """

    path: str
    label: str
    kind: str
    group: str


#: The keys that matter in a lecture on payout rules and the people who game them.
LECTURE_KEYS: tuple[LectureKey, ...] = (
    LectureKey("population.workers", "Workers", "int", "World"),
    LectureKey("population.vital_forces.share", "Vital-force share", "float", "World"),
    LectureKey("companies.policy_shares.restrict", "Firms that restrict", "float", "World"),
    LectureKey("companies.policy_shares.neutral", "Neutral firms", "float", "World"),
    LectureKey("companies.policy_shares.embrace", "Firms that embrace", "float", "World"),
    LectureKey("seed", "Seed", "int", "World"),
    LectureKey("horizon_months", "Horizon (months)", "float", "World"),
    LectureKey("platform.enabled", "Referral platform on", "bool", "Platform"),
    LectureKey("platform.member_share", "Member share", "float", "Platform"),
    LectureKey("platform.payout.rule", "Payout rule", "rule", "Platform"),
    LectureKey("platform.payout.params", "Rule parameters (YAML)", "params", "Platform"),
    LectureKey("platform.gaming.rotation_share", "Rotating pairs (share)", "float", "Gaming"),
    LectureKey("platform.gaming.sybil_share", "Sybil runners (share)", "float", "Gaming"),
    LectureKey("platform.gaming.self_referral_share", "Self-referrers (share)", "float", "Gaming"),
    LectureKey("platform.defences.screening", "Screening of job history", "bool", "Defences"),
    LectureKey("platform.defences.memory_months", "Internet memory (months)", "float", "Defences"),
    LectureKey("platform.defences.cooldown_months", "Cooldown (months)", "float", "Defences"),
)


def _get(data: Mapping[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


def lecture_values(scenario: Scenario) -> dict[str, Any]:
    """The current value of every lecture key in ``scenario`` (rule params as YAML text)."""
    data = scenario.model_dump(mode="json")
    out = {k.path: _get(data, k.path) for k in LECTURE_KEYS}
    out["platform.payout.params"] = params_text(out["platform.payout.params"])
    return out


def params_text(params: Mapping[str, Any]) -> str:
    """A rule's parameters as one line of YAML (flow style), as the params widget shows them."""
    return yaml.safe_dump(dict(params), default_flow_style=True, sort_keys=False).strip()


def payout_rule_names() -> list[str]:
    """The registered payout rules' names, sorted."""
    from netsim.platform.payouts import PAYOUT_RULES

    return sorted(name for name, _ in PAYOUT_RULES)


def default_params(rule: str) -> dict[str, Any]:
    """A registered rule's parameters at their defaults (what the widget shows on a switch)."""
    from netsim.platform.payouts import PAYOUT_RULES

    for name, cls in PAYOUT_RULES:
        if name == rule:
            return cls.Params().model_dump(mode="json")
    return {}


def _override(key: LectureKey, value: Any) -> str:
    if key.kind == "params":
        text = value if isinstance(value, str) else json.dumps(value)
        # Flatten YAML lines to flow style: an override is one line.
        try:
            parsed = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError:
            return f"{key.path}={text}"  # let the loader report it as the file would
        return f"{key.path}={json.dumps(parsed)}"
    return f"{key.path}={json.dumps(value)}"


def apply_values(
    source: str | Path | Mapping[str, Any], values: Mapping[str, Any]
) -> Scenario:
    """The scenario ``source`` with the widget ``values`` (key path -> value) applied.

    Validated and resolved exactly as ``netsim run FILE --set key=value ...`` would; raises
    :class:`~netsim.scenario.errors.NetsimInputError` with the same messages.
    """
    keys = {k.path: k for k in LECTURE_KEYS}
    overrides = [_override(keys[path], v) for path, v in values.items() if path in keys]
    return load_scenario(source, overrides)


def ui_message(exc: NetsimInputError) -> str:
    """The error's message, saying ``(set in the UI)`` where the command line says ``--set``."""
    return str(exc).replace(FROM_SET, " (set in the UI)")
