"""Golden summary: a fixed small run must reproduce the committed summary exactly.

The run is ``small_scenario()`` (tests/conftest.py) with seed 7; its summary is stored in
``tests/golden/small_seed7.json``. Integers must match exactly and floats to a relative
tolerance of 1e-9 (NaN matches NaN). A change here means the dynamics changed: if that is
intended, regenerate the file and commit it with the change::

    NETSIM_UPDATE_GOLDEN=1 pytest tests/test_golden.py

With ``NETSIM_UPDATE_GOLDEN=1`` the test rewrites the file instead of comparing (and is
skipped, so a regeneration never passes silently as a check).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from conftest import small_scenario
from netsim.model.run import simulate

GOLDEN = Path(__file__).parent / "golden" / "small_seed7.json"
SEED = 7
REL_TOL = 1e-9


def current_summary() -> dict:
    return simulate(small_scenario(), SEED).summary


def test_summary_matches_golden():
    summary = current_summary()
    if os.environ.get("NETSIM_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(summary, indent=2, sort_keys=True, allow_nan=True) + "\n")
        pytest.skip(f"rewrote {GOLDEN}")
    golden = json.loads(GOLDEN.read_text())
    assert sorted(summary) == sorted(golden), "summary keys changed"
    mismatches = {}
    for key, want in golden.items():
        got = summary[key]
        if isinstance(want, bool) or isinstance(want, int) and isinstance(got, int):
            ok = got == want
        elif isinstance(want, int | float) and isinstance(got, int | float):
            want, got = float(want), float(got)
            ok = (math.isnan(want) and math.isnan(got)) or math.isclose(
                got, want, rel_tol=REL_TOL, abs_tol=0.0
            )
        else:
            ok = got == want
        if not ok:
            mismatches[key] = (want, got)
    assert not mismatches, f"summary differs from {GOLDEN.name} (golden, now): {mismatches}"


def test_golden_types():
    """Counts are stored as JSON integers (compared exactly), rates as floats."""
    golden = json.loads(GOLDEN.read_text())
    counts = ("seed", "workers", "companies", "engine_events", "logged_events", "employed_final")
    for key in (*counts, "hires_external"):
        assert isinstance(golden[key], int), key
    assert golden["seed"] == SEED
    assert isinstance(golden["unemployment_rate_final"], float)
