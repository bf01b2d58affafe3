"""The model's checks in one place: closed forms, invariants, docking, stylised facts.

:func:`check_model` runs every registered check and returns one row per measured value
(value, reference, tolerance, pass or fail); :func:`validation_page` renders them as
``docs/validation.md`` (``netsim check-model``). Each check is a function ``fn(quick) ->
list[Check]`` registered with :func:`check`; ``quick`` shrinks its runs so that the whole
set runs in CI in well under a minute (the tolerances widen with the smaller samples, as
each check states).

Kinds: ``closed form`` (the engine against mathematics), ``invariant`` (bookkeeping that
must hold exactly), ``docking`` (against a published model) and ``fact`` (a calibration
target from :file:`calibration/it_market.yaml`; a miss is a finding about the model, not a
bug, so facts do not fail ``netsim check-model`` unless ``--strict``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netsim.experiments.moments import MOMENTS, compute_moments
from netsim.model.loading import load_scenario
from netsim.model.run import simulate

__all__ = ["Check", "CHECKS", "check", "check_model", "validation_page"]


@dataclass(frozen=True)
class Check:
    """One measured value against its reference: passes if ``|value - reference| <= tol``."""

    check: str
    kind: str
    quantity: str
    value: float
    reference: float
    tolerance: float
    source: str

    @property
    def passed(self) -> bool:
        """Whether the value is finite and within ``tolerance`` of the reference."""
        return bool(np.isfinite(self.value) and abs(self.value - self.reference) <= self.tolerance)


#: Registered checks: name -> (kind, function of ``quick``).
CHECKS: dict[str, tuple[str, Callable[[bool], list[Check]]]] = {}


def check(name: str, kind: str):
    """Register ``fn(quick) -> list[Check]`` as check ``name`` of ``kind``."""

    def register(fn):
        CHECKS[name] = (kind, fn)
        return fn

    return register


# ----------------------------------------------------------------------------- closed forms

F_RATE, S_RATE = 0.45, 0.034  # Shimer (2012): monthly job finding and separation


def two_state_scenario(workers: int, horizon: float, f: float = F_RATE, s: float = S_RATE):
    """Only exponential search (rate ``f``) and quits into search (rate ``s``), per month:
    a two-state flow, started at its steady state (also used by ``tests/test_theory.py``)."""
    return load_scenario(
        {
            "name": "two_state",
            "horizon_months": horizon,
            "population": {
                "workers": workers,
                "initial_employment_rate": f / (s + f),
                "vital_forces": {"share": 0.0},
            },
            "companies": {"count": 50},
            "labour_market": {
                "demand": "always_hiring",
                "job_finding_rate_per_month": f,
                "quit_rate_per_month": s,
                "dismissal_rate_per_month": 0.0,
                "exit_rate_per_month": 0.0,
                "on_the_job_search_rate_per_month": 0.0,
                "word_of_mouth_rate_per_month": 0.0,
                "probation_dismissal_probability": 0.0,
                "satisfaction_sensitivity": 0.0,
                "restrict_quit_multiplier": 1.0,
                "cross_skill_fit": 1.0,
                "reservation_wage_ratio": 0.0,
            },
            "ties": {"colleague_tie_rate_per_month": 0.0},
            "outputs": {"network_stats_every_months": 0},
        }
    )


@check("two_state_flow", "closed form")
def _two_state(quick: bool) -> list[Check]:
    """Unemployment s/(s+f) and pooled flow rates s and f; tolerance 5 standard errors."""
    workers, horizon, seeds = (1000, 120.0, (1, 2)) if quick else (2000, 240.0, (1, 2, 3))
    runs = [simulate(two_state_scenario(workers, horizon), s) for s in seeds]
    got = pd.DataFrame([compute_moments(r, list(MOMENTS), 12.0) for r in runs]).mean()
    months = (horizon - 12.0) * len(seeds)
    u = S_RATE / (S_RATE + F_RATE)
    # s.e. of the time-averaged unemployment: sqrt(u(1-u)/N) with ~2-month autocorrelation.
    se_u = math.sqrt(u * (1 - u) / workers) * math.sqrt(2.0 / months)
    n_sep = S_RATE * workers * (1 - u) * months
    src = "two-state Markov flow: u = s/(s+f); MLE rates = events / exposure"
    return [
        Check("two_state_flow", "closed form", "unemployment rate", got["unemployment_rate"],
              u, 5 * se_u, src),
        Check("two_state_flow", "closed form", "monthly separation rate s",
              got["monthly_separation_rate"], S_RATE, 5 * S_RATE / math.sqrt(n_sep), src),
        Check("two_state_flow", "closed form", "monthly job-finding rate f",
              got["monthly_job_finding_rate"], F_RATE, 5 * F_RATE / math.sqrt(n_sep), src),
    ]  # fmt: skip


# ----------------------------------------------------------------------------- invariants


#: The project checkout whose shipped scenarios and targets the checks use (the working
#: folder by default; ``netsim check-model --root``).
ROOT = [Path.cwd()]


def _shipped(*parts: str) -> Path:
    path = ROOT[0].joinpath(*parts)
    if not path.is_file():
        from netsim.scenario.errors import NetsimInputError

        raise NetsimInputError(
            f"{path} not found: run check-model in a netsim checkout (or pass --root)",
            key_path="--root",
        )
    return path


def _platform_run(rule: str, quick: bool):
    here = _shipped("scenarios", "rules", f"{rule}.yaml")
    overrides = ["population.workers=1500", "horizon_months=36"] if quick else []
    return simulate(load_scenario(here, overrides))


@check("money_and_jobs", "invariant")
def _money_and_jobs(quick: bool) -> list[Check]:
    """Ledger balances sum to zero; the recursive rule pays at most B/(1-r) per hire; each
    employed worker sits in exactly one company's staff."""
    out = []
    for rule in ("flat", "recursive"):
        r = _platform_run(rule, quick)
        led = r.ledger
        signed = pd.concat(
            [
                pd.DataFrame({"acct": led["payer_kind"].astype(str) + led["payer"].astype(str),
                              "amount": -led["amount"]}),
                pd.DataFrame({"acct": led["payee_kind"].astype(str) + led["payee"].astype(str),
                              "amount": led["amount"]}),
            ]
        )  # fmt: skip
        total = float(signed["amount"].sum())
        out.append(Check("money_and_jobs", "invariant", f"sum of all balances ({rule})",
                         total, 0.0, 1e-6 * max(1.0, float(led["amount"].sum())),
                         "double-entry ledger"))  # fmt: skip
        employed = int((r.workers["state"] == "employed").sum())
        out.append(Check("money_and_jobs", "invariant", f"staff - employed workers ({rule})",
                         float(r.companies["employees"].sum() - employed), 0.0, 0.0,
                         "one job per worker"))  # fmt: skip
        if rule == "recursive":
            params = r.scenario.platform.payout.params
            bonus, ratio = float(params.get("bonus", 0)), float(params.get("ratio", 0.5))
            paid = led[led["reason"] == "payout"].groupby("hire")["amount"].sum()
            worst = float(paid.max()) if len(paid) else 0.0
            bound = bonus / (1 - ratio)
            out.append(Check("money_and_jobs", "invariant", "largest payout per hire / bound",
                             worst / bound if bound else 0.0, 0.5, 0.5,
                             "Pickard et al. (2011): total < B/(1-r) = 2B"))  # fmt: skip
    return out


