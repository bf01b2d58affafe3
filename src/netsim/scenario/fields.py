"""The building blocks of the scenario schema: fields with a unit, sections, bounds.

Every section of :mod:`netsim.scenario.schema` (and of the mechanism schemas beside it) is a
:class:`Section` whose keys are :func:`F` fields (default, unit, description, bounds).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: Largest number allowed anywhere in a plug-in's parameters (graph generators, payout rules).
MAX_PLUGIN_NUMBER = 1e9

#: Upper bound of a field by its unit, unless the field sets its own: beyond these a run
#: overflows, loses money to rounding or never ends (documented in docs/scenarios.md).
MAX_BY_UNIT: dict[str, float] = {
    "currency": 1e9,
    "currency/month": 1e9,
    "1/month": 100.0,
    "1/(1000 currency)": 1000.0,
    "months": 1200.0,
    "factor": 1000.0,
    "log units": 3.0,
    "log factor": 100.0,
    "fraction": 100.0,
    "positions": 100_000.0,
    "units": 1000.0,
    "categories": 10_000,
    "identities": 100,
    "members": 1_000_000,
    "referrers": 100,
    "stints": 1000,
    "workers": 5_000_000,
}


def F(default: Any, unit: str, description: str, **constraints: Any) -> Any:
    """A schema field with a default, a unit and a one-line description.

    Numbers are bounded above by :data:`MAX_BY_UNIT` for their unit unless ``le``/``lt`` is
    given.
    """
    numeric = default is None or type(default) in (int, float)
    if numeric and unit in MAX_BY_UNIT and "le" not in constraints and "lt" not in constraints:
        constraints["le"] = MAX_BY_UNIT[unit]
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


def S(model: type[BaseModel], description: str) -> Any:
    """A nested section with defaults."""
    return Field(default_factory=model, description=description, json_schema_extra={"unit": "-"})


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are re-validated.

    Types are strict: a boolean is not a number and a quoted string is not a number (an
    integer is accepted where a float is expected); numbers must be finite (no NaN or inf).
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, strict=True, allow_inf_nan=False
    )
