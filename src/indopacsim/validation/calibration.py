"""Calibration of the mechanism's free parameters on the years before the scored ones.

The model is fitted to the tie changes of 2006-2019 at once (:data:`WINDOW`): the world of
the end of 2005 (``scenarios/hindcast_2005.yaml``) run to the end of 2012, and the world of
the end of 2012 (``hindcast_2012.yaml``) run to the end of 2019, each scored against the
dated changes of its years (``data/tie_changes_2006_2012.csv``, ``tie_changes.csv``):
nothing from 2020 or later enters. A window's objective is the sum of the Brier scores of
the model's ``p_up`` and ``p_down`` over its pairs plus a penalty on the squared log ratio
of the model's to the observed tie changes per year; the joint objective is the mean of
the two, each from an ensemble with a fixed seed (common random numbers). The search is a
seeded Latin-hypercube screen, then Nelder-Mead from the best points and fixed starts.
``python -m indopacsim.validation.calibration`` reruns it, prints the report and writes
``data/calibration.json``; the schema's defaults are these values (a test checks it).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc

from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.scenario.calibrated import frozen, with_reference
from indopacsim.scenario.calibrated import with_parameters as with_parameters  # re-exported
from indopacsim.validation import hindcast as H
from indopacsim.validation import scoring as S
from indopacsim.validation.split import window_scenario

#: The free parameters, their search ranges and whether they are searched on a log scale.
FREE: dict[str, tuple[float, float, bool]] = {
    "weights.security": (4.0, 40.0, True),
    "threat.coverage_scale": (0.1, 2.0, True),
    "weights.values": (0.02, 0.5, True),
    "costs.base": (0.01, 0.3, True),
    "costs.distance": (0.01, 0.4, True),
    "status_quo.rho_up": (0.0, 1.0, False),
    "status_quo.rho_down": (0.5, 1.0, False),
    "ladder.up_hazard": (0.02, 0.5, True),
    "noise.decision": (0.002, 0.05, True),
    "ladder.hazard_scale": (0.002, 0.5, True),
    "weights.economic": (0.1, 5.0, True),
    "weights.hostility": (0.05, 3.0, True),
    "ladder.down_hazard": (0.02, 1.0, True),
    "ladder.down_scale": (0.002, 3.0, True),
    "costs.opening": (0.001, 0.3, True),
    "weights.lattice": (0.5, 60.0, True),
    "ladder.side_payments": (0.0, 1.0, False),
    "ladder.depth_decay": (0.0, 1.0, False),
    "threat.pooling": (0.0, 2.0, False),
    "weights.shared_partners": (0.0, 0.3, False),
}

#: The calibration window: 2006-2012 and 2013-2019, fitted at once (:class:`JointObjective`).
WINDOW = "2006-2012+2013-2019"
#: The default window of a single-window :class:`Objective` (the later of the two).
SINGLE_WINDOW = "2013-2019"

#: A third start besides the two best screened points: an early frozen calibration of
#: 2013-2019 (before ``ladder.depth_decay``), with the depth decay and top rate from a
#: profile of that window's objective (decay 0 to 0.5), and the cut's top rate and scale
#: the best of a grid (top rate 0.1-1, scale 0.02-3; 0.05295 at 1 and 0.3 against 0.05472
#: with a flat cut hazard). Fixed, so a rerun returns the same parameters; in 17
#: dimensions the screen alone did not find this basin (0.069-0.075 against 0.058).
PRIOR_START: dict[str, float] = {
    "weights.security": 13.7896,
    "threat.coverage_scale": 0.6141,
    "weights.values": 0.5,
    "costs.base": 0.0509,
    "costs.distance": 0.0274,
    "status_quo.rho_up": 0.1705,
    "status_quo.rho_down": 0.6315,
    "ladder.up_hazard": 0.0824,
    "noise.decision": 0.0125,
    "ladder.hazard_scale": 0.0025,
    "weights.economic": 2.7014,
    "weights.hostility": 0.262,
    "ladder.down_hazard": 1.0,
    "ladder.down_scale": 0.3,
    "costs.opening": 0.0534,
    "weights.lattice": 14.1025,
    "ladder.side_payments": 1.0,
    "ladder.depth_decay": 0.4,
    "threat.pooling": 0.5,
    "weights.shared_partners": 0.05,
}

#: A fourth start: :data:`PRIOR_START` at the other end of the side-payments range (no
#: transfers). The objective has a basin at each end of ``ladder.side_payments``, and a
#: local search from one end does not cross to the other: with states pursuing only
#: feasible deals, a refit from the frozen point with no side payments reached 0.0541
#: against 0.0548 for the search that started at full side payments
#: (``benchmarks/structure_report.py``). The search starts from both ends.
NO_TRANSFER_START: dict[str, float] = {**PRIOR_START, "ladder.side_payments": 0.0}

#: A fifth start: the previous fit of this window (the joint fit of 2006-2019 made before
#: the review's corrections of the record, ``docs/validation.md``, "The calibration of
#: record"). A warm start; fixed, so a rerun returns the same parameters.
PREVIOUS_START: dict[str, float] = {
    "weights.security": 12.0554,
    "threat.coverage_scale": 0.5569,
    "weights.values": 0.5,
    "costs.base": 0.0544,
    "costs.distance": 0.0267,
    "status_quo.rho_up": 0.1767,
    "status_quo.rho_down": 0.6323,
    "ladder.up_hazard": 0.0675,
    "noise.decision": 0.0241,
    "ladder.hazard_scale": 0.0025,
    "weights.economic": 3.5006,
    "weights.hostility": 0.2753,
    "ladder.down_hazard": 1.0,
    "ladder.down_scale": 0.1761,
    "costs.opening": 0.0348,
    "weights.lattice": 13.5661,
    "ladder.side_payments": 0.0,
    "ladder.depth_decay": 0.4106,
    "threat.pooling": 0.5545,
    "weights.shared_partners": 0.0524,
}

#: Weight of the squared log ratio of the model's to the observed changes per year: the
#: pair-level Brier scores cannot see a tie that goes up and back down within the window.
CHURN_WEIGHT = 0.01

#: The outcomes the objective scores: an upgrade and a cut of each pair.
KEYS = ("up", "down")


@dataclass
class Objective:
    """The calibration objective on one window (2013-2019, or another ``window`` of
    :func:`~indopacsim.validation.split.window_scenario`) with fixed runs and seed. Pairs
    that an institution entered at once (:data:`~.hindcast.INSTITUTIONAL`) are not scored."""

    runs: int = 40
    seed: int = 12
    evaluations: int = 0
    #: Pair weights (276, in :func:`~indopacsim.validation.hindcast.pair_frame` order) of
    #: the Brier terms; ``None`` weighs every pair alike. A state-bootstrap replicate of
    #: the window (:mod:`indopacsim.validation.uncertainty`) sets them.
    weights: np.ndarray | None = None
    window: str = SINGLE_WINDOW
    #: The scoring rule of the pairs' forecasts (:data:`~.scoring.RULES`).
    rule: str = "brier"

    def __post_init__(self) -> None:
        S.lookup(self.rule)  # an unknown rule fails here, before the window is run
        self.scenario, start, end = window_scenario(self.window)
        res = run_ensemble(self.scenario, 1, self.seed, steps=0)
        self.obs = H.observed(res.codes, res.ties0, start, end)
        self.observed_rate = H.observed_rate(start, end)

    def __call__(self, params: dict[str, float]) -> float:
        self.evaluations += 1
        try:
            res = run_ensemble(with_reference(self.scenario, params), self.runs, self.seed, params)
        except Exception:  # a candidate outside a parameter's valid range
            return 1.0
        return self.of(res)

    def of(self, res: EnsembleResult) -> float:
        """The objective of an ensemble of the window's world (however its runs were made)."""
        pred = H.predictions(res)
        runs = res.ties.shape[0]
        scores = [
            self._score(pred[f"p_{k}"].to_numpy(), self.obs[k].to_numpy(), runs) for k in KEYS
        ]
        rate = max(H.changes_per_year(res), 0.1)
        churn = CHURN_WEIGHT * np.log(rate / self.observed_rate) ** 2
        return sum(scores) + churn

    def _score(self, p: np.ndarray, y: np.ndarray, runs: int) -> float:
        keep = ~self.obs["institutional"].to_numpy()
        if self.rule == "brier" and self.weights is None and keep.all():
            return H.score(p, y).brier
        w = keep if self.weights is None else self.weights * keep
        return S.score(self.rule, p, y, runs, w)


