"""Sweep figures built from small hand-made tables with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from indopacsim.figures import axes_sweep as ps


@pytest.fixture
def grid_runs():
    rows = []
    run_id = 0
    for rel, coe in itertools.product([0.2, 0.5, 0.8], [0.3, 0.9]):
        for rep in range(4):
            level = 5 if (rel < 0.4 and rep < 3) else 4 if rep % 2 else 3
            rows.append(
                {
                    "run_id": run_id,
                    "us.reliability": rel,
                    "china.coercion": coe,
                    "replicate": rep,
                    "uk_japan": level,
                    "status": "ok",
                }
            )
            run_id += 1
    rows.append(
        {
            "run_id": run_id,
            "us.reliability": 0.2,
            "china.coercion": 0.3,
            "replicate": 9,
            "uk_japan": np.nan,
            "status": "error",
        }
    )
    return pd.DataFrame(rows)


def test_phase_grid_probability_and_counts(grid_runs):
    grid, counts = ps.phase_grid(
        grid_runs, "us.reliability", "china.coercion", "uk_japan", threshold=4
    )
    assert grid.shape == (2, 3)
    assert grid.loc[0.3, 0.2] == pytest.approx(1.0)  # 5, 5, 5, 4
    assert grid.loc[0.9, 0.5] == pytest.approx(0.5)  # 3, 4, 3, 4
    assert (counts.to_numpy() == 4).all()  # the failed run is left out


def test_phase_diagram_cells_labels_and_colorbar(grid_runs):
    ax = ps.phase_diagram(grid_runs, "us.reliability", "china.coercion", "uk_japan", threshold=4)
    assert ax.get_xlabel() == "us.reliability" and ax.get_ylabel() == "china.coercion"
    assert ax.get_images()[0].get_array().shape == (2, 3)
    assert sorted(t.get_text() for t in ax.texts) == ["n=4"] * 6
    assert ax.figure.axes[1].get_ylabel() == "P(uk_japan >= 4)"


def test_regret_table_and_minimax():
    # futures A, B; doctrine x is best in A, y in B; z is never worst by much
    rows = []
    means = {
        ("A", "x"): 10,
        ("A", "y"): 4,
        ("A", "z"): 8,
        ("B", "x"): 2,
        ("B", "y"): 9,
        ("B", "z"): 7,
    }
    for (fut, doc), m in means.items():
        for noise in (-1, 1):
            rows.append({"future": fut, "doctrine": doc, "payoff": m + noise})
    table = ps.regret_table(pd.DataFrame(rows), "doctrine", "payoff", ["future"])
    row = table.set_index("doctrine")
    assert row.loc["x", "max_regret"] == 7 and row.loc["y", "max_regret"] == 6
    assert row.loc["z", "max_regret"] == 2 and row.loc["z", "minimax"]
    assert table["doctrine"].iloc[0] == "z" and table["minimax"].sum() == 1
    minimizing = ps.regret_table(
        pd.DataFrame(rows), "doctrine", "payoff", ["future"], maximize=False
    )
    assert minimizing.set_index("doctrine").loc["x", "max_regret"] == 6
    ax = ps.regret_chart(table)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["z (minimax)", "y", "x"]
    assert len(ax.patches) == 6
    assert ax.get_title() == "Robustness across 2 futures"
    titled = ps.regret_chart(table, label="states.THA.doctrine, tha_payoff")
    assert titled.get_title() == "states.THA.doctrine, tha_payoff: robustness across 2 futures"


def test_regret_by_level_finds_the_robust_doctrine_of_each_set():
    """x is minimax at set a, y at set b: pooled, the two sets' futures blur it."""
    rows = []
    means = {("a", "F", "x"): 10, ("a", "F", "y"): 9, ("a", "G", "x"): 8, ("a", "G", "y"): 8}
    means |= {("b", "F", "x"): 1, ("b", "F", "y"): 6, ("b", "G", "x"): 5, ("b", "G", "y"): 5}
    for (cal, fut, doc), m in means.items():
        rows.append({"calibration": cal, "future": fut, "doctrine": doc, "payoff": m})
    frame = pd.DataFrame(rows)
    by = ps.regret_by_level(frame, "doctrine", "payoff", ["calibration", "future"], "calibration")
    minimax = by[by["minimax"]].set_index("calibration")["doctrine"]
    assert minimax.to_dict() == {"a": "x", "b": "y"}
    assert list(by["calibration"].unique()) == ["a", "b"] and (by["futures"] == 2).all()
    b = by[by["calibration"] == "b"].set_index("doctrine")
    assert b.loc["x", "max_regret"] == 5 and b.loc["y", "max_regret"] == 0
    side = ps.future_side(pd.DataFrame({"u": [0.1, 0.9, 0.5], "c": ["p", "q", "p"]}), "u")
    assert list(side) == ["u low", "u high", "u low"]
    assert list(ps.future_side(pd.DataFrame({"c": ["p", "q"]}), "c")) == ["c p", "c q"]


def test_doctrine_distributions_boxes_per_doctrine_and_future():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "states.GBR.doctrine": np.repeat(["balance", "hedge", "network"], 40),
            "china.retaliation": np.tile(np.repeat([0.2, 0.8], 20), 3),
            "payoff": rng.normal(size=120),
        }
    )
    ax = ps.doctrine_distributions(df, "states.GBR.doctrine", "payoff", future="china.retaliation")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["balance", "hedge", "network"]
    assert len(ax.patches) == 3 * 2  # one box per doctrine and future
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.2", "0.8"]
    assert ax.get_ylabel() == "payoff"


def test_sobol_and_morris_charts():
    idx = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "S1": [0.5, 0.1],
            "S1_conf": [0.05, 0.02],
            "ST": [0.6, 0.3],
            "ST_conf": [0.06, 0.03],
        }
    )
    ax = ps.sobol_chart(idx)
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert ax.get_xlabel().startswith("Sobol index")
    mor = pd.DataFrame(
        {
            "parameter": ["a", "b", "c"],
            "mu_star": [1.0, 0.2, 0.5],
            "sigma": [0.3, 0.1, 0.9],
            "mu_star_conf": [0.1, 0.05, 0.1],
        }
    )
    ax = ps.morris_chart(mor)
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]
    assert ax.get_xlabel().startswith("mu*") and ax.get_ylabel().startswith("sigma")
