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
   paired doctrine effects among ten middle powers (10 runs, seed 3), beside the set's
   decision noise and its window objective (120 runs, ``--seed``), and the rank
   correlations between them: does a set that fits the record better reach further?
   ``--json FILE`` keeps the rows, ``--figure PNG`` draws fit against reach, and
   ``--from-json FILE --figure PNG`` redraws without rerunning;
4. with ``--claims``, the paper's eight claims (``validation.claims``, 20 paired runs,
   seed 0, as docs/validation.md's claims table) at each set: which hold at every fit the
   record supports, and which hang on the calibration (``--json``, ``--figure``, and
   ``--claims --from-json FILE --figure PNG`` as for ``--mechanism``).

Nothing here changes the frozen parameters. The figures in docs/validation.md
("Calibration uncertainty") come from this script.

Usage: python benchmarks/uncertainty_report.py [--record full] [--runs 1000] [--seed 1]
[--mechanism [--json FILE] [--figure PNG]] [--from-json FILE --figure PNG] [--claims]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from axis_report import driver_counts
from scipy.stats import spearmanr
from structure_report import hindcast

from indopacsim.validation import calibration as C
from indopacsim.validation import claims as CL
from indopacsim.validation import mechanism as M
from indopacsim.validation import uncertainty as U

#: The window objective's seeds of the pooled comparison (12: the calibration's own).
WINDOW_SEEDS = (12, 1, 2, 3, 4)
DOCTRINES = ("balance", "hedge", "bandwagon", "network", "autonomy")
#: The seven states of docs/validation.md's doctrine table and the three whose doctrines
#: matter most at the frozen parameters (Thailand, Singapore, Finland).
MIDDLE_POWERS = ("JPN", "AUS", "PHL", "VNM", "IND", "KOR", "GBR", "THA", "SGP", "FIN")


def named_sets(kind: str) -> list[tuple[str, dict[str, Any]]]:
    """The frozen parameters and each replicate's, by name (``frozen``, ``0``, ``1``, ...)."""
    sets = [("frozen", C.frozen()["parameters"])]
    return sets + [(str(s["replicate"]), s["parameters"]) for s in U.record(kind)["sets"]]


def per_replicate(kind: str, runs: int, seed: int) -> None:
    """Each replicate's window objective and hindcast scores, and their rank correlation."""
    obj = C.objective(120, seed)
    rows = named_sets(kind)
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


def mechanism(kind: str, seed: int) -> list[dict[str, Any]]:
    """Driver counts and doctrine effects on the 2026 baseline at each parameter set, with
    the set's decision noise and window objective; prints the table and returns the rows."""
    obj = C.objective(120, seed)
    sets = named_sets(kind)
    print(f"\n| parameters | decision noise | window objective (seed {seed}) | ", end="")
    print(" | ".join(p.split(".")[-1] for p in M.DRIVERS), end=" ")
    print("| largest paired doctrine effects | states above 5 |")
    print("| --- " * (len(M.DRIVERS) + 5) + "|")
    rows = []
    for name, p in sets:
        base = C.with_parameters(M.baseline(), p)
        counts = driver_counts(p)
        effects = []
        for state in MIDDLE_POWERS:
            tab = M.doctrine_payoffs(state, DOCTRINES, 10, base=base)
            effects.append((float(M.paired_effects(tab).iloc[0]["effect"]), state))
        effects.sort(reverse=True)
        r = {"set": name, "noise": float(p["noise.decision"]), "window": float(obj(p))}
        r |= {"drivers": counts, "doctrines": [[s, round(e, 4)] for e, s in effects]}
        rows.append(r)
        print(row_text(r), flush=True)
    correlations(rows)
    return rows


