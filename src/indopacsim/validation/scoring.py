"""Scoring rules for an ensemble's forecast of which pairs' ties change: the calibration
objective's choice of how a probability is scored against what happened.

A forecast here is the share of an ensemble's runs in which a pair's tie moved
(``p_up``, ``p_down``), scored against whether it did. Both rules are strictly proper
(Gneiting & Raftery 2007, "Strictly proper scoring rules, prediction, and estimation"):
a forecaster minimises either in expectation only by stating its true probabilities.
They differ in what they forgive.

- **Brier** (Brier 1950): the mean squared difference ``(p - y)^2``. A confident miss (a
  pair the ensemble never moves that did move) costs at most 1, as much as 20 pairs
  forecast at a 20% chance that did not move.
- **Log** (the ignorance score, Good 1952; Roulston & Smith 2002, "Evaluating
  probabilistic forecasts using information theory"): ``-log p`` of what happened. A
  confident miss costs without bound, so a fit under it avoids ruling out any change
  the record holds; the ensemble's share is smoothed by the Jeffreys estimate
  ``(k + 1/2) / (R + 1)`` of its ``k`` moves in ``R`` runs, so that a share of zero
  costs ``log(2R + 2)`` and not infinity (the same at every candidate of one
  calibration, whose runs are fixed).

:func:`score` is the one signature; :data:`RULES` names the rules the calibration's
``--rule`` accepts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: A rule: (probabilities, outcomes, runs of the ensemble, pair weights) -> mean score.
Rule = Callable[[np.ndarray, np.ndarray, int, np.ndarray], float]


def brier(p: np.ndarray, y: np.ndarray, runs: int, weights: np.ndarray) -> float:
    """The weighted mean of ``(p - y)^2`` (``runs`` is not needed)."""
    del runs
    return float(np.average((np.clip(p, 0.0, 1.0) - y) ** 2, weights=weights))


def jeffreys(p: np.ndarray, runs: int) -> np.ndarray:
    """``(k + 1/2) / (R + 1)`` for an ensemble share ``p = k / R`` of ``R`` runs."""
    k = np.round(np.clip(p, 0.0, 1.0) * runs)
    return (k + 0.5) / (runs + 1.0)


def log(p: np.ndarray, y: np.ndarray, runs: int, weights: np.ndarray) -> float:
    """The weighted mean ignorance ``-log q`` of the outcome, ``q`` the Jeffreys share."""
    q = jeffreys(p, runs)
    yes = np.asarray(y, dtype=bool)
    loss = -np.where(yes, np.log(q), np.log1p(-q))
    return float(np.average(loss, weights=weights))


#: The rules by name, as the calibration's ``--rule`` takes them.
RULES: dict[str, Rule] = {"brier": brier, "log": log}

#: How each rule is named in a calibration record's ``objective``.
DESCRIPTIONS: dict[str, str] = {
    "brier": "Brier",
    "log": "ignorance (-log of the Jeffreys share (k + 1/2) / (R + 1))",
}


def lookup(name: str) -> Rule:
    """The rule of that name (:data:`RULES`).

    Raises:
        ValueError: the name is not a rule (the message lists the rules).
    """
    if name not in RULES:
        raise ValueError(f"unknown scoring rule {name!r}: one of {', '.join(RULES)}")
    return RULES[name]


def score(
    rule: str, p: np.ndarray, y: np.ndarray, runs: int, weights: np.ndarray | None = None
) -> float:
    """The mean score of forecasts ``p`` (shares of ``runs`` runs) against outcomes ``y``
    under ``rule`` (a name of :data:`RULES`), the pairs weighted by ``weights``."""
    scored = lookup(rule)
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=float)
    return scored(p, y, runs, w)


__all__ = ["DESCRIPTIONS", "RULES", "brier", "jeffreys", "log", "lookup", "score"]
