"""The variants of an experiment: the ``variants`` section of an experiment file and the
design points it lists.

``grid`` (full product of lists), ``zip`` (equal-length lists, paired), ``list`` (explicit
overrides per variant) or ``sample`` (a SALib Latin hypercube, Sobol or Morris design over
parameter ranges). :func:`points` turns the section into ``(label, {key: value})`` pairs;
:func:`count_points` says how many there will be without listing them, so that a design too
large to run is refused before it is built.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from netsim.scenario.errors import NetsimInputError

__all__ = [
    "MAX_DESIGN_POINTS",
    "ExperimentModel",
    "ParameterRange",
    "Sample",
    "Variants",
    "count_points",
    "origin",
    "overrides_map",
    "points",
]

#: Most design points (variants) an experiment may list; beyond this it would not fit in
#: memory or finish, and a misplaced grid is the likelier cause.
MAX_DESIGN_POINTS = 100_000


class ExperimentModel(BaseModel):
    """Base of the experiment schema: unknown keys are errors; strict types (a boolean is not
    a number, a quoted string not an integer); numbers finite."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, strict=True, allow_inf_nan=False
    )


class ParameterRange(ExperimentModel):
    """The range a sampled parameter is drawn from."""

    low: float = Field(description="Lower bound.")
    high: float = Field(description="Upper bound.")
    integer: bool = Field(False, description="Round sampled values to integers.")

    @model_validator(mode="after")
    def _ordered(self) -> ParameterRange:
        if not self.high > self.low:
            raise ValueError(f"high must be > low, got low={self.low:g}, high={self.high:g}")
        return self


class Sample(ExperimentModel):
    """A sampled design over parameter ranges (SALib)."""

    method: Literal["latin_hypercube", "sobol", "morris"] = Field(
        description="Sampling method; sobol and morris also give a sensitivity analysis."
    )
    parameters: dict[str, ParameterRange] = Field(
        min_length=1, description="Dotted scenario key -> {low, high, integer?}."
    )
    n: int = Field(
        ge=1,
        le=MAX_DESIGN_POINTS,
        description="latin_hypercube: samples; sobol: base N (N * (D + 2) points); "
        "morris: trajectories (r * (D + 1) points).",
    )
    num_levels: int = Field(4, ge=2, le=1000, description="Grid levels of the Morris design.")


_Overrides = dict[str, Any]
_OverrideList = list[dict[str, Any]]


class Variants(ExperimentModel):
    """Exactly one way of listing variants."""

    grid: dict[str, list[Any]] | None = Field(None, description="Full product of the lists.")
    zip: dict[str, list[Any]] | None = Field(None, description="Lists of equal length, zipped.")
    sample: Sample | None = Field(None, description="Sampled design.")
    # Last, and through an alias, so that ``list`` does not shadow the builtin in this body.
    list_: _OverrideList | None = Field(
        None, alias="list", description="Explicit overrides per variant (optional 'label')."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Variants:
        given = [k for k in ("grid", "zip", "list_", "sample") if getattr(self, k) is not None]
        if len(given) != 1:
            got = ", ".join(g.rstrip("_") for g in given) or "none"
            raise ValueError(f"give exactly one of grid, zip, list, sample (got {got})")
        for kind in ("grid", "zip"):
            lists = getattr(self, kind)
            if lists is not None:
                if not lists:
                    raise ValueError(f"{kind} needs at least one key")
                empty = [k for k, v in lists.items() if not v]
                if empty:
                    raise ValueError(f"{kind}.{empty[0]}: needs at least one value")
        if self.zip is not None:
            lengths = {k: len(v) for k, v in self.zip.items()}
            if len(set(lengths.values())) > 1:
                shown = ", ".join(f"{k}: {n}" for k, n in lengths.items())
                raise ValueError(f"zip lists must have equal length, got {shown}")
        if self.list_ is not None and not self.list_:
            raise ValueError("list needs at least one variant")
        return self


def count_points(variants: Variants | None) -> int:
    """How many design points ``variants`` lists (without listing them)."""
    if variants is None:
        return 1
    if variants.grid is not None:
        return math.prod(len(v) for v in variants.grid.values())
    if variants.zip is not None:
        return len(next(iter(variants.zip.values())))
    if variants.list_ is not None:
        return len(variants.list_)
    sample = variants.sample
    d = len(sample.parameters)
    per = {"latin_hypercube": 1, "sobol": d + 2, "morris": d + 1}[sample.method]
    return sample.n * per


def overrides_map(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``raw`` with string keys, checked for empty parts in dotted key paths."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        parts = str(key).split(".")
        if any(not p for p in parts):
            raise NetsimInputError("empty part in key path", key_path=f"{where}.{key}")
        out[str(key)] = value
    return out


def points(variants: Variants | None):
    """``[(label, {key: value})]`` for every variant, plus SALib problem and matrix."""
    if variants is None:
        return [("base", {})], None, None
    if variants.grid is not None:
        keys = list(overrides_map(variants.grid, "variants.grid"))
        combos = itertools.product(*(variants.grid[k] for k in keys))
        return (
            [
                (_label(dict(zip(keys, c, strict=True))), dict(zip(keys, c, strict=True)))
                for c in combos
            ],
            None,
            None,
        )
    if variants.zip is not None:
        keys = list(overrides_map(variants.zip, "variants.zip"))
        rows = zip(*(variants.zip[k] for k in keys), strict=True)
        return (
            [
                (_label(dict(zip(keys, r, strict=True))), dict(zip(keys, r, strict=True)))
                for r in rows
            ],
            None,
            None,
        )
    if variants.list_ is not None:
        points = []
        for i, entry in enumerate(variants.list_):
            params = {k: v for k, v in entry.items() if k != "label"}
            label = str(entry["label"]) if "label" in entry else (_label(params) or f"variant-{i}")
            points.append((label, overrides_map(params, f"variants.list[{i}]")))
        return points, None, None
    return _sample(variants.sample)


def _label(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in params.items())


def origin(variants: Variants | None, index: int) -> str:
    """The key path of variant ``index`` in the experiment file, for messages."""
    if variants is None:
        return "variants"
    if variants.list_ is not None:
        return f"variants.list[{index}]"
    for kind in ("grid", "zip", "sample"):
        if getattr(variants, kind) is not None:
            return f"variants.{kind}"
    return "variants"


def _sample(sample: Sample):
    from SALib.sample import latin, morris, sobol

    names = list(sample.parameters)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[sample.parameters[k].low, sample.parameters[k].high] for k in names],
    }
    salib_seed = int(np.random.SeedSequence([0x5A11B, sample.n]).generate_state(1)[0])
    if sample.method == "latin_hypercube":
        matrix = latin.sample(problem, sample.n, seed=salib_seed)
    elif sample.method == "sobol":
        matrix = sobol.sample(problem, sample.n, calc_second_order=False, seed=salib_seed)
    else:
        matrix = morris.sample(problem, sample.n, num_levels=sample.num_levels, seed=salib_seed)
    points = []
    for i, row in enumerate(matrix):
        params = {}
        for k, x in zip(names, row, strict=True):
            params[k] = int(round(float(x))) if sample.parameters[k].integer else float(x)
        points.append((f"sample-{i}", params))
    return points, problem, np.asarray(matrix, dtype=float)
