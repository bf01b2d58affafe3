"""The ``netsim`` command line: validate, run, sweep, plot, report, schema, docs, ui.

Part of the front door (with :mod:`netsim.api` and :mod:`netsim.docgen`): nothing in the
rooms imports it. Bad input (a :class:`~netsim.scenario.errors.NetsimInputError`) prints one
message on stderr and exits with code 2, without a traceback and without writing anything.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from netsim.cli_model import add_model_commands
from netsim.scenario.errors import NetsimInputError

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

DEFAULT_DOCS_PATH = Path("docs") / "scenarios.md"


def build_parser() -> argparse.ArgumentParser:
    """The ``netsim`` command line: one sub-command per job, each with its handler set."""
    parser = argparse.ArgumentParser(
        prog="netsim",
        description="Simulate referral networks in the labour market.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    set_help = (
        "override a scenario key, e.g. --set population.workers=500 (value read as YAML); "
        "repeatable"
    )

    p = sub.add_parser(
        "validate", help="check a scenario or experiment file (every variant) without running it"
    )
    p.add_argument("file", metavar="FILE", help="scenario or experiment YAML file")
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
        help="results folder: new, empty, or a run folder of the same scenario, which is "
        "replaced (default: results/<scenario name>/seed-<seed>/, or "
        "results/<scenario name>-<hash>/seed-<seed>/ with --set)",
    )
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help=set_help
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument(
        "--plot", action="store_true", help="also write the figures into <results folder>/plots/"
    )
    p.set_defaults(handler=_cmd_run)

    p = sub.add_parser("schema", help="print the JSON Schema of scenario files (for editors)")
    p.set_defaults(handler=_cmd_schema)

    p = sub.add_parser(
        "docs",
        help="write docs/scenarios.md, reference.md and architecture.md from the code",
    )
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
        help=f"scenario page to write or check (default: {DEFAULT_DOCS_PATH}); "
        "reference.md goes next to it",
    )
    p.set_defaults(handler=_cmd_docs)

    p = sub.add_parser(
        "sweep", help="run an experiment: variants x replications, resumable, in parallel"
    )
    p.add_argument("file", metavar="FILE", help="experiment YAML file")
    p.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="parallel runs (default: all cores)",
    )
    p.add_argument(
        "--executor",
        choices=("local", "dask", "serial"),
        default=None,
        help="local process pool (default), dask, or serial in this process",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://host:8786 (implies --executor dask)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results folder: new, empty, or this experiment's own folder, which is resumed "
        "(default: results/<experiment name>/)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="list the runs the sweep would do (and which are done) without running anything",
    )
    p.set_defaults(handler=_cmd_sweep)

    add_model_commands(sub, _positive)

    p = sub.add_parser(
        "plot", help="write the figures of a run or experiment folder into DIR/plots/ (PNG, SVG)"
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="run folder or experiment folder")
    p.set_defaults(handler=_cmd_plot)

    p = sub.add_parser(
        "report", help="write DIR/report.html: one self-contained page of figures and tables"
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="run folder or experiment folder")
    p.set_defaults(handler=_cmd_report)

    p = sub.add_parser(
        "ui", help="the lecture in the browser: run a scenario live, change the rule, compare"
    )
    p.add_argument("file", metavar="SCENARIO", nargs="?", help="scenario YAML file to open")
    p.add_argument("--port", type=_positive, default=5006, metavar="N", help="port (default 5006)")
    p.add_argument("--no-show", action="store_true", help="do not open a browser tab")
    p.add_argument(
        "--address",
        default="localhost",
        metavar="HOST",
        help="address to listen on (default localhost; 0.0.0.0 lets students' phones on the "
        "same network join the classroom)",
    )
    p.set_defaults(handler=_cmd_ui)
    return parser


def _int_at_least(minimum: int, what: str):
    """An argparse type: an integer >= ``minimum``, else a message saying ``what``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a {what} integer, got {text!r}")
        return value

    return parse


