"""Running a scenario: one run or replicates, and the run directory (docs/architecture.md).

A run directory holds ``manifest.json`` (scenario hash, seeds, package version, git
commit, parameters, wall time, the command) and tidy tables: ``model.parquet`` (one row
per step), ``states.parquet`` (step x state), ``ties.parquet`` (step x pair, level > 0)
and ``events.parquet`` (the events applied). With replicates every table has
``replicate`` and ``seed`` columns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from indopacsim.manifest import base_manifest, write_json, write_parquet
from indopacsim.model.model import IndoPacModel
from indopacsim.scenario.schema import Scenario
from indopacsim.seeds import spawn_seeds


@dataclass
class RunResult:
    """Tables of one or more replicates of a scenario."""

    scenario: Scenario
    seeds: list[int]
    model: pd.DataFrame
    states: pd.DataFrame
    ties: pd.DataFrame
    events: pd.DataFrame
    wall_seconds: float
    root_seed: int = 0
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """The seed of each replicate: ``seed`` itself for one run, else spawned from it."""
    return [seed] if replicates == 1 else spawn_seeds(seed, replicates)


def run_model(scenario: Scenario, seed: int, *, record: bool = True) -> IndoPacModel:
    """Build a model of ``scenario`` with ``rng=seed`` and run it to its horizon."""
    model = IndoPacModel(scenario, rng=seed, record=record)
    model.run_model()
    return model


def run(
    scenario: Scenario,
    seed: int = 0,
    replicates: int = 1,
    *,
    progress: Callable[[int], None] | None = None,
    source: str | None = None,
) -> RunResult:
    """Run ``replicates`` replicates of a scenario and gather their tables.

    Args:
        scenario: The validated scenario.
        seed: Root seed (the model's ``rng`` when ``replicates == 1``).
        replicates: Number of independent replicates.
        progress: Called with 1 after each replicate (e.g. a tqdm bar's ``update``).
        source: The scenario file, for the manifest.
    """
    seeds = replicate_seeds(seed, replicates)
    tables: dict[str, list[pd.DataFrame]] = {"model": [], "states": [], "ties": [], "events": []}
    start = time.perf_counter()
    for r, s in enumerate(seeds):
        m = run_model(scenario, s)
        frames = {
            "model": m.model_frame(),
            "states": m.states_frame(),
            "ties": m.ties_frame(),
            "events": pd.DataFrame(m.event_log, columns=["step", "date", "event", "note"]),
        }
        for name, df in frames.items():
            if replicates > 1:
                df.insert(0, "seed", s)
                df.insert(0, "replicate", r)
            tables[name].append(df)
        if progress is not None:
            progress(1)
    wall = time.perf_counter() - start
    joined = {k: pd.concat(v, ignore_index=True) for k, v in tables.items()}
    return RunResult(
        scenario=scenario,
        seeds=seeds,
        model=joined["model"],
        states=joined["states"],
        ties=joined["ties"],
        events=joined["events"],
        wall_seconds=wall,
        root_seed=seed,
        source=source,
    )


def write_run(result: RunResult, out: Path, command: list[str] | None = None) -> Path:
    """Write a run directory: the four tables, then the manifest (written last)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("model", "states", "ties", "events"):
        write_parquet(out / f"{name}.parquet", getattr(result, name))
    sc = result.scenario
    manifest = base_manifest("run", command)
    manifest.update(
        {
            "scenario": {
                "name": sc.name,
                "source": result.source,
                "sha256": sc.digest(),
                "codes": list(sc.codes),
            },
            "root_seed": result.root_seed,
            "seeds": result.seeds,
            "seed_rule": "one replicate: rng = root seed; several: indopacsim.seeds.spawn_seeds",
            "replicates": len(result.seeds),
            "steps": sc.time.horizon,
            "wall_seconds": round(result.wall_seconds, 4),
            "parameters": sc.model_dump(mode="json"),
            "tables": ["model.parquet", "states.parquet", "ties.parquet", "events.parquet"],
            "reproduce": _reproduce_line(result),
            **result.extra,
        }
    )
    write_json(out / "manifest.json", manifest)
    return out


def _reproduce_line(result: RunResult) -> str:
    src = result.source or "<scenario.yaml>"
    seed = result.root_seed
    reps = f" --replicates {len(result.seeds)}" if len(result.seeds) > 1 else ""
    return (
        f"indopacsim run {src} --seed {seed}{reps}  "
        f"(scenario sha256 {result.scenario.digest()[:12]}; the parameters block of this "
        "manifest is the full validated scenario)"
    )
