"""Sweeps: determinism across executors, failing runs, the store, crash safety (issue #4)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indopacsim import IndoPacModel
from indopacsim.cli import main
from indopacsim.experiments.spec import Experiment, load_experiment
from indopacsim.experiments.store import SweepStore
from indopacsim.experiments.sweep import prepare_sweep, run_sweep

ABM = """\
name: det
scenario: uk_japan_2026
horizon: 6
uncertainties:
  - {path: us.reliability, range: [0.2, 0.8]}
  - {path: china.coercion, range: [0.3, 0.9]}
levers:
  - {path: states.AUS.doctrine, name: aus, levels: [balance, hedge]}
design: {kind: latin_hypercube, samples: 3}
replications: 2
seed: 5
outcomes:
  - name: uk_japan
  - {name: networked_alliance, stat: mean}
  - {name: aus_payoff, measure: payoff, state: AUS, stat: mean}
  - {name: gbr_jpn, measure: tie, state: GBR, partner: JPN, stat: max}
  - {name: trust, measure: mean_trust, stat: series}
"""

FRAGILE = """\
name: fragile
model: fragile
uncertainties:
  - {path: x, levels: [0.2, 0.4, 0.6, 0.8]}
replications: 2
outcomes: [{name: y}]
"""


def write(tmp_path: Path, text: str, name: str = "exp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_serial_process_and_dask_give_identical_tables(tmp_path: Path):
    exp = Experiment.from_text(ABM, tmp_path / "det.yaml")
    tables = {}
    for executor in ("serial", "process", "dask-local"):
        out = tmp_path / executor
        summary = run_sweep(exp, out, executor, workers=2, batch_size=3, chunk_size=5)
        assert summary.status == "complete" and summary.failed == 0 and summary.ok == 12
        store = SweepStore(out)
        tables[executor] = (store.read_runs(), store.read_series())
        assert json.loads((out / "manifest.json").read_text())["executor"]["kind"] == executor
    runs, series = tables["serial"]
    assert list(runs["run_id"]) == list(range(12))
    assert runs["status"].eq("ok").all() and runs["error"].isna().all()
    assert series is not None and len(series) == 12 * 7
    for executor in ("process", "dask-local"):
        assert_frame_equal(tables[executor][0], runs)
        assert_frame_equal(tables[executor][1], series)


def test_outcomes_match_a_direct_run(tmp_path: Path):
    exp = Experiment.from_text(ABM, tmp_path / "det.yaml")
    out = tmp_path / "s"
    run_sweep(exp, out, "serial")
    store = SweepStore(out)
    runs, series = store.read_runs(), store.read_series()
    assert series is not None
    row = runs.iloc[7]
    from indopacsim.scenario.io import with_overrides

    scenario = with_overrides(
        exp.base,  # type: ignore[arg-type]
        {
            "us.reliability": row["us.reliability"],
            "china.coercion": row["china.coercion"],
            "states.AUS.doctrine": row["aus"],
        },
    )
    m = IndoPacModel(scenario, rng=int(row["seed"]), record=True)
    m.run_model()
    frame = m.model_frame()
    states = m.states_frame()
    assert row["uk_japan"] == frame["uk_japan"].iloc[-1]
    assert row["networked_alliance"] == pytest.approx(frame["networked_alliance"].iloc[1:].mean())
    aus = states[(states["iso3"] == "AUS") & (states["step"] >= 1)]
    assert row["aus_payoff"] == pytest.approx(aus["payoff"].mean())
    mine = series[series["run_id"] == row["run_id"]]
    assert list(mine["step"]) == list(range(7))
    np.testing.assert_allclose(mine["trust"], frame["mean_trust"])


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path: Path, capsys):
    path = write(tmp_path, FRAGILE)
    out = tmp_path / "s"
    code = main(["sweep", str(path), "--out", str(out), "--executor", "serial"])
    assert code == 1
    text = capsys.readouterr().out
    assert "4 ok, 4 failed" in text and "ValueError: x = 0.6 is above 0.5" in text
    runs = SweepStore(out).read_runs()
    assert len(runs) == 8
    bad = runs[runs["status"] == "error"]
    assert list(bad["x"]) == [0.6, 0.6, 0.8, 0.8]
    assert bad["y"].isna().all()
    assert bad["error"].str.startswith("ValueError: x = ").all()
    ok = runs[runs["status"] == "ok"]
    assert list(ok["y"]) == [0.4, 0.4, 0.8, 0.8]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"ok": 4, "error": 4, "stored": 8, "missing": 0}
    assert manifest["status"] == "complete"
    assert main(["analyze", str(out), "--quiet"]) == 0
    agg = pd.read_csv(out / "analysis" / "aggregates.csv")
    assert list(agg["n_failed"]) == [0, 0, 2, 2] and list(agg["n"]) == [2, 2, 0, 0]


def test_store_layout_chunks_and_manifest(tmp_path: Path):
    exp = Experiment.from_text(ABM, tmp_path / "det.yaml")
    out = tmp_path / "s"
    run_sweep(exp, out, "serial", batch_size=2, chunk_size=4, command=["indopacsim", "sweep"])
    store = SweepStore(out)
    assert len(store.parts("runs")) == 3 and len(store.parts("series")) == 3
    whole = pd.read_parquet(out / "runs")  # pandas reads the directory
    assert sorted(whole["run_id"]) == list(range(12))
    points = store.read_points()
    assert list(points.columns) == [
        "point_id",
        "sample_id",
        "us.reliability",
        "china.coercion",
        "aus",
    ]
    doc = store.read_manifest()
    assert doc["experiment"]["sha256"] == hashlib.sha256(ABM.encode()).hexdigest()
    assert doc["experiment"]["text"] == ABM
    assert (out / "experiment.yaml").read_text() == ABM
    assert doc["n_runs"] == 12 and doc["n_points"] == 6 and doc["root_seed"] == 5
    assert doc["version"] and "git_commit" in doc and doc["command"] == ["indopacsim", "sweep"]
    assert doc["design"]["kind"] == "latin_hypercube"
    assert doc["sessions"][0]["ran"] == 12 and doc["wall_seconds"] > 0
    assert list(store.read_plan()["seed"]) == list(store.read_runs()["seed"])


def test_existing_sweep_needs_resume_and_the_same_experiment(tmp_path: Path, capsys):
    path = write(tmp_path, FRAGILE)
    out = tmp_path / "s"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 1
    capsys.readouterr()
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    # resuming a finished sweep runs nothing and keeps the failure count
    code = main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--resume"])
    assert code == 1
    assert "0 runs" in capsys.readouterr().out
    other = write(tmp_path, FRAGILE.replace("replications: 2", "replications: 3"), "o.yaml")
    assert main(["sweep", str(other), "--out", str(out), "--resume", "--quiet"]) == 2
    assert "different experiment" in capsys.readouterr().err
    assert len(SweepStore(out).read_runs()) == 8


def test_resume_skips_stored_runs(tmp_path: Path):
    exp = Experiment.from_text(ABM, tmp_path / "det.yaml")
    full = tmp_path / "full"
    run_sweep(exp, full, "serial")
    part = tmp_path / "part"
    job = prepare_sweep(exp, part)
    job.pending = job.pending[:5]  # as if the sweep stopped after five runs
    job.run("serial", chunk_size=2)
    job = prepare_sweep(exp, part, resume=True)
    assert job.done == 5 and len(job.pending) == 7
    summary = job.run("serial")
    assert summary.ran == 7 and summary.skipped == 5 and summary.status == "complete"
    assert_frame_equal(SweepStore(part).read_runs(), SweepStore(full).read_runs())


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("part-*")}


def test_sigkill_half_way_then_resume(tmp_path: Path):
    text = ABM.replace("samples: 3", "samples: 16").replace("replications: 2", "replications: 8")
    path = write(tmp_path, text)
    n_runs = 16 * 2 * 8
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "indopacsim.cli",
        "sweep",
        str(path),
        "--out",
        str(out),
        "--executor",
        "serial",
        "--batch-size",
        "4",
        "--chunk-size",
        "8",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while len(list((out / "runs").glob("part-*"))) < 4:
            assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the sweep wrote no chunks"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = _digests(out / "runs")
    stored = SweepStore(out).read_runs()
    assert 0 < len(stored) < n_runs, "killed too late to test anything"
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    store = SweepStore(out)
    runs = store.read_runs()
    assert len(runs) == n_runs and list(runs["run_id"]) == list(range(n_runs))
    after = _digests(out / "runs")
    assert all(after[name] == digest for name, digest in before.items())
    assert_frame_equal(runs[runs["run_id"].isin(stored["run_id"])].reset_index(drop=True), stored)
    assert not list(out.rglob("*.tmp"))
    series = store.read_series()
    assert series is not None and len(series) == n_runs * 7
    assert not series.duplicated(["run_id", "step"]).any()
    doc = store.read_manifest()
    assert doc["status"] == "complete" and doc["counts"]["stored"] == n_runs
    # the same results as a sweep that was never interrupted
    fresh = tmp_path / "fresh"
    run_sweep(load_experiment(path), fresh, "serial")
    assert_frame_equal(SweepStore(fresh).read_runs(), runs)


def test_final_only_outcomes_equal_the_datacollector_rows(tmp_path: Path):
    from indopacsim.experiments.outcomes import model_measures

    measures = model_measures()
    text = "name: f\nhorizon: 6\nreplications: 3\nseed: 9\noutcomes:\n" + "".join(
        f"  - name: {m}\n" for m in measures
    )
    exp = Experiment.from_text(text, tmp_path / "f.yaml")
    run_sweep(exp, tmp_path / "s", "serial")
    runs = SweepStore(tmp_path / "s").read_runs()
    for _, row in runs.iterrows():
        m = IndoPacModel(exp.base, rng=int(row["seed"]), record=False)
        m.run_model()
        last = m.model_frame().iloc[-1]
        for name in measures:
            assert row[name] == pytest.approx(float(last[name]), nan_ok=True), name


def test_dask_needs_a_scheduler_and_nothing_is_written(tmp_path: Path, capsys):
    path = write(tmp_path, FRAGILE)
    out = tmp_path / "s"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err
    assert not out.exists()


def test_an_existing_dask_scheduler(tmp_path: Path):
    import logging

    from distributed import LocalCluster

    path = write(tmp_path, FRAGILE)
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        args = ["sweep", str(path), "--out", str(tmp_path / "d"), "--quiet"]
        code = main([*args, "--executor", "dask", "--scheduler", cluster.scheduler_address])
    assert code == 1  # the fragile function fails for half of its points
    runs = SweepStore(tmp_path / "d").read_runs()
    assert list(runs["status"]) == ["ok"] * 4 + ["error"] * 4
    doc = SweepStore(tmp_path / "d").read_manifest()
    assert doc["executor"]["scheduler"] == cluster.scheduler_address
