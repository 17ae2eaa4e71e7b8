"""The budget's strain (``costs.fiscal_strain``), or another parameter the calibration does
not fit, on the calibration window: a profile.

The strain is an estimate the calibration does not fit (``docs/model.md``, parameter
table): the marginal cost of a tie is ``1 + strain x (spend / budget)**2`` times its
upkeep, so the strain sets how far a budget binds, and with it how much fiscal room,
distance and the threat's growth (through the budget) weigh against the other terms.
For each ``--strain`` value this script

1. refits the calibration's free parameters from the frozen point with the strain held
   at that value (Nelder-Mead, ``--fev`` evaluations of the calibration's own objective,
   on ``calibration.WINDOW``, at 120 runs, seed 12: ``calibration.refit``; the frozen
   strain's own refit is the fair comparison, since every row gets the same search);
2. scores the refitted point on the window: the objective on seeds 12 and 1-4, and the
   ranked probability score of the end levels (``validation.levels``, 120 runs, seed 12);
3. then, after the window's figures: the pairs each driver moves by at least 0.8 rungs
   on the 2026 baseline (10 runs, seeds 1-3, as ``benchmarks/mechanism_report.py``), the
   claims that read the budget (fiscal room, the Russian threat on Europe and on the
   UK's Indo-Pacific ties; 20 paired runs, ``validation.claims``) and the 2020-2025
   hindcast (ROC-AUC and Brier skill, ``--seeds`` runs).

Nothing here changes the frozen parameters (``data/calibration.json``). The values run
on the sweeps' executors (``--executor process`` with ``--workers``, or a Dask cluster);
about 3 minutes per value at 200 evaluations, two at a time on this 2-core machine.

``--parameter PATH`` profiles another parameter the same way (its values with
``--strain``, the claims column then every claim): ``--parameter weights.shared_partners
--strain 0 0.02 0.05 0.1 --fev 150`` is the shared partners' profile of
``docs/validation.md``.

Usage: python benchmarks/strain_report.py [--strain 0 2 4 6 12] [--fev 200]
    [--seeds 1000] [--parameter PATH] [--executor process] [--workers N]
    [--scheduler ADDR] [--json FILE] [--figure PNG]; ``--from-json FILE --figure PNG``
    redraws a profile without rerunning.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from axis_report import driver_counts, drivers_text, seeds_check
from structure_report import hindcast

from indopacsim.errors import InputError
from indopacsim.experiments.executors import open_executor
from indopacsim.model.ensemble import run_ensemble
from indopacsim.validation import calibration as C
from indopacsim.validation import claims as CL
from indopacsim.validation import levels as LV
from indopacsim.validation import mechanism as M

PATH = "costs.fiscal_strain"

#: The calibration objective's SD across seeds 12 and 1-4 at the frozen point (the joint
#: window: 0.07979, 0.08010, 0.08028, 0.08142, 0.08171; docs/validation.md, "Calibration
#: uncertainty"). The 2013-2019 window's alone was about 0.0014 ("Refitted ablation").
NOISE_SD = 0.00085
#: Okabe-Ito colours, as the package's figures.
PALETTE = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00")

#: The claims whose outcome runs through the budget.
BUDGET_CLAIMS = ("fiscal room", "Russian threat, Europe", "Russian threat, UK in Asia")


def frozen_value(path: str) -> float:
    """The package's default (the frozen calibration's value) of a dotted parameter."""
    value: Any = M.baseline()
    for part in path.split("."):
        value = getattr(value, part)
    return float(value)


def window_rps(params: dict[str, Any], obj: C.Objective | C.JointObjective) -> float:
    """Mean ranked probability score of the window's scored end levels at ``params`` (the
    mean over the windows of a joint objective, as the objective itself is)."""
    parts = obj.parts if isinstance(obj, C.JointObjective) else [obj]
    scores = []
    for o in parts:
        res = run_ensemble(C.with_reference(o.scenario, params), o.runs, o.seed, params)
        keep = ~o.obs["institutional"].to_numpy()
        i, j = o.obs["i"].to_numpy()[keep], o.obs["j"].to_numpy()[keep]
        end = o.obs["level_end"].to_numpy()[keep]
        scores.append(float(LV.rps(LV.distribution(res, i, j), end).mean()))
    return float(sum(scores) / len(scores))


def claim_diffs(params: dict[str, Any], path: str = PATH) -> dict[str, str]:
    """Each budget claim's paired difference with its 95% interval (20 runs, seed 0); for
    a parameter other than the strain, every claim's."""
    sc = C.with_parameters(M.baseline(), params)
    out = {}
    for claim in CL.CLAIMS:
        if path != PATH or claim.name in BUDGET_CLAIMS:
            c = CL.compare(claim, sc, 20, 0)
            out[claim.name] = f"{c.diff:+.2f} [{c.ci[0]:+.2f}, {c.ci[1]:+.2f}]"
    return out


def profile(strain: float, fev: int, seeds: int, path: str = PATH) -> dict[str, Any]:
    """One row of the profile (see the module docstring): ``path`` held at ``strain``."""
    t0 = time.perf_counter()
    obj = C.objective(120, 12)  # the calibration's own (the joint window)
    params, value = C.refit(obj, fev, {path: strain})
    return {
        "parameter": path,
        "strain": strain,
        "window": round(value, 5),
        "seeds_1_4": seeds_check(params),
        "rps": round(window_rps(params, obj), 5),
        "drivers": driver_counts(params),
        "claims": claim_diffs(params, path),
        "hindcast": {k: round(v, 3) for k, v in hindcast(params, seeds).items()},
        "params": params,
        "seconds": round(time.perf_counter() - t0),
    }


