"""Cheap start: ``import netsim``, the command line and ``netsim validate`` load no heavy library.

``netsim --help`` and ``netsim validate`` used to take a second because every command
imported pandas, scipy and matplotlib. These checks fail as soon as someone adds an eager
import of a heavy library on those paths (a module list, not a timing, so they are stable).
Each runs in a fresh interpreter: this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "matplotlib", "scipy", "dask", "distributed", "SALib", "pyarrow")
# Also not needed before a simulation runs (validation builds no graph and no table).
NOT_FOR_VALIDATE = (*HEAVY, "networkx", "simpy")


def loaded_after(code: str) -> set[str]:
    """Top-level packages loaded in a fresh interpreter after running ``code``."""
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_import_netsim_and_its_cli_load_no_heavy_library():
    loaded = loaded_after("import netsim\nimport netsim.cli")
    assert not loaded & {*HEAVY, "numpy", "networkx"}, sorted(loaded & {*HEAVY, "numpy"})


def test_help_loads_no_heavy_library():
    loaded = loaded_after(
        "from netsim.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0"
    )
    assert not loaded & {*HEAVY, "numpy"}, sorted(loaded & {*HEAVY, "numpy"})


# Scenario files only: validating an experiment runs one tiny simulation to list its metrics.
@pytest.mark.parametrize("file", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_validate_loads_no_heavy_library(file):
    loaded = loaded_after(
        "from netsim.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['validate', 'scenarios/{file}']) == 0"
    )
    assert not loaded & set(NOT_FOR_VALIDATE), sorted(loaded & set(NOT_FOR_VALIDATE))


def test_lazy_public_names_still_work():
    """The names ``import netsim`` offers load on first use and are the real objects."""
    code = (
        "import netsim, sys\n"
        "from netsim.experiments.sweep import ExperimentResult, load_experiment, sweep\n"
        "assert netsim.sweep is sweep and netsim.load_experiment is load_experiment\n"
        "assert netsim.ExperimentResult is ExperimentResult\n"
        "from netsim.api import run, load\n"
        "from netsim.model.run import simulate\n"
        "assert (netsim.run, netsim.load, netsim.simulate) == (run, load, simulate)\n"
        "from netsim.model.loading import load_scenario\n"
        "from netsim.scenario import Scenario\n"
        "from netsim.output.results import RunResult\n"
        "assert netsim.load_scenario is load_scenario and netsim.Scenario is Scenario\n"
        "assert netsim.RunResult is RunResult\n"
        "assert isinstance(netsim.__version__, str)\n"
        "assert set(netsim.__all__) <= set(dir(netsim))\n"
        "try:\n    netsim.no_such_name\nexcept AttributeError:\n    pass\n"
        "else:\n    raise SystemExit('no AttributeError')\n"
    )
    loaded_after(code)  # check=True: any failed assertion fails the test
