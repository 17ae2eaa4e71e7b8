"""Analysis: aggregates with intervals, Sobol and Morris indices (issue #4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from indopacsim.cli import main
from indopacsim.experiments.analysis import aggregate, analyze_sweep, format_analysis
from indopacsim.experiments.reference_models import ishigami_indices
from indopacsim.experiments.spec import Experiment
from indopacsim.experiments.sweep import run_sweep

PI = "3.141592653589793"
ISHIGAMI = f"""\
name: ishigami
model: ishigami
uncertainties:
  - {{path: x1, range: [-{PI}, {PI}]}}
  - {{path: x2, range: [-{PI}, {PI}]}}
  - {{path: x3, range: [-{PI}, {PI}]}}
design: {{kind: sobol, samples: 1024}}
seed: 42
outcomes: [{{name: y}}]
"""


def test_aggregate_mean_sd_and_t_interval():
    runs = pd.DataFrame(
        {
            "point_id": [0, 0, 0, 1, 1, 1],
            "status": ["ok", "ok", "ok", "ok", "ok", "error"],
            "a": [1.0, 2.0, 6.0, 5.0, 5.0, np.nan],
        }
    )
    agg = aggregate(runs, ["point_id"], ["a"])
    first = agg.iloc[0]
    assert first["n"] == 3 and first["mean"] == 3.0 and first["n_failed"] == 0
    half = stats.t.ppf(0.975, 2) * np.std([1, 2, 6], ddof=1) / np.sqrt(3)
    assert first["ci_low"] == pytest.approx(3.0 - half)
    assert first["ci_high"] == pytest.approx(3.0 + half)
    second = agg.iloc[1]
    assert second["n"] == 2 and second["n_failed"] == 1
    assert second["ci_low"] == second["ci_high"] == 5.0  # no spread: a zero-width interval


def test_ishigami_indices_within_salib_confidence_intervals(tmp_path: Path, capsys):
    exp = Experiment.from_text(ISHIGAMI, tmp_path / "ishigami.yaml")
    out = tmp_path / "ish"
    summary = run_sweep(exp, out, "serial")
    assert summary.ok == 1024 * 5 and summary.failed == 0
    result = analyze_sweep(out)
    assert result.indices is not None
    table = result.indices.set_index("parameter")
    truth = ishigami_indices()
    for j, name in enumerate(["x1", "x2", "x3"]):
        row = table.loc[name]
        assert abs(row["S1"] - truth["S1"][j]) <= row["S1_conf"], (name, row.to_dict())
        assert abs(row["ST"] - truth["ST"][j]) <= row["ST_conf"], (name, row.to_dict())
    assert main(["analyze", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Sobol indices" in text and "S1_conf" in text
    saved = pd.read_csv(out / "analysis" / "sobol.csv")
    assert list(saved["parameter"]) == ["x1", "x2", "x3"]


def test_sobol_per_lever_combination(tmp_path: Path):
    doc = yaml.safe_load(ISHIGAMI)
    doc["design"]["samples"] = 256
    doc["levers"] = [{"path": "a", "levels": [7.0, 0.0]}]
    exp = Experiment.from_text(yaml.safe_dump(doc), tmp_path / "e.yaml")
    run_sweep(exp, tmp_path / "s", "serial")
    result = analyze_sweep(tmp_path / "s")
    assert result.indices is not None and set(result.indices["a"]) == {0.0, 7.0}
    no_x2 = result.indices[(result.indices["a"] == 0.0) & (result.indices["parameter"] == "x2")]
    assert abs(float(no_x2["ST"].iloc[0])) < 0.01  # without a, x2 does not matter
    assert result.by_lever is not None and len(result.by_lever) == 2
    assert "per lever combination" in format_analysis(result)


def test_morris_gives_mu_star_and_sigma(tmp_path: Path):
    doc = yaml.safe_load(ISHIGAMI)
    doc["design"] = {"kind": "morris", "samples": 40, "num_levels": 4}
    exp = Experiment.from_text(yaml.safe_dump(doc), tmp_path / "e.yaml")
    run_sweep(exp, tmp_path / "m", "serial")
    result = analyze_sweep(tmp_path / "m")
    assert result.indices is not None
    table = result.indices.set_index("parameter")
    assert list(table.columns) == ["outcome", "mu", "mu_star", "sigma", "mu_star_conf"]
    assert (table["mu_star"] > 0).all() and (table["sigma"] >= 0).all()
    assert table.loc["x2", "sigma"] > 0  # x2 acts non-linearly (sin^2)


def test_sobol_drivers_gives_indices_for_every_driver(tmp_path: Path):
    path = Path(__file__).resolve().parents[1] / "experiments" / "sobol_drivers.yaml"
    doc = yaml.safe_load(path.read_text())
    doc.update(replications=1, horizon=4)
    doc["design"]["samples"] = 4
    exp = Experiment.from_text(yaml.safe_dump(doc), tmp_path / "sobol_drivers.yaml")
    summary = run_sweep(exp, tmp_path / "s", "serial")
    assert summary.failed == 0
    result = analyze_sweep(tmp_path / "s")
    assert result.indices is not None
    drivers = [u["path"] for u in doc["uncertainties"]]
    for outcome in [o["name"] for o in doc["outcomes"]]:
        rows = result.indices[result.indices["outcome"] == outcome]
        assert list(rows["parameter"]) == drivers
        constant = any(n.startswith(f"{outcome}: constant") for n in result.notes)
        values = rows[["S1", "ST", "S1_conf", "ST_conf"]]
        assert values.isna().all().all() if constant else values.notna().all().all()
    assert result.indices[result.indices["outcome"] == "networked_alliance"]["ST"].notna().all()


def test_analyze_rejects_a_directory_without_a_sweep(tmp_path: Path, capsys):
    assert main(["analyze", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "not a sweep directory" in err and str(tmp_path) in err


def test_second_order_indices(tmp_path: Path):
    doc = yaml.safe_load(ISHIGAMI)
    doc["design"] = {"kind": "sobol", "samples": 512, "second_order": True}
    exp = Experiment.from_text(yaml.safe_dump(doc), tmp_path / "e.yaml")
    run_sweep(exp, tmp_path / "s", "serial")
    result = analyze_sweep(tmp_path / "s")
    s2 = result.second_order
    assert s2 is not None and len(s2) == 3
    pairs = {(r.parameter, r["with"]): r for _, r in s2.iterrows()}
    truth = ishigami_indices()
    x13 = truth["ST"][2]  # x3 acts only through its interaction with x1
    row = pairs[("x1", "x3")]
    assert abs(row["S2"] - x13) <= row["S2_conf"]
    for pair in (("x1", "x2"), ("x2", "x3")):
        assert abs(pairs[pair]["S2"]) <= pairs[pair]["S2_conf"]
    assert (tmp_path / "s" / "analysis").exists() is False
    assert main(["analyze", str(tmp_path / "s"), "--quiet"]) == 0
    assert (tmp_path / "s" / "analysis" / "sobol_s2.csv").is_file()
