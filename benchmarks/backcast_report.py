"""Print the backcast of 2006-2012 from the world of 2005 (``validation/backcast.py``).

Usage: python benchmarks/backcast_report.py [--seeds 1000] [--seed 0] [--reps 1000]
[--set PATH=VALUE ...] [--eras PNG] [--out DIR]. The figures of docs/validation.md ("A
backcast of 2006-2012") come from this script at the package's defaults (the frozen
calibration). One progress line per chunk of 50 runs on stderr; ``--out`` writes the
forecasts, the scores and a manifest that says how to reproduce them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from indopacsim.validation import backcast as BC
from indopacsim.validation.backtest_figures import eras_axes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reps", type=int, default=None, help="bootstrap replicates (0: none)")
    ap.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    ap.add_argument("--eras", metavar="PNG", help="also draw the three records by level")
    ap.add_argument("--out", type=Path, help="write predictions.csv, scores.json, manifest.json")
    args = ap.parse_args()
    overrides = {k: float(v) for k, v in (s.split("=", 1) for s in args.set)}
    t0 = time.perf_counter()
    bc = BC.run_backcast(
        args.seeds,
        args.seed,
        reps=args.reps,
        overrides=overrides,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    if args.out is not None:
        written = BC.write_outputs(bc, args.out, ["python", *sys.argv])
        print("written:", ", ".join(str(p) for p in written), file=sys.stderr)
    obs = bc.observed[bc.observed["scored"]]
    print(f"backcast {BC.WINDOW}: {len(obs)} scored pairs (the ADMM's left out), ", end="")
    print(f"{int(obs['up'].sum())} went up, ", end="")
    print(f"{int(obs['down'].sum())} down; {args.seeds} runs, seed {args.seed}")
    print("changes per year:", ", ".join(f"{k} {v:.1f}" for k, v in bc.pace.items()))
    print()
    print(BC.table(bc))
    print("\nby starting level (model: mean p_up; base rate: the calibration's share that went up)")
    print(BC.by_level(bc).round(3).to_string())
    missed, alarms = BC.misses(bc)
    print(f"\nreal upgrades at p_up < 0.05 ({len(missed)}):")
    print(", ".join(f"{r.a}-{r.b} ({r.level_start}, {r.p_up:.3f})" for r in missed.itertuples()))
    print(f"false alarms at p_up > 0.5 ({len(alarms)}):")
    print(", ".join(f"{r.a}-{r.b} ({r.level_start}, {r.p_up:.3f})" for r in alarms.itertuples()))
    if args.eras:
        known = {} if overrides else {BC.WINDOW: bc.forecasts["model"]}  # the same runs
        table = BC.eras(args.seeds, args.seed, known=known)
        print("\nthe three records by starting level (model: the frozen model's mean p_up)")
        print(table.round(3).to_string(index=False))
        eras_axes(table).figure.savefig(args.eras, dpi=150)
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
