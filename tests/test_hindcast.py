"""``indopacsim backtest``: the 2020-2025 hindcast through ``main(argv)``, and the rule that
the 2019 world carries nothing from after 2019.

Small ensembles (``--seeds 8``) keep it fast; the figures in docs/validation.md come from
``indopacsim backtest`` (1000 runs, the default).
"""

from __future__ import annotations

import contextlib
import io
import json
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from helpers import run_backtest_cli as _main

from indopacsim.cli import main
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import hindcast as H

COLUMNS = ["a", "b", "level_2019", "p_up", "p_down", "expected_level_2025"]
SCORES = ["n_pairs", "n_up", "roc_auc", "pr_auc", "brier", "brier_base", "brier_skill"]


@pytest.fixture(scope="module")
def drivers(tmp_path_factory):
    d = tmp_path_factory.mktemp("bt") / "out"
    code, out, err = _main(["backtest", "--seeds", "8", "--out", str(d)])
    assert code == 0, err
    return d, out, err


@pytest.fixture(scope="module")
def blind(tmp_path_factory):
    d = tmp_path_factory.mktemp("bt") / "blind"
    code, _, err = _main(["backtest", "--blind", "--seeds", "8", "--seed", "3", "--out", str(d)])
    assert code == 0, err
    return d


def test_predictions_table(drivers):
    df = pd.read_csv(drivers[0] / "predictions.csv")
    assert list(df.columns) == COLUMNS
    assert len(df) == 276 == len(set(zip(df["a"], df["b"], strict=True)))
    for col in ("p_up", "p_down"):
        assert df[col].between(0.0, 1.0).all()
    assert (df["p_up"] + df["p_down"] <= 1.0 + 1e-12).all()
    assert df["expected_level_2025"].between(0, 8).all()


def test_every_output_is_written(drivers):
    names = {p.name for p in drivers[0].iterdir()}
    assert {
        "predictions.csv",
        "scores.json",
        "manifest.json",
        "reliability.png",
        "map.png",
    } <= names


def test_scores_for_the_model_and_three_baselines(drivers):
    scores = json.loads((drivers[0] / "scores.json").read_text())
    for name in ("model", "recalibrated", "model_and_level", *B.BASELINES):
        for key in SCORES:
            assert key in scores[name], (name, key)
        assert scores[name]["n_pairs"] == 276
        for metric in ("roc_auc", "brier_skill"):
            lo, hi = scores[name]["ci95"][metric]
            assert lo <= scores[name][metric] <= hi, (name, metric)
        assert sum(r["count"] for r in scores[name]["reliability"]) == 276
    assert "logit_p" in scores["model_and_level"]["coefficients"]
    assert "blind" not in scores
    assert scores["persistence"]["roc_auc"] == 0.5
    assert set(scores["coding_sensitivity"]) == set(B.CODINGS)


def test_output_statistics_learn_what_the_model_adds_to_the_level():
    rng = np.random.default_rng(1)
    n = 3000
    levels = rng.integers(0, 7, n)
    base = np.array([0.05, 0.3, 0.2, 0.1, 0.0, 0.0, 0.0])[levels]
    # an uninformative model: the regression must fall back on the rate by level
    y = rng.uniform(size=n) < base
    flat = np.full(n, 0.3)
    probe = np.arange(7)
    q = H.output_statistics(flat, levels, y, np.full(7, 0.3), probe, runs=1000)
    assert q[:4] == pytest.approx([0.05, 0.3, 0.2, 0.1], abs=0.04)
    # a level with no upgrade in training keeps a probability above zero
    assert q[4] > 0.0 and q[4] < 0.05
    # an informative model: at a given level, a higher p gives a higher probability
    p = np.clip(base * 2 * rng.uniform(size=n), 0, 1)
    y2 = rng.uniform(size=n) < p
    coef: dict[str, float] = {}
    q2 = H.output_statistics(p, levels, y2, np.array([0.05, 0.5]), np.array([1, 1]), 1000, coef)
    assert q2[1] > 2 * q2[0]
    assert coef["logit_p"] > 0.5 and set(coef) >= {"intercept", "level_0", "level_5_up"}


def test_recalibration_keeps_the_ranking_and_learns_only_from_the_training_window():
    rng = np.random.default_rng(0)
    # an over-confident forecaster: events happen at half the stated rate
    p_train = rng.uniform(0.0, 1.0, 4000)
    y_train = rng.uniform(0.0, 1.0, 4000) < p_train / 2
    p_test = np.array([0.0, 0.1, 0.4, 0.8, 1.0])
    q = H.recalibrate(p_train, y_train, p_test, runs=1000)
    assert np.all(np.diff(q) > 0)  # the ranking is kept
    assert q[2] < 0.3 and q[3] < 0.5  # over-confidence is shrunk (truth: 0.2, 0.4)
    assert q[0] > 0.0 and q[-1] < 1.0  # clipped half a run from 0 and 1
    # the map depends on the training window only: other test points, the same map
    assert H.recalibrate(p_train, y_train, p_test[:2], runs=1000) == pytest.approx(q[:2])
    # a calibrated forecaster is left nearly as it is
    y_ok = rng.uniform(0.0, 1.0, 4000) < p_train
    assert H.recalibrate(p_train, y_ok, np.array([0.5]), runs=1000)[0] == pytest.approx(
        0.5, abs=0.05
    )


