"""A seeded mutation fuzzer over every shipped scenario and experiment file.

Each mutant is a shipped file with one to three mutations (a misspelt, moved or deleted key, a
wrong type, NaN, inf, a huge, negative or zero number, deep nesting or aliases of aliases, a
list where a mapping belongs) or a whole-document mutation (empty document, only a comment,
a duplicated key).
For every mutant ``netsim validate`` (in-process, :func:`netsim.cli.main`) must exit 0 or 2,
print no traceback, name the file on every line of its message, and write nothing; a seeded
subset of scenario mutants that validate is also run with tiny sizes forced (``--set``), and
a subset of experiment mutants goes through ``netsim sweep --dry-run``.

Mutant ``i`` is drawn from ``numpy.random.default_rng([NETSIM_FUZZ_SEED, i])``, so any failure
is reproducible on its own. ``NETSIM_FUZZ_MUTANTS`` (default 300) sets how many are drawn.
A failure prints the mutant's file, its mutations and its YAML.
"""

from __future__ import annotations

import math
import os
import shutil
import traceback
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from netsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
N_MUTANTS = int(os.environ.get("NETSIM_FUZZ_MUTANTS", "300"))
FUZZ_SEED = int(os.environ.get("NETSIM_FUZZ_SEED", "0"))
#: Share of the accepted mutants also run (scenarios, tiny sizes) or dry-run swept
#: (experiments).
RUN_SHARE = 0.5
#: Sizes forced on the runs, so that a run takes a fraction of a second.
TINY = [
    "horizon_months=2",
    "population.workers=40",
    "companies.count=4",
    "outputs.network_stats_sample=20",
]

SOURCES = sorted(
    [
        *(ROOT / "scenarios").glob("*.yaml"),
        *(ROOT / "scenarios" / "rules").glob("*.yaml"),
        *(ROOT / "experiments").glob("*.yaml"),
    ]
)
WRONG_TYPES: list[Any] = [
    "text",
    "12",
    "1e3",
    "a\x00b",
    "../nowhere",
    True,
    False,
    None,
    [1, 2],
    {"x": 1},
    3.5,
    7,
    "",
]
SPECIAL_NUMBERS: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    1e300,
    -1e300,
    10**30,
    2**63,
    -1,
    -1e9,
    0,
    0.0,
    1e-300,
]
DEEP = "__netsim_fuzz_deep__"


def test_fuzzer_covers_every_shipped_file():
    names = {p.relative_to(ROOT).as_posix() for p in SOURCES}
    assert "scenarios/baseline.yaml" in names and "experiments/payout_rules.yaml" in names
    assert len(names) >= 10


# --------------------------------------------------------------------------- mutations


