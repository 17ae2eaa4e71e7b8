"""Model speed: one baseline run, and one step in synthetic worlds of growing size.

Prints (a) the median wall time of one ten-year quarterly baseline run (model set-up from
a loaded scenario, all 40 steps, data collection), and (b) the median time of one step
in synthetic worlds of 25, 50, 100, 200 and 400 states, with the time per pair, so that
growth faster than the number of pairs shows.

Targets (issue #2): a baseline run under 20 ms; one step of 400 states under 20 ms,
growing no faster than the number of pairs.

    python benchmarks/bench_model.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from indopacsim import IndoPacModel, load_scenario
from indopacsim.scenario.schema import Scenario


def synthetic_scenario(n: int, seed: int = 0) -> Scenario:
    """A world of ``n`` states: the US, China and Russia plus ``n - 3`` invented states.

    The invented states have random positions in the Indo-Pacific and Europe, random
    sizes and regimes, and a random sparse initial tie network (about 8 ties each).
    """
    rng = np.random.default_rng(seed)
    states: dict[str, dict | None] = {"USA": None, "CHN": None, "RUS": None}
    for i in range(n - 3):
        states[f"S{i:03d}"] = {
            "lat": float(rng.uniform(-40, 60)),
            "lon": float(rng.uniform(-10, 175)),
            "gdp_usd_bn": float(rng.lognormal(5.5, 1.2)),
            "milex_usd_bn": float(rng.lognormal(2.5, 1.2)),
            "population_m": float(rng.lognormal(3.0, 1.2)),
            "democracy_score": float(rng.uniform(0, 1)),
            "trade_share_china": float(rng.uniform(0, 0.4)),
            "trade_share_us": float(rng.uniform(0, 0.3)),
            "doctrine": str(rng.choice(["balance", "hedge", "network", "autonomy", "adaptive"])),
        }
    codes = list(states)
    ties = []
    for _ in range(4 * n):
        a, b = rng.choice(len(codes), 2, replace=False)
        ties.append([codes[a], codes[b], int(rng.integers(1, 6))])
    seen: set[tuple[str, str]] = set()
    unique = []
    for a, b, lv in ties:
        key = (min(a, b), max(a, b))
        if key not in seen:
            seen.add(key)
            unique.append([a, b, lv])
    return Scenario.model_validate(
        {"name": f"synthetic_{n}", "states": states, "ties": {"bundled": False, "set": unique}}
    )


def time_baseline(repeats: int) -> list[float]:
    scenario = load_scenario("uk_japan_2026")
    IndoPacModel(scenario, rng=0).run_model()  # warm-up (imports, caches)
    times = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        m = IndoPacModel(scenario, rng=seed)
        m.run_model()
        m.model_frame()
        times.append(time.perf_counter() - t0)
    return times


def time_step(n: int, repeats: int) -> float:
    m = IndoPacModel(synthetic_scenario(n), rng=0, record=False)
    m.step()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        m.step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    # one thread for BLAS/OpenMP: the model's arrays are small, and a BLAS pool competing
    # with a busy core makes steps 2-5x slower (docs/reliability.md)
    threadpool_limits(limits=1)
    base = time_baseline(args.repeats)
    med = statistics.median(base)
    print("baseline run (24 states, 40 quarterly steps, set-up + steps + collection):")
    print(
        f"  median {med * 1e3:.1f} ms, min {min(base) * 1e3:.1f} ms over {args.repeats} runs"
        f"  [target < 20 ms: {'met' if med < 0.020 else 'NOT met'}]"
    )
    print("one step in synthetic worlds (median):")
    print(f"  {'states':>6} {'pairs':>7} {'step ms':>9} {'us/pair':>8}")
    prev = None
    for n in (25, 50, 100, 200, 400):
        t = time_step(n, max(5, args.repeats // 2))
        pairs = n * (n - 1) // 2
        growth = f"  x{t / prev[0]:.2f} time for x{pairs / prev[1]:.2f} pairs" if prev else ""
        print(f"  {n:>6} {pairs:>7} {t * 1e3:>9.2f} {t / pairs * 1e6:>8.3f}{growth}")
        prev = (t, pairs)
    print(f"  [target: 400 states < 20 ms: {'met' if prev and prev[0] < 0.020 else 'NOT met'}]")


if __name__ == "__main__":
    main()