@dataclass
class JointObjective:
    """The mean of :class:`Objective` over several windows, each run from its own world
    (``window="2006-2012+2013-2019"``): a longer record fitted at once."""

    runs: int = 40
    seed: int = 12
    weights: np.ndarray | None = None
    window: str = WINDOW
    rule: str = "brier"

    def __post_init__(self) -> None:
        w, names, rule = self.weights, self.window.split("+"), self.rule
        self.parts = [
            Objective(self.runs, self.seed, weights=w, window=n, rule=rule) for n in names
        ]
        self.name = "+".join(p.scenario.name for p in self.parts)

    @property
    def evaluations(self) -> int:
        """Candidates evaluated (each on every window)."""
        return self.parts[0].evaluations

    def __call__(self, params: dict[str, float]) -> float:
        return float(np.mean([p(params) for p in self.parts]))


def objective(
    runs: int = 40,
    seed: int = 12,
    weights: np.ndarray | None = None,
    window: str = WINDOW,
    rule: str = "brier",
) -> Objective | JointObjective:
    """The objective of one window, or of several joined by ``+``, under a scoring rule."""
    cls = JointObjective if "+" in window else Objective
    return cls(runs, seed, weights=weights, window=window, rule=rule)


def to_unit(params: dict[str, float]) -> np.ndarray:
    """The inverse of :func:`_to_params`: a point of the unit cube."""
    out = []
    for name, (lo, hi, log) in FREE.items():
        x = params[name]
        out.append((np.log(x / lo) / np.log(hi / lo)) if log else (x - lo) / (hi - lo))
    return np.array(out)


