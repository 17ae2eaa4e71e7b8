"""What the calibration's bootstrap replicates say about the forecast, on both windows.

For a bundled record of replicates (``--record local|full``, ``data/calibration_bootstrap*.json``):

1. each replicate's parameter set scored on the whole 2013-2019 window (the calibration
   objective at 120 runs, ``--seed``) and on the 2020-2025 hindcast (ROC-AUC and Brier
   skill of ``p_up`` at ``--runs`` runs, seed 0), with the rank correlation between the
   two: does a set that fits the window better also forecast better?
2. the pooled ensemble (the runs shared among all the sets, as ``indopacsim backtest
   --parameter-uncertainty`` does) against the frozen parameters on the window's
   objective, at seeds 12 and 1-4.

Nothing here changes the frozen parameters. The figures in docs/validation.md
("Calibration uncertainty") come from this script.

Usage: python benchmarks/uncertainty_report.py [--record full] [--runs 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import time

from scipy.stats import spearmanr
from structure_report import hindcast

from indopacsim.validation import calibration as C
from indopacsim.validation import uncertainty as U

#: The window objective's seeds of the pooled comparison (12: the calibration's own).
WINDOW_SEEDS = (12, 1, 2, 3, 4)


def per_replicate(kind: str, runs: int, seed: int) -> None:
    """Each replicate's window objective and hindcast scores, and their rank correlation."""
    obj = C.Objective(runs=120, seed=seed)
    frozen = C.frozen()["parameters"]
    rows = [("frozen", frozen)] + [
        (str(s["replicate"]), s["parameters"]) for s in U.record(kind)["sets"]
    ]
    head = f"| replicate | side payments | window objective (seed {seed}) | ROC-AUC | Brier skill "
    print(head + "| changes a year |")
    print("| --- | --- | --- | --- | --- | --- |")
    window, roc, skill = [], [], []
    for name, p in rows:
        w, h = obj(p), hindcast(p, runs)
        print(
            f"| {name} | {p['ladder.side_payments']:.3g} | {w:.5f} | {h['roc_auc']:.3f} "
            f"| {h['brier_skill']:+.3f} | {h['changes']:.1f} |",
            flush=True,
        )
        if name != "frozen":
            window.append(w)
            roc.append(h["roc_auc"])
            skill.append(h["brier_skill"])
    for label, score in (("ROC-AUC", roc), ("Brier skill", skill)):
        r = spearmanr(window, score)
        print(f"rank correlation, window objective vs {label}: ", end="")
        print(f"{r.statistic:+.2f} (p = {r.pvalue:.3f})")


def pooled(kind: str) -> None:
    """The pooled ensemble's window objective against the frozen parameters'."""
    sets, frozen = U.parameter_sets(kind=kind), C.frozen()["parameters"]
    for seed in WINDOW_SEEDS:
        obj = C.Objective(runs=120, seed=seed)
        f, p = obj(frozen), obj.of(U.pooled_ensemble(obj.scenario, sets, 120, seed))
        print(f"seed {seed}: frozen {f:.5f}, pooled {p:.5f} ({p - f:+.5f})", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", choices=tuple(U.RECORDS), default="full")
    ap.add_argument("--runs", type=int, default=1000, help="hindcast runs per replicate")
    ap.add_argument("--seed", type=int, default=1, help="seed of the window objective")
    a = ap.parse_args()
    t0 = time.perf_counter()
    per_replicate(a.record, a.runs, a.seed)
    pooled(a.record)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
