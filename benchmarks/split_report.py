"""Would a split of the calibration window in time choose the structure better?

The refitted ablation (``structure_report.py``) found that the calibration window's
objective ranks the structural variants unlike the 2020-2025 hindcast. This report asks
whether a forecast inside the window ranks them better: each variant holds its
parameters fixed (``structure_report.VARIANTS``) and refits the free ones on 2013-2015
only (Nelder-Mead from the frozen calibration, ``--fev`` evaluations of the objective at
120 runs, seed 12; the frozen structure is refitted too, so that no variant carries the
held-out years in its parameters), then forecasts 2016-2019 from the network of the
start of 2016 (:mod:`indopacsim.validation.split`): the objective on those years (the
calibration's, 120 runs, seed 12) and the ROC-AUC and Brier skill of ``p_up``
(``--seeds`` runs, seed 0). With ``--against`` (the ``--json`` rows of
``structure_report.py``), it prints the rank correlations of each reading of the window
with the 2020-2025 scores of the variants refitted on the whole window. Nothing here
feeds back into the frozen parameters.

Usage: python benchmarks/split_report.py [--fev 100] [--seeds 1000] [--only NAME ...]
       [--json FILE] [--against STRUCTURE_JSON [--figure PNG]] [--from-json FILE]
       python benchmarks/split_report.py --score RECORD.json ... [--pool] (calibration records)
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from structure_report import selected

from indopacsim.model.ensemble import run_ensemble
from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H
from indopacsim.validation.split import window_scenario

FIT, HELD_OUT = "2013-2015", "2016-2019"


def held_out(params: dict, seeds: int, obj: C.Objective, reps: int = 0) -> dict[str, Any]:
    """The objective, ROC-AUC and Brier skill of the 2016-2019 forecast at ``params``;
    with ``reps``, their 95% intervals from resampling states (``ci95``)."""
    scenario, start, end = window_scenario(HELD_OUT)
    res = run_ensemble(C.with_parameters(scenario, params), seeds, 0)
    obs = H.observed(res.codes, res.ties0, start, end)
    y, p = obs["up"].to_numpy(), H.predictions(res)["p_up"].to_numpy()
    s = H.score(p, y)
    out: dict[str, Any] = {"held_out": obj(params), "roc_auc": s.roc_auc}
    out.update(brier_skill=s.brier_skill, p=p, y=y)
    if reps:
        out["ci95"] = H.bootstrap_by_state(p, y, obs["a"], obs["b"], reps=reps)
    return out


def correlations(rows: list[dict], against: list[dict]) -> list[str]:
    """Spearman's rank correlation of each reading of the window with the 2020-2025 ROC-AUC
    and Brier skill of the same variants refitted on 2013-2019 (objectives negated, so
    that a positive correlation means the reading ranks as the hindcast does)."""
    later = {r["variant"]: r for r in against}
    common = [r for r in rows if r["variant"] in later]
    readings = {
        "2013-2019 objective (refit on it)": [-later[r["variant"]]["window"] for r in common],
        "2013-2015 objective (refit on it)": [-r["fit"] for r in common],
        "2016-2019 objective (forecast)": [-r["held_out"] for r in common],
        "2016-2019 ROC-AUC (forecast)": [r["roc_auc"] for r in common],
        "2016-2019 Brier skill (forecast)": [r["brier_skill"] for r in common],
    }
    out = [
        f"rank correlations over {len(common)} variants with 2020-2025 (refit on 2013-2019):",
        "| reading | with ROC-AUC | p | with Brier skill | p |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, xs in readings.items():
        roc = spearmanr(xs, [later[r["variant"]]["roc_auc"] for r in common])
        skill = spearmanr(xs, [later[r["variant"]]["brier_skill"] for r in common])
        out.append(
            f"| {name} | {roc.statistic:+.2f} | {roc.pvalue:.3f} "
            f"| {skill.statistic:+.2f} | {skill.pvalue:.3f} |"
        )
    return out


def figure(rows: list[dict], against: list[dict], path: str) -> None:
    """The 2020-2025 Brier skill of each variant against the whole window's objective
    (left) and against the 2016-2019 forecast's objective (right); numbered points."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    later = {r["variant"]: r for r in against}
    common = [r for r in rows if r["variant"] in later]
    fig = Figure(figsize=(10.0, 4.4), layout="constrained")
    panels = (
        ("2013-2019 objective, refitted on 2013-2019\n(lower is better)", "window"),
        ("2016-2019 objective, refitted on 2013-2015\n(lower is better)", "held_out"),
    )
    for k, (xlabel, key) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        for n, r in enumerate(common, 1):
            x = later[r["variant"]]["window"] if key == "window" else r[key]
            y = later[r["variant"]]["brier_skill"]
            colour = "#D55E00" if r["variant"].startswith("frozen") else "#0072B2"
            ax.scatter(x, y, color=colour, s=30, zorder=3)
            ax.annotate(str(n), (x, y), xytext=(4, 2), textcoords="offset points", fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("2020-2025 Brier skill (refitted on 2013-2019)")
        ax.grid(alpha=0.3)
    names = [r["variant"].replace("frozen model (no refit)", "frozen structure") for r in common]
    handles = [Line2D([], [], ls="", label=f"{n}  {v}") for n, v in enumerate(names, 1)]
    fig.legend(
        handles=handles, loc="outside right center", fontsize=7, frameon=False, handlelength=0
    )
    fig.suptitle("Two judges of structure (benchmarks/split_report.py)", fontsize=10)
    fig.savefig(path, dpi=150)


def later_forecast(params: dict, seeds: int) -> np.ndarray:
    """``p_up`` of the 2020-2025 forecast at ``params`` (as ``structure_report.hindcast``)."""
    sc = B.with_parameters(load_scenario(H.WINDOWS[B.WINDOW][0]), params)
    return H.predictions(B.run_chunked(sc, seeds, 0))["p_up"].to_numpy()


def score_records(paths: list[str], seeds: int, pool: bool = False) -> list[str]:
    """Each calibration record (``python -m indopacsim.validation.calibration --out``)
    forecasting 2016-2019 from the network of 2016 and 2020-2025 from the world of 2019;
    with ``pool``, also the mean ``p_up`` of their forecasts (each record weighted alike)."""
    later, outcomes = C.Objective(runs=120, seed=12, window=HELD_OUT), B.outcomes(B.WINDOW)
    out = [
        "| record | window fitted | objective | 2016-2019 objective | ROC-AUC | Brier skill "
        "| 2020-2025 ROC-AUC | Brier skill |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    near, far = [], []
    for path in paths:
        with open(path) as fh:
            rec = json.load(fh)
        h = held_out(rec["parameters"], seeds, later, reps=1000)
        far.append(later_forecast(rec["parameters"], seeds))
        near.append(h["p"])
        w = B.evaluate(far[-1], outcomes, reps=0)
        (r0, r1), (b0, b1) = h["ci95"]["roc_auc"], h["ci95"]["brier_skill"]
        out.append(
            f"| {path} | {rec['window']} | {rec['value']:.5f} | {h['held_out']:.5f} "
            f"| {h['roc_auc']:.3f} [{r0:.2f}, {r1:.2f}] | {h['brier_skill']:+.3f} "
            f"[{b0:+.2f}, {b1:+.2f}] | {w['roc_auc']:.3f} | {w['brier_skill']:+.3f} |"
        )
    if pool:
        s1 = H.score(np.mean(near, axis=0), h["y"])
        s2 = B.evaluate(np.mean(far, axis=0), outcomes, reps=0)
        out.append(
            f"| pooled ({len(paths)} records) | | | | {s1.roc_auc:.3f} | {s1.brier_skill:+.3f} "
            f"| {s2['roc_auc']:.3f} | {s2['brier_skill']:+.3f} |"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fev", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--against", default=None, help="structure_report.py --json rows")
    ap.add_argument("--from-json", default=None, help="read the rows of an earlier --json")
    ap.add_argument("--figure", default=None, help="with --against, draw both judges here")
    ap.add_argument("--score", nargs="*", default=None, help="calibration records to score")
    ap.add_argument("--pool", action="store_true", help="with --score, also their mean p_up")
    a = ap.parse_args()
    if a.score:
        print("\n".join(score_records(a.score, a.seeds, a.pool)))
        return
    if a.from_json:
        with open(a.from_json) as fh:
            rows = json.load(fh)
    else:
        fit = C.Objective(runs=120, seed=12, window=FIT)
        later = C.Objective(runs=120, seed=12, window=HELD_OUT)
        rows = []
        print("| variant | 2013-2015 objective | 2016-2019 objective | ROC-AUC | Brier skill | s |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, fixed in selected(a.only):
            t0 = time.perf_counter()
            params, value = C.refit(fit, a.fev, fixed)
            h = held_out(params, a.seeds, later)
            secs = time.perf_counter() - t0
            rows.append({"variant": name, "fit": value, **h, "params": params, "seconds": secs})
            label = "frozen structure (refitted)" if not fixed else name
            print(
                f"| {label} | {value:.5f} | {h['held_out']:.5f} | {h['roc_auc']:.3f} "
                f"| {h['brier_skill']:+.3f} | {secs:.0f} |",
                flush=True,
            )
        if a.json:
            with open(a.json, "w") as fh:
                json.dump(rows, fh, indent=1)
    if a.against:
        with open(a.against) as fh:
            against = json.load(fh)
        print("\n".join(correlations(rows, against)))
        if a.figure:
            figure(rows, against, a.figure)


if __name__ == "__main__":
    main()
