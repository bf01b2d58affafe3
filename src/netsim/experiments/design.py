"""Experiment files: many runs of one base scenario, and the design that lists them.

An experiment file (YAML) names a base scenario, overrides applied to every run, a set of
variants (``grid``, ``zip``, ``list`` or ``sample``), a number of replications and an
experiment seed. :func:`load_design` validates the file (and every variant's resolved
scenario, so a misspelt override fails before any run) and returns an
:class:`ExperimentDesign`: the variants, their resolved scenarios, and one :class:`RunSpec`
per (variant, replication) with its seed and run id. Nothing here runs a simulation except
one tiny run (cached) that lists the summary metrics. Execution is in
:mod:`netsim.experiments.sweep`.

Seeds are derived here, in the parent, from the experiment seed with
:class:`numpy.random.SeedSequence`: with common random numbers replication ``i`` uses the
same seed in every variant; without, every (variant, replication) gets its own child.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError, model_validator

from netsim.experiments.messages import experiment_issues
from netsim.experiments.variants import (
    MAX_DESIGN_POINTS,
    ExperimentModel,
    ParameterRange,
    Sample,
    Variants,
    count_points,
    origin,
    overrides_map,
    points,
)
from netsim.model.loading import load_scenario
from netsim.scenario.errors import Issue, NetsimInputError, unknown_name_problem
from netsim.scenario.files import copy_data, read_yaml
from netsim.scenario.schema import Scenario

__all__ = [
    "MAX_DESIGN_POINTS",
    "Experiment",
    "ExperimentDesign",
    "ParameterRange",
    "RunSpec",
    "Sample",
    "Variant",
    "Variants",
    "available_metrics",
    "derive_seeds",
    "load_design",
    "run_id",
]

#: Most replications per variant, and most runs (variants x replications) per experiment.
MAX_REPLICATIONS = 10_000
MAX_RUNS = 1_000_000

#: Summary keys that describe the run rather than measure it (not aggregated by default).
DESCRIPTIVE_KEYS = ("seed", "horizon_months", "workers", "companies")


# --------------------------------------------------------------------------- schema


class Experiment(ExperimentModel):
    """An experiment: a base scenario, variants, replications, seeds and metrics."""

    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        max_length=100,  # a folder name, with room for netsim's hidden temporary names
        description="Name; also the results folder results/<name>/.",
    )
    description: str = Field("", description="What the experiment shows.")
    base: str = Field(description="Base scenario file, relative to the experiment file.")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="Dotted key -> value applied to every run."
    )
    variants: Variants | None = Field(None, description="The variants (default: the base only).")
    replications: int = Field(
        1, ge=1, le=MAX_REPLICATIONS, description="Runs per variant, each with its own seed."
    )
    seed: int = Field(
        0, ge=0, le=2**63 - 1, description="Experiment seed; every run seed derives from it."
    )
    metrics: list[str] | None = Field(
        None, description="Summary keys to aggregate (default: every measured key)."
    )
    save_events: bool = Field(False, description="Write each run's events.parquet.")
    common_random_numbers: bool = Field(
        True, description="Replication i uses the same seed in every variant."
    )

    @model_validator(mode="after")
    def _not_too_many(self) -> Experiment:
        n = count_points(self.variants)
        if n > MAX_DESIGN_POINTS:
            raise ValueError(f"variants list {n} design points; at most {MAX_DESIGN_POINTS}")
        if n * self.replications > MAX_RUNS:
            raise ValueError(
                f"{n} variants x {self.replications} replications = {n * self.replications} "
                f"runs; at most {MAX_RUNS}"
            )
        return self


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class Variant:
    """One point of the design: its index, label, varied values and resolved scenario."""

    index: int
    label: str
    params: dict[str, Any]
    scenario: Scenario


@dataclass(frozen=True)
class RunSpec:
    """One run: a variant's scenario with one seed; ``run_id`` names its folder."""

    run_id: str
    variant: int
    label: str
    replication: int
    seed: int
    scenario: Scenario
    params: dict[str, Any]


@dataclass
class ExperimentDesign:
    """A validated experiment: its variants and runs, ready for :func:`netsim.sweep.sweep`."""

    experiment: Experiment
    file: str | None
    base_path: Path
    variants: list[Variant]
    runs: list[RunSpec]
    metrics: list[str]
    varied: list[str]
    #: For sampled designs: the SALib problem and the unrounded sample matrix.
    problem: dict[str, Any] | None = None
    sample_matrix: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The experiment's name (its ``name`` key), which names its output folder."""
        return self.experiment.name

    def resolved_dict(self) -> dict[str, Any]:
        """The experiment as plain data, defaults filled in, base made absolute."""
        data = self.experiment.model_dump(mode="json", by_alias=True, exclude_none=True)
        data["base"] = str(self.base_path)
        data["metrics"] = list(self.metrics)
        return data


