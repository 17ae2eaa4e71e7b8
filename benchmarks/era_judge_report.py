"""Does a forecast from one era judge structure as the whole calibration window does?

The calibration chooses the model's structure by its fit to the whole record before 2020
(``docs/validation.md``, "Refitted ablation"). This report asks the record's cleanest
out-of-time question instead: each variant of ``structure_report.VARIANTS`` (the frozen
structure and the variants that each hold the parameters they name) is refitted on
2006-2012 alone, from the fit of that window (``data/calibration_2006_2012.json``: found
from screened starts only, so free of the later years; Nelder-Mead, ``--fev``
evaluations at 120 runs, seed 12; the frozen structure is refitted the same way), and
then forecasts 2013-2019 from the world of 2012. Each forecast is read three ways: the
calibration's objective on 2013-2019 (120 runs, seeds 12, 1 and 2, whose spread gives
the noise), and the ROC-AUC and Brier skill of ``p_up`` (``--seeds`` runs, seed 0), with
95% intervals from resampling states and the intervals of each variant's difference from
the first row on the same replicates. The decision rule is the one written in
``docs/validation.md`` ("An era judge of structure") before the first result; the table
marks the variants that pass it. ``--whole NAME ...`` refits those variants and the
frozen structure on the whole window (2006-2019) from the frozen calibration, the rule's
second step. ``--later`` reads each refit's forecast of 2020-2025 (a diagnostic of the
judge, to be read after the decision) and the rank correlations of the judge's readings
with it. Nothing here feeds back into the frozen parameters.

Usage: python benchmarks/era_judge_report.py [--fev 150] [--seeds 1000] [--only NAME ...]
       [--json FILE]
       python benchmarks/era_judge_report.py --from-json FILE [FILE ...] [--later]
       python benchmarks/era_judge_report.py --whole NAME ... [--fev 150]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from scoring_rule_report import forecast, intervals
from structure_report import VARIANTS, selected

from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H

FIT, LATER = "2006-2012", "2013-2019"
#: The seeds of the held-out objective: their spread is the noise of the difference.
SEEDS = (12, 1, 2)
#: The record the refits start from: the fit of 2006-2012 alone.
BASE = "calibration_2006_2012.json"


def base_parameters() -> dict[str, Any]:
    """The parameters of the fit of :data:`FIT` alone (the bundled record)."""
    from importlib.resources import files

    return json.loads(files("indopacsim.data").joinpath(BASE).read_text())["parameters"]


def judge(name: str, fixed: dict[str, Any], fev: int, runs: int) -> dict[str, Any]:
    """Refit one variant on :data:`FIT` and read its forecast of :data:`LATER`."""
    t0 = time.perf_counter()
    fit = C.Objective(runs=120, seed=12, window=FIT)
    params, value = C.refit(fit, fev, fixed, base_parameters())
    held = [float(C.Objective(runs=120, seed=s, window=LATER)(params)) for s in SEEDS]
    f = forecast(params, LATER, runs)
    secs = time.perf_counter() - t0
    return {"rule": name, "fit": value, "held_out": held, "forecast": f} | {
        "params": params,
        "seconds": secs,
    }


def verdicts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's differences from the first (the frozen structure) and whether it passes
    the rule: a lower held-out objective by more than two SDs of the per-seed differences,
    a higher ROC-AUC and Brier skill, one of their paired intervals above zero."""
    ci = intervals(rows)
    first = rows[0]
    out = []
    for r in rows:
        d = np.asarray(r["held_out"]) - np.asarray(first["held_out"])
        sd = float(d.std(ddof=1))
        c = ci[r["rule"]]
        d_auc = r["forecast"]["roc_auc"] - first["forecast"]["roc_auc"]
        d_skill = r["forecast"]["brier_skill"] - first["forecast"]["brier_skill"]
        passes = (
            r is not first
            and float(d.mean()) < -2 * sd
            and d_auc > 0
            and d_skill > 0
            and (c["roc_auc_minus_first"][0] > 0 or c["brier_skill_minus_first"][0] > 0)
        )
        out.append({"d_obj": float(d.mean()), "sd": sd, "ci": c, "passes": passes})
    return out