def test_manifest_records_the_seeds_and_the_scenario(drivers):
    m = json.loads((drivers[0] / "manifest.json").read_text())
    assert m["kind"] == "backtest"
    assert m["seeds"] == 8 and m["root_seed"] == 0 and m["blind"] is False
    assert m["scenario"]["sha256"] == load_scenario("hindcast_2019").digest()
    assert m["command"][:2] == ["indopacsim", "backtest"]
    assert "--seeds 8" in m["reproduce"]
    assert {"version", "git_commit"} <= set(m)


def test_progress_and_summary_are_shown(drivers):
    _, out, err = drivers
    assert "backtest: with driver paths: 8/8 runs" in err
    assert "ROC-AUC" in out and "logistic" in out


def test_blind_forecast(blind):
    m = json.loads((blind / "manifest.json").read_text())
    assert m["blind"] is True and m["root_seed"] == 3
    scores = json.loads((blind / "scores.json").read_text())
    assert {"model", "blind", *B.BASELINES} <= set(scores)
    assert len(pd.read_csv(blind / "predictions.csv")) == 276


def test_seeds_set_the_number_of_runs(tmp_path):
    code, _, err = _main(["backtest", "--seeds", "3", "--quiet", "--out", str(tmp_path / "x")])
    assert code == 0 and err == ""
    assert json.loads((tmp_path / "x" / "manifest.json").read_text())["seeds"] == 3


def test_chunks_join_into_one_ensemble(monkeypatch):
    monkeypatch.setattr(B, "CHUNK", 2)
    lines: list[str] = []
    res = B.run_chunked(load_scenario("hindcast_2019"), 5, 0, progress=lines.append)
    assert res.ties.shape[0] == 5 == res.trust.shape[0]
    assert lines[-1].endswith("5/5 runs") and len(lines) == 3


@pytest.mark.parametrize("argv", [["--seeds", "0"], ["--seeds", "x"], ["--seed", "-1"]])
def test_bad_arguments_exit_2(argv, tmp_path):
    with pytest.raises(SystemExit) as info, contextlib.redirect_stderr(io.StringIO()):
        main(["backtest", *argv, "--out", str(tmp_path / "o")])
    assert info.value.code == 2


def test_out_that_is_a_file_exits_2_with_one_line(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    code, out, err = _main(["backtest", "--seeds", "2", "--out", str(f)])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--out" in err


def test_an_earlier_backtest_needs_force(drivers):
    code, _, err = _main(["backtest", "--seeds", "2", "--out", str(drivers[0])])
    assert code == 2 and "--force" in err


def test_ablation_switches_each_mechanism_off(monkeypatch):
    monkeypatch.setattr(
        B,
        "ABLATIONS",
        dict(list(B.ABLATIONS.items())[:1])
        | {k: v for k, v in B.ABLATIONS.items() if k.startswith(("crises", "driver"))},
    )
    df = B.run_ablation(load_scenario("hindcast_2019"), 4)
    assert df["mechanism off"].iloc[0] == "full model" and len(df) == 4
    assert df["d_roc_auc"].iloc[0] == 0.0
    assert np.isfinite(df["roc_auc"]).all()


def test_ablation_overrides_are_valid_scenario_paths():
    from indopacsim.scenario.io import with_overrides

    sc = load_scenario("hindcast_2019")
    for overrides, kinds in B.ABLATIONS.values():
        with_overrides(B.without_events(sc, kinds), overrides)
    assert not [e for e in B.without_events(sc, ("crisis",)).events if e.kind == "crisis"]


def test_coding_variants_drop_finland_and_russia_europe():
    obs = B.outcomes(B.WINDOW, "without Finland and Russia-Europe")
    dropped = obs[~obs["scored"]]
    assert len(dropped) == 23 + 5
    assert B.finland_or_russia_europe("RUS", "GBR") and not B.finland_or_russia_europe("RUS", "CHN")
    robust = B.outcomes(B.WINDOW, "robust changes only")
    assert robust["up"].sum() <= B.outcomes(B.WINDOW)["up"].sum()


# ------------------------------------------------------------ no information from after 2019
def _csv(name: str) -> pd.DataFrame:
    with (files("indopacsim.data") / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, keep_default_na=False, dtype=str)


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("states_2019_sources.csv", "year"),
        ("ties_2019.csv", "year"),
        ("disputes_2019.csv", "year_coded"),
        ("tie_caps_2019.csv", "year"),
    ],
)
def test_the_2019_world_is_coded_from_2019_or_before(name, column):
    years = pd.to_numeric(_csv(name)[column].str.slice(0, 4), errors="raise")
    assert (years <= 2019).all(), _csv(name)[years > 2019]


