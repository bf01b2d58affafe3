"""The Python entry points: :func:`run` a scenario, :func:`load` a run folder.

>>> import netsim
>>> result = netsim.run("scenarios/baseline.yaml", seed=7)      # doctest: +SKIP
>>> result.timeseries.plot(x="month", y="unemployment_rate")     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import numbers
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netsim.model.loading import load_scenario
from netsim.model.run import simulate
from netsim.output.folders import check_run_dir
from netsim.output.results import RunResult, load, write_run
from netsim.scenario.schema import Scenario

__all__ = ["run", "load", "default_run_dir", "scenario_hash", "simulate", "edges_to_networkx"]


def default_run_dir(
    scenario: Scenario,
    seed: int,
    root: str | Path = "results",
    *,
    plain: Scenario | None = None,
) -> Path:
    """Where ``netsim run`` writes by default.

    ``results/<scenario name>/seed-<seed>`` for the scenario as its file says; when
    ``plain`` (the scenario without ``--set`` overrides) is given and ``scenario`` differs
    from it in anything but the seed, ``results/<name>-<8 hex>/seed-<seed>`` with the
    :func:`scenario_hash` of ``scenario``, so a changed run never replaces the plain one.
    """
    name = scenario.name
    if plain is not None and (digest := scenario_hash(scenario)) != scenario_hash(plain):
        name = f"{name}-{digest}"
    return Path(root) / name / f"seed-{seed}"


def scenario_hash(scenario: Scenario) -> str:
    """8 hex digits identifying a resolved scenario, seed aside (the seed has its own folder).

    The same settings give the same hash whatever order the overrides came in.
    """
    data = scenario.model_dump(mode="json")
    data.pop("seed", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def run(
    scenario: str | Path | dict[str, Any] | Scenario,
    seed: int | None = None,
    *,
    out: str | Path | None = None,
    progress: bool = False,
    overrides: Sequence[str] = (),
) -> RunResult:
    """Run a scenario (file path, dict or :class:`Scenario`) and return its tables.

    ``seed`` overrides the scenario's seed; ``overrides`` are ``"path.to.key=value"``
    strings as for ``netsim run --set``. With ``out`` the run folder is written there
    atomically and ``result.path`` points to it; without, nothing is written. ``out`` is
    checked before the run (:func:`netsim.output.results.check_run_dir`): it must be new, empty, or
    a run folder of the same scenario, else :class:`~netsim.scenario.errors.NetsimInputError`.
    """
    sc = load_scenario(scenario, overrides)
    if seed is not None:
        sc = checked_seed(sc, seed)
        seed = sc.seed
    if out is not None:
        check_run_dir(out, sc.name)  # refuse before spending the run's time
    if progress:
        from netsim.output.console import month_progress

        with month_progress(sc.horizon_months, enabled=True) as update:
            result = simulate(sc, seed, progress=update)
    else:
        result = simulate(sc, seed)
    if out is not None:
        write_run(result, out)
    return result


def checked_seed(scenario: Scenario, seed: Any) -> Scenario:
    """A copy of ``scenario`` with ``seed``, checked like the file's ``seed`` key (a
    non-negative integer within the schema's bound); else a
    :class:`~netsim.scenario.errors.NetsimInputError` naming ``--seed``.

    Without this, ``--seed`` (or ``seed=``) bypassed the bound a scenario file's seed obeys.
    """
    from pydantic import ValidationError

    from netsim.scenario.errors import NetsimInputError
    from netsim.scenario.messages import validation_issues

    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        seed = int(seed)  # numpy integers count as Python integers, as in scenario dicts
    copy = scenario.model_copy()
    try:
        Scenario.__pydantic_validator__.validate_assignment(copy, "seed", seed)
    except ValidationError as exc:
        problems = [problem for _, problem in validation_issues(exc, Scenario)]
        raise NetsimInputError("; ".join(problems), key_path="--seed") from None
    return copy


# Re-exported so ``netsim.api.load`` and ``netsim.load`` are the same function.
load = load


def edges_to_networkx(edges, n_nodes: int | None = None):
    """A run's edge list (``edges.parquet``, ``result.tables["edges"]``) as an ``nx.Graph``.

    Edges carry ``origin``, ``strength`` (0..1), ``created_months`` and ``refreshed_months``;
    ``n_nodes`` adds the workers ``0..n_nodes-1`` first, ties or not. ``result.graph()``
    does this for a whole run::

        G = netsim.edges_to_networkx(pd.read_parquet("results/x/seed-1/edges.parquet"))
    """
    from netsim.world.edgelist import edges_to_networkx as to_graph

    return to_graph(edges, n_nodes)
