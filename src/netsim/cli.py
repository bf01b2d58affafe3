"""The ``netsim`` command line: validate, run, schema, docs.

Bad input (a :class:`~netsim.errors.NetsimInputError`) prints one message on stderr and exits
with code 2, without a traceback and without writing anything. Any other exception is a bug
and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from netsim.errors import NetsimInputError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

DEFAULT_DOCS_PATH = Path("docs") / "scenarios.md"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsim",
        description="Simulate referral networks in the labour market.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    set_help = (
        "override a scenario key, e.g. --set population.workers=500 (value read as YAML); "
        "repeatable"
    )

    p = sub.add_parser("validate", help="check a scenario file without running it")
    p.add_argument("file", metavar="FILE", help="scenario YAML file")
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=set_help
    )
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("run", help="run one scenario and write its results folder")
    p.add_argument("file", metavar="FILE", help="scenario YAML file")
    p.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="N",
        help="seed of the run (default: the scenario's seed)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results folder (default: results/<scenario name>/seed-<seed>/)",
    )
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=set_help
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editors)")
    p.set_defaults(handler=_cmd_schema)

    p = sub.add_parser("docs", help="write docs/scenarios.md from the schema")
    p.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the file is missing or out of date",
    )
    p.add_argument(
        "--path",
        type=Path,
        default=DEFAULT_DOCS_PATH,
        metavar="FILE",
        help=f"page to write or check (default: {DEFAULT_DOCS_PATH})",
    )
    p.set_defaults(handler=_cmd_docs)
    return parser


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        return args.handler(args)
    except NetsimInputError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("netsim: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


# --------------------------------------------------------------------------- commands


def _cmd_validate(args: argparse.Namespace) -> int:
    from netsim.config import load_scenario

    scenario = load_scenario(args.file, args.overrides)
    print(
        f"{args.file}: ok (scenario {scenario.name}, {scenario.population.workers} workers, "
        f"{scenario.companies.count} companies, {scenario.horizon_months:g} months)"
    )
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from netsim.config import load_scenario

    scenario = load_scenario(args.file, args.overrides)  # bad input stops here: nothing written

    from netsim import api
    from netsim.console import print_summary

    seed = scenario.seed if args.seed is None else args.seed
    out = args.out if args.out is not None else api.default_run_dir(scenario, seed)
    # The overrides are already applied (and graph paths resolved next to the scenario
    # file), so the resolved scenario is passed on as it is.
    result = api.run(scenario, seed=seed, out=out, progress=not args.quiet)
    print_summary(result)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def scenario_json_schema() -> dict:
    """JSON Schema of scenario files, as editors (yaml-language-server) expect it."""
    from netsim.scenario import Scenario

    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def _cmd_docs(args: argparse.Namespace) -> int:
    from netsim.docgen import scenario_reference_markdown

    text = scenario_reference_markdown()
    path: Path = args.path
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            print(f"{path}: up to date")
            return EXIT_OK
        state = "missing" if current is None else "out of date"
        print(f"{path}: {state}; run `netsim docs` to regenerate it", file=sys.stderr)
        return EXIT_CHECK_FAILED
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
