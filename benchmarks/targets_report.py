"""Where the model stands: every target of the mechanism and the hindcast, measured now.

Prints the table of ``docs/validation.md`` ("Where the model stands"): each target, the
figure it reads at the package's defaults (the frozen calibration) and whether it is met,
measured the way the sections of that document measure it:

- timing: 100 baseline runs (seed 0);
- drivers: pairs whose mean end level moves by 0.8 rungs, 10 runs (seed 1);
- doctrines: every state but the great powers under five doctrines, 10 runs (seed 3): the
  spread of the means in seed SDs, and the largest paired effect;
- UK-Japan at the end of 2026 and the implausible end states, 20 runs;
- speed: ``bench_model.py``'s baseline timing (30 runs);
- the paper's claims, 20 paired runs;
- the hindcast of 2020-2025 with its baselines, 1000 runs (no bootstrap intervals here).

Two targets are checked elsewhere and only named: the 2019 world's dates
(``tests/test_data_hindcast.py``) and the calibration's rerun (``python -m
indopacsim.validation.calibration``, about 11 minutes).

    python benchmarks/targets_report.py [--hindcast-runs 1000] [--skip-doctrines]

About 35 s here on a quiet machine (the doctrines take a third of it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from bench_model import time_baseline
from threadpoolctl import threadpool_limits

from indopacsim.model.ensemble import run_ensemble
from indopacsim.validation import backtest as B
from indopacsim.validation import claims as C
from indopacsim.validation import mechanism as M

DOCTRINES = ("balance", "hedge", "bandwagon", "network", "autonomy")
GREAT_POWERS = ("USA", "CHN", "RUS")

Row = tuple[str, str, bool | None]


def timing() -> Row:
    t = M.timing(100, 0)
    after = t.per_year[1:]
    met = t.first_year_share <= 0.4 and bool(((after >= 2) & (after <= 20)).all())
    share = t.first_year_share
    text = f"first-year share {share:.2f}; {after.max():.1f} to {after.min():.1f} a year after"
    return "at most 40% of changes in the first year, then 2-20 a year", text, met


def drivers() -> Row:
    counts = {path: len(M.material(M.driver_effect(path, 10, 1))) for path in M.DRIVERS}
    text = ", ".join(f"`{p}` {n}" for p, n in counts.items())
    return "each driver moves at least 5 pairs by 0.8 rungs", text, min(counts.values()) >= 5


def doctrines() -> Row:
    states = [c for c in M.baseline().codes if c not in GREAT_POWERS]
    spreads, paired = {}, {}
    for s in states:
        tab = M.doctrine_payoffs(s, DOCTRINES, 10)
        spreads[s] = float((tab.payoff.max() - tab.payoff.min()) / tab["sd"].max())
        paired[s] = float(M.paired_effects(tab).iloc[0].effect)
    top = sorted(spreads, key=spreads.get, reverse=True)[:2]
    best = sorted(paired, key=paired.get, reverse=True)[:3]
    above = sum(v > 5 for v in spreads.values())
    text = (
        f"spread {', '.join(f'{s} {spreads[s]:.1f}' for s in top)} SDs; paired "
        f"{', '.join(f'{s} {paired[s]:.1f}' for s in best)}; {above} states above 5"
    )
    return "a doctrine moves the payoff by 5 seed SDs, for 3 middle powers", text, above >= 3


def uk_japan() -> Row:
    level = M.uk_japan_by_date(20, 0)
    return "UK-Japan deepens within 2026", f"{level:.2f} at the end of 2026, from 6", level > 6


def implausible() -> Row:
    shares = M.implausible(run_ensemble(M.baseline(), 20, 5))
    worst = max(shares.values())
    return "no implausible end state in most runs", f"worst share {worst:.2f}", worst <= 0.5


def speed() -> Row:
    with threadpool_limits(1):
        times = time_baseline(30)
    med = statistics.median(times) * 1e3
    return "a ten-year baseline run under 20 ms", f"median {med:.1f} ms (30 runs)", med < 20


def claims() -> Row:
    held = [C.compare(c, M.baseline(), 20).holds for c in C.CLAIMS]
    return "the paper's claims hold", f"{sum(held)} of {len(held)}", all(held)


def hindcast(runs: int) -> list[Row]:
    s = B.run_backtest(runs, 0, reps=0).scores
    model, base, pers, logit = (
        s[k] for k in ("model", "level_base_rate", "persistence", "logistic")
    )
    fmt = lambda r: f"{r['roc_auc']:.3f} / {r['brier_skill']:+.3f}"  # noqa: E731
    met = model["roc_auc"] >= 0.85 and model["brier_skill"] >= 0.25
    beats = all(model[k] > other[k] for other in (base, pers) for k in ("roc_auc", "brier_skill"))
    return [
        ("hindcast ROC-AUC >= 0.85, Brier skill >= +0.25", f"{fmt(model)} ({runs} runs)", met),
        ("beats persistence and the base rate by level", f"{fmt(pers)}; {fmt(base)}", beats),
        (
            "the simulation adds to the logistic regression",
            f"{fmt(logit)}",
            model["roc_auc"] > logit["roc_auc"],
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hindcast-runs", type=int, default=1000)
    ap.add_argument("--skip-doctrines", action="store_true")
    a = ap.parse_args()
    if a.hindcast_runs < 10:
        ap.error("--hindcast-runs must be at least 10")
    t0 = time.perf_counter()
    steps: list[Callable[[], Row]] = [timing, drivers, uk_japan, implausible, speed, claims]
    if not a.skip_doctrines:
        steps.insert(2, doctrines)
    rows: list[Row] = []
    for step in steps:
        print(f"measuring: {step.__name__}", file=sys.stderr, flush=True)
        rows.append(step())
    print("measuring: hindcast", file=sys.stderr, flush=True)
    rows.extend(hindcast(a.hindcast_runs))
    rows.append(("the 2019 world has no later information", "tests/test_data_hindcast.py", None))
    rows.append(("the calibration reruns to its frozen record", "validation.calibration", None))
    print("| target | measured | met |\n| --- | --- | --- |")
    for target, text, met in rows:
        mark = "checked elsewhere" if met is None else ("yes" if met else "**no**")
        print(f"| {target} | {text} | {mark} |")
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