def row(r: dict[str, Any]) -> str:
    """One markdown row of a profile."""
    drivers = drivers_text(r["drivers"])
    claims = "; ".join(f"{k} {v}" for k, v in r["claims"].items())
    h = r["hindcast"]
    return (
        f"| {r['strain']:g} | {r['window']:.5f} | {', '.join(map(str, r['seeds_1_4']))} "
        f"| {r['rps']:.5f} | {drivers} | {claims} "
        f"| {h['roc_auc']:.3f} / {h['brier_skill']:+.3f} | {r['seconds']} |"
    )


def figure(rows: list[dict[str, Any]], path: str) -> None:
    """The profile drawn: the window's objective against the strain, per seed, as its
    difference from the frozen strain's refit (the seeds' own levels differ by more
    than the strain moves them), and the pairs each driver moves (mean of seeds 1-3,
    the bars their range)."""
    import numpy as np
    from matplotlib.figure import Figure

    rows = sorted(rows, key=lambda r: r["strain"])
    x = np.array([r["strain"] for r in rows])
    name = rows[0].get("parameter", PATH)
    frozen = frozen_value(name)
    fig = Figure(figsize=(10.0, 4.0), layout="constrained")
    ax = fig.add_subplot(1, 2, 1)
    values = np.column_stack([[r["window"] for r in rows], [r["seeds_1_4"] for r in rows]])
    ref = int(np.argmin(np.abs(x - frozen)))  # the frozen value's own refit
    ax.axhspan(-NOISE_SD, NOISE_SD, color="grey", alpha=0.15, label="+/- one noise SD")
    for k, (seed, colour) in enumerate(zip((12, 1, 2, 3, 4), PALETTE, strict=True)):
        ax.plot(x, values[:, k] - values[ref, k], "o-", color=colour, ms=4, label=f"seed {seed}")
    ax.axvline(frozen, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(f"{name} (refitted at each value; frozen: {frozen:g})")
    ax.set_ylabel("window objective minus the frozen value's (per seed)")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    ax = fig.add_subplot(1, 2, 2)
    for driver, colour in zip(rows[0]["drivers"], PALETTE, strict=False):
        counts = np.array([r["drivers"][driver] for r in rows], dtype=float)
        mid = counts.mean(axis=1)
        err = np.vstack([mid - counts.min(axis=1), counts.max(axis=1) - mid])
        ax.errorbar(x, mid, yerr=err, fmt="o-", color=colour, capsize=3, label=driver)
    ax.axhline(5, color="grey", lw=0.8, ls="--", label="target: 5 pairs")
    ax.axvline(frozen, color="grey", lw=0.8, ls=":")
    ax.set_xlabel(name)
    ax.set_ylabel("pairs moved >= 0.8 rungs (seeds 1-3)")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    what = "The budget's strain" if name == PATH else name
    fig.suptitle(
        f"{what}: the window's verdict and the drivers' reach (benchmarks/strain_report.py)",
        fontsize=10,
    )
    fig.savefig(path, dpi=150)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strain", type=float, nargs="*", default=[0.0, 2.0, 4.0, 6.0, 12.0])
    ap.add_argument("--fev", type=int, default=200)
    ap.add_argument("--parameter", default=PATH, help="the parameter profiled (dotted path)")
    ap.add_argument("--seeds", type=int, default=1000, help="hindcast runs")
    ap.add_argument("--executor", default="process", help="process | serial | dask | dask-local")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--scheduler", default=None, help="tcp://HOST:PORT for --executor dask")
    ap.add_argument("--json", default=None, help="also write the rows here")
    ap.add_argument("--figure", default=None, help="also draw the rows here (PNG)")
    ap.add_argument("--from-json", default=None, help="draw the rows of an earlier --json")
    a = ap.parse_args()
    if a.from_json:
        try:
            with open(a.from_json) as fh:
                figure(json.load(fh), a.figure or "strain_profile.png")
        except (OSError, ValueError, KeyError) as exc:
            ap.exit(2, f"strain_report: --from-json {a.from_json}: {exc}\n")
        return
    try:  # an unknown parameter would only make every refit fail
        frozen_value(a.parameter)
    except (AttributeError, TypeError, ValueError):
        ap.exit(2, f"strain_report: --parameter {a.parameter}: not a numeric parameter\n")
    if any(v < 0 for v in a.strain) or a.fev < 1 or a.seeds < 1:
        ap.exit(2, "strain_report: --strain values must be >= 0, --fev and --seeds >= 1\n")
    if a.json:
        try:  # before any work: an unwritable --json loses nothing
            open(a.json, "a").close()
        except OSError as exc:
            ap.exit(2, f"strain_report: --json {a.json}: {exc.strerror}\n")
    try:
        rows = run(a)
    except InputError as exc:
        ap.exit(2, f"strain_report: {exc}\n")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    if a.figure:
        figure(rows, a.figure)


def run(a: argparse.Namespace) -> list[dict[str, Any]]:
    """Profile every ``--strain`` value, printing each row as it arrives (in order)."""
    rows = []
    with open_executor(a.executor, a.workers, a.scheduler) as ex:
        name, claims = (
            ("strain", "budget claims") if a.parameter == PATH else (a.parameter, "claims")
        )
        print(
            f"| {name} | window objective (seed 12) | seeds 1-4 | window RPS | pairs moved "
            f"(seeds 1-3) | {claims} (20 runs) | hindcast | s |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        futures = [ex.executor.submit(profile, s, a.fev, a.seeds, a.parameter) for s in a.strain]
        for f in futures:
            rows.append(f.result())
            print(row(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    main()