def _slots(node: Any, path: tuple = ()) -> list[tuple[Any, Any, tuple]]:
    """Every (container, key or index, key path) in ``node``, depth first."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        out.append((node, key, (*path, key)))
        if isinstance(value, dict | list):
            out += _slots(value, (*path, key))
    return out


def _pick(rng: np.random.Generator, seq: list) -> Any:
    return seq[int(rng.integers(len(seq)))]


def _misspell(word: str, rng: np.random.Generator) -> str:
    word = str(word)
    i = int(rng.integers(max(len(word), 1)))
    kind = int(rng.integers(4))
    if kind == 0 and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if kind == 1 and len(word) > 1:
        i = min(i, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + _pick(rng, list("aeiouxz_")) + word[i:]
    return word.upper() if word != word.upper() else word + "s"


def _mutate_once(data: Any, rng: np.random.Generator) -> tuple[Any, str]:
    """Apply one mutation to ``data`` (in place where possible); returns (data, what)."""
    slots = _slots(data) if isinstance(data, dict | list) else []
    kind = _pick(
        rng, ["misspell", "move", "delete", "wrong_type", "number", "list_for_map", "deep"]
    )
    if not slots:
        return data, "nothing to mutate"
    numeric = [s for s in slots if type(_get(data, s[2])) in (int, float)]
    parent, key, path = _pick(rng, numeric if kind == "number" and numeric else slots)
    where = ".".join(map(str, path))
    if kind == "misspell" and isinstance(parent, dict):
        new = _misspell(key, rng)
        parent[new] = parent.pop(key)
        return data, f"misspelt {where} as {new!r}"
    if kind == "move" and isinstance(parent, dict):
        targets = [v for _, _, p in slots for v in [_get(data, p)] if isinstance(v, dict)]
        target = _pick(rng, [data, *targets]) if isinstance(data, dict) else parent
        if target is not parent and key not in target:
            target[key] = parent.pop(key)
            return data, f"moved {where}"
    if kind == "delete":
        parent.pop(key) if isinstance(parent, dict) else parent.pop(key)
        return data, f"deleted {where}"
    if kind == "wrong_type":
        parent[key] = _pick(rng, WRONG_TYPES)
        return data, f"{where} = {parent[key]!r}"
    if kind == "list_for_map":
        maps = [(p, k, q) for p, k, q in slots if isinstance(_get(data, q), dict)]
        if not maps:
            return [data], "top level inside a list"
        parent, key, path = _pick(rng, maps)
        value = parent[key]
        parent[key] = [value] if rng.random() < 0.5 else [{k: v} for k, v in value.items()]
        return data, f"{'.'.join(map(str, path))} became a list"
    if kind == "deep":
        parent[key] = DEEP
        return data, f"{where} nested deeply"
    parent[key] = _pick(rng, SPECIAL_NUMBERS)
    return data, f"{where} = {parent[key]!r}"


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def make_mutant(index: int) -> tuple[Path, str, str]:
    """(source file, mutant YAML text, description of the mutations) of mutant ``index``."""
    rng = np.random.default_rng([FUZZ_SEED, index])
    source = _pick(rng, SOURCES)
    text = source.read_text(encoding="utf-8")
    if rng.random() < 0.06:
        whole = _pick(rng, ["", "---\n", "# only a comment\n", "~\n", "[]\n", "- a\n- b\n"])
        return source, whole, f"whole document replaced by {whole!r}"
    if rng.random() < 0.03:
        first = text.splitlines()
        key_line = next(line for line in first if line and line[0].isalpha())
        return source, text + key_line + "\n", f"duplicated top-level line {key_line!r}"
    data: Any = yaml.safe_load(text)
    what = []
    for _ in range(1 if rng.random() < 0.6 else int(rng.integers(2, 4))):
        data, did = _mutate_once(data, rng)
        what.append(did)
    out = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if DEEP in out:
        out = out.replace(DEEP, _deep_value(rng), 1)
    return source, out, "; ".join(what)


def _deep_value(rng: np.random.Generator) -> str:
    """A flow-style YAML value nested 10, 60 or 5,000 levels deep, or aliases of aliases
    that expand to billions of values (one line, so it can stand anywhere)."""
    kind = int(rng.integers(3))
    depth = int(_pick(rng, [10, 60, 5000]))
    if kind == 0:
        return "[" * depth + "1" + "]" * depth
    if kind == 1:
        return "{a: " * depth + "1" + "}" * depth
    levels = [f"&l0 [{', '.join(['x'] * 10)}]"]
    levels += [f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "[" + ", ".join(levels) + "]"


# --------------------------------------------------------------------------- the fuzz test


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A copy of the shipped scenarios and experiments, so experiments find their base."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "experiments", root / "experiments")
    return root


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def _call(argv: list[str], capsys) -> tuple[int | None, str, str]:
    """Exit code, stdout, stderr of ``netsim argv`` in this process (code None: it raised)."""
    try:
        code = main(argv)
    except BaseException:  # noqa: BLE001 - a crash is exactly what the fuzzer looks for
        captured = capsys.readouterr()
        return None, captured.out, captured.err + traceback.format_exc()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _check(code, out: str, err: str, path: Path, what: str) -> list[str]:
    """Problems with one command's outcome (empty if it behaved)."""
    problems = []
    if code not in (0, 2):
        problems.append(f"{what}: exit code {code}")
    if "Traceback" in out + err:
        problems.append(f"{what}: traceback printed")
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        if not lines or not all(line.startswith(f"{path}: ") for line in lines):
            problems.append(f"{what}: message does not name {path} on every line")
    return problems


@pytest.mark.parametrize("index", range(N_MUTANTS))
def test_mutant_is_accepted_or_rejected_cleanly(index, workspace, tmp_path, capsys):
    source, text, mutations = make_mutant(index)
    folder = workspace / source.relative_to(ROOT).parent
    path = folder / f"fuzz-{index}.yaml"
    path.write_text(text, encoding="utf-8")
    rng = np.random.default_rng([FUZZ_SEED, index, 1])
    try:
        before = _files(workspace)
        code, out, err = _call(["validate", str(path)], capsys)
        problems = _check(code, out, err, path, "validate")
        if _files(workspace) != before:
            problems.append("validate wrote files")
        is_experiment = source.parent.name == "experiments"
        if code == 0 and rng.random() < RUN_SHARE:
            out_dir = tmp_path / "out"
            argv = ["sweep", str(path), "--dry-run", "--out", str(out_dir)]
            if not is_experiment:
                argv = ["run", str(path), "-q", "--out", str(out_dir)]
                argv += [arg for kv in TINY for arg in ("--set", kv)]
            code, out, err = _call(argv, capsys)
            problems += _check(code, out, err, path, argv[0])
            if (code != 0 or is_experiment) and out_dir.exists():
                problems.append(f"{argv[0]} wrote {out_dir} although it did not run")
        assert not problems, (
            f"mutant {index} (NETSIM_FUZZ_SEED={FUZZ_SEED}) of {source.relative_to(ROOT)}: "
            f"{mutations}\n" + "\n".join(problems) + f"\n--- stderr:\n{err[-3000:]}"
            f"\n--- mutant YAML:\n{text[:4000]}"
        )
    finally:
        path.unlink()
