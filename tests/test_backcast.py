"""The backcast of 2006-2012 from the world of 2005 (``validation/backcast.py``)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from indopacsim import data
from indopacsim.model.world import compile_world
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backcast as BC
from indopacsim.validation import backtest as B
from indopacsim.validation import calibration
from indopacsim.validation import hindcast as H
from indopacsim.validation.backtest_figures import eras_axes


@pytest.fixture(scope="module")
def backcast() -> BC.Backcast:
    return BC.run_backcast(6, 0, reps=0)


def test_the_backcast_years_are_the_first_calibration_window() -> None:
    _, start, end = H.WINDOWS[BC.WINDOW]
    first, later = calibration.WINDOW.split("+")
    assert (start, end) == (dt.date(2006, 1, 1), dt.date(2012, 12, 31))
    assert first == BC.WINDOW and end < H.WINDOWS[later][1]


def test_the_backcast_scenario_has_driver_paths_only() -> None:
    sc = load_scenario(H.WINDOWS[BC.WINDOW][0])
    assert sc.world == "2005" and sc.time.start == dt.date(2006, 1, 1)
    assert sc.time.horizon == 28  # quarters to the end of 2012
    assert sc.events, "the driver paths of 2006-2012"
    for ev in sc.events:
        assert ev.kind in {"set", "shift", "crisis"}, ev
        assert dt.date(2006, 1, 1) <= ev.date <= dt.date(2012, 12, 31), ev


def test_the_backcast_paths_end_where_the_calibration_window_starts() -> None:
    """The 2005 scenario's drivers, with its events applied, reach the policies the 2012
    scenario starts from: the two records join without a jump."""
    early, later = load_scenario("hindcast_2005"), load_scenario("hindcast_2012")
    values = dict(early.status_quo.reference)
    for ev in early.events:
        if ev.kind == "set":
            values[ev.set] = ev.value
        elif ev.kind == "shift":
            values[ev.shift] = values[ev.shift] + ev.by
    for path, value in later.status_quo.reference.items():
        assert values[path] == pytest.approx(value), path


def test_the_2005_world_starts_from_the_2005_ties() -> None:
    w = compile_world(load_scenario("hindcast_2005"))
    pos = {c: k for k, c in enumerate(w.codes)}
    for a, b, level in data.ties("2005")[["a", "b", "level"]].itertuples(index=False):
        assert w.ties0[pos[a], pos[b]] == level, (a, b)
    assert int((np.triu(w.ties0, 1) > 0).sum()) == len(data.ties("2005"))


def test_the_observed_changes_of_the_backcast_come_from_the_earlier_record(backcast) -> None:
    ch = data.tie_changes()
    early = ch[(ch["date"] >= dt.date(2006, 1, 1)) & (ch["date"] <= dt.date(2012, 12, 31))]
    assert len(early) > 0
    obs = backcast.observed
    moved = {tuple(sorted((a, b))) for a, b in early[["a", "b"]].itertuples(index=False)}
    changed = obs[obs["up"] | obs["down"]]
    assert {tuple(sorted((a, b))) for a, b in changed[["a", "b"]].itertuples(index=False)} <= moved
    years = (dt.date(2012, 12, 31) - dt.date(2006, 1, 1)).days / 365.25
    admm = early["instrument"].str.startswith("First ASEAN Defence Ministers' Meeting")
    assert int(admm.sum()) == 9
    assert backcast.pace["observed"] == pytest.approx((len(early) - 9) / years)


def test_the_pairs_an_institution_entered_at_once_are_not_scored(backcast) -> None:
    obs = backcast.observed
    inst = obs[obs["institutional"]]
    assert len(inst) == 9 and not inst["scored"].any()
    assert set(inst["a"]) | set(inst["b"]) <= {"IDN", "MYS", "PHL", "SGP", "THA", "VNM"}
    assert obs.loc[~obs["institutional"], "scored"].all()
    missed, alarms = BC.misses(backcast, below=1.01, above=-0.01)
    pairs = {frozenset(p) for p in pd.concat([missed, alarms])[["a", "b"]].to_numpy()}
    assert not pairs & {frozenset(p) for p in inst[["a", "b"]].to_numpy()}
    assert len(pairs) == int(obs["scored"].sum())
    assert BC.by_level(backcast)["pairs"].sum() == int(obs["scored"].sum())


def test_the_backcast_scores_the_model_beside_the_blind_model_and_three_baselines(
    backcast,
) -> None:
    assert len(backcast.predictions) == 276
    assert set(backcast.scores) == {"model", "blind", *BC.B.BASELINES}
    for s in backcast.scores.values():
        assert 0.0 <= s["roc_auc"] <= 1.0 and np.isfinite(s["brier_skill"])
    assert backcast.scores["persistence"]["roc_auc"] == 0.5
    assert backcast.pace["model"] > 0 and backcast.pace["blind"] > 0
    table = BC.table(backcast)
    assert table.count("\n") == 1 + len(backcast.scores)
    levels = BC.by_level(backcast)
    assert int(levels["pairs"].sum()) == 276 - 9  # the ADMM pairs are not scored
    scored = backcast.observed[backcast.observed["scored"]]
    assert int(levels["up"].sum()) == int(scored["up"].sum())


def test_the_three_records_by_level_and_their_figure() -> None:
    table = BC.eras(seeds=4, seed=0)
    assert list(dict.fromkeys(table["era"])) == list(BC.ERAS)
    assert len(table) == len(BC.ERAS) * len(BC.LEVEL_GROUPS)
    for era, t in table.groupby("era"):
        obs = B.outcomes(era)
        obs = obs[obs["scored"]]
        assert int(t["pairs"].sum()) == int((obs["level_start"] < 8).sum()), era
        assert int(t["up"].sum()) == int(obs["up"].sum()), era
    deep = table[table["levels"] == "4-7"].set_index("era")["up"]
    assert (deep["2006-2012"], deep["2013-2019"]) == (0, 0) and deep["2020-2025"] > 0
    assert ((table["model"] >= 0) & (table["model"] <= 1)).all()
    given = BC.eras(seeds=4, seed=0, known={BC.WINDOW: np.zeros(276)})  # not rerun
    assert (given[given["era"] == BC.WINDOW]["model"] == 0).all()
    later = given["era"] != BC.WINDOW
    assert given[later].equals(table[later])
    ax = eras_axes(table)
    assert len(ax.patches) == len(table)
    assert [round(p.get_height(), 9) for p in ax.patches] == [
        round(x, 9) for e in BC.ERAS for x in table[table["era"] == e]["share"]
    ]


def test_the_backcast_writes_its_forecasts_scores_and_manifest(backcast, tmp_path) -> None:
    paths = BC.write_outputs(backcast, tmp_path / "bc", ["python", "backcast_report.py"])
    assert [p.name for p in paths] == ["predictions.csv", "scores.json", "manifest.json"]
    table = pd.read_csv(paths[0])
    assert len(table) == 276
    assert {"p_up_model", "p_up_blind", "p_up_logistic", "up"} <= set(table.columns)
    assert np.allclose(table["p_up_model"], backcast.forecasts["model"])
    scores = json.loads(paths[1].read_text())
    assert scores["window"] == "2006-2012" and scores["training_window"] == calibration.WINDOW
    assert scores["model"]["roc_auc"] == backcast.scores["model"]["roc_auc"]
    manifest = json.loads(paths[2].read_text())
    assert manifest["kind"] == "backcast" and manifest["seeds"] == 6
    assert manifest["scenario"]["name"] == "hindcast_2005" and manifest["overrides"] == {}
    assert manifest["command"] == ["python", "backcast_report.py"]