# ----------------------------------------------------------------------------- docking


@check("calvo_armengol_jackson", "docking")
def _caj(quick: bool) -> list[Check]:
    """Word of mouth as in Calvó-Armengol & Jackson (2004) against the exact chain on a
    4-cycle and K4 (copies of the graph in one run; tolerance 4 jackknife standard errors)."""
    import tempfile

    import networkx as nx

    from netsim.experiments.docking import caj_exact, caj_observed, caj_scenario, write_copies

    a, b = 0.3, 0.1
    copies, horizon = (150, 120.0) if quick else (500, 240.0)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, g in (("4-cycle", nx.cycle_graph(4)), ("K4", nx.complete_graph(4))):
            path = Path(tmp) / f"{name}.graphml"
            big = write_copies(g, copies, path)
            run = simulate(caj_scenario(path, big.number_of_nodes(), a, b, horizon), 1)
            exact = caj_exact(g, a, b)
            seen, se = caj_observed(run, g, copies)
            src = "Calvó-Armengol & Jackson (2004); exact CTMC on 2^n states"
            out.append(
                Check(
                    "calvo_armengol_jackson",
                    "docking",
                    f"unemployment, {name}",
                    seen.unemployment,
                    exact.unemployment,
                    4 * se.unemployment,
                    src,
                )
            )
            out.append(Check("calvo_armengol_jackson", "docking",
                             f"neighbour employment correlation, {name}",
                             seen.neighbour_correlation, exact.neighbour_correlation,
                             4 * se.neighbour_correlation + 0.002, src))  # fmt: skip
    return out