_positive = _int_at_least(1, "positive")
_seed = _int_at_least(0, "non-negative")


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
    from netsim.experiments.design import is_experiment
    from netsim.model.loading import load_scenario
    from netsim.scenario.files import read_yaml

    data = read_yaml(args.file, what="scenario, experiment or targets")
    if is_experiment(data):
        return _validate_experiment(args)
    if isinstance(data, dict) and "moments" in data and "scenario" in data:
        from netsim.experiments.calibration_spec import load_targets

        spec = load_targets(args.file)
        t = spec.targets
        print(
            f"{args.file}: ok (calibration {t.name}: {len(t.parameters)} keys, "
            f"{len(t.moments)} moments, base {spec.base_path.name})"
        )
        return EXIT_OK
    scenario = load_scenario(args.file, args.overrides)
    print(
        f"{args.file}: ok (scenario {scenario.name}, {scenario.population.workers} workers, "
        f"{scenario.companies.count} companies, {scenario.horizon_months:g} months)"
    )
    return EXIT_OK


def _validate_experiment(args: argparse.Namespace) -> int:
    """``netsim validate`` of an experiment file: the file and every variant's scenario."""
    from netsim.experiments.design import load_design

    if args.overrides:
        raise NetsimInputError(
            "--set works with scenario files; put overrides for every run of an experiment "
            "under 'overrides:' in the experiment file",
            file=args.file,
        )
    design = load_design(args.file)
    distinct = len({r.run_id for r in design.runs})
    print(
        f"{args.file}: ok (experiment {design.name}, {len(design.variants)} variants x "
        f"{design.experiment.replications} replications = {len(design.runs)} runs"
        + (f", {distinct} distinct" if distinct != len(design.runs) else "")
        + f"; base {design.base_path.name})"
    )
    return EXIT_OK


def _print_plan(design, out: Path) -> int:
    """``netsim sweep --dry-run``: one line per run, then the totals; writes nothing."""
    from netsim.experiments.design import plan
    from netsim.output.folders import check_experiment_dir

    # The same folder check as the sweep itself (reads only), so a plan is never shown
    # for a folder the sweep would refuse.
    check_experiment_dir(out, design.name)
    rows = plan(design, out)
    print(f"{'run id':<12}  {'action':<9}  {'rep':>3}  {'seed':>10}  variant")
    for row in rows:
        s = row.spec
        print(f"{s.run_id:<12}  {row.action:<9}  {s.replication:>3}  {s.seed:>10}  {s.label}")
    counts = {a: sum(r.action == a for r in rows) for a in ("run", "done", "duplicate")}
    print(
        f"sweep {design.name}: {len(rows)} runs: {counts['run']} to run, {counts['done']} "
        f"already done in {out}, {counts['duplicate']} duplicates of another run (run once)"
    )
    return EXIT_OK


def _report_interrupted_sweep(design, out: Path) -> None:
    """Say how many runs an interrupted sweep kept, and how to resume it."""
    from netsim.experiments.design import plan

    rows = plan(design, out) if out.is_dir() else []
    distinct = [r for r in rows if r.action != "duplicate"]
    done = sum(r.action == "done" for r in distinct)
    print(
        f"netsim: interrupted; {done} of {len(distinct)} distinct runs are finished and kept "
        f"in {out}; run the same command again to resume",
        file=sys.stderr,
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from netsim.model.loading import load_scenario

    scenario = load_scenario(args.file, args.overrides)  # bad input stops here: nothing written

    from netsim import api
    from netsim.output.console import print_summary

    seed = scenario.seed if args.seed is None else args.seed
    out = args.out
    if out is None:
        # A run with overrides gets its own folder, so it never replaces the plain run.
        plain = load_scenario(args.file) if args.overrides else None
        out = api.default_run_dir(scenario, seed, plain=plain)
    # The overrides are already applied (and graph paths resolved next to the scenario
    # file), so the resolved scenario is passed on as it is. api.run checks ``out`` before
    # running: a folder netsim did not write is refused (exit 2) and left untouched.
    result = api.run(scenario, seed=seed, out=out, progress=not args.quiet)
    print_summary(result)
    if args.plot:
        from netsim import viz  # matplotlib is imported only by the figure commands

        written = viz.save_figures(viz.run_figures(result), Path(out) / "plots")
        print(f"wrote {len(written)} figure files to {Path(out) / 'plots'}")
    return EXIT_OK


def _plot_target(path: Path, writes: str = "plots") -> str | None:
    """Why ``path`` cannot be plotted (``writes`` = ``"plots"``) or reported (``"report.html"``),
    or None if it is a run or experiment folder where that can be written.

    Checked before the figures are drawn: a ``plots`` file or a read-only folder ended in a
    traceback after the work was done.
    """
    if not ((path / "runs.parquet").is_file() or (path / "manifest.json").is_file()):
        return (
            f"{path}: not a netsim run folder (manifest.json) or experiment folder (runs.parquet)"
        )
    target = path / writes
    if writes == "plots" and (target.is_symlink() or (target.exists() and not target.is_dir())):
        return f"{target}: is not a folder; netsim writes its figures into a plots/ folder here"
    folder = target if writes == "plots" and target.is_dir() else path
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder}: cannot be written (no permission); nothing was written"
    return None