def table(rows: list[dict[str, Any]]) -> list[str]:
    """The report's table (markdown)."""
    out = [
        f"refitted on {FIT} from its own fit, forecasting {LATER} "
        f"({rows[0]['forecast']['n_up']} upgrades; 95% intervals resampling states)",
        "| variant | fit objective | held-out objective (seeds 12, 1, 2) | minus the first "
        "(SD) | ROC-AUC | Brier skill | ROC-AUC minus the first | Brier skill minus the first "
        "| passes | s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r, v in zip(rows, verdicts(rows), strict=True):
        f, c = r["forecast"], v["ci"]
        held = ", ".join(f"{x:.5f}" for x in r["held_out"])
        label = "frozen structure (refitted)" if r is rows[0] else r["rule"]
        out.append(
            f"| {label} | {r['fit']:.5f} | {held} | {v['d_obj']:+.5f} ({v['sd']:.5f}) "
            f"| {f['roc_auc']:.3f} {c['roc_auc']} | {f['brier_skill']:+.3f} {c['brier_skill']} "
            f"| {c['roc_auc_minus_first']} | {c['brier_skill_minus_first']} "
            f"| {'yes' if v['passes'] else 'no'} | {r['seconds']:.0f} |"
        )
    return out


def later(rows: list[dict[str, Any]], runs: int) -> list[str]:
    """Each refit's forecast of 2020-2025 and the rank correlations of the judge's readings
    with it (the objective negated, so that a positive correlation means agreement)."""
    obs = B.outcomes(B.WINDOW)
    out = ["| variant | 2020-2025 ROC-AUC | Brier skill |", "| --- | --- | --- |"]
    auc, skill = [], []
    for r in rows:
        sc = B.with_parameters(load_scenario(H.WINDOWS[B.WINDOW][0]), r["params"])
        s = B.evaluate(H.predictions(B.run_chunked(sc, runs, 0))["p_up"].to_numpy(), obs, reps=0)
        auc.append(s["roc_auc"])
        skill.append(s["brier_skill"])
        out.append(f"| {r['rule']} | {auc[-1]:.3f} | {skill[-1]:+.3f} |")
    readings = {
        f"{LATER} objective (mean of the seeds)": [-float(np.mean(r["held_out"])) for r in rows],
        f"{LATER} ROC-AUC": [r["forecast"]["roc_auc"] for r in rows],
        f"{LATER} Brier skill": [r["forecast"]["brier_skill"] for r in rows],
        f"{FIT} objective (the fit)": [-r["fit"] for r in rows],
    }
    out += ["", "| reading | with 2020-2025 ROC-AUC | p | with Brier skill | p |"]
    out.append("| --- | --- | --- | --- | --- |")
    for name, x in readings.items():
        (ra, pa), (rs, ps) = spearmanr(x, auc), spearmanr(x, skill)
        out.append(f"| {name} | {ra:+.2f} | {pa:.2f} | {rs:+.2f} | {ps:.2f} |")
    return out


def whole(names: list[str], fev: int) -> list[str]:
    """The rule's second step: the named variants and the frozen structure refitted on the
    whole window from the frozen calibration, each scored at seeds 12, 1 and 2."""
    out = ["| variant | whole-window objective (seeds 12, 1, 2) | mean |", "| --- | --- | --- |"]
    fit = C.objective(120, 12)
    for name, fixed in [("frozen structure", {}), *selected(names)]:
        params, _ = C.refit(fit, fev, fixed)
        vals = [C.objective(120, s)(params) for s in SEEDS]
        cells = ", ".join(f"{v:.5f}" for v in vals)
        out.append(f"| {name} | {cells} | {np.mean(vals):.5f} |")
        print(out[-1], flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fev", type=int, default=150)
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--from-json", nargs="*", default=None, help="rows of earlier --json runs")
    ap.add_argument("--later", action="store_true", help="read the forecasts of 2020-2025")
    ap.add_argument("--whole", nargs="*", default=None, help="refit these on 2006-2019")
    a = ap.parse_args()
    if a.whole:
        whole(a.whole, a.fev)
        return
    if a.from_json:
        rows = []
        for path in a.from_json:
            with open(path) as fh:
                rows += json.load(fh)
        order = list(VARIANTS)
        rows.sort(key=lambda r: order.index(r["rule"]))
    else:
        rows = []
        for name, fixed in selected(a.only):
            rows.append(judge(name, fixed, a.fev, a.seeds))
            r = rows[-1]
            print(
                f"{name}: fit {r['fit']:.5f}, held out {r['held_out']}, "
                f"{r['forecast']['roc_auc']:.3f} / {r['forecast']['brier_skill']:+.3f}",
                flush=True,
            )
        if a.json:
            with open(a.json, "w") as fh:
                json.dump(rows, fh, indent=1)
    if len(rows) > 1 and rows[0]["rule"] == next(iter(VARIANTS)):
        print("\n".join(table(rows)))
    if a.later:
        print("\n".join(later(rows, a.seeds)))


if __name__ == "__main__":
    main()
