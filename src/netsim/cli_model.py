"""``netsim calibrate`` and ``netsim check-model``: the commands that fit and check the model.

Kept apart from :mod:`netsim.cli` (which adds them to its parser) so that each front-door
module stays small. Imports are lazy: ``netsim --help`` loads none of the engine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0


def add_model_commands(sub, positive) -> None:
    """Add ``calibrate`` and ``check-model`` to the sub-command parsers ``sub``."""
    p = sub.add_parser(
        "calibrate",
        help="fit scenario keys to target moments (method of simulated moments), resumable",
    )
    p.add_argument("file", metavar="TARGETS", help="targets YAML file (see calibration/)")
    p.add_argument("--workers", type=positive, default=None, metavar="N", help="parallel runs")
    p.add_argument(
        "--executor",
        choices=("local", "dask", "serial"),
        default=None,
        help="local process pool (default), dask, or serial in this process",
    )
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="dask scheduler address")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="results folder: new, empty, or this calibration's own folder, which is resumed "
        "(default: results/calibration-<name>/)",
    )
    p.set_defaults(handler=cmd_calibrate)

    p = sub.add_parser("check-model", help="run every model check and write docs/validation.md")
    p.add_argument("--quick", action="store_true", help="small runs, wider tolerances (CI)")
    p.add_argument("--strict", action="store_true", help="missed facts fail the command too")
    p.add_argument("--out", type=Path, default=Path("docs/validation.md"), metavar="FILE")
    p.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                   help="checkout with scenarios/ and calibration/ (default: .)")  # fmt: skip
    p.set_defaults(handler=cmd_check_model)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """``netsim calibrate FILE``: fit the parameters a calibration file names to its target
    moments, write fitted.yaml, moments.csv and fit.png, and print the fit."""
    from netsim.experiments.calibration_run import run_calibration

    executor = args.executor or ("dask" if args.scheduler else "local")
    result = run_calibration(
        args.file, args.out, executor=executor, workers=args.workers, scheduler=args.scheduler
    )
    from netsim.viz.calibration_plots import calibration_figure

    fig = calibration_figure(result.moments, result.evaluations)
    fig.savefig(result.path / "fit.png", dpi=120, bbox_inches="tight")
    print(result.moments[["moment", "target", "achieved", "ci95_low", "ci95_high"]].to_string(
        index=False, float_format=lambda v: f"{v:.4g}"))  # fmt: skip
    print("fitted: " + ", ".join(f"{k}={v:.6g}" for k, v in result.fitted.items()))
    print(f"results written to {result.path} (fitted.yaml, moments.csv, fit.png)")
    return EXIT_OK


def cmd_check_model(args: argparse.Namespace) -> int:
    """``netsim check-model``: run the theory, docking and fact checks, write the validation
    page; exit 1 if a theory or docking check fails (a fact check too with ``--strict``)."""
    from netsim.experiments.executors import atomic_write
    from netsim.experiments.validation import check_model, validation_page

    table = check_model(quick=args.quick, root=args.root)
    atomic_write(args.out, validation_page(table, args.quick))
    must = table if args.strict else table[table["kind"] != "fact"]
    failed = table[~table["passed"]]
    for r in failed.itertuples():
        print(f"{r.kind} {r.check}: {r.quantity} = {r.value:.4g}, reference {r.reference:.4g} "
              f"+- {r.tolerance:.3g}: FAIL", file=sys.stderr)  # fmt: skip
    print(f"{int(table['passed'].sum())} of {len(table)} checks pass; wrote {args.out}")
    return EXIT_OK if bool(must["passed"].all()) else 1
