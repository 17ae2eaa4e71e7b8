"""Time to make all run figures (and index.html) for the baseline run.

Target (issue #5): under 5 s. Prints the median over --repeats, per format.

    python benchmarks/bench_figures.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from indopacsim import load_scenario
from indopacsim.figures.run import RUN_KINDS, run_figures
from indopacsim.runner import run, write_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "baseline"
        write_run(run(load_scenario("uk_japan_2026"), seed=0), run_dir)
        run_figures(run_dir, out=Path(tmp) / "warm")  # imports, font cache
        print(
            f"all {len(RUN_KINDS)} run figures + index.html for the baseline (24 states, 40 steps):"
        )
        for fmt in ("png", "svg", "pdf"):
            times = []
            for r in range(args.repeats):
                t0 = time.perf_counter()
                run_figures(run_dir, fmt=fmt, out=Path(tmp) / f"{fmt}{r}")
                times.append(time.perf_counter() - t0)
            med = statistics.median(times)
            verdict = "met" if med < 5 else "NOT met"
            print(f"  {fmt}: median {med:.2f} s over {args.repeats}  [target < 5 s: {verdict}]")


if __name__ == "__main__":
    main()
