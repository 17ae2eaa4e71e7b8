"""Integration: every experiment in experiments/ loads, plans, and runs its first runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from indopacsim.experiments.designs import design_points, plan_runs
from indopacsim.experiments.spec import load_experiment
from indopacsim.experiments.store import SweepStore
from indopacsim.experiments.sweep import SweepJob
from indopacsim.experiments.worker import run_batch

EXPERIMENTS = sorted((Path(__file__).resolve().parents[1] / "experiments").glob("*.yaml"))
REQUIRED = {
    "reliability_x_pressure",
    "hedging_doctrines",
    "sobol_drivers",
    "distance_and_threat",
}


def test_the_issue_experiments_are_shipped():
    assert {p.stem for p in EXPERIMENTS} >= REQUIRED


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_experiment_loads_plans_and_runs(path: Path, tmp_path: Path):
    text = path.read_text()
    assert text.startswith("#") and "§" in text.split("\nname:")[0], "explain it on top"
    exp = load_experiment(path)
    assert exp.name == path.stem
    points = design_points(exp)
    plan = plan_runs(exp, len(points))
    assert len(plan) == len(points) * exp.replications
    assert plan["seed"].is_unique
    if exp.design.kind == "full_factorial" and exp.is_abm:
        assert exp.replications >= 20
    # the first two runs, through the worker
    job = SweepJob(exp, SweepStore(tmp_path), points, plan, 0, plan.index[:2].to_numpy())
    batch = next(job.batches(2))
    result = run_batch(batch)
    assert result["runs"]["status"] == ["ok", "ok"], result["runs"]["error"]
    for o in exp.outcomes:
        if o.stat != "series":
            assert len(result["runs"][o.name]) == 2
