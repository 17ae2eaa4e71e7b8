"""What the calibration's bootstrap replicates say about the forecast, on both windows.

For a bundled record of replicates (``--record local|full``, ``data/calibration_bootstrap*.json``):

1. each replicate's parameter set scored on the whole calibration window (the calibration
   objective at 120 runs, ``--seed``) and on the 2020-2025 hindcast (ROC-AUC and Brier
   skill of ``p_up`` at ``--runs`` runs, seed 0), with the rank correlation between the
   two: does a set that fits the window better also forecast better?
2. the pooled ensemble (the runs shared among all the sets, as ``indopacsim backtest
   --parameter-uncertainty`` does) against the frozen parameters on the window's
   objective, at seeds 12 and 1-4;
3. with ``--mechanism``, the measures of the mechanism issue on the 2026 baseline at each
   set: the pairs each driver moves by 0.8 rungs (10 runs, seeds 1-3) and the largest
   paired doctrine effects among ten middle powers (10 runs, seed 3).

Nothing here changes the frozen parameters. The figures in docs/validation.md
("Calibration uncertainty") come from this script.

Usage: python benchmarks/uncertainty_report.py [--record full] [--runs 1000] [--seed 1]
[--mechanism]
"""

from __future__ import annotations

import argparse
import time

from axis_report import driver_counts
from scipy.stats import spearmanr
from structure_report import hindcast

from indopacsim.validation import calibration as C
from indopacsim.validation import mechanism as M
from indopacsim.validation import uncertainty as U

#: The window objective's seeds of the pooled comparison (12: the calibration's own).
WINDOW_SEEDS = (12, 1, 2, 3, 4)
DOCTRINES = ("balance", "hedge", "bandwagon", "network", "autonomy")
#: The seven states of docs/validation.md's doctrine table and the three whose doctrines
#: matter most at the frozen parameters (Thailand, Singapore, Finland).
MIDDLE_POWERS = ("JPN", "AUS", "PHL", "VNM", "IND", "KOR", "GBR", "THA", "SGP", "FIN")


def per_replicate(kind: str, runs: int, seed: int) -> None:
    """Each replicate's window objective and hindcast scores, and their rank correlation."""
    obj = C.objective(120, seed)
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
        obj = C.objective(120, seed)
        parts = obj.parts if isinstance(obj, C.JointObjective) else [obj]
        pool = [o.of(U.pooled_ensemble(o.scenario, sets, 120, seed)) for o in parts]
        f, p = obj(frozen), sum(pool) / len(pool)  # the joint objective: the windows' mean
        print(f"seed {seed}: frozen {f:.5f}, pooled {p:.5f} ({p - f:+.5f})", flush=True)


def mechanism(kind: str) -> None:
    """Driver counts and doctrine effects on the 2026 baseline at each parameter set."""
    sets = [("frozen", C.frozen()["parameters"])]
    sets += [(str(s["replicate"]), s["parameters"]) for s in U.record(kind)["sets"]]
    print("\n| parameters | " + " | ".join(p.split(".")[-1] for p in M.DRIVERS), end=" ")
    print("| largest paired doctrine effects | states above 5 |")
    print("| --- " * (len(M.DRIVERS) + 3) + "|")
    for name, p in sets:
        base = C.with_parameters(M.baseline(), p)
        counts = driver_counts(p)
        effects = []
        for state in MIDDLE_POWERS:
            tab = M.doctrine_payoffs(state, DOCTRINES, 10, base=base)
            effects.append((float(M.paired_effects(tab).iloc[0]["effect"]), state))
        effects.sort(reverse=True)
        top = ", ".join(f"{s} {e:.1f}" for e, s in effects[:3])
        above = sum(e > 5 for e, _ in effects)
        cells = " | ".join(", ".join(map(str, counts[d])) for d in M.DRIVERS)
        print(f"| {name} | {cells} | {top} | {above} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", choices=tuple(U.RECORDS), default="full")
    ap.add_argument("--runs", type=int, default=1000, help="hindcast runs per replicate")
    ap.add_argument("--seed", type=int, default=1, help="seed of the window objective")
    ap.add_argument("--mechanism", action="store_true", help="only the drivers and doctrines")
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.mechanism:
        mechanism(a.record)
    else:
        per_replicate(a.record, a.runs, a.seed)
        pooled(a.record)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
