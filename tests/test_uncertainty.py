"""Calibration uncertainty: the window refitted on state-bootstrap replicates, the bundled
record of them, and forecasts that share their runs among the replicates' parameter sets."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from helpers import run_backtest_cli as _main

from indopacsim.errors import InputError
from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H
from indopacsim.validation import uncertainty as U


@pytest.fixture(scope="module")
def frozen():
    return dict(C.frozen()["parameters"])


def test_unit_weights_give_the_calibration_objective(frozen):
    plain = C.Objective(runs=4, seed=2)(frozen)
    weighted = C.Objective(runs=4, seed=2, weights=np.ones(276))(frozen)
    assert weighted == pytest.approx(plain, rel=1e-12)


def test_weights_score_only_the_pairs_they_keep(frozen):
    obj = C.Objective(runs=4, seed=2)
    res = run_ensemble(C.with_reference(obj.scenario, frozen), 4, 2, frozen)
    pred = H.predictions(res)
    keep = ((pred["a"] != "JPN") & (pred["b"] != "JPN")).to_numpy()
    w = keep.astype(float) * 3.0  # a constant factor does not change a weighted mean
    by_hand = sum(
        float(np.mean((pred[f"p_{k}"].to_numpy()[keep] - obj.obs[k].to_numpy()[keep]) ** 2))
        for k in C.KEYS
    )
    churn = C.CHURN_WEIGHT * np.log(max(H.changes_per_year(res), 0.1) / obj.observed_rate) ** 2
    got = C.Objective(runs=4, seed=2, weights=w)(frozen)
    assert got == pytest.approx(by_hand + churn, rel=1e-12)
    assert got != pytest.approx(obj(frozen), rel=1e-6)


def test_replicate_weights_resample_states():
    a, b = U.replicate_weights(5, seed=1), U.replicate_weights(5, seed=1)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], U.replicate_weights(1, seed=2)[0])
    obs = C.Objective(runs=1).obs
    for w in a:
        assert w.shape == (276,) and (w >= 0).all() and (w == 0).any()
        # a pair's weight is the product of its states' draw counts, and 24 states are drawn
        pos = {(x, y): v for x, y, v in zip(obs["a"], obs["b"], w, strict=True) if v}
        pos |= {(y, x): v for (x, y), v in pos.items()}
        drawn = sorted({x for x, _ in pos})
        counts = []
        for s in drawn:
            t, u = [x for x in drawn if (s, x) in pos][:2]
            counts.append(np.sqrt(pos[s, t] * pos[s, u] / pos[t, u]))
        assert np.allclose(counts, np.round(counts)) and round(sum(counts)) == 24


def test_a_replicate_refit_is_seeded_and_never_worse_than_its_start(frozen):
    w = U.replicate_weights(1, seed=3)[0]
    a = U.refit_replicate(w, 25, 4, 5, frozen)
    b = U.refit_replicate(w, 25, 4, 5, frozen)
    assert a["parameters"] == b["parameters"] and a["objective"] == b["objective"]
    assert a["objective"] <= a["objective_at_frozen"]
    assert a["parameters"] != frozen  # 25 evaluations move a 19-dimensional simplex
    assert set(a["parameters"]) >= set(C.FREE)


def test_a_full_replicate_reruns_the_whole_calibration(frozen):
    w = U.replicate_weights(1, seed=3)[0]
    a = U.refit_replicate(w, 2, 3, 5, frozen, full=True, screen=3)
    b = U.refit_replicate(w, 2, 3, 5, frozen, full=True, screen=3)
    assert a["parameters"] == b["parameters"] and len(a["starts"]) == 5
    assert a["evaluations"] == 3 + 5 * 2 + 1 + 1  # screen, starts, final value, at frozen
    assert a["objective"] == pytest.approx(C.objective(3, 5, w)(a["parameters"]), abs=1e-5)


def test_a_small_bootstrap_records_how_it_was_made(frozen):
    lines: list[str] = []
    rec = U.bootstrap(2, 2, 3, 5, 7, executor="serial", progress=lines.append)
    assert len(rec["sets"]) == 2 and [s["replicate"] for s in rec["sets"]] == [0, 1]
    assert lines[-1] == "replicate 2/2 refitted"
    assert rec["frozen"] == frozen and "--replicates 2" in rec["reproduce"]
    assert rec["intervals"] == U.intervals(rec["sets"], frozen)
    again = U.bootstrap(2, 2, 3, 5, 7, executor="serial")
    assert again["sets"][1]["parameters"] == rec["sets"][1]["parameters"]


@pytest.mark.parametrize("kind", ["local", "full"])
def test_the_bundled_records_belong_to_the_frozen_calibration(frozen, kind):
    rec = U.record(kind)
    assert rec["frozen"] == frozen  # rerun the replicates when the calibration changes
    assert rec["window"] == C.WINDOW and rec["full"] == (kind == "full")
    assert len(rec["sets"]) == rec["replicates"] == len(U.parameter_sets(kind=kind))
    assert rec["intervals"] == U.intervals(rec["sets"], frozen)
    for s in rec["sets"]:
        if kind == "local":  # a local refit starts at the frozen point
            assert s["objective"] <= s["objective_at_frozen"]
        else:  # a whole calibration: its value is its best start's, at rounded parameters
            assert len(s["starts"]) == 5 and abs(s["objective"] - min(s["starts"])) < 1e-3
        for name, (lo, hi, _) in C.FREE.items():
            assert lo <= s["parameters"][name] <= hi


def test_a_record_of_another_calibration_is_refused_in_one_line(monkeypatch, tmp_path):
    """Replicates of the 2013-2019 fit (the calibration the frozen one replaced) are not
    the frozen calibration's uncertainty."""
    path = resources.files("indopacsim.data").joinpath("calibration_2013_2019.json")
    old = json.loads(path.read_text())
    monkeypatch.setattr(U, "record", lambda kind="local": {"window": old["window"], "sets": []})
    with pytest.raises(InputError, match=r"calibration_bootstrap\.json.*2013-2019"):
        U.parameter_sets(kind="local")
    same_window = {"window": C.WINDOW, "frozen": old["parameters"], "sets": []}
    monkeypatch.setattr(U, "record", lambda kind="local": same_window)  # another point
    with pytest.raises(InputError, match="another calibration"):
        U.parameter_sets(kind="local")
    monkeypatch.setattr(U, "record", lambda kind="local": {"window": old["window"], "sets": []})
    d = tmp_path / "old"
    argv = ["backtest", "--seeds", "20", "--parameter-uncertainty", "--out", str(d)]
    code, out, err = _main(argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "calibration_bootstrap.json" in err
    assert not d.exists() or not any(d.iterdir())


def test_pooled_runs_are_the_sets_runs_joined(frozen):
    sc = load_scenario("hindcast_2019")
    other = {**frozen, "costs.opening": 0.25}
    pooled = U.pooled_ensemble(sc, [frozen, other], 5, seed=4)
    kids = np.random.SeedSequence(4).spawn(2)
    parts = [
        run_ensemble(C.with_parameters(sc, p), n, k)
        for p, n, k in zip([frozen, other], [3, 2], kids, strict=True)
    ]
    assert np.array_equal(pooled.ties, np.concatenate([p.ties for p in parts]))
    assert np.array_equal(pooled.changes, parts[0].changes + parts[1].changes)
    assert pooled.p_up() == pytest.approx((3 * parts[0].p_up() + 2 * parts[1].p_up()) / 5)
    # the sets matter: a dear opening cost makes fewer upgrades
    assert parts[1].p_up().sum() < parts[0].p_up().sum()
    assert EnsembleResult.join([parts[0]]) is parts[0]


def test_pooled_runs_need_a_run_per_set(frozen):
    with pytest.raises(ValueError, match="cannot be shared"):
        U.pooled_ensemble(load_scenario("hindcast_2019"), [frozen] * 3, 2)


@pytest.mark.parametrize("kind", ["local", "full"])
def test_backtest_with_parameter_uncertainty(tmp_path, kind):
    n = len(U.parameter_sets(kind=kind))
    d = tmp_path / "pu"
    argv = ["backtest", "--seeds", str(n), "--parameter-uncertainty", kind, "--out", str(d)]
    code, out, err = _main(argv)
    assert code == 0, err
    assert f"parameter set {n}/{n}" in err and f"among {n} parameter sets ({kind}" in out
    man = json.loads((d / "manifest.json").read_text())
    assert man["parameter_uncertainty"] == {"record": kind, "sets": n}
    assert f"--parameter-uncertainty {kind}" in man["reproduce"]
    assert json.loads((d / "scores.json").read_text())["parameter_uncertainty"]["sets"] == n
    assert len(pd.read_csv(d / "predictions.csv")) == 276


def test_the_default_record_is_the_local_one(tmp_path):
    d = tmp_path / "pu"
    argv = ["backtest", "--seeds", "20", "--parameter-uncertainty", "--quiet", "--out", str(d)]
    assert _main(argv)[0] == 0
    man = json.loads((d / "manifest.json").read_text())
    assert man["parameter_uncertainty"]["record"] == "local"


def test_parameter_uncertainty_needs_a_run_per_set(tmp_path):
    d = tmp_path / "few"
    code, out, err = _main(["backtest", "--seeds", "2", "--parameter-uncertainty", "--out", str(d)])
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--seeds" in err
    assert not d.exists() or not any(d.iterdir())


@pytest.mark.parametrize(
    "argv, named",
    [
        (["--executor", "nosuch"], "nosuch"),
        (["--replicates", "0"], "--replicates"),
        (["--out", "{tmp}/missing/record.json"], "missing"),
        (["--out", "{tmp}"], "is a directory"),
    ],
)
def test_the_script_rejects_bad_arguments_in_one_line_before_any_work(
    argv, named, tmp_path, capsys
):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert U.main(["--replicates", "1", "--fev", "1", "--runs", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and named in err


def test_the_script_writes_its_record(tmp_path, capsys):
    out = tmp_path / "rec.json"
    small = ["--replicates", "1", "--fev", "2", "--runs", "2", "--executor", "serial"]
    code = U.main([*small, "--out", str(out)])
    assert code == 0 and "1 replicates in" in capsys.readouterr().out
    rec = json.loads(out.read_text())
    assert rec["replicates"] == 1 and rec["full"] is False and len(rec["sets"]) == 1


def test_batches_merge_into_the_record_of_one_call():
    both = U.bootstrap(2, 2, 3, 5, 7, executor="serial")
    a = U.bootstrap(1, 2, 3, 5, 7, executor="serial")
    b = U.bootstrap(1, 2, 3, 5, 7, executor="serial", first=1)
    assert b["first"] == 1 and b["sets"][0]["replicate"] == 1 and "--first 1" in b["reproduce"]
    assert b["sets"][0]["parameters"] == both["sets"][1]["parameters"]
    merged = U.merge([b, a])

    def timeless(rec):  # the record but its timings (the whole call's and each set's)
        out = {k: v for k, v in rec.items() if k != "seconds"}
        out["sets"] = [{k: v for k, v in st.items() if k != "seconds"} for st in rec["sets"]]
        return out

    assert timeless(merged) == timeless(both)
    with pytest.raises(InputError, match="repeat or leave a gap"):
        U.merge([a, a])
    with pytest.raises(InputError, match="differ in 'fev'"):
        U.merge([a, {**b, "fev": 3}])


def test_merge_names_a_malformed_record(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert U.main(["--merge", str(bad)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "bad.json" in err


def test_the_replicates_figure_draws_every_parameter_and_replicate(tmp_path, capsys):
    from indopacsim.validation.backtest_figures import replicates_axes

    records = {kind: U.record(kind) for kind in U.RECORDS}
    ax = replicates_axes(records)
    assert len(ax.get_yticks()) == len(C.FREE)
    dots = sum(len(c.get_offsets()) for c in ax.collections)
    assert dots == len(C.FREE) * (sum(len(r["sets"]) for r in records.values()) + 1)
    out = tmp_path / "u.png"
    assert U.main(["--figure", str(out)]) == 0 and out.read_bytes()[:4] == b"\x89PNG"
    assert U.main(["--figure", str(tmp_path / "no" / "u.png")]) == 2
    assert "does not exist" in capsys.readouterr().err