def claims(kind: str, runs: int = 20) -> list[dict[str, Any]]:
    """The paper's claims at each parameter set: the paired difference and whether its
    interval excludes zero on the expected side; then, per claim, the sets where it holds.
    Returns one row per set and claim."""
    sets = named_sets(kind)
    print("\n| parameters | " + " | ".join(c.name for c in CL.CLAIMS) + " | hold |")
    print("| --- " * (len(CL.CLAIMS) + 2) + "|")
    rows: list[dict[str, Any]] = []
    for name, p in sets:
        base = C.with_parameters(M.baseline(), p)
        cells = []
        for c in CL.CLAIMS:
            cmp = CL.compare(c, base, runs)
            cells.append(f"{cmp.diff:+.2f}{'' if cmp.holds else ' (no)'}")
            rows.append({"set": name, "claim": c.name, "diff": cmp.diff, "ci": list(cmp.ci)})
            rows[-1] |= {"holds": bool(cmp.holds), "expect": c.expect}
        n = sum(r["holds"] for r in rows if r["set"] == name)
        print(f"| {name} | " + " | ".join(cells) + f" | {n} |", flush=True)
    for c in CL.CLAIMS:
        where = [r["set"] for r in rows if r["claim"] == c.name and r["holds"]]
        print(f"{c.name}: holds at {len(where)} of {len(sets)} sets ({', '.join(where) or '-'})")
    return rows


