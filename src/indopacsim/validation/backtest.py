"""``indopacsim backtest``: the 2020-2025 hindcast, its baselines, ablation and figures.

The 2019 world (``scenarios/hindcast_2019.yaml``) is run to the end of 2025 as an ensemble
of ``seeds`` runs in chunks (one child of ``SeedSequence(seed)`` per chunk), with the
driver paths or without them (``blind``), at the frozen calibration or shared among the
parameter sets of its bootstrap replicates. Each pair's ``p_up`` is scored against the
observed changes next to three baselines fitted on the calibration window only
(:data:`TRAIN`: persistence, the base rate by starting level, a logistic regression on the
model's inputs), bootstrapped by
state (figures: :mod:`indopacsim.validation.backtest_figures`). The ablation switches each
mechanism off; the coding sensitivity rescores robust changes only, and without the pairs
a 2019 model sees only through the driver paths.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.model.world import compile_world
from indopacsim.scenario.calibrated import with_parameters
from indopacsim.scenario.io import load_scenario
from indopacsim.scenario.schema import Scenario
from indopacsim.validation import hindcast as H
from indopacsim.validation import levels as L
from indopacsim.validation import uncertainty as U
from indopacsim.validation.calibration import WINDOW as CALIBRATION_WINDOW

#: Runs per chunk of the ensemble (one progress line each).
CHUNK = 50
WINDOW = "2020-2025"
#: The calibration window (windows joined by ``+``), on which the baselines and the
#: post-processing are fitted, as the model's parameters are.
TRAIN = CALIBRATION_WINDOW
#: The European states of the model; Finland and the Russia-Europe pairs are the ties a
#: 2019 world sees only through the driver paths (Russia's war).
EUROPE = ("GBR", "FRA", "DEU", "ITA", "NLD", "FIN")
BASELINES = ("persistence", "level_base_rate", "logistic")
BOOTSTRAP_REPS = 1000  #: Bootstrap replicates of each interval (resampling states).

#: Each mechanism switched off: parameter overrides and the event kinds removed ("*": all).
ABLATIONS: dict[str, tuple[dict[str, float], tuple[str, ...]]] = {
    "security (weights.security=0)": ({"weights.security": 0.0}, ()),
    "lattice (weights.lattice=0)": ({"weights.lattice": 0.0}, ()),
    "values and institutions": ({"weights.values": 0.0, "weights.institutions": 0.0}, ()),
    "economic (weights.economic=0)": ({"weights.economic": 0.0}, ()),
    "risk (weights.risk=0)": ({"weights.risk": 0.0}, ()),
    "channel (weights.channel=0)": ({"weights.channel": 0.0}, ()),
    "hostility (weights.hostility=0)": ({"weights.hostility": 0.0}, ()),
    "access (threat.access=0)": ({"threat.access": 0.0}, ()),
    "axis (threat.pooling=0)": ({"threat.pooling": 0.0}, ()),
    "shared partners (weights.shared_partners=0)": ({"weights.shared_partners": 0.0}, ()),
    "crises (rate 0, no crisis events)": ({"crises.rate": 0.0}, ("crisis",)),
    "released pressure (rho_up=1)": ({"status_quo.rho_up": 1.0}, ()),
    "driver paths (= --blind)": ({}, ("*",)),
    "distance cost (costs.distance=0)": ({"costs.distance": 0.0}, ()),
    "budget threat elasticity": ({"budget.threat_elasticity": 0.0}, ()),
}

Progress = Callable[[str], None]


def finland_or_russia_europe(a: str, b: str) -> bool:
    """True for a pair with Finland, or Russia with a European state."""
    pair = {a, b}
    return "FIN" in pair or ("RUS" in pair and bool(pair & set(EUROPE)))


#: Codings of the observed outcome: name -> (robust_only, exclude).
CODINGS: dict[str, tuple[bool, Callable[[str, str], bool] | None]] = {
    "all changes": (False, None),
    "robust changes only": (True, None),
    "without Finland and Russia-Europe": (False, finland_or_russia_europe),
}


def without_events(scenario: Scenario, kinds: tuple[str, ...]) -> Scenario:
    """The scenario without its events of the given kinds (``"*"``: all of them)."""
    if "*" in kinds:
        return H.blind(scenario)
    kept = [ev for ev in scenario.events if ev.kind not in kinds]
    return scenario.model_copy(update={"events": kept})


def run_chunked(
    scenario: Scenario,
    seeds: int,
    seed: int = 0,
    overrides: Mapping[str, float] | None = None,
    progress: Progress | None = None,
    label: str = "runs",
) -> EnsembleResult:
    """Run ``seeds`` runs in chunks of :data:`CHUNK` and join them into one result.

    Chunk ``k`` draws from the ``k``-th child of ``SeedSequence(seed)``; ``progress``
    receives a line after each chunk.
    """
    children = np.random.SeedSequence(seed).spawn(-(-seeds // CHUNK))
    parts: list[EnsembleResult] = []
    for k, child in enumerate(children):
        n = min(CHUNK, seeds - k * CHUNK)
        parts.append(run_ensemble(scenario, n, child, overrides))
        if progress is not None:
            progress(f"{label}: {k * CHUNK + n}/{seeds} runs")
    return EnsembleResult.join(parts)


def window_world(window: str) -> tuple[Scenario, tuple[str, ...], np.ndarray]:
    """A window's scenario, its state codes and its starting levels."""
    sc = load_scenario(H.WINDOWS[window][0])
    w = compile_world(sc)
    return sc, w.codes, w.ties0