def derive_seeds(
    seed: int, n_variants: int, replications: int, common_random_numbers: bool = True
) -> list[list[int]]:
    """Run seeds as ``seeds[variant][replication]``, derived from the experiment ``seed``.

    With common random numbers replication ``i`` has the seed of child ``i`` of
    ``SeedSequence(seed)`` in every variant; without, variant ``v`` replication ``i`` has
    grandchild ``(v, i)``. Adding replications or variants never changes existing seeds.
    """
    root = np.random.SeedSequence(seed)
    if common_random_numbers:
        per_rep = [int(c.generate_state(1)[0]) for c in root.spawn(replications)]
        return [list(per_rep) for _ in range(n_variants)]
    return [
        [int(c.generate_state(1)[0]) for c in child.spawn(replications)]
        for child in root.spawn(n_variants)
    ]


def run_id(scenario: Scenario, seed: int) -> str:
    """Short hash of (resolved scenario JSON, seed, netsim version): the run's folder name."""
    from netsim._version import __version__

    payload = json.dumps(
        {"scenario": scenario.model_dump(mode="json"), "seed": int(seed), "netsim": __version__},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def _metric_names() -> tuple[str, ...]:
    from netsim.model.run import simulate

    tiny = load_scenario(
        {
            "name": "metrics-probe",
            "horizon_months": 1,
            "population": {"workers": 20},
            "companies": {"count": 2},
            "platform": {"enabled": True},
            "outputs": {"event_log": False, "network_stats_every_months": 0},
        }
    )
    return tuple(simulate(tiny, 1).summary)


def available_metrics() -> list[str]:
    """Every key a run summary can have (platform metrics included)."""
    return list(_metric_names())


@functools.lru_cache(maxsize=1)
def _mechanism_metric_names() -> tuple[str, ...]:
    """Summary keys that only a switched-on mechanism adds (tie dynamics: reunions, two-hop
    share within skill). They may be named as metrics, but are not in the default list,
    because a run without the mechanism has no such key."""
    from netsim.model.run import simulate

    tiny = load_scenario(
        {
            "name": "metrics-probe-mechanisms",
            "horizon_months": 1,
            "population": {"workers": 20},
            "companies": {"count": 2},
            "ties": {"dynamics": {"enabled": True}},
            "outputs": {"event_log": False, "network_stats_every_months": 0},
        }
    )
    return tuple(k for k in simulate(tiny, 1).summary if k not in _metric_names())


def load_design(source: str | Path | Mapping[str, Any], *, base_dir: str | Path | None = None):
    """Read and validate an experiment (file or dict); return its :class:`ExperimentDesign`.

    A dict's ``base`` is relative to ``base_dir`` (default: the current directory). Raises
    :class:`NetsimInputError` naming the file and key path of every problem.
    """
    file: str | None = None
    if isinstance(source, Mapping):
        data = dict(source)
        where = Path(base_dir) if base_dir is not None else Path.cwd()
    elif isinstance(source, str | Path):
        file = str(source)
        data = read_yaml(source, what="experiment")
        where = Path(source).parent
    else:
        raise TypeError(f"load_design() takes a path or a dict, not {source!r}")
    try:
        return _design(data, where, file)
    except NetsimInputError as exc:
        raise exc.with_file(file) from None


def _design(data: dict[str, Any], where: Path, file: str | None) -> ExperimentDesign:
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        raise NetsimInputError.combine(experiment_issues(exc, Experiment)) from None

    try:
        base_path = (where / exp.base).resolve()
        found = base_path.is_file()
    except (OSError, ValueError) as exc:  # e.g. a NUL byte in the name
        raise NetsimInputError(f"not a usable file name: {exc}", key_path="base") from None
    if not found:
        what = "is a folder, not a scenario file" if base_path.is_dir() else "file not found"
        raise NetsimInputError(
            f"base scenario {what}: {base_path}"
            + (" (relative to the experiment file)" if file else ""),
            key_path="base",
        )
    base_data = read_yaml(base_path)
    if is_experiment(base_data):  # else: one 'unknown key' line per experiment key
        raise NetsimInputError(
            f"{base_path.name} is an experiment file (it names a base); "
            "base must name a scenario file",
            key_path="base",
        )

    common = overrides_map(exp.overrides, "overrides")
    design_points, problem, matrix = points(exp.variants)
    varied = sorted({k for _, params in design_points for k in params})

    metrics = _check_metrics(exp.metrics)

    variants: list[Variant] = []
    issues: list[Issue] = []
    labels: dict[str, int] = {}
    for index, (label, params) in enumerate(design_points):
        at = origin(exp.variants, index)
        if label in labels:
            issues.append((at, f"duplicate variant label {label!r} (also variant {labels[label]})"))
        labels[label] = index
        try:
            sc = _resolve(base_data, base_path, common, params, exp.save_events)
        except NetsimInputError as err:
            for key, prob in err.issues:
                sample = exp.variants.sample if exp.variants is not None else None
                sampled = sample.parameters if sample is not None else {}
                if key in sampled:  # the range is wrong, not one variant: say so once
                    bounds = sampled[key]
                    issues.append(
                        (
                            f"variants.sample.parameters.{key}",
                            f"the range low={bounds.low:g}, high={bounds.high:g} reaches "
                            f"values the key refuses: {prob.split(', got ')[0]}",
                        )
                    )
                elif key is not None and any(key == k or key.startswith(k + ".") for k in params):
                    issues.append((f"{at}.{key}", f"{prob} (in variant {label!r})"))
                elif key is not None and any(key == k or key.startswith(k + ".") for k in common):
                    issues.append((f"overrides.{key}", prob))
                else:
                    issues.append((f"base {base_path.name}: {key}" if key else None, prob))
            continue
        values = {k: _value_at(sc, k) for k in varied}
        variants.append(Variant(index=index, label=label, params=values, scenario=sc))
    if issues:
        raise NetsimInputError.combine(list(dict.fromkeys(issues)))

    seeds = derive_seeds(exp.seed, len(variants), exp.replications, exp.common_random_numbers)
    runs = [
        RunSpec(
            run_id=run_id(v.scenario, seeds[v.index][r]),
            variant=v.index,
            label=v.label,
            replication=r,
            seed=seeds[v.index][r],
            scenario=v.scenario,
            params=v.params,
        )
        for v in variants
        for r in range(exp.replications)
    ]
    return ExperimentDesign(
        experiment=exp,
        file=file,
        base_path=base_path,
        variants=variants,
        runs=runs,
        metrics=metrics,
        varied=varied,
        problem=problem,
        sample_matrix=matrix,
    )


def _resolve(
    base_data: dict[str, Any],
    base_path: Path,
    common: Mapping[str, Any],
    params: Mapping[str, Any],
    save_events: bool,
) -> Scenario:
    data = copy_data(base_data)
    for key, value in [*common.items(), *params.items()]:
        _set(data, key, value)
    outputs = data.setdefault("outputs", {})
    if isinstance(outputs, dict):
        outputs["event_log"] = bool(save_events)
    return load_scenario(data, base_dir=base_path.parent)


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = data
    for depth, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        elif not isinstance(child, dict):
            here = ".".join(parts[: depth + 1])
            raise NetsimInputError(
                f"cannot set {key}: {here} is a value, not a section", key_path=key
            )
        node = child
    node[parts[-1]] = copy_data(value)


def _value_at(scenario: Scenario, key: str) -> Any:
    node: Any = scenario
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    if isinstance(node, BaseModel):
        return json.dumps(node.model_dump(mode="json"), sort_keys=True)
    if isinstance(node, dict | list):
        return json.dumps(node, sort_keys=True)
    return node


def _check_metrics(metrics: list[str] | None) -> list[str]:
    names = available_metrics()
    if metrics is None:
        return [m for m in names if m not in DESCRIPTIVE_KEYS]
    known = names + list(_mechanism_metric_names())
    issues = [
        (f"metrics[{i}]", unknown_name_problem(m, known, what=f"metric {m!r}"))
        for i, m in enumerate(metrics)
        if m not in known
    ]
    if issues:
        raise NetsimInputError.combine(issues)
    if not metrics:
        raise NetsimInputError(
            "give at least one metric (or leave metrics out)", key_path="metrics"
        )
    return list(dict.fromkeys(metrics))


# --------------------------------------------------------------------------- checking


def is_experiment(data: Mapping[str, Any]) -> bool:
    """Whether the top level of a YAML file is an experiment (it names a ``base`` scenario)
    rather than a scenario."""
    return "base" in data


@dataclass(frozen=True)
class PlannedRun:
    """One line of a sweep's plan: a run and what the sweep would do with it."""

    spec: RunSpec
    #: ``"run"``, ``"done"`` (finished in the results folder, resumed) or ``"duplicate"``
    #: (same scenario and seed as an earlier run: run once, shared).
    action: str


def plan(design: ExperimentDesign, root: str | Path) -> list[PlannedRun]:
    """What ``netsim sweep`` would do for each run of ``design`` with results folder
    ``root``, without running or writing anything (``netsim sweep --dry-run``)."""
    seen: set[str] = set()
    out: list[PlannedRun] = []
    for spec in design.runs:
        if spec.run_id in seen:
            action = "duplicate"
        elif (Path(root) / "runs" / spec.run_id / "summary.json").is_file():
            action = "done"
        else:
            action = "run"
        seen.add(spec.run_id)
        out.append(PlannedRun(spec, action))
    return out
