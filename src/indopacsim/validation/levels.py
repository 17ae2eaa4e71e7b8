"""End levels: how well a forecast gets the depth of each tie, not only its direction.

The hindcast's ROC-AUC and Brier scores read one bit per pair: did the tie go up. They
cannot tell a forecast of one rung from a forecast of four (of the 29 upgrades of
2013-2019, 16 jumped two rungs or more, from a dialogue to an intelligence or logistics
agreement in one instrument). The ranked probability score (Epstein 1969; Murphy 1971),
the proper score for ordinal outcomes, reads a pair's whole forecast distribution over
the ladder's levels ``0..MAX_LEVEL`` against the level it really ended at:

    RPS = sum_k (F(k) - 1[obs <= k])^2 / MAX_LEVEL,   F(k) = P(end level <= k)

averaged over the pairs (0 is perfect; a forecast one rung off with certainty scores
1 / MAX_LEVEL). Its skill is ``1 - RPS / RPS(persistence)``. Beside it, the mean absolute
error of the expected end level. Two baselines, neither simulating: persistence (every
tie ends where it started) and a transition matrix by starting level, the end-level
distribution of the calibration window's pairs that started at the same level (a
first-order Markov chain of the window's record). Intervals resample states, as the
hindcast's other scores do (:func:`indopacsim.validation.hindcast.bootstrap_by_state`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indopacsim.model.ensemble import EnsembleResult
from indopacsim.tiescale import MAX_LEVEL
from indopacsim.validation.hindcast import state_weights

#: Number of levels on the ladder (0..MAX_LEVEL).
LEVELS = MAX_LEVEL + 1

#: The level forecasts the backtest scores, in the order of its table.
FORECASTS = ("model", "blind", "transition", "persistence")


def distribution(res: EnsembleResult, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """(P, LEVELS) share of an ensemble's runs ending at each level, for pairs ``(i, j)``."""
    end = res.ties[:, i, j].astype(np.intp)  # (R, P)
    out = np.zeros((end.shape[1], LEVELS))
    for k in range(LEVELS):
        out[:, k] = (end == k).mean(axis=0)
    return out


def point(levels: np.ndarray) -> np.ndarray:
    """(P, LEVELS) forecast that puts all its mass on the given levels."""
    lv = np.asarray(levels, dtype=np.intp)
    out = np.zeros((len(lv), LEVELS))
    out[np.arange(len(lv)), lv] = 1.0
    return out


def rps(dist: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """The ranked probability score of each pair (P,): cumulative forecast against the
    cumulative indicator of the observed level, squared, summed, over ``MAX_LEVEL``."""
    gap = np.cumsum(dist, axis=1) - np.cumsum(point(observed), axis=1)
    return np.add.reduce(gap**2, axis=1) / MAX_LEVEL


def transition_matrix(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """(LEVELS, LEVELS) end-level distribution by starting level, counted over a window's
    pairs; a starting level no pair had keeps its ties where they are (persistence)."""
    counts = np.zeros((LEVELS, LEVELS))
    np.add.at(counts, (np.asarray(start, np.intp), np.asarray(end, np.intp)), 1.0)
    total = counts.sum(axis=1, keepdims=True)
    stay = np.eye(LEVELS)
    return np.where(total > 0, counts / np.where(total > 0, total, 1.0), stay)


def scores(
    dist: np.ndarray,
    observed: np.ndarray,
    start: np.ndarray,
    a: pd.Series,
    b: pd.Series,
    reps: int = 0,
    seed: int = 0,
) -> dict[str, Any]:
    """RPS, its skill against persistence and the MAE of the expected level, with 95%
    intervals of the skill resampling states when ``reps`` > 0 (a replicate whose pairs
    all stood still has no skill to measure and is skipped, as in the hindcast's)."""
    obs = np.asarray(observed, dtype=np.intp)
    mine, still = rps(dist, obs), rps(point(start), obs)
    expected = dist @ np.arange(LEVELS)
    out: dict[str, Any] = {
        "rps": float(mine.mean()),
        "rps_persistence": float(still.mean()),
        "rps_skill": _skill(mine, still, np.ones(len(obs))),
        "mae_level": float(np.abs(expected - obs).mean()),
    }
    if reps:
        draws = (w for w in state_weights(a, b, reps, seed) if w.any())
        skills = [k for k in (_skill(mine, still, w) for w in draws) if np.isfinite(k)]
        out["ci95"] = {"rps_skill": [float(np.quantile(skills, q)) for q in (0.025, 0.975)]}
    return out


def _skill(mine: np.ndarray, still: np.ndarray, w: np.ndarray) -> float:
    base = float(np.average(still, weights=w))
    return 1.0 - float(np.average(mine, weights=w)) / base if base > 0 else float("nan")


def backtest_levels(
    runs: dict[str, EnsembleResult],
    test: pd.DataFrame,
    train: pd.DataFrame,
    reps: int = 0,
) -> dict[str, dict[str, Any]]:
    """The level scores of the backtest: the model's ensembles (``runs``: ``model``, and
    ``blind`` when run) and the two baselines, the transition matrix counted on the
    calibration window's outcomes ``train``; ``test``: the scored window's outcomes
    (:func:`indopacsim.validation.hindcast.observed`, pairs in the same order)."""
    i, j = test["i"].to_numpy(), test["j"].to_numpy()
    start = test["level_start"].to_numpy()
    matrix = transition_matrix(train["level_start"].to_numpy(), train["level_end"].to_numpy())
    dists = {name: distribution(res, i, j) for name, res in runs.items()}
    dists["transition"] = matrix[start.astype(np.intp)]
    dists["persistence"] = point(start)
    end = test["level_end"].to_numpy()
    return {
        name: scores(dists[name], end, start, test["a"], test["b"], reps)
        for name in FORECASTS
        if name in dists
    }


def summary_lines(levels: dict[str, dict[str, Any]]) -> list[str]:
    """The level scores as lines of the backtest's plain-text summary."""
    lines = [
        "end levels (ranked probability score; skill against persistence)",
        f"{'forecast':<16} {'RPS':>7} {'skill':>7} {'95% CI':>15} {'MAE level':>10}",
    ]
    for name, s in levels.items():
        ci = s.get("ci95", {}).get("rps_skill", [float("nan")] * 2)
        lines.append(
            f"{name:<16} {s['rps']:7.4f} {s['rps_skill']:7.3f} {ci[0]:7.3f}-{ci[1]:.3f} "
            f"{s['mae_level']:10.3f}"
        )
    return lines


__all__ = [
    "FORECASTS",
    "LEVELS",
    "backtest_levels",
    "distribution",
    "point",
    "rps",
    "scores",
    "summary_lines",
    "transition_matrix",
]