def outcomes(window: str, coding: str = "all changes") -> pd.DataFrame:
    """Every pair's observed outcome in a window under a coding, with a ``scored`` mask
    (without the pairs of :data:`~.hindcast.INSTITUTIONAL` changes)."""
    _, codes, ties0 = window_world(window)
    robust, exclude = CODINGS[coding]
    _, start, end = H.WINDOWS[window]
    obs = H.observed(codes, ties0, start, end, robust_only=robust)
    obs["scored"] = [
        not (inst or (exclude and exclude(a, b)))
        for a, b, inst in zip(obs["a"], obs["b"], obs["institutional"], strict=True)
    ]
    return obs


def train_outcomes(coding: str = "all changes") -> pd.DataFrame:
    """The scored pairs' outcomes in each window of :data:`TRAIN`, stacked in its order."""
    frames = [outcomes(w, coding) for w in TRAIN.split("+")]
    return pd.concat([f[f["scored"]] for f in frames], ignore_index=True)


def train_features(coding: str = "all changes") -> pd.DataFrame:
    """The logistic baseline's pair features of :func:`train_outcomes`' rows."""
    frames = []
    for w in TRAIN.split("+"):
        x, keep = H.pair_features(window_world(w)[0]), outcomes(w, coding)["scored"].to_numpy()
        frames.append(x[keep])
    return pd.concat(frames, ignore_index=True)


def baselines(coding: str = "all changes", window: str = WINDOW) -> dict[str, np.ndarray]:
    """P(up) of the three baselines for a window's pairs, fitted on :data:`TRAIN` under a
    coding."""
    test_sc = window_world(window)[0]
    train = train_outcomes(coding)
    test = outcomes(window, coding)
    rates = H.level_base_rates(train["level_start"].to_numpy(), train["up"].to_numpy())
    fallback = float(train["up"].mean())
    logit = H.logistic_baseline(train_features(coding), train["up"].to_numpy(), test_sc)
    return {
        "persistence": np.zeros(len(test)),
        "level_base_rate": np.array([rates.get(int(v), fallback) for v in test["level_start"]]),
        "logistic": logit,
    }


def evaluate(
    p: np.ndarray, obs: pd.DataFrame, reps: int | None = None, outcome: str = "up"
) -> dict[str, Any]:
    """Scores of ``p`` on the scored pairs of ``obs``, with bootstrap intervals by state.

    ``reps`` bootstrap replicates (default :data:`BOOTSTRAP_REPS`; 0: no intervals);
    ``outcome``: the column of ``obs`` forecast (``up``, or ``down`` for cuts).
    """
    reps = BOOTSTRAP_REPS if reps is None else reps
    m = obs["scored"].to_numpy()
    y = obs[outcome].to_numpy()[m]
    pp = np.asarray(p, dtype=float)[m]
    out: dict[str, Any] = H.score(pp, y).as_dict()
    if reps:
        ci = H.bootstrap_by_state(pp, y, obs["a"][m], obs["b"][m], reps=reps)
        out["ci95"] = {k: list(v) for k, v in ci.items()}
        out["reliability"] = H.reliability(pp, y)
    return out


