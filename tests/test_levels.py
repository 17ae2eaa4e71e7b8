"""End-level scores of the hindcast (:mod:`indopacsim.validation.levels`): hand-worked
ranked probability scores, the transition-matrix baseline, and the backtest's table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from helpers import run_backtest_cli as _main

from indopacsim.tiescale import MAX_LEVEL
from indopacsim.validation import levels as L


def test_a_certain_forecast_of_the_right_level_scores_0():
    obs = np.array([0, 3, 8])
    assert np.allclose(L.rps(L.point(obs), obs), 0.0)


def test_one_rung_off_with_certainty_scores_one_over_the_top():
    # F and the observed indicator differ at exactly one cumulative level
    assert L.rps(L.point([2]), np.array([3]))[0] == pytest.approx(1 / MAX_LEVEL)
    assert L.rps(L.point([1]), np.array([4]))[0] == pytest.approx(3 / MAX_LEVEL)


def test_a_spread_forecast_by_hand():
    # half at 1, half at 2, the tie ends at 2: cumulative forecast 0, .5, 1, 1, ...
    # against 0, 0, 1, 1, ...: one gap of .5
    dist = np.zeros((1, L.LEVELS))
    dist[0, 1] = dist[0, 2] = 0.5
    assert L.rps(dist, np.array([2]))[0] == pytest.approx(0.25 / MAX_LEVEL)
    # hedging between the two is better than the wrong point and worse than the right one
    assert L.rps(L.point([2]), np.array([2]))[0] < 0.25 / MAX_LEVEL < L.rps(L.point([1]), [2])[0]


def test_the_transition_matrix_counts_the_window_and_keeps_unseen_levels_in_place():
    start = np.array([1, 1, 1, 1, 3])
    end = np.array([1, 1, 2, 4, 3])
    m = L.transition_matrix(start, end)
    assert np.allclose(m.sum(axis=1), 1.0)
    assert m[1, 1] == 0.5 and m[1, 2] == 0.25 and m[1, 4] == 0.25
    assert m[3, 3] == 1.0
    assert m[6, 6] == 1.0 and m[6].sum() == 1.0  # no pair started at 6: persistence


def test_skill_against_persistence_and_its_interval():
    obs = np.array([1, 2, 4, 0])
    start = np.array([1, 1, 1, 0])
    ab = pd.Series(["A", "A", "B", "C"]), pd.Series(["B", "C", "C", "D"])
    s = L.scores(L.point(obs), obs, start, *ab, reps=50)
    assert s["rps"] == 0.0 and s["rps_skill"] == 1.0 and s["mae_level"] == 0.0
    assert s["rps_persistence"] == pytest.approx((1 + 3) / MAX_LEVEL / 4)
    lo, hi = s["ci95"]["rps_skill"]
    assert lo <= s["rps_skill"] <= hi
    assert L.scores(L.point(start), obs, start, *ab)["rps_skill"] == 0.0


def test_the_ensemble_distribution_is_the_share_of_runs_at_each_level():
    class Res:
        ties = np.array([[[0, 2], [2, 0]], [[0, 3], [3, 0]], [[0, 3], [3, 0]]])

    d = L.distribution(Res(), np.array([0]), np.array([1]))  # type: ignore[arg-type]
    assert d[0, 2] == pytest.approx(1 / 3) and d[0, 3] == pytest.approx(2 / 3)
    assert d.sum() == pytest.approx(1.0)


@pytest.fixture(scope="module")
def backtest(tmp_path_factory):
    d = tmp_path_factory.mktemp("lv") / "out"
    code, out, err = _main(["backtest", "--blind", "--seeds", "6", "--seed", "2", "--out", str(d)])
    assert code == 0, err
    scores = json.loads((d / "scores.json").read_text())
    return scores["levels"], out, scores


def test_the_backtest_scores_end_levels_beside_two_baselines(backtest):
    levels, out, _ = backtest
    assert set(levels) == set(L.FORECASTS)
    assert levels["persistence"]["rps_skill"] == 0.0
    for name, s in levels.items():
        assert 0.0 <= s["rps"] <= 1.0, name
        lo, hi = s["ci95"]["rps_skill"]
        assert lo <= s["rps_skill"] <= hi, name
    # the transition matrix, counted on 2013-2019, knows that ties move: it beats standing still
    assert levels["transition"]["rps_skill"] > 0.0
    assert "end levels" in out and "transition" in out


def test_the_backtest_scores_cuts_too(backtest):
    """``p_down`` against the pairs that ended below their 2019 level (13 in 2020-2025)."""
    _, out, scores = backtest
    assert set(scores["cuts"]) == {"model", "blind"}
    for s in scores["cuts"].values():
        assert s["n_pairs"] == 276 and s["n_up"] == 13  # n_up: the outcome's positives
        lo, hi = s["ci95"]["brier_skill"]
        assert lo <= s["brier_skill"] <= hi
    assert "cuts, model: ROC-AUC" in out
