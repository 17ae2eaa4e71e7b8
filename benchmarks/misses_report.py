"""Why the hindcast misses what it misses: each missed upgrade and each false alarm of
2020-2025, with the terms that decide its deal at the 2019 start.

Usage: python benchmarks/misses_report.py [--runs 1000] [--miss 0.05] [--alarm 0.5]
       [--window 2020-2025 | 2013-2019]

A real upgrade of 2020-2025 is a miss when the model's p_up is below ``--miss``; a pair
that did not move up is a false alarm when p_up is above ``--alarm``. For each, the side
whose value of the next rung is the lower (the one that decides the deal without side
payments) and its two most negative and two most positive terms
(:func:`indopacsim.validation.deals.decompose`, at the start of the 2019 world). The
figures in ``docs/validation.md`` ("Why the forecast misses") come from this script;
``--window 2013-2019`` reads the calibration window's own misses (in-sample) the same way.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from indopacsim.scenario.io import load_scenario
from indopacsim.validation import backtest as B
from indopacsim.validation import deals
from indopacsim.validation import hindcast as H


def forecast(runs: int, window: str) -> pd.DataFrame:
    """The window's predictions (runs from seed 0, as ``indopacsim backtest``) and the
    real outcome of each scored pair."""
    sc = load_scenario(H.WINDOWS[window][0])
    pred = H.predictions(B.run_chunked(sc, runs, 0))
    obs = B.outcomes(window)
    return pred.assign(up=obs["up"].to_numpy())[obs["scored"].to_numpy()]


def _terms(row: pd.Series, sign: int) -> str:
    parts = row[list(deals.TERMS)].astype(float) * sign
    top = parts[parts > 0.0005].sort_values(ascending=False).head(2)
    return ", ".join(f"{k} {v * sign:+.3f}" for k, v in top.items()) or "-"


def table(pred: pd.DataFrame, title: str, window: str) -> None:
    """One line per pair: its forecast and the deciding side's terms."""
    sc = load_scenario(H.WINDOWS[window][0])
    pairs = list(zip(pred["a"], pred["b"], strict=True))
    dec = deals.decompose(sc, pairs) if pairs else None
    print(f"\n{title} ({len(pairs)})\n")
    print("| pair | level at start | p_up | deal | deciding side | against | for |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for k, r in enumerate(pred.itertuples()):
        assert dec is not None
        sides = dec.iloc[2 * k : 2 * k + 2]
        low = sides.loc[sides["total"].idxmin()]
        print(
            f"| {r.a}-{r.b} | {r.level_start} | {r.p_up:.3f} | {low['deal']:+.3f} "
            f"| {low['valuer']} ({low['total']:+.3f}) | {_terms(low, -1)} | {_terms(low, 1)} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--miss", type=float, default=0.05)
    ap.add_argument("--alarm", type=float, default=0.5)
    ap.add_argument("--window", choices=sorted(H.WINDOWS), default=B.WINDOW)
    args = ap.parse_args()
    t0 = time.perf_counter()
    pred = forecast(args.runs, args.window)
    misses = pred[pred["up"] & (pred["p_up"] < args.miss)].sort_values("p_up")
    alarms = pred[~pred["up"] & (pred["p_up"] > args.alarm)]
    w = args.window
    table(misses, f"Real upgrades of {w} forecast at p_up < {args.miss}", w)
    table(alarms.sort_values("p_up", ascending=False), f"False alarms at p_up > {args.alarm}", w)
    print(f"\n({args.runs} runs, {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