@dataclass
class Backtest:
    """Everything one backtest computes (the CLI writes it to a directory)."""

    seeds: int
    seed: int
    blind: bool
    scenario: Scenario
    predictions: pd.DataFrame
    observed: pd.DataFrame
    forecasts: dict[str, np.ndarray]
    scores: dict[str, Any]
    ablation: pd.DataFrame | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    #: The bootstrap record whose parameter sets the runs were shared among (``None``: the
    #: frozen calibration), :mod:`~indopacsim.validation.uncertainty`.
    parameter_uncertainty: str | None = None


def run_backtest(
    seeds: int = 1000,
    seed: int = 0,
    *,
    blind: bool = False,
    ablation: bool = False,
    reps: int | None = None,
    progress: Progress | None = None,
    overrides: Mapping[str, Any] | None = None,
    parameter_uncertainty: str | None = None,
) -> Backtest:
    """The backtest: forecasts, baselines, scores, coding sensitivity (and the ablation).

    With ``blind`` the reported forecast runs without the driver paths; the forecast with
    them is run too and scored under ``model``, the blind one under ``blind``; the
    ``recalibrated`` forecast is ``model`` through a Platt map learned on the calibration
    window's own forecast (:func:`~indopacsim.validation.hindcast.recalibrate`), and
    ``model_and_level`` combines it with the pair's starting level by a regression learned
    on the same window (:func:`~indopacsim.validation.hindcast.output_statistics`); 1000
    runs (about 30 s) resolve the rare upgrades. ``overrides`` (dotted parameter paths) set
    the model's parameters in both windows' runs and fits (:func:`with_parameters`); the
    baselines do not simulate. With ``parameter_uncertainty`` (``local`` or ``full``: a
    record of the calibration's bootstrap replicates, :mod:`~indopacsim.validation.
    uncertainty`) each of the model's forecasts shares its runs among the replicates'
    parameter sets (not the ablation's); ``overrides`` win over the sets.
    """
    given, kind = dict(overrides or {}), parameter_uncertainty
    sets = [{**p, **given} for p in U.parameter_sets(seeds, kind)] if kind else []

    def ensemble(raw: Scenario, label: str) -> EnsembleResult:
        if sets:
            return U.pooled_ensemble(raw, sets, seeds, seed, progress, label)
        return run_chunked(with_parameters(raw, given), seeds, seed, progress=progress, label=label)

    raw = load_scenario(H.WINDOWS[WINDOW][0])
    sc = with_parameters(raw, given)
    res = ensemble(raw, "with driver paths")
    forecasts = {"model": H.predictions(res)["p_up"].to_numpy()}
    p_train, mos = _train_forecast(ensemble), dict[str, float]()
    forecasts.update(post_processed(p_train, forecasts["model"], seeds, mos))
    table = res
    if blind:
        table = ensemble(H.blind(raw), "blind")
        forecasts["blind"] = H.predictions(table)["p_up"].to_numpy()
    forecasts.update(baselines())
    obs = outcomes(WINDOW)
    scores = score_all(forecasts, {"model": res, **({"blind": table} if blind else {})}, reps)
    scores["model_and_level"]["coefficients"] = mos
    pred = H.predictions(table).rename(
        columns={"level_start": "level_2019", "expected_level_end": "expected_level_2025"}
    )
    scores["parameter_uncertainty"] = {"record": kind, "sets": len(sets)} if kind else None
    bt = Backtest(seeds, seed, blind, sc, pred, obs, forecasts, scores, None, given, kind)
    if ablation:
        bt.ablation = run_ablation(sc, seeds, seed, progress=progress)
        scores["ablation"] = [
            {str(k): v for k, v in r.items()} for r in bt.ablation.to_dict("records")
        ]
    return bt