# ----------------------------------------------------------------------------- facts


@check("it_market_facts", "fact")
def _facts(quick: bool) -> list[Check]:
    """The baseline's moments against the IT-market targets (tolerance: 20% of the target)."""
    from netsim.experiments.calibration_spec import load_targets

    spec = load_targets(_shipped("calibration", "it_market.yaml"))
    seeds = (1,) if quick else (1, 2, 3)
    overrides = ["horizon_months=72"] if quick else []
    base = load_scenario(_shipped("scenarios", "baseline.yaml"), overrides)
    names = list(spec.targets.moments)
    runs = [simulate(base, s) for s in seeds]
    got = pd.DataFrame([compute_moments(r, names, spec.targets.burn_in_months) for r in runs])
    return [
        Check("it_market_facts", "fact", name, float(got[name].mean()), t.target,
              0.2 * abs(t.target), t.source)
        for name, t in spec.targets.moments.items()
    ]  # fmt: skip


# ----------------------------------------------------------------------------- running


def check_model(
    quick: bool = False, only: list[str] | None = None, root: str | Path | None = None
) -> pd.DataFrame:
    """Run the registered checks (``only``: a subset by name); one row per measured value.

    ``root`` is the netsim checkout holding ``scenarios/`` and ``calibration/`` (default:
    the working folder).
    """
    if root is not None:
        ROOT[0] = Path(root)
    rows = []
    for name, (_kind, fn) in CHECKS.items():
        if only and name not in only:
            continue
        for c in fn(quick):
            rows.append({**asdict(c), "passed": c.passed})
    return pd.DataFrame(rows)


def validation_page(table: pd.DataFrame, quick: bool) -> str:
    """``docs/validation.md``: every check's value, reference, tolerance and verdict."""
    lines = [
        "<!-- Generated by `netsim check-model`"
        + (" --quick" if quick else "")
        + "; do not edit by hand. -->",
        "# Validation",
        "",
        "Every check of the model, as run by `netsim check-model`"
        + (" --quick (small runs, wider tolerances)" if quick else "")
        + ". A check passes if |value - reference| <= tolerance. Closed forms, invariants and",
        "docking must pass; a missed *fact* is a finding about the model (see `docs/ODD.md`).",
        "",
        "| check | kind | quantity | value | reference | tolerance | verdict | source |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for r in table.itertuples():
        verdict = "pass" if r.passed else "**fail**"
        lines.append(
            f"| {r.check} | {r.kind} | {r.quantity} | {r.value:.4g} | {r.reference:.4g} | "
            f"{r.tolerance:.3g} | {verdict} | {r.source} |"
        )
    return "\n".join(lines) + "\n"
