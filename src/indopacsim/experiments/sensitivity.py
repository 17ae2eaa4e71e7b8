"""Global sensitivity analysis of one outcome over a design's sample (SALib).

- **Sobol** (Saltelli's sample): first-order and total indices S1 and ST, optionally the
  second-order S2, with 95% bootstrap confidence intervals (SALib ``sobol.analyze``).
- **Morris**: mu, mu*, sigma and the confidence interval of mu* (SALib ``morris.analyze``).

Each analyzer takes the SALib problem, the sample ``x`` (a row per point in ``sample_id``
order), the outcome ``y`` per point, the manifest's ``design`` mapping and the root seed,
and returns a row per parameter and a row per pair of parameters (empty without S2).
The design kinds of :mod:`indopacsim.experiments.designs` name their analyzer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

#: Level of every interval reported (SALib's bootstrap intervals, Student-t intervals).
CONFIDENCE = 0.95

Rows = list[dict[str, Any]]
#: ``analyzer(problem, x, y, design, seed) -> (per-parameter rows, per-pair rows)``.
Analyzer = Callable[
    [dict[str, Any], np.ndarray, np.ndarray, dict[str, Any], int], tuple[Rows, Rows]
]


def sobol_indices(
    problem: dict[str, Any], x: np.ndarray, y: np.ndarray, design: dict[str, Any], seed: int
) -> tuple[Rows, Rows]:
    """S1, ST (and S2 when the design sampled it) with their 95% intervals."""
    from SALib.analyze import sobol

    names = problem["names"]
    second = bool(design["second_order"])
    res = sobol.analyze(problem, y, calc_second_order=second, conf_level=CONFIDENCE, seed=seed)
    cols = ("S1", "S1_conf", "ST", "ST_conf")
    rows = [{"parameter": name, **{c: res[c][j] for c in cols}} for j, name in enumerate(names)]
    pairs = []
    if "S2" in res:
        for a, b in itertools.combinations(range(len(names)), 2):
            s2, conf = res["S2"][a, b], res["S2_conf"][a, b]
            pairs.append({"parameter": names[a], "with": names[b], "S2": s2, "S2_conf": conf})
    return rows, pairs


def morris_indices(
    problem: dict[str, Any], x: np.ndarray, y: np.ndarray, design: dict[str, Any], seed: int
) -> tuple[Rows, Rows]:
    """mu, mu*, sigma and the 95% interval of mu* (elementary effects)."""
    from SALib.analyze import morris

    levels = int(design["num_levels"])
    res = morris.analyze(problem, x, y, num_levels=levels, conf_level=CONFIDENCE, seed=seed)
    cols = ("mu", "mu_star", "sigma", "mu_star_conf")
    return [
        {"parameter": n, **{c: res[c][j] for c in cols}} for j, n in enumerate(problem["names"])
    ], []