def _cmd_plot(args: argparse.Namespace) -> int:
    problem = _plot_target(args.dir)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    from netsim import viz

    written = viz.plot_dir(args.dir)
    print(f"wrote {len(written)} figure files to {args.dir / 'plots'}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    problem = _plot_target(args.dir, "report.html")
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    from netsim.viz import write_report

    print(f"wrote {write_report(args.dir)}")
    return EXIT_OK


def _cmd_sweep(args: argparse.Namespace) -> int:
    import time

    from netsim.experiments.design import load_design

    design = load_design(args.file)  # bad input stops here: nothing written
    if args.dry_run:
        return _print_plan(design, args.out or Path("results") / design.name)
    executor = args.executor or ("dask" if args.scheduler else "local")

    from netsim.experiments.sweep import sweep

    start = time.perf_counter()
    try:
        result = sweep(
            design,
            workers=args.workers,
            executor=executor,
            scheduler=args.scheduler,
            out=args.out,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        _report_interrupted_sweep(design, args.out or Path("results") / design.name)
        return EXIT_INTERRUPTED
    wall = time.perf_counter() - start
    ok = int((result.runs["status"] == "ok").sum()) if len(result.runs) else 0
    print(
        f"sweep {design.name}: {ok}/{len(design.runs)} runs ok "
        f"({len(result.executed)} run now, {len(result.skipped)} resumed, "
        f"{len(result.failed)} failed) in {wall:.1f} s"
    )
    distinct = len({spec.run_id for spec in design.runs})
    if distinct < len(design.runs):  # e.g. Morris trajectories that share a point
        print(
            f"  {len(design.runs) - distinct} duplicate design points (same parameters and "
            f"seed) are run once: {len(design.runs)} points, {distinct} distinct runs"
        )
    print(f"results: {result.path}")
    if result.failed:
        print(f"failed runs: see {result.path / 'failures'}", file=sys.stderr)
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _cmd_ui(args: argparse.Namespace) -> int:
    try:  # imported here: Panel is an extra, and `netsim --help` must stay fast
        from netsim.ui.app import serve
    except ImportError as exc:
        print(
            f"netsim ui needs the 'ui' extra ({exc.name} is missing): pip install 'netsim[ui]'",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.port > 65535:
        print(f"netsim ui: --port must be at most 65535, got {args.port}", file=sys.stderr)
        return EXIT_BAD_INPUT
    serve(args.file, args.port, show=not args.no_show, address=args.address)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def scenario_json_schema() -> dict:
    """JSON Schema of scenario files, as editors (yaml-language-server) expect it."""
    from netsim.scenario.schema import Scenario

    schema = Scenario.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def _cmd_docs(args: argparse.Namespace) -> int:
    from netsim.docgen import write_all

    failed = False
    for path, state in write_all(args.check, args.path):
        if state == "wrote":
            print(f"wrote {path}")
        elif state == "up to date":
            print(f"{path}: up to date")
        else:
            failed = True
            print(f"{path}: {state}; run `netsim docs` to regenerate it", file=sys.stderr)
    return EXIT_CHECK_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
