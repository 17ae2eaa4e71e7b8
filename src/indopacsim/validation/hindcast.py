"""The hindcast: forecasts of tie changes from a past world, scored against history.

The model is started from a bundled past world (the end of 2019 for the scored window,
the end of 2012 for the calibration window), run through the driver paths of the
window (``scenarios/hindcast_2019.yaml``, ``hindcast_2012.yaml``: great-power policies and
crises, never a tie event), and its share of runs in which each pair ends deeper than it
started (``p_up``) is scored against the project's dated list of changes
(``data/tie_changes.csv``). Scores: ROC-AUC, PR-AUC, Brier and the Brier skill against a
base-rate forecast, for the model and for three baselines that use no simulation:
persistence, the base rate by starting level, and a logistic regression on the model's
own inputs. The baselines are fitted on the calibration window only, like the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from indopacsim import data
from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.model.world import compile_world
from indopacsim.scenario.io import load_scenario
from indopacsim.scenario.schema import Scenario

#: The scored window and the calibration window: scenario, start and end (inclusive).
WINDOWS = {
    "2020-2025": ("hindcast_2019", dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    "2013-2019": ("hindcast_2012", dt.date(2013, 1, 1), dt.date(2019, 12, 31)),
    "2006-2012": ("hindcast_2005", dt.date(2006, 1, 1), dt.date(2012, 12, 31)),
}

#: Instruments (the start of their ``instrument`` text) by which an institution's founding
#: put many pairs on a rung at once, outside any pair's choice and outside the model's
#: mechanism (a multilateral body): the first ASEAN Defence Ministers' Meeting (9 May
#: 2006) entered nine ASEAN pairs to rung 1 (``data/HINDCAST.md``, "Review of the
#: 2006-2012 record", row 3). Their pairs are left out of every score of the window and
#: their changes out of its observed rate.
INSTITUTIONAL = ("First ASEAN Defence Ministers' Meeting",)


def _changes(start: dt.date, end: dt.date) -> pd.DataFrame:
    """The dated changes within ``[start, end]``, with an ``institutional`` flag."""
    ch = data.tie_changes()
    ch = ch[(ch["date"] >= start) & (ch["date"] <= end)].copy()
    ch["institutional"] = ch["instrument"].astype(str).str.startswith(INSTITUTIONAL)
    return ch


def pair_frame(codes: tuple[str, ...]) -> pd.DataFrame:
    """One row per unordered pair (a before b in the scenario's order) with indices."""
    i, j = np.triu_indices(len(codes), 1)
    return pd.DataFrame({"a": [codes[k] for k in i], "b": [codes[k] for k in j], "i": i, "j": j})


def observed(
    codes: tuple[str, ...],
    ties0: np.ndarray,
    start: dt.date,
    end: dt.date,
    *,
    robust_only: bool = False,
    exclude: Callable[[str, str], bool] | None = None,
) -> pd.DataFrame:
    """Each pair's observed end level and whether it ended above or below its start.

    Applies the dated changes of ``data/tie_changes.csv`` within ``[start, end]`` to the
    starting levels. With ``robust_only``, changes coded ``robust = false`` are ignored
    (the pair keeps its level). ``exclude(a, b)`` drops pairs from the scored set.
    ``institutional`` marks the pairs that an :data:`INSTITUTIONAL` instrument changed in
    the window (to be left out of scores: they are kept so that rows align with forecasts).
    """
    ch = _changes(start, end)
    inst = {frozenset(p) for p in ch.loc[ch["institutional"], ["a", "b"]].to_numpy()}
    if robust_only:
        ch = ch[ch["robust"]]
    pos = {c: k for k, c in enumerate(codes)}
    level = ties0.astype(int).copy()
    for a, b, to in ch[["a", "b", "level_to"]].itertuples(index=False):
        if a in pos and b in pos:
            level[pos[a], pos[b]] = level[pos[b], pos[a]] = int(to)
    pf = pair_frame(codes)
    pf["level_start"] = ties0[pf["i"], pf["j"]].astype(int)
    pf["level_end"] = level[pf["i"], pf["j"]]
    pf["up"] = pf["level_end"] > pf["level_start"]
    pf["down"] = pf["level_end"] < pf["level_start"]
    pf["institutional"] = [frozenset(p) in inst for p in zip(pf["a"], pf["b"], strict=True)]
    if exclude is not None:
        keep = [not exclude(a, b) for a, b in zip(pf["a"], pf["b"], strict=True)]
        pf = pf[np.array(keep, dtype=bool)]
    return pf.reset_index(drop=True)


def observed_rate(start: dt.date, end: dt.date) -> float:
    """Observed tie changes per year among the 24 states within ``[start, end]`` (without
    the :data:`INSTITUTIONAL` ones)."""
    n = int((~_changes(start, end)["institutional"]).sum())
    return n / ((end - start).days / 365.25)


def predictions(res: EnsembleResult) -> pd.DataFrame:
    """The forecast table: one row per pair with p_up, p_down and the expected end level."""
    pf = pair_frame(res.codes)
    i, j = pf["i"].to_numpy(), pf["j"].to_numpy()
    return pd.DataFrame(
        {
            "a": pf["a"],
            "b": pf["b"],
            "level_start": res.ties0[i, j].astype(int),
            "p_up": res.p_up()[i, j],
            "p_down": res.p_down()[i, j],
            "expected_level_end": res.mean_level()[i, j],
        }
    )


def blind(scenario: Scenario) -> Scenario:
    """The scenario without its driver paths: the start's policies held throughout."""
    return scenario.model_copy(update={"events": []})


def forecast(
    window: str = "2020-2025",
    runs: int = 100,
    seed: int = 0,
    *,
    without_drivers: bool = False,
    overrides: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, EnsembleResult]:
    """Run a window's scenario as an ensemble and return its forecast table."""
    name = WINDOWS[window][0]
    sc = load_scenario(name)
    if without_drivers:
        sc = blind(sc)
    res = run_ensemble(sc, runs, seed, overrides)
    return predictions(res), res


@dataclass(frozen=True)
class Score:
    """Scores of one forecast of ``up`` over a set of pairs."""

    n_pairs: int
    n_up: int
    roc_auc: float
    pr_auc: float
    brier: float
    brier_base: float
    brier_skill: float

    def as_dict(self) -> dict[str, float]:
        """The scores as a plain mapping."""
        return dict(self.__dict__)


def score(p: np.ndarray, y: np.ndarray, base_rate: float | None = None) -> Score:
    """Score probabilities ``p`` of an upgrade against outcomes ``y``.

    The base-rate forecast predicts ``base_rate`` for every pair (default: the observed
    share of the scored pairs itself, the strictest constant forecast).
    """
    y = np.asarray(y, dtype=bool)
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    rate = float(y.mean()) if base_rate is None else base_rate
    brier = brier_score_loss(y, p)
    base = brier_score_loss(y, np.full(len(y), rate))
    both = 0 < y.sum() < len(y)
    return Score(
        n_pairs=len(y),
        n_up=int(y.sum()),
        roc_auc=float(roc_auc_score(y, p)) if both else float("nan"),
        pr_auc=float(average_precision_score(y, p)) if both else float("nan"),
        brier=float(brier),
        brier_base=float(base),
        brier_skill=float(1.0 - brier / base) if base > 0 else float("nan"),
    )


def bootstrap_by_state(
    p: np.ndarray,
    y: np.ndarray,
    a: Iterable[str],
    b: Iterable[str],
    reps: int = 1000,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """95% intervals of ROC-AUC and Brier skill, resampling states (pairs share states).

    Each replicate draws states with replacement and keeps every pair whose two states
    were drawn, weighted by the number of times each was drawn (a two-way cluster
    bootstrap over the pair's members).
    """
    aucs, bss = [], []
    for w in state_weights(a, b, reps, seed):
        keep = w > 0
        yy, pp, ww = y[keep], p[keep], w[keep]
        if yy.sum() == 0 or yy.sum() == len(yy):
            continue
        auc, skill = weighted_scores(pp, yy, ww)
        aucs.append(auc)
        bss.append(skill)
    return {
        "roc_auc": (float(np.quantile(aucs, 0.025)), float(np.quantile(aucs, 0.975))),
        "brier_skill": (float(np.quantile(bss, 0.025)), float(np.quantile(bss, 0.975))),
    }


def weighted_scores(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """ROC-AUC and Brier skill (against the weighted base rate) of ``p`` on the pairs
    weighted by ``w`` (a replicate of :func:`state_weights`)."""
    rate = np.average(y, weights=w)
    br = np.average((p - y) ** 2, weights=w)
    bb = np.average((rate - y) ** 2, weights=w)
    return float(roc_auc_score(y, p, sample_weight=w)), float(1.0 - br / bb)


def state_weights(
    a: Iterable[str], b: Iterable[str], reps: int, seed: int = 0
) -> Iterator[np.ndarray]:
    """The pair weights of ``reps`` bootstrap replicates that draw the states with
    replacement: a pair counts the product of its two states' draws (0: left out)."""
    a, b = np.asarray(list(a)), np.asarray(list(b))
    states = np.unique(np.concatenate([a, b]))
    idx = {s: k for k, s in enumerate(states)}
    ia = np.array([idx[s] for s in a])
    ib = np.array([idx[s] for s in b])
    rng = np.random.default_rng(seed)
    for _ in range(reps):
        counts = np.bincount(rng.integers(0, len(states), len(states)), minlength=len(states))
        yield counts[ia] * counts[ib]


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    """Binned predicted probability against observed frequency (non-empty bins only)."""
    k = np.minimum((np.asarray(p) * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        sel = k == b
        if sel.any():
            out.append(
                {
                    "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                    "p_mean": float(p[sel].mean()),
                    "observed": float(y[sel].mean()),
                    "count": int(sel.sum()),
                }
            )
    return out


# ---------------------------------------------------------------------- baselines
def pair_features(scenario: Scenario) -> pd.DataFrame:
    """The model's own inputs for each pair, without simulation (for the logistic baseline).

    Level, the two states' depth of tie with the US and with China, the lower and the gap
    of their democracy scores, the smaller and larger log capability, log distance,
    shared memberships, dispute intensity, and the larger trade exposure to China.
    """
    w = compile_world(scenario)
    pf = pair_frame(w.codes)
    i, j = pf["i"].to_numpy(), pf["j"].to_numpy()
    t = w.ties0.astype(float)
    us = t[:, w.us] if w.us >= 0 else np.zeros(w.n)
    cn = t[:, w.china] if w.china >= 0 else np.zeros(w.n)
    logcap = np.log(np.maximum(w.capability, 1e-4))
    m = w.memberships.astype(float)
    shared = (m @ m.T)[i, j]
    feats = pd.DataFrame(
        {
            "level": t[i, j],
            "us_min": np.minimum(us[i], us[j]),
            "us_max": np.maximum(us[i], us[j]),
            "cn_max": np.maximum(cn[i], cn[j]),
            "dem_min": np.minimum(w.democracy[i], w.democracy[j]),
            "dem_gap": np.abs(w.democracy[i] - w.democracy[j]),
            "cap_min": np.minimum(logcap[i], logcap[j]),
            "cap_max": np.maximum(logcap[i], logcap[j]),
            "log_distance": np.log(w.distance_km[i, j] + 100.0),
            "shared": shared,
            "dispute": w.dispute[i, j],
            "exposure_cn": np.maximum(w.exposure_china[i], w.exposure_china[j]),
        }
    )
    return feats


def logistic_baseline(x_train: pd.DataFrame, y_train: np.ndarray, test: Scenario) -> np.ndarray:
    """P(up) from a logistic regression fitted on the calibration window's pairs (their
    :func:`pair_features` ``x_train`` and outcomes ``y_train``)."""
    x_test = pair_features(test)
    mu, sd = x_train.mean(), x_train.std().replace(0.0, 1.0)
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit((x_train - mu) / sd, y_train)
    return clf.predict_proba((x_test - mu) / sd)[:, 1]


def recalibrate(
    p_train: np.ndarray, y_train: np.ndarray, p_test: np.ndarray, runs: int
) -> np.ndarray:
    """The ensemble's ``p_up`` recalibrated by a map learned on the calibration window.

    Platt scaling (Platt 1999): ``p' = logistic(a + b logit(p))`` with ``a`` and ``b``
    fitted by maximum likelihood on the calibration window's forecasts and outcomes, then
    applied to the scored window's forecasts. It keeps the ranking (ROC-AUC) and corrects
    over- or under-confidence, as forecasters recalibrate an ensemble (Gneiting & Raftery
    2007). Probabilities enter as :func:`ensemble_logit`.
    """
    clf = LogisticRegression(C=1e6, max_iter=1000)
    clf.fit(ensemble_logit(p_train, runs)[:, None], y_train)
    return clf.predict_proba(ensemble_logit(p_test, runs)[:, None])[:, 1]


def ensemble_logit(p: np.ndarray, runs: int) -> np.ndarray:
    """logit(p) of an ensemble's probabilities, clipped to half a run from 0 and 1 (an
    ensemble of ``runs`` cannot tell 0 from less than ``1 / runs``)."""
    eps = 0.5 / runs
    q = np.clip(np.asarray(p, dtype=float), eps, 1.0 - eps)
    return np.log(q / (1.0 - q))


def changes_per_year(res: EnsembleResult) -> float:
    """Tie changes per run and year of an ensemble of quarterly steps."""
    return float(res.changes.sum() / res.ties.shape[0] / (len(res.changes) / 4.0))


#: Starting levels at and above this one share one indicator in :func:`output_statistics`.
MOS_TOP_LEVEL = 5


def output_statistics(
    p_train: np.ndarray,
    levels_train: np.ndarray,
    y_train: np.ndarray,
    p_test: np.ndarray,
    levels_test: np.ndarray,
    runs: int,
    coefficients: dict[str, float] | None = None,
) -> np.ndarray:
    """The ensemble's ``p_up`` combined with the pair's starting level, learned on the
    calibration window: model output statistics (Glahn & Lowry 1972).

    A logistic regression of the training window's outcomes on ``logit(p)`` and one
    indicator per starting level (levels of :data:`MOS_TOP_LEVEL` and above pooled),
    fitted on the calibration window's forecasts and outcomes and applied to the scored
    window's, as weather services post-process a dynamical model with the statistics of
    its past errors. It answers whether the simulation adds to the base rate by level:
    the level indicators alone give that base rate, the model's term what the simulation
    adds. Regularised as the logistic baseline is (``C = 1``), which keeps a level with
    no upgrade in the training window (none from 4 up in 2013-2019) above zero.
    Probabilities enter as :func:`ensemble_logit`.
    ``coefficients``, when given, receives the fitted coefficients by name.
    """

    def features(p: np.ndarray, levels: np.ndarray) -> np.ndarray:
        top = np.minimum(np.asarray(levels, dtype=int), MOS_TOP_LEVEL)
        return np.column_stack([ensemble_logit(p, runs), np.eye(MOS_TOP_LEVEL + 1)[top]])

    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit(features(p_train, levels_train), y_train)
    if coefficients is not None:
        names = ["logit_p", *(f"level_{lv}" for lv in range(MOS_TOP_LEVEL)), "level_5_up"]
        coefficients.update(zip(names, map(float, clf.coef_[0]), strict=True))
        coefficients["intercept"] = float(clf.intercept_[0])
    return clf.predict_proba(features(p_test, levels_test))[:, 1]


def level_base_rates(levels: np.ndarray, up: np.ndarray) -> dict[int, float]:
    """Share of pairs that moved up, by starting level (Laplace-smoothed)."""
    out = {}
    for lv in range(0, int(levels.max()) + 2):
        sel = levels == lv
        out[lv] = float((up[sel].sum() + 0.5) / (sel.sum() + 1.0))
    return out