def _to_params(u: np.ndarray) -> dict[str, float]:
    out = {}
    for x, (name, (lo, hi, log)) in zip(u, FREE.items(), strict=True):
        x = float(np.clip(x, 0.0, 1.0))
        out[name] = (
            float(np.exp(np.log(lo) + x * (np.log(hi) - np.log(lo)))) if log else lo + x * (hi - lo)
        )
    return out


def calibrate(
    screen: int = 128,
    refine: int = 300,
    runs: int = 40,
    seed: int = 12,
    refine_runs: int = 120,
    warm: bool = True,
    weights: np.ndarray | None = None,
    window: str = WINDOW,
    fixed_starts: bool = True,
    rule: str = "brier",
) -> dict[str, Any]:
    """Fit :data:`FREE` on :data:`WINDOW` (or another ``window``: one of :mod:`~.split`, or
    several joined by ``+``, :class:`JointObjective`); return the report.

    A Latin-hypercube screen of ``screen`` points at ``runs`` runs each, then Nelder-Mead
    from the best two screened points, from :data:`PRIOR_START`,
    :data:`NO_TRANSFER_START` and :data:`PREVIOUS_START`, with ``refine_runs``
    runs per evaluation and ``refine // 2`` evaluations per start: the
    objective is a Monte Carlo estimate, and at 40 runs its noise (about 0.002) is as
    large as the differences the refinement must resolve, so the local search uses more.
    ``warm=False`` leaves out the warm start (the procedure before it existed).
    ``weights`` weigh the pairs' Brier terms (:attr:`Objective.weights`).
    ``fixed_starts=False`` starts only from the screened points (the fixed ones were
    found on the whole record: a fit to part of it that must not see the rest).
    ``rule`` scores the pairs' forecasts (:data:`~.scoring.RULES`; the record's is Brier).
    """
    t0 = time.perf_counter()
    obj = objective(runs, seed, weights, window, rule)
    sampler = qmc.LatinHypercube(d=len(FREE), seed=seed)
    pts = sampler.random(screen)
    scores = np.array([obj(_to_params(u)) for u in pts])
    best = [*pts[np.argsort(scores)[:2]], *_fixed_starts(warm, fixed_starts)]
    fine = objective(refine_runs, seed, weights, window, rule)
    opts = {"maxfev": refine // 2, "xatol": 1e-3, "fatol": 1e-5}
    local = (
        minimize(lambda u: fine(_to_params(u)), s, method="Nelder-Mead", options=opts) for s in best
    )
    results = [(float(r.fun), r.x) for r in local]
    _, x = min(results, key=lambda t: t[0])
    starts = [round(f, 5) for f, _ in results]
    params = {k: round(v, 4) for k, v in _to_params(x).items()}
    final = fine(params)
    return {
        "window": window,
        "scenario": obj.name if isinstance(obj, JointObjective) else obj.scenario.name,
        "objective": _described(rule),
        "value": round(final, 5),
        "screen_best": round(float(scores.min()), 5),
        "starts": starts,
        "parameters": params,
        "runs": runs,
        "refine_runs": refine_runs,
        "seed": seed,
        "evaluations": obj.evaluations + fine.evaluations,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _described(rule: str) -> str:
    """The objective as a calibration record names it (the record of Brier's unchanged)."""
    name = S.DESCRIPTIONS[rule]
    pairs = f"{name}(p_up) + {name}(p_down)" if rule == "brier" else f"{name} of p_up and p_down"
    return f"{pairs} over the 276 pairs + {CHURN_WEIGHT} x log(changes per year / observed)^2"


def _fixed_starts(warm: bool, fixed: bool) -> list[np.ndarray]:
    """The fixed starts of :func:`calibrate` on the unit cube (none when not ``fixed``)."""
    starts = (PRIOR_START, NO_TRANSFER_START, *((PREVIOUS_START,) if warm else ()))
    return [to_unit(p) for p in starts] if fixed else []


def refit(
    obj: Objective | JointObjective,
    fev: int,
    fixed: dict[str, float | str] | None = None,
    base: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], float]:
    """Nelder-Mead on :data:`FREE` but ``fixed`` from ``base`` (default: the frozen
    parameters), ``fev`` evaluations of ``obj``; return the parameters (rounded as the
    frozen ones are) and the objective's value at the best point the search found."""
    fixed = dict(fixed or {})
    base = dict(frozen()["parameters"] if base is None else base)
    if not fev or all(n in fixed for n in FREE):
        p = {**base, **fixed}
        return p, obj(p)
    full = to_unit(base)
    free = np.array([n not in fixed for n in FREE])

    def params(u: np.ndarray) -> dict[str, Any]:
        x = full.copy()
        x[free] = u
        return {**base, **_to_params(x), **fixed}

    r = minimize(
        lambda u: obj(params(u)),
        full[free],
        method="Nelder-Mead",
        options={"maxfev": fev, "xatol": 1e-3, "fatol": 1e-5},
    )
    out = {k: round(v, 4) if isinstance(v, float) else v for k, v in params(r.x).items()}
    return out, float(r.fun)


def main(argv: list[str] | None = None) -> int:
    """Rerun the calibration, print its report and write the record."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None, help="where to write the record")
    ap.add_argument("--screen", type=int, default=128)
    ap.add_argument("--refine", type=int, default=300)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--refine-runs", type=int, default=120)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--window", default=WINDOW, help="the window(s) to fit, joined by +")
    ap.add_argument(
        "--screened-starts-only",
        action="store_true",
        help="start the local search only from the screened points",
    )
    ap.add_argument(
        "--rule", choices=sorted(S.RULES), default="brier", help="the pairs' scoring rule"
    )
    a = ap.parse_args(argv)
    rec = calibrate(
        a.screen,
        a.refine,
        a.runs,
        a.seed,
        a.refine_runs,
        window=a.window,
        fixed_starts=not a.screened_starts_only,
        rule=a.rule,
    )
    text = json.dumps(rec, indent=2)
    print(text)
    if a.out is not None:
        a.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
