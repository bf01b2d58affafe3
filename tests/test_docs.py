"""The generated and hand-written docs keep up with the code.

CI fails when a registered payout rule, referrer strategy or graph generator lacks a
description or docstring, is missing from docs/reference.md or docs/ODD.md, when
docs/reference.md is stale, or when README.md does not mention a CLI subcommand.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from netsim.cli import build_parser
from netsim.docgen import reference_markdown
from netsim.graphs import GRAPH_GENERATORS
from netsim.payouts import PAYOUT_RULES
from netsim.platform import STRATEGIES

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

PLUGINS = [
    *(("payout rule", name, cls) for name, cls in PAYOUT_RULES),
    *(("strategy", name, cls) for name, cls in STRATEGIES),
    *(("graph generator", name, cls) for name, cls in GRAPH_GENERATORS),
]
IDS = [f"{kind}:{name}" for kind, name, _ in PLUGINS]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_reference_doc_is_current():
    committed = _read(DOCS / "reference.md")
    assert committed == reference_markdown(), "run `netsim docs` to regenerate docs/reference.md"


def test_reference_generation_is_deterministic():
    assert reference_markdown() == reference_markdown()


def test_registries_are_not_empty():
    assert len(list(PAYOUT_RULES)) >= 7
    assert len(list(STRATEGIES)) >= 4
    assert len(list(GRAPH_GENERATORS)) >= 6


@pytest.mark.parametrize(("kind", "name", "cls"), PLUGINS, ids=IDS)
def test_plugin_is_documented_in_code(kind, name, cls):
    description = getattr(cls, "description", "")
    assert isinstance(description, str) and description.strip(), f"{kind} {name}: no description"
    # The class's own docstring, not one inherited from the base class.
    doc = cls.__dict__.get("__doc__")
    assert doc and doc.strip(), f"{kind} {name}: class {cls.__name__} has no docstring"


@pytest.mark.parametrize(("kind", "name", "cls"), PLUGINS, ids=IDS)
def test_plugin_is_in_reference(kind, name, cls):
    text = _read(DOCS / "reference.md")
    assert f"### `{name}`" in text, f"{kind} {name} missing from docs/reference.md"
    assert " ".join(cls.description.split()) in text


@pytest.mark.parametrize(("kind", "name", "cls"), PLUGINS, ids=IDS)
def test_plugin_is_in_odd(kind, name, cls):
    text = _read(DOCS / "ODD.md")
    assert f"`{name}`" in text, f"{kind} {name} is not described in docs/ODD.md"


def test_reference_lists_rule_properties_and_params():
    text = reference_markdown()
    for name, cls in PAYOUT_RULES:
        section = text.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        for prop in ("pays at hire", "vesting months", "sybil proof", "clawback months"):
            assert f"| {prop} |" in section, (name, prop)
        bound = cls().budget_bound(5000.0)
        assert "budget bound" in section and "at salary 5000" in section
        assert f"`{bound:g}`" in section, (name, bound)
        for key in cls.Params.model_fields:
            assert f"| `{key}` |" in section, (name, key)


def test_odd_no_longer_says_platform_is_unmodelled():
    text = _read(DOCS / "ODD.md").lower()
    assert "not implemented yet" not in text
    assert "referral platform**:" not in text  # the old "Not yet modelled" bullet


def _subcommands() -> list[str]:
    parser = build_parser()
    names: list[str] = []
    for action in parser._actions:  # argparse keeps subparsers here; no public accessor
        if isinstance(action, argparse._SubParsersAction):
            names.extend(action.choices)
    return names


def test_cli_has_subcommands():
    assert {"run", "validate", "schema", "docs"} <= set(_subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_readme_mentions_every_subcommand(command):
    readme = _read(REPO / "README.md")
    assert re.search(rf"\bnetsim {re.escape(command)}\b", readme), (
        f"README.md does not mention `netsim {command}`"
    )
