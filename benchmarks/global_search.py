"""Is the frozen calibration the best basin a global search finds on its window?

The calibration (``indopacsim.validation.calibration``) screens a Latin hypercube and
refines locally from the best screened points and from fixed starts carried over from
earlier rounds; from the screened points alone it does not reach the frozen basin. This
script asks the question from the other side: a differential evolution (Storn & Price
1997; ``scipy.optimize.differential_evolution``) over the same unit cube of
:data:`~indopacsim.validation.calibration.FREE`, scored by the same objective at
``--runs`` runs (seed 12), then Nelder-Mead from its best point at 120 runs, as the
calibration refines. It prints the record in the calibration's form (``--out`` writes
it, for ``benchmarks/split_report.py --score``). Nothing here changes the frozen
parameters.

Usage: python benchmarks/global_search.py [--window 2013-2019] [--popsize 10]
       [--maxiter 25] [--runs 40] [--refine 300] [--workers 2] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from scipy.optimize import differential_evolution, minimize

from indopacsim.validation import calibration as C


class Score:
    """The objective at a point of the unit cube (an object, so worker processes get it)."""

    def __init__(self, objective: C.Objective) -> None:
        self.objective = objective

    def __call__(self, u: np.ndarray) -> float:
        return self.objective(C._to_params(u))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--window", default=C.WINDOW)
    ap.add_argument("--popsize", type=int, default=10)
    ap.add_argument("--maxiter", type=int, default=25)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--refine", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    t0 = time.perf_counter()
    de = differential_evolution(
        Score(C.objective(a.runs, a.seed, window=a.window)),
        [(0.0, 1.0)] * len(C.FREE),
        popsize=a.popsize,
        maxiter=a.maxiter,
        seed=a.seed,
        tol=0.0,
        polish=False,
        init="latinhypercube",
        workers=a.workers,
        updating="deferred",
    )
    fine = C.objective(120, a.seed, window=a.window)
    r = minimize(
        lambda u: fine(C._to_params(u)),
        de.x,
        method="Nelder-Mead",
        options={"maxfev": a.refine, "xatol": 1e-3, "fatol": 1e-5},
    )
    params = {k: round(v, 4) for k, v in C._to_params(r.x).items()}
    rec = {
        "window": a.window,
        "search": f"differential evolution (popsize {a.popsize}, {a.maxiter} generations, "
        f"{a.runs} runs) then Nelder-Mead ({a.refine} evaluations, 120 runs)",
        "value": round(fine(params), 5),
        "de_best": round(float(de.fun), 5),
        "parameters": params,
        "seed": a.seed,
        "evaluations": int(de.nfev) + fine.evaluations,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    text = json.dumps(rec, indent=2)
    print(text)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
