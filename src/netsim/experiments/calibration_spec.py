"""The targets file of a calibration: which scenario keys to fit, to which moments.

A targets file (YAML) names a base scenario, the keys to fit with their ranges, the
moments (:mod:`netsim.experiments.moments`) with a target value and its source, and how to
search. It is validated like a scenario: unknown keys, wrong types and values a key refuses
give one message naming the file and key path (with "did you mean"), nothing is run.

Example::

    name: it_market
    scenario: ../scenarios/baseline.yaml
    seed: 2026
    replications: 4
    burn_in_months: 24
    parameters:
      labour_market.quit_rate_per_month: {low: 0.002, high: 0.03}
    moments:
      annual_separation_rate: {target: 0.132, source: "LinkedIn (2018) ..."}
    search: {global_points: 16, local_evaluations: 24}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from netsim.experiments.design import _resolve, is_experiment
from netsim.experiments.messages import experiment_issues
from netsim.experiments.moments import MOMENTS
from netsim.experiments.variants import ExperimentModel, ParameterRange, overrides_map
from netsim.scenario.errors import NetsimInputError, unknown_name_problem
from netsim.scenario.files import read_yaml
from netsim.scenario.schema import Scenario

__all__ = ["MomentTarget", "Search", "Targets", "CalibrationSpec", "load_targets"]


class MomentTarget(ExperimentModel):
    """A moment's target value and where the number comes from."""

    target: float = Field(description="Target value, in the moment's unit.")
    source: str = Field(min_length=1, description="Where the target comes from (citation).")


class Search(ExperimentModel):
    """How the fit searches: a quasi-random global design, then Nelder-Mead from its best."""

    global_points: int = Field(
        16, ge=2, le=4096, description="Points of the scrambled Sobol design over the ranges."
    )
    local_evaluations: int = Field(
        24, ge=0, le=2000, description="Most evaluations of the local Nelder-Mead search."
    )


class Targets(ExperimentModel):
    """A calibration: base scenario, keys to fit, target moments, search (times in months)."""

    name: str = Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", max_length=100)
    description: str = ""
    scenario: str = Field(description="Base scenario file, relative to the targets file.")
    overrides: dict[str, Any] = Field(default_factory=dict, description="Fixed key changes.")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="Seed of the common random numbers.")
    replications: int = Field(4, ge=2, le=1000, description="Runs per evaluated point.")
    burn_in_months: float = Field(
        24.0, ge=0, le=1200, description="Months excluded from the start of each run."
    )
    parameters: dict[str, ParameterRange] = Field(min_length=1, max_length=20)
    moments: dict[str, MomentTarget] = Field(min_length=1, max_length=50)
    search: Search = Field(default_factory=Search)


@dataclass
class CalibrationSpec:
    """A validated targets file: the model, the base data and its scenario resolver."""

    targets: Targets
    file: str | None
    base_path: Path
    base_data: dict[str, Any]

    @property
    def names(self) -> list[str]:
        """The fitted keys, in file order."""
        return list(self.targets.parameters)

    def scenario_at(self, params: dict[str, Any]) -> Scenario:
        """The base scenario with the overrides and ``params`` set (event log on)."""
        common = overrides_map(self.targets.overrides, "overrides")
        return _resolve(self.base_data, self.base_path, common, params, True)


def load_targets(path: str | Path) -> CalibrationSpec:
    """Read and validate a targets file; :class:`NetsimInputError` names every problem."""
    file = str(path)
    data = read_yaml(path, what="targets")
    try:
        return _spec(data, Path(path).parent, file)
    except NetsimInputError as exc:
        raise exc.with_file(file) from None


def _spec(data: dict[str, Any], where: Path, file: str) -> CalibrationSpec:
    try:
        targets = Targets.model_validate(data)
    except ValidationError as exc:
        raise NetsimInputError.combine(experiment_issues(exc, Targets)) from None
    unknown = [
        (f"moments.{name}", unknown_name_problem(name, MOMENTS, "moment"))
        for name in targets.moments
        if name not in MOMENTS
    ]
    if unknown:
        raise NetsimInputError.combine(unknown)
    base_path = (where / targets.scenario).resolve()
    if not base_path.is_file():
        what = "is a folder, not a scenario file" if base_path.is_dir() else "file not found"
        raise NetsimInputError(
            f"base scenario {what}: {base_path} (relative to the targets file)",
            key_path="scenario",
        )
    base_data = read_yaml(base_path)
    if is_experiment(base_data):
        raise NetsimInputError(
            f"{base_path.name} is an experiment file; scenario must name a scenario file",
            key_path="scenario",
        )
    spec = CalibrationSpec(targets, file, base_path, base_data)
    _check_ranges(spec)
    return spec


def _check_ranges(spec: CalibrationSpec) -> None:
    """Both ends of every range must be values the scenario key accepts."""
    issues = []
    for key, rng in spec.targets.parameters.items():
        for end in (rng.low, rng.high):
            value = round(end) if rng.integer else end
            try:
                spec.scenario_at({key: value})
            except NetsimInputError as err:
                for at, problem in err.issues:
                    if at is not None and (at == key or at.startswith(key + ".")):
                        issues.append((f"parameters.{key}", f"{value:g} is refused: {problem}"))
                    else:
                        issues.append((f"overrides.{at}" if at else None, problem))
                break
    if issues:
        raise NetsimInputError.combine(list(dict.fromkeys(issues)))
