"""A backcast of 2006-2012 from the world of 2005: the first of the calibration's windows.

``scenarios/hindcast_2005.yaml`` runs the bundled world of the end of 2005
(``data/WORLD_2005.md``) through the driver paths of 2006-2012, with no tie event; each
pair's ``p_up`` is scored against the dated changes of ``data/tie_changes_2006_2012.csv``
(without the pairs of :data:`~.hindcast.INSTITUTIONAL` changes) beside the hindcast's three
baselines, fitted on the calibration window as the model was (persistence, the base rate by
starting level, the logistic regression on the model's inputs), with intervals from
resampling states, and beside the blind forecast (no driver paths).

The frozen calibration (``validation/calibration.py``) is fitted on 2006-2019, so these
years are in-sample: the backcast shows how well the model fits the earlier era beside the
baselines fitted on the same years. With the parameters of a calibration fitted on
2013-2019 alone (``--set``) it is the held-out test of transportability it was first built
as. ``benchmarks/backcast_report.py`` prints it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from indopacsim.scenario.calibrated import with_parameters
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import hindcast as H

WINDOW = "2006-2012"


@dataclass
class Backcast:
    """What one backcast computes.

    Attributes:
        seeds, seed: Runs and root seed of each ensemble.
        predictions: The model's forecast table (:func:`.hindcast.predictions`).
        observed: Every pair's observed outcome (:func:`.backtest.outcomes`).
        forecasts: ``p_up`` of the model, the blind model and the three baselines.
        scores: Each forecast's scores (:func:`~indopacsim.validation.backtest.evaluate`).
        pace: Changes per year of the model, the blind model and the record.
        overrides: The parameters set in both runs (none: the frozen calibration).
    """

    seeds: int
    seed: int
    predictions: pd.DataFrame
    observed: pd.DataFrame
    forecasts: dict[str, np.ndarray]
    scores: dict[str, dict[str, Any]]
    pace: dict[str, float]
    overrides: dict[str, Any] = field(default_factory=dict)


def run_backcast(
    seeds: int = 1000,
    seed: int = 0,
    *,
    reps: int | None = None,
    progress: B.Progress | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Backcast:
    """Run the 2005 world to the end of 2012 with and without the driver paths; score both
    and the baselines (``reps`` bootstrap replicates, 0: no intervals) at the frozen
    calibration, or with ``overrides`` set in both runs."""
    file, start, end = H.WINDOWS[WINDOW]
    sc = with_parameters(load_scenario(file), dict(overrides or {}))
    res = B.run_chunked(sc, seeds, seed, progress=progress, label="backcast")
    blind = B.run_chunked(H.blind(sc), seeds, seed, progress=progress, label="blind")
    obs = B.outcomes(WINDOW)
    pred = H.predictions(res)
    forecasts = {
        "model": pred["p_up"].to_numpy(),
        "blind": H.predictions(blind)["p_up"].to_numpy(),
        **B.baselines(window=WINDOW),
    }
    scores = {k: B.evaluate(p, obs, reps) for k, p in forecasts.items()}
    pace = {
        "model": H.changes_per_year(res),
        "blind": H.changes_per_year(blind),
        "observed": H.observed_rate(start, end),
    }
    return Backcast(seeds, seed, pred, obs, forecasts, scores, pace, dict(overrides or {}))


#: The three dated records, earliest first, and the groups of starting levels compared.
ERAS = ("2006-2012", "2013-2019", "2020-2025")
LEVEL_GROUPS = ((0, 0, "0"), (1, 1, "1"), (2, 3, "2-3"), (4, 7, "4-7"))


def eras(
    seeds: int = 1000,
    seed: int = 0,
    progress: B.Progress | None = None,
    known: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Each record's pairs by group of starting level: how many, how many went up, the
    share, and the frozen model's mean ``p_up`` from that record's world with its driver
    paths (the backcast, the calibration window in-sample, the hindcast). ``known``: the
    ``p_up`` of windows already run with these seeds (a backcast's ``model``), not rerun.

    Columns: era, levels, pairs, up, share, model. Treaty pairs (level 8) are left out:
    they cannot go up.
    """
    rows = []
    for window in ERAS:
        p = (known or {}).get(window)
        if p is None:
            sc = load_scenario(H.WINDOWS[window][0])
            res = B.run_chunked(sc, seeds, seed, progress=progress)
            p = H.predictions(res)["p_up"].to_numpy()
        obs = B.outcomes(window)
        for lo, hi, name in LEVEL_GROUPS:
            m = obs["level_start"].between(lo, hi).to_numpy() & obs["scored"].to_numpy()
            up = int(obs["up"].to_numpy()[m].sum())
            n = int(m.sum())
            rows.append(
                {"era": window, "levels": name, "pairs": n, "up": up, "share": up / n}
                | {"model": float(p[m].mean())}
            )
    return pd.DataFrame(rows)