def claims_figure(rows: list[dict[str, Any]], path: str) -> None:
    """The claims across the sets: per claim, each set's paired difference and its 95%
    interval, filled where the claim holds."""
    from matplotlib.figure import Figure

    names = list(dict.fromkeys(r["claim"] for r in rows))
    sets = list(dict.fromkeys(r["set"] for r in rows))
    fig = Figure(figsize=(12.0, 6.4), layout="constrained")
    axes = fig.subplots(2, (len(names) + 1) // 2, sharey=True).ravel()
    for ax, name in zip(axes, names, strict=False):
        mine = {r["set"]: r for r in rows if r["claim"] == name}
        for y, s in enumerate(sets):
            r = mine[s]
            colour = "#0072B2" if r["holds"] else "#D55E00"
            ax.plot(r["ci"], [y, y], color=colour, lw=1.5)
            face = colour if r["holds"] else "white"
            ax.plot([r["diff"]], [y], "o", color=colour, mfc=face, ms=5)
        ax.axvline(0, color="grey", lw=0.8, ls="--")
        held = sum(mine[s]["holds"] for s in sets)
        want = "rise" if mine[sets[0]]["expect"] == "increase" else "fall"
        ax.set_title(f"{name}\n(should {want}; holds at {held} of {len(sets)})", fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8)
    axes[0].set_yticks(range(len(sets)), [s if s == "frozen" else f"rep. {s}" for s in sets])
    axes[0].invert_yaxis()
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    fig.supxlabel("paired difference, high - low setting (20 runs; bars: 95% interval)", fontsize=9)
    fig.suptitle(
        "The paper's claims at the frozen set and the calibration's 12 whole recalibrations "
        "(filled: holds; benchmarks/uncertainty_report.py --claims)",
        fontsize=10,
    )
    fig.savefig(path, dpi=150)


def row_text(r: dict[str, Any]) -> str:
    """One markdown row of :func:`mechanism`."""
    top = ", ".join(f"{s} {e:.1f}" for s, e in r["doctrines"][:3])
    above = sum(e > 5 for _, e in r["doctrines"])
    cells = " | ".join(", ".join(map(str, r["drivers"][d])) for d in M.DRIVERS)
    return f"| {r['set']} | {r['noise']:.4f} | {r['window']:.5f} | {cells} | {top} | {above} |"


def reach(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Each driver's mean count over its seeds per set, and all five summed."""
    out = {d: np.array([np.mean(r["drivers"][d]) for r in rows]) for d in M.DRIVERS}
    out["all five"] = sum(out[d] for d in M.DRIVERS)
    return out


def correlations(rows: list[dict[str, Any]]) -> None:
    """Rank correlations over the sets: the window objective with each driver's reach,
    and the decision noise with the objective and with the total reach."""
    window = [r["window"] for r in rows]
    noise = [r["noise"] for r in rows]
    counts = reach(rows)
    print(f"rank correlations over the {len(rows)} sets (Spearman; p two-sided):")
    for name, c in counts.items():
        t = spearmanr(window, c)
        print(f"  window objective vs {name}: {t.statistic:+.2f} (p = {t.pvalue:.3f})")
    for label, other in (("window objective", window), ("all five", counts["all five"])):
        t = spearmanr(noise, other)
        print(f"  decision noise vs {label}: {t.statistic:+.2f} (p = {t.pvalue:.3f})")


def figure(rows: list[dict[str, Any]], path: str) -> None:
    """Fit against reach: per driver, the pairs moved (mean of seeds 1-3, bars their
    range) against the set's window objective, the points shaded by decision noise."""
    from matplotlib.figure import Figure

    window = np.array([r["window"] for r in rows])
    noise = np.array([r["noise"] for r in rows])
    fig = Figure(figsize=(12.0, 3.6), layout="constrained")
    axes = fig.subplots(1, len(M.DRIVERS), sharex=True)
    for ax, driver in zip(axes, M.DRIVERS, strict=True):
        c = np.array([r["drivers"][driver] for r in rows], dtype=float)
        mid = c.mean(axis=1)
        err = np.vstack([mid - c.min(axis=1), c.max(axis=1) - mid])
        ax.errorbar(window, mid, yerr=err, fmt="none", ecolor="grey", lw=0.8, zorder=1)
        dots = ax.scatter(window, mid, c=noise, cmap="viridis", s=28, zorder=2)
        ax.scatter(window[:1], mid[:1], s=110, facecolors="none", edgecolors="#D55E00")
        ax.axhline(5, color="grey", lw=0.8, ls="--")
        t = spearmanr(window, mid)
        ax.set_title(f"{driver}\nrank corr. {t.statistic:+.2f} (p = {t.pvalue:.2f})", fontsize=9)
        ax.set_xlabel("window objective (lower fits better)", fontsize=8)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("pairs moved >= 0.8 rungs (seeds 1-3)")
    fig.colorbar(dots, ax=axes, label="decision noise", shrink=0.9)
    fig.suptitle(
        "Fit against reach over the frozen set (circled) and the bootstrap's whole "
        "recalibrations; dashed: the target of 5 pairs (benchmarks/uncertainty_report.py)",
        fontsize=10,
    )
    fig.savefig(path, dpi=150)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", choices=tuple(U.RECORDS), default="full")
    ap.add_argument("--runs", type=int, default=1000, help="hindcast runs per replicate")
    ap.add_argument("--seed", type=int, default=1, help="seed of the window objective")
    ap.add_argument("--mechanism", action="store_true", help="only the drivers and doctrines")
    ap.add_argument("--json", default=None, help="with --mechanism: keep the rows here")
    ap.add_argument("--figure", default=None, help="with --mechanism: draw them here (PNG)")
    ap.add_argument("--from-json", default=None, help="redraw --figure from kept rows")
    ap.add_argument("--claims", action="store_true", help="only the paper's claims per set")
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.from_json and not a.claims:
        with open(a.from_json, encoding="utf-8") as fh:
            rows = json.load(fh)
        correlations(rows)
        figure(rows, a.figure or "fit_reach.png")
        return
    if a.claims:
        if a.from_json:
            with open(a.from_json, encoding="utf-8") as fh:
                rows = json.load(fh)
        else:
            rows = claims(a.record)
        if a.json and not a.from_json:
            with open(a.json, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, indent=1)
        if a.figure:
            claims_figure(rows, a.figure)
    elif a.mechanism:
        rows = mechanism(a.record, a.seed)
        if a.json:
            with open(a.json, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, indent=1)
        if a.figure:
            figure(rows, a.figure)
    else:
        per_replicate(a.record, a.runs, a.seed)
        pooled(a.record)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
