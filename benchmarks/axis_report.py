"""The axis (``threat.pooling``) on the calibration window: refits, a full calibration, effects.

Reproduces the figures of docs/validation.md, "Structural variants of the round that found
the axis", when run at commit d270fa9 (before the axis entered the frozen calibration;
in a later tree the refits start from that tree's frozen point, which includes the axis):

1. for each ``--pooling`` value, the frozen calibration's free parameters refitted from the
   frozen point with the axis held at that weight (Nelder-Mead, ``--fev`` evaluations of
   the window's objective at 120 runs, seed 12: ``structure_report.refit``), and the
   objective at the refitted point on seeds 1-4 (pooling 0 is the plain refit, the
   comparison the window's verdict rests on);
2. with ``--full``, a full calibration from scratch with ``threat.pooling`` free (range
   0-2, the prior starts at 0.5; the procedure of ``indopacsim.validation.calibration``
   without its warm start from the previous fit, ``calibration.PREVIOUS_START``), and the
   same seeds;
3. at every point, the number of pairs each driver moves by at least 0.8 rungs (10 runs,
   seeds 1-3, as ``benchmarks/mechanism_report.py``) and the 2020-2025 hindcast (ROC-AUC
   and Brier skill, ``--seeds`` runs), computed after the window's figures.

Nothing here changes the frozen parameters (``data/calibration.json``). About 2.5 minutes
per pooling value and 7-9 minutes for ``--full`` on this 2-core machine.

Usage: python benchmarks/axis_report.py [--pooling 0 0.5] [--fev 100] [--full] [--seeds 1000]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from structure_report import hindcast, refit

from indopacsim.validation import backtest as B
from indopacsim.validation import calibration as C
from indopacsim.validation import mechanism as M


def seeds_check(params: dict[str, Any]) -> list[float]:
    """The window's objective at ``params`` on seeds 1-4 (120 runs each)."""
    return [round(C.objective(120, s)(params), 5) for s in (1, 2, 3, 4)]


def driver_counts(params: dict[str, Any], runs: int = 10) -> dict[str, list[int]]:
    """Pairs each driver moves by >= 0.8 rungs on the 2026 baseline, seeds 1-3."""
    sc = B.with_parameters(M.baseline(), params)
    return {
        path: [len(M.material(M.driver_effect(path, runs, seed, sc))) for seed in (1, 2, 3)]
        for path in M.DRIVERS
    }


def full_calibration(screen: int = 128, refine: int = 300) -> dict[str, Any]:
    """The calibration of :mod:`indopacsim.validation.calibration` (the axis is free in it)
    without its warm start from the previous fit (``calibration.PREVIOUS_START``): the
    cold-start figure of docs/validation.md."""
    return C.calibrate(screen=screen, refine=refine, warm=False)


def drivers_text(counts: dict[str, list[int]]) -> str:
    """:func:`driver_counts` in one line: ``reliability 5, 5, 4; coercion ...``."""
    return "; ".join(f"{p.split('.')[-1]} {', '.join(map(str, c))}" for p, c in counts.items())


def report(name: str, params: dict[str, Any], value: float, seeds: int, t0: float) -> None:
    """Print one point: its objective on seeds 12 and 1-4, its drivers and its hindcast."""
    h = hindcast(params, seeds)
    drivers = drivers_text(driver_counts(params))
    print(
        f"{name}: objective {value:.5f} (seeds 1-4: {', '.join(map(str, seeds_check(params)))})"
        f" | drivers {drivers} | hindcast {h['roc_auc']:.3f} / {h['brier_skill']:+.3f},"
        f" {h['changes']:.1f} changes a year | {time.perf_counter() - t0:.0f} s",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pooling", type=float, nargs="*", default=[0.0, 0.5])
    ap.add_argument("--fev", type=int, default=100)
    ap.add_argument("--full", action="store_true", help="also calibrate with the axis free")
    ap.add_argument("--seeds", type=int, default=1000, help="hindcast runs")
    ap.add_argument("--screen", type=int, default=128, help="--full: screened points")
    ap.add_argument("--refine", type=int, default=300, help="--full: local evaluations")
    a = ap.parse_args()
    obj = C.objective(120, 12)
    for pool in a.pooling:
        t0 = time.perf_counter()
        params, value = refit({"threat.pooling": pool}, a.fev, obj)
        report(f"refit at pooling {pool:g}", params, value, a.seeds, t0)
    if a.full:
        t0 = time.perf_counter()
        rec = full_calibration(a.screen, a.refine)
        name = f"full calibration (pooling {rec['parameters']['threat.pooling']:g})"
        report(name, rec["parameters"], rec["value"], a.seeds, t0)


if __name__ == "__main__":
    main()
