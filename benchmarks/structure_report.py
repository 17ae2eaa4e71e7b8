"""Does the calibration window choose the structure well? Refitted ablations, scored twice.

The hindcast's ablation (``indopacsim backtest --ablation``) switches a mechanism off at
the frozen parameters, so the other parameters cannot compensate. Here each variant
holds its parameters fixed and refits the free ones on the calibration window (2006-2019
at once since the joint calibration; the figures of docs/validation.md were measured on
2013-2019, before it): Nelder-Mead from the frozen calibration, ``--fev`` evaluations
of the calibration objective at 120 runs, seed 12. It then scores the refitted model
twice: on the calibration window (the objective, the lower the better) and on the
2020-2025 hindcast (ROC-AUC and Brier skill of ``p_up`` at ``--seeds`` runs, seed 0,
with the driver paths). If the window ranks the variants as
the hindcast does, the window is a fair judge of structure; if not, it is not. Nothing
here feeds back into the frozen parameters (``data/calibration.json``).

Usage: python benchmarks/structure_report.py [--fev 100] [--seeds 1000] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import time

from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H
from indopacsim.validation.calibration import JointObjective, Objective, objective

#: Variants: the parameters each holds fixed (the rest are refitted on 2013-2019).
VARIANTS: dict[str, dict[str, float | str]] = {
    "frozen model (no refit)": {},
    "no lattice (weights.lattice=0)": {"weights.lattice": 0.0},
    "no security (weights.security=0)": {"weights.security": 0.0},
    "no values (weights.values=0, institutions=0)": {
        "weights.values": 0.0,
        "weights.institutions": 0.0,
    },
    "values doubled (weights.values=1, above its range)": {"weights.values": 1.0},
    "full side payments (ladder.side_payments=1)": {"ladder.side_payments": 1.0},
    "no depth decay (ladder.depth_decay=0)": {"ladder.depth_decay": 0.0},
    "start at rest (status_quo.rho_up=1)": {"status_quo.rho_up": 1.0},
    "graded hazard (ladder.hazard_scale=0.05)": {"ladder.hazard_scale": 0.05},
    "cut hazard flat in the loss (ladder.down_scale=0.0025)": {"ladder.down_scale": 0.0025},
    "pursuit by own gain (ladder.pursuit=own)": {"ladder.pursuit": "own"},
    "no axis (threat.pooling=0)": {"threat.pooling": 0.0},
    "no shared partners (weights.shared_partners=0)": {"weights.shared_partners": 0.0},
}


def selected(only: list[str] | None) -> list[tuple[str, dict[str, float | str]]]:
    """The variants whose names contain one of ``only`` (all of them without it)."""
    return [(n, f) for n, f in VARIANTS.items() if not only or any(o in n for o in only)]


def refit(
    fixed: dict[str, float | str], fev: int, obj: Objective | JointObjective
) -> tuple[dict[str, float | str], float]:
    """Refit the free parameters not in ``fixed`` from the frozen point; return the
    parameters and the window objective at them (:func:`calibration.refit`)."""
    return C.refit(obj, fev, fixed)


def hindcast(params: dict[str, float | str], seeds: int) -> dict[str, float]:
    """ROC-AUC and Brier skill of the 2020-2025 forecast at these parameters."""
    sc = B.with_parameters(load_scenario(H.WINDOWS[B.WINDOW][0]), params)
    res = B.run_chunked(sc, seeds, 0)
    s = B.evaluate(H.predictions(res)["p_up"].to_numpy(), B.outcomes(B.WINDOW), reps=0)
    return {
        "roc_auc": s["roc_auc"],
        "brier_skill": s["brier_skill"],
        "changes": H.changes_per_year(res),
    }


def figure(rows: list[dict], path: str) -> None:
    """Each variant's window objective against its hindcast ROC-AUC and Brier skill; the
    points are numbered and the key names them."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(10.0, 4.4), layout="constrained")
    for k, (key, label) in enumerate(
        (("roc_auc", "2020-2025 ROC-AUC"), ("brier_skill", "2020-2025 Brier skill"))
    ):
        ax = fig.add_subplot(1, 2, k + 1)
        for n, r in enumerate(rows, 1):
            colour = "#D55E00" if r["variant"].startswith("frozen") else "#0072B2"
            ax.scatter(r["window"], r[key], color=colour, s=30, zorder=3)
            ax.annotate(
                str(n),
                (r["window"], r[key]),
                xytext=(4, 2),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
        ax.set_xlabel("2013-2019 calibration objective (lower is better)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    handles = [Line2D([], [], ls="", label=f"{n}  {r['variant']}") for n, r in enumerate(rows, 1)]
    fig.legend(
        handles=handles, loc="outside right center", fontsize=7, frameon=False, handlelength=0
    )
    fig.suptitle(
        "Refitted variants scored on both windows (benchmarks/structure_report.py)", fontsize=10
    )
    fig.savefig(path, dpi=150)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fev", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--figure", default=None, help="also draw the rows here (PNG)")
    ap.add_argument("--from-json", default=None, help="draw the rows of an earlier --json")
    a = ap.parse_args()
    if a.from_json:
        with open(a.from_json) as fh:
            figure(json.load(fh), a.figure or "structure.png")
        return
    obj = objective(120, 12)
    rows = []
    print("| variant | window objective | hindcast ROC-AUC | Brier skill | changes/yr | s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, fixed in selected(a.only):
        t0 = time.perf_counter()
        params, value = refit(fixed, 0 if not fixed else a.fev, obj)
        h = hindcast(params, a.seeds)
        secs = time.perf_counter() - t0
        rows.append({"variant": name, "window": value, **h, "params": params, "seconds": secs})
        print(
            f"| {name} | {value:.5f} | {h['roc_auc']:.3f} | {h['brier_skill']:+.3f} "
            f"| {h['changes']:.1f} | {secs:.0f} |",
            flush=True,
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    if a.figure:
        figure(rows, a.figure)


if __name__ == "__main__":
    main()
