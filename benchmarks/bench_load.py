"""Step time under load: one step of 400 states, idle vs the other core busy (issue 12).

Alternates idle and busy blocks inside one process (a busy loop pinned to cpu 1 during
the busy blocks; this process on cpu 0), so both see the same background load, and
times beside the model step a pure-Python control loop that uses no math library: when
both slow down by the same factor, the slowdown is the machine's, not BLAS threads'.

    python benchmarks/bench_load.py [--pairs 10] [--default-threads]

Prints the medians and the paired busy/idle ratios (target: step within 1.5x of idle).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_model import time_step
from threadpoolctl import threadpool_limits


def control_ms() -> float:
    """A fixed pure-Python loop, in ms."""
    t0 = time.perf_counter()
    s = 0
    for i in range(300_000):
        s += i * i % 7
    return (time.perf_counter() - t0) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument(
        "--default-threads", action="store_true", help="leave BLAS threads and affinity alone"
    )
    args = parser.parse_args()
    if not args.default_threads:
        os.sched_setaffinity(0, {0})
        threadpool_limits(limits=1)
    res: dict[tuple[str, str], list[float]] = {
        (w, m): [] for w in ("step", "control") for m in ("idle", "busy")
    }
    for _ in range(args.pairs):
        for mode in ("idle", "busy"):
            busy = None
            if mode == "busy":
                loop = [sys.executable, "-c", "while True: pass"]
                busy = subprocess.Popen(["taskset", "-c", "1", *loop])
                time.sleep(0.3)
            res[("step", mode)].append(time_step(400, 7) * 1e3)
            res[("control", mode)].append(statistics.median(control_ms() for _ in range(5)))
            if busy is not None:
                busy.kill()
                busy.wait()
    for (what, mode), v in res.items():
        print(f"{what:>7} {mode}: median {statistics.median(v):.1f} ms (min {min(v):.1f})")
    for what in ("step", "control"):
        ratios = [b / i for b, i in zip(res[(what, "busy")], res[(what, "idle")], strict=True)]
        print(f"{what:>7} busy/idle paired ratio: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
