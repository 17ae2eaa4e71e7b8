"""mesa.batch_run with the scenario by name versus as an object: the same time per run.

The world, the static terms and the status-quo fit are cached by the scenario's content
(indopacsim.caching.ContentCache), so a scenario loaded again by name in every run hits
the cache like a shared object does. Prints the time per run of each and their ratio.

Usage: python benchmarks/bench_batch_run.py [--runs 40]
"""

from __future__ import annotations

import argparse
import time

import mesa

from indopacsim import IndoPacModel, load_scenario


def per_run(scenario: object, runs: int) -> float:
    t0 = time.perf_counter()
    mesa.batch_run(
        IndoPacModel,
        parameters={"scenario": [scenario], "record": False},
        rng=list(range(runs)),
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    return (time.perf_counter() - t0) / runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    runs = ap.parse_args().runs
    obj = load_scenario("uk_japan_2026")
    per_run(obj, 2)  # warm the caches and imports
    by_object = min(per_run(obj, runs) for _ in range(3))
    by_name = min(per_run("uk_japan_2026", runs) for _ in range(3))
    print(f"per run, scenario object: {1000 * by_object:.1f} ms")
    print(f"per run, scenario by name: {1000 * by_name:.1f} ms")
    print(f"ratio by name / object: {by_name / by_object:.2f}")


if __name__ == "__main__":
    main()
