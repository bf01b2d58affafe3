"""Small runs of every shipped scenario, made once per test session and shared.

The figure tests (test_plots) and the report tests (test_report) both need every scenario in
``scenarios/`` and ``scenarios/rules/`` at a small size, in memory and loaded back from its
run folder; running each once keeps the suite fast.
"""

from __future__ import annotations

from pathlib import Path

import netsim
from netsim.model.loading import load_scenario

ROOT = Path(__file__).resolve().parents[1]
#: Every shipped scenario file.
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "rules").glob("*.yaml")
)
#: Small sizes: about 300 workers, 15 companies, 18 months.
SMALL = ["population.workers=300", "companies.count=15", "horizon_months=18"]

_CACHE: dict = {}


def name(path: Path) -> str:
    """Test id of a scenario file: its path under scenarios/ without suffix."""
    return str(path.relative_to(ROOT / "scenarios").with_suffix(""))


def shipped_run(path: Path, overrides: tuple[str, ...], tmp_path_factory) -> dict:
    """``{"memory": RunResult, "disk": RunResult}`` of ``path`` at small size (seed 2).

    ``disk`` is ``netsim.load`` of the run folder the in-memory run wrote.
    """
    key = (path, overrides)
    if key not in _CACHE:
        sc = load_scenario(path, [*SMALL, *overrides])
        out = tmp_path_factory.mktemp("runs") / f"{path.stem}-{len(_CACHE)}"
        memory = netsim.run(sc, seed=2, out=out)
        _CACHE[key] = {"memory": memory, "disk": netsim.load(out)}
    return _CACHE[key]