def _train_forecast(ensemble: Callable[[Scenario, str], EnsembleResult]) -> np.ndarray:
    """The model's ``p_up`` of :func:`train_outcomes`' rows, each window run by ``ensemble``."""
    parts = []
    for w in TRAIN.split("+"):
        p = H.predictions(ensemble(window_world(w)[0], w))["p_up"].to_numpy()
        parts.append(p[outcomes(w)["scored"].to_numpy()])
    return np.concatenate(parts)


def score_all(
    forecasts: dict[str, np.ndarray], ens: dict[str, EnsembleResult], reps: int | None
) -> dict[str, Any]:
    """Each forecast's scores of upgrades, the ensembles' scores of cuts and end levels,
    and every forecast's scores under each coding."""
    obs = outcomes(WINDOW)
    scores: dict[str, Any] = {name: evaluate(p, obs, reps) for name, p in forecasts.items()}
    cuts = {k: H.predictions(r)["p_down"].to_numpy() for k, r in ens.items()}
    scores["cuts"] = {k: evaluate(p, obs, reps, "down") for k, p in cuts.items()}
    levels_reps = BOOTSTRAP_REPS if reps is None else reps
    scores["levels"] = L.backtest_levels(ens, obs, train_outcomes(), levels_reps)
    scores["coding_sensitivity"] = coding_sensitivity(forecasts)
    return scores


def post_processed(
    p_train: np.ndarray, p_model: np.ndarray, runs: int, coefficients: dict[str, float]
) -> dict[str, np.ndarray]:
    """The model's forecast post-processed by maps learned on the calibration window from
    its forecast ``p_train`` of that window: ``recalibrated`` (Platt) and
    ``model_and_level`` (model output statistics, whose coefficients fill
    ``coefficients``)."""
    train_obs = train_outcomes()
    y_train = train_obs["up"].to_numpy()
    levels = (train_obs["level_start"].to_numpy(), outcomes(WINDOW)["level_start"].to_numpy())
    return {
        "recalibrated": H.recalibrate(p_train, y_train, p_model, runs),
        "model_and_level": H.output_statistics(
            p_train, levels[0], y_train, p_model, levels[1], runs, coefficients
        ),
    }


def coding_sensitivity(forecasts: dict[str, np.ndarray]) -> dict[str, dict[str, Any]]:
    """ROC-AUC and Brier skill of every forecast under each coding (baselines refitted)."""
    out: dict[str, dict[str, Any]] = {}
    for coding in CODINGS:
        obs = outcomes(WINDOW, coding)
        fc = {**forecasts, **baselines(coding)}
        row: dict[str, Any] = {"n_pairs": int(obs["scored"].sum())}
        row["n_up"] = int(obs["up"][obs["scored"]].sum())
        for name, p in fc.items():
            s = evaluate(p, obs, reps=0)
            row[name] = {"roc_auc": s["roc_auc"], "brier_skill": s["brier_skill"]}
        out[coding] = row
    return out


def run_ablation(
    scenario: Scenario, seeds: int, seed: int = 0, progress: Progress | None = None
) -> pd.DataFrame:
    """ROC-AUC and Brier skill with each mechanism of :data:`ABLATIONS` switched off.

    Every variant runs the same seeds as the full model (common random numbers).
    """
    obs = outcomes(WINDOW)
    rows = []
    variants = {"full model": ({}, ()), **ABLATIONS}
    for name, (overrides, kinds) in variants.items():
        res = run_chunked(without_events(scenario, kinds), seeds, seed, overrides)
        s = evaluate(H.predictions(res)["p_up"].to_numpy(), obs, reps=0)
        changes = H.changes_per_year(res)
        rows.append(
            {
                "mechanism off": name,
                "overrides": ", ".join(f"{k}={v:g}" for k, v in overrides.items()),
                "roc_auc": s["roc_auc"],
                "pr_auc": s["pr_auc"],
                "brier_skill": s["brier_skill"],
                "changes_per_year": changes,
            }
        )
        if progress is not None:
            progress(f"ablation: {name}")
    df = pd.DataFrame(rows)
    df["d_roc_auc"] = df["roc_auc"] - df["roc_auc"].iloc[0]
    df["d_brier_skill"] = df["brier_skill"] - df["brier_skill"].iloc[0]
    return df