def by_level(bc: Backcast) -> pd.DataFrame:
    """By starting level: the pairs, how many went up, the model's mean ``p_up`` and the
    base rate's forecast (the calibration window's share of the level that went up); scored
    pairs only."""
    df = pd.DataFrame(
        {
            "level": bc.observed["level_start"].to_numpy(),
            "up": bc.observed["up"].to_numpy(),
            "model": bc.forecasts["model"],
            "base_rate": bc.forecasts["level_base_rate"],
        }
    )
    means = {"model": ("model", "mean"), "base_rate": ("base_rate", "mean")}
    df = df[bc.observed["scored"].to_numpy()]
    return df.groupby("level").agg(pairs=("up", "size"), up=("up", "sum"), **means)


def misses(bc: Backcast, below: float = 0.05, above: float = 0.5) -> tuple[pd.DataFrame, ...]:
    """The real upgrades the model gave less than ``below`` and the pairs that did not
    move up but that it gave more than ``above`` (a, b, start level, p_up); scored pairs only."""
    t = bc.predictions[["a", "b", "level_start", "p_up"]].copy()
    up = bc.observed["up"].to_numpy()
    s = bc.observed["scored"].to_numpy()
    missed = t[s & up & (t["p_up"] < below)].sort_values("p_up")
    alarms = t[s & ~up & (t["p_up"] > above)].sort_values("p_up", ascending=False)
    return missed.reset_index(drop=True), alarms.reset_index(drop=True)


def table(bc: Backcast) -> str:
    """The scores as a markdown table (ROC-AUC and Brier skill with their intervals)."""
    lines = [
        "| forecast | ROC-AUC [95% CI] | PR-AUC | Brier | Brier skill [95% CI] |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, s in bc.scores.items():
        ci = s.get("ci95", {})
        auc = _with_ci(s["roc_auc"], ci.get("roc_auc"))
        skill = _with_ci(s["brier_skill"], ci.get("brier_skill"), signed=True)
        lines.append(f"| {name} | {auc} | {s['pr_auc']:.3f} | {s['brier']:.4f} | {skill} |")
    return "\n".join(lines)


def write_outputs(bc: Backcast, out: Path, command: list[str]) -> list[Path]:
    """Write ``predictions.csv`` (the model's table with every forecast's ``p_up``, the
    observed outcome and whether the pair is scored), ``scores.json`` and ``manifest.json``
    (how to reproduce them)."""
    from indopacsim.manifest import atomic_write_bytes, base_manifest, write_json

    table = bc.predictions.copy()
    for name, p in bc.forecasts.items():
        table[f"p_up_{name}"] = p
    table["up"] = bc.observed["up"].to_numpy()
    table["scored"] = bc.observed["scored"].to_numpy()
    paths = [out / "predictions.csv", out / "scores.json", out / "manifest.json"]
    atomic_write_bytes(paths[0], table.to_csv(index=False).encode())
    write_json(
        paths[1], {"window": WINDOW, "training_window": B.TRAIN, "pace": bc.pace, **bc.scores}
    )
    scenario = load_scenario(H.WINDOWS[WINDOW][0])
    manifest = base_manifest("backcast", command) | {
        "scenario": {"name": scenario.name, "sha256": scenario.digest()},
        "window": WINDOW,
        "seeds": bc.seeds,
        "root_seed": bc.seed,
        "seed_rule": f"chunks of {B.CHUNK} runs; chunk k: SeedSequence(root_seed).spawn()[k]; "
        "the blind runs likewise",
        "overrides": bc.overrides,
        "outputs": [q.name for q in paths[:2]],
    }
    write_json(paths[2], manifest)
    return paths


def _with_ci(x: float, ci: list[float] | None, signed: bool = False) -> str:
    fmt = "{:+.3f}" if signed else "{:.3f}"
    text = fmt.format(x)
    return text if not ci else f"{text} [{fmt.format(ci[0])}, {fmt.format(ci[1])}]"


__all__ = [
    "ERAS",
    "LEVEL_GROUPS",
    "WINDOW",
    "Backcast",
    "by_level",
    "eras",
    "misses",
    "run_backcast",
    "table",
    "write_outputs",
]