def test_the_hindcast_scenario_has_no_tie_event():
    sc = load_scenario("hindcast_2019")
    assert sc.world == "2019"
    assert not [e for e in sc.events if e.kind in ("tie", "bond")]
    assert not sc.ties.set if hasattr(sc.ties, "set") else True


def test_the_calibration_scenario_ends_before_2020():
    sc = load_scenario("hindcast_2012")
    assert sc.events and all(e.date.year < 2020 for e in sc.events)
    assert not [e for e in sc.events if e.kind in ("tie", "bond")]


def test_set_gives_the_model_a_parameter_set_and_records_it(tmp_path, drivers):
    d = tmp_path / "values0"
    code, _, err = _main(
        ["backtest", "--seeds", "8", "--out", str(d), "--set", "weights.values=0", "--quiet"]
    )
    assert code == 0, err
    man = json.loads((d / "manifest.json").read_text())
    assert man["overrides"] == {"weights.values": 0.0}
    assert "--set weights.values=0" in man["reproduce"]
    assert man["parameters"]["weights"]["values"] == 0.0
    new = pd.read_csv(d / "predictions.csv")
    old = pd.read_csv(drivers[0] / "predictions.csv")
    assert (new["p_up"] != old["p_up"]).any()
    # the baselines do not simulate: the same scores with or without the parameter set
    s_new = json.loads((d / "scores.json").read_text())
    s_old = json.loads((drivers[0] / "scores.json").read_text())
    assert s_new["level_base_rate"]["brier"] == s_old["level_base_rate"]["brier"]


def test_set_calibration_runs_the_backtest_at_a_named_parameter_set(tmp_path):
    """``--set calibration=NAME`` sets every parameter of that set (the others still win);
    a name that is not a set is one line of ``--set``, exit 2, nothing written."""
    from indopacsim.experiments.calibration_sets import parameters

    d = tmp_path / "early"
    args = ["backtest", "--seeds", "4", "--quiet", "--out", str(d)]
    extra = ["--set", "calibration=fit_2006_2012", "--set", "weights.values=0.2"]
    code, _, err = _main([*args, *extra])
    assert code == 0, err
    man = json.loads((d / "manifest.json").read_text())
    want = {**parameters("fit_2006_2012"), "weights.values": 0.2}
    assert man["overrides"] == want and "calibration=fit_2006_2012" in " ".join(man["command"])
    assert f"--set ladder.depth_decay={want['ladder.depth_decay']}" in man["reproduce"]
    assert man["parameters"]["ladder"]["depth_decay"] == want["ladder.depth_decay"]
    bad = tmp_path / "bad"
    code, _, err = _main(["backtest", "--seeds", "4", "--out", str(bad), "--set", "calibration=x"])
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--set" in err and "fit_2006_2012" in err and not bad.exists()


def test_a_driver_set_is_also_the_reference_of_the_fit():
    sc = B.with_parameters(load_scenario(H.WINDOWS[B.WINDOW][0]), {"costs.distance": 0.05})
    assert sc.costs.distance == 0.05
    assert sc.status_quo.reference["costs.distance"] == 0.05


@pytest.mark.parametrize("bad", ["nosuch.key=1", "weights.values=-1", "weights.values=x"])
def test_set_rejects_a_bad_parameter_in_one_line(tmp_path, bad):
    d = tmp_path / "bad"
    code, _, err = _main(["backtest", "--seeds", "4", "--out", str(d), "--set", bad])
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and bad.split("=")[0].split(".")[0] in err
    assert not (d / "manifest.json").exists()


def test_the_baselines_learn_from_every_calibration_window():
    """Trained where the model is calibrated: both pre-2020 windows, their scored pairs
    stacked (the ADMM's nine of 2006-2012 left out), features row for row."""
    from indopacsim.validation import backtest as B
    from indopacsim.validation import calibration as C

    assert B.TRAIN == C.WINDOW and B.TRAIN.split("+") == ["2006-2012", "2013-2019"]
    train = B.train_outcomes()
    assert len(train) == 267 + 276 and train["scored"].all()
    assert len(B.train_features()) == len(train)
    rates = H.level_base_rates(train["level_start"].to_numpy(), train["up"].to_numpy())
    later = B.outcomes("2013-2019")
    alone = H.level_base_rates(later["level_start"].to_numpy(), later["up"].to_numpy())
    assert rates[0] != alone[0]  # the earlier window's first contacts count
