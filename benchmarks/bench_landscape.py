"""Benchmark the landscape solvers (Axelrod & Bennett 1993 landscape theory).

Exact solver on random instances with n = 16, 20, 24 (seeded numpy Generator):
wall time and peak traced memory (tracemalloc, which sees NumPy's allocations), for
minima only and for minima plus exact basins, measured separately. Targets: n = 20
under 1 s, n = 24 under 30 s, and never all configurations in memory. Also times the
heuristic on a larger instance.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/bench_landscape.py
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from indopacsim.landscape.core import Landscape
from indopacsim.landscape.exact import solve_exact
from indopacsim.landscape.result import LandscapeResult
from indopacsim.landscape.search import solve_heuristic


def random_landscape(n: int, rng: np.random.Generator) -> Landscape:
    """Sizes uniform in [0.1, 1]; propensities standard normal, symmetric."""
    sizes = rng.uniform(0.1, 1.0, n)
    p = np.triu(rng.normal(size=(n, n)), 1)
    return Landscape(tuple(f"a{i}" for i in range(n)), sizes, p + p.T)


def measure(fn: Callable[[], LandscapeResult]) -> tuple[LandscapeResult, float, float]:
    """Return (result, best wall seconds of 3 untraced runs, peak MiB of a traced run)."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return res, min(times), peak / 2**20


def main() -> None:
    """Print one line per (n, mode)."""
    rng = np.random.default_rng(20240601)
    print(
        f"{'n':>3} {'mode':<15} {'configs':>9} {'minima':>6} {'seconds':>8} "
        f"{'peak MiB':>9} {'all-configs MiB':>15}"
    )
    for n in (16, 20, 24):
        ls = random_landscape(n, rng)
        configs = 2 ** (n - 1)
        for mode, basins in (("minima only", False), ("minima+basins", True)):
            res, secs, peak = measure(lambda ls=ls, b=basins: solve_exact(ls, basins=b))
            print(
                f"{n:>3} {mode:<15} {configs:>9} {len(res.energies):>6} {secs:>8.3f} "
                f"{peak:>9.1f} {configs * n / 2**20:>15.1f}"
            )
    ls = random_landscape(100, rng)
    t0 = time.perf_counter()
    res = solve_heuristic(ls, np.random.default_rng(0), n_starts=10_000)
    print(
        f"heuristic n=100, 10000 starts, 2 sides: {time.perf_counter() - t0:.2f} s, "
        f"{len(res.energies)} minima found, top basin {res.basins.max():.3f}"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"process max RSS: {rss:.0f} MiB ('all-configs' = one byte per actor per "
        "configuration, what holding every configuration would cost)"
    )


if __name__ == "__main__":
    main()
