"""``netsim calibrate``'s whole job: check the folder, fit, write (see :mod:`.calibration`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from netsim.experiments.calibration import (
    CalibrationResult,
    check_calibration_dir,
    write_calibration,
)
from netsim.experiments.calibration import calibrate as fit
from netsim.experiments.calibration_spec import load_targets
from netsim.experiments.executors import atomic_write

__all__ = ["run_calibration", "calibrate"]


def run_calibration(
    targets: str | Path,
    out: str | Path | None = None,
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
) -> CalibrationResult:
    """Validate ``targets``, fit in ``out`` (default ``results/calibration-<name>``), write.

    Bad input (the targets file, its base scenario, the folder) raises
    :class:`~netsim.scenario.errors.NetsimInputError` before anything is run or written;
    an interrupted fit resumes when called again with the same folder.
    """
    spec = load_targets(targets)
    name = spec.targets.name
    root = check_calibration_dir(out or Path("results") / f"calibration-{name}", name)
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "manifest.json").is_file():
        # Marks the folder as this calibration's, so that a second call resumes in it.
        atomic_write(root / "manifest.json", json.dumps({"calibration": name}) + "\n")

    def say(msg: str) -> None:
        if not quiet:
            print(f"calibrate {name}: {msg}", file=sys.stderr)

    result = fit(spec, root, executor=executor, workers=workers, scheduler=scheduler, progress=say)
    write_calibration(result, spec, root)
    return result


#: The public name: ``netsim.calibrate("calibration/it_market.yaml")``.
calibrate = run_calibration
