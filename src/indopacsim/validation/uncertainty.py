"""Calibration uncertainty: the window's fit repeated on bootstrap replicates of its states.

The frozen parameters (``data/calibration.json``) are one fit to one window of 24 states.
How far would they move with another sample of states? Pairs that share a state are not
independent, so a replicate resamples the *states* with replacement (the two-way cluster
bootstrap of the scores' intervals, :func:`~indopacsim.validation.hindcast.state_weights`)
and weights each pair's Brier terms in the calibration objective by the product of its
two states' draw counts (Efron & Tibshirani 1993 on the bootstrap; Cameron, Gelbach &
Miller 2011 on clustering in two ways). Each replicate refits the free parameters by
Nelder-Mead from the frozen point (:func:`~indopacsim.validation.calibration.refit`) with
the same seeded ensemble as the calibration's refinement, so only the weights differ.

The replicates give:

- an interval per parameter: how well the calibration window identifies it;
- a forecast that carries the calibration's uncertainty: the runs are shared among the
  replicates' parameter sets (a perturbed-parameter ensemble, Murphy et al. 2004; the
  pooled forecast is bagging, Breiman 1996), :func:`pooled_ensemble`.

A refit starts from the frozen point and stops after ``fev`` evaluations, so the intervals
describe the basin the calibration chose, not every basin of the window's objective, and
a short search understates them; ``--full`` reruns the whole calibration on each replicate
instead, so that a replicate may land in another basin. ``python -m
indopacsim.validation.uncertainty`` reruns the replicates (in worker processes or on a Dask
cluster) and writes a record of how it was made and how long it took; the package bundles
both (:data:`RECORDS`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indopacsim.errors import InputError
from indopacsim.model.ensemble import EnsembleResult, run_ensemble
from indopacsim.scenario import calibrated
from indopacsim.scenario.calibrated import RECORDS as RECORDS  # re-exported
from indopacsim.scenario.calibrated import record
from indopacsim.scenario.schema import Scenario
from indopacsim.validation import calibration as C
from indopacsim.validation import hindcast as H

Progress = Callable[[str], None]


def replicate_weights(replicates: int, seed: int = 0) -> list[np.ndarray]:
    """The window's pair weights (276, in ``pair_frame`` order) of each replicate: the
    product of the two states' draw counts when the 24 states are drawn with replacement."""
    obs = C.Objective(runs=1).obs
    return list(H.state_weights(obs["a"], obs["b"], replicates, seed))


def refit_replicate(
    weights: np.ndarray,
    fev: int,
    runs: int,
    seed: int,
    base: dict[str, Any],
    full: bool = False,
    screen: int = 128,
) -> dict[str, Any]:
    """One replicate: the window's objective under ``weights`` refitted from ``base`` by
    ``fev`` evaluations at ``runs`` runs.

    ``full`` reruns the whole calibration procedure instead
    (:func:`~indopacsim.validation.calibration.calibrate`: a screen of ``screen`` points,
    then ``fev`` evaluations at ``runs`` runs from each of five starts; at the defaults,
    the calibration's own settings), so that a replicate may also land in another basin.
    Returns the parameters, the objective at ``base`` and at the refit, the evaluations
    and the seconds it took (and, in full, the value each start refined to). Runs in a
    worker process; math libraries use one thread.
    """
    from indopacsim.experiments.worker import one_thread

    t0 = time.perf_counter()
    w = np.asarray(weights, dtype=float)
    extra: dict[str, Any] = {}
    with one_thread():
        obj = C.objective(runs, seed, w)
        start = obj(base)
        if full:
            rec = C.calibrate(screen, 2 * fev, seed=seed, refine_runs=runs, weights=w)
            params, value = rec["parameters"], rec["value"]
            extra = {"starts": rec["starts"]}
            evaluations = rec["evaluations"] + 1
        else:
            params, value = C.refit(obj, fev, base=base)
            evaluations = obj.evaluations
    return {
        "objective_at_frozen": round(start, 5),
        "objective": round(value, 5),
        "evaluations": evaluations,
        "seconds": round(time.perf_counter() - t0, 1),
        **extra,
        "parameters": params,
    }


def bootstrap(
    replicates: int = 20,
    fev: int = 150,
    runs: int = 120,
    seed: int = 12,
    bootstrap_seed: int = 0,
    executor: str = "process",
    workers: int | None = None,
    progress: Progress | None = None,
    full: bool = False,
    scheduler: str | None = None,
    first: int = 0,
) -> dict[str, Any]:
    """Refit the frozen calibration on ``replicates`` state-bootstrap replicates (with
    ``full``, rerun the whole calibration on each, :func:`refit_replicate`).

    ``runs`` and ``seed`` are the calibration's refinement ensemble (common random numbers
    across replicates and candidates); ``bootstrap_seed`` draws the replicates, of which
    this call refits numbers ``first`` to ``first + replicates - 1`` (a replicate's result
    depends on its number alone, so batches can run apart and be joined with
    :func:`merge`). The replicates run on an executor of
    :mod:`indopacsim.experiments.executors` (``process`` by default; ``dask`` reaches the
    cluster whose scheduler is at ``scheduler``). The record is the same whichever runs it.
    """
    import concurrent.futures as cf

    from indopacsim.experiments.executors import open_executor

    t0 = time.perf_counter()
    base = dict(C.frozen()["parameters"])
    weights = replicate_weights(first + replicates, bootstrap_seed)[first:]
    sets: list[dict[str, Any]] = []
    with open_executor(executor, workers, scheduler) as ex:
        futures = {
            ex.executor.submit(refit_replicate, w, fev, runs, seed, base, full): first + k
            for k, w in enumerate(weights)
        }
        for done, fut in enumerate(cf.as_completed(futures), 1):
            sets.append({"replicate": futures[fut], **fut.result()})
            if progress is not None:
                progress(f"replicate {done}/{replicates} refitted")
    settings: dict[str, Any] = {"full": full, "fev": fev, "runs": runs, "seed": seed}
    settings |= {"bootstrap_seed": bootstrap_seed, "frozen": base}
    return _record(settings, sets, time.perf_counter() - t0)


#: What the replicates of one record share (:func:`merge` checks it).
SETTINGS = ("window", "method", "full", "fev", "runs", "seed", "bootstrap_seed", "frozen")


def _record(settings: dict[str, Any], sets: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    """The record of refitted replicates: settings, intervals, sets and how to rerun it."""
    full, numbers = settings["full"], sorted(s["replicate"] for s in sets)
    sets = sorted(sets, key=lambda s: s["replicate"])
    how = "the whole calibration rerun" if full else "Nelder-Mead from the frozen parameters"
    first = f" --first {numbers[0]}" if numbers and numbers[0] else ""
    return {
        "window": C.WINDOW,
        "method": "state bootstrap of the calibration objective's pair weights; " + how,
        **{k: settings[k] for k in SETTINGS[2:]},
        "first": numbers[0] if numbers else 0,
        "replicates": len(sets),
        "seconds": round(seconds, 1),
        "intervals": intervals(sets, settings["frozen"]),
        "sets": sets,
        "reproduce": "python -m indopacsim.validation.uncertainty "
        f"--replicates {len(sets)} --fev {settings['fev']} --runs {settings['runs']} "
        f"--seed {settings['seed']} --bootstrap-seed {settings['bootstrap_seed']}{first}"
        + (" --full" if full else "")
        + " --out FILE",
    }


def merge(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Records of batches of one bootstrap joined into the record of all their replicates
    (seconds added), as one call over all of them would have written it.

    Raises:
        InputError: The records differ in a setting, or repeat or skip a replicate.
    """
    for key in SETTINGS:
        if len({json.dumps(r.get(key), sort_keys=True) for r in records}) > 1:
            raise InputError(f"the records differ in {key!r}: not batches of one bootstrap")
    sets = [s for r in records for s in r["sets"]]
    numbers = sorted(s["replicate"] for s in sets)
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise InputError(f"the records' replicates repeat or leave a gap: {numbers}")
    return _record(dict(records[0]), sets, sum(r["seconds"] for r in records))


def intervals(sets: Sequence[dict[str, Any]], base: dict[str, Any]) -> dict[str, Any]:
    """Per free parameter: the frozen value, the replicates' median and 2.5-97.5% range."""
    out: dict[str, Any] = {}
    for name in C.FREE:
        vals = np.array([float(s["parameters"][name]) for s in sets])
        lo, med, hi = np.quantile(vals, [0.025, 0.5, 0.975])
        out[name] = {
            "frozen": float(base[name]),
            "median": round(float(med), 4),
            "low": round(float(lo), 4),
            "high": round(float(hi), 4),
        }
    return out


def of_frozen(rec: dict[str, Any]) -> bool:
    """Whether a record's replicates bootstrap the frozen calibration (its point, and the
    calibration's window, :data:`~indopacsim.validation.calibration.WINDOW`)."""
    return calibrated.of_frozen(rec, C.WINDOW)


def parameter_sets(runs: int | None = None, kind: str = "local") -> list[dict[str, Any]]:
    """The parameter sets of a bundled record (:func:`record`), in replicate order.

    Raises:
        InputError: ``runs`` (the runs to share among them) is fewer than the sets, or the
            record bootstraps another calibration than the frozen one.
    """
    sets = calibrated.checked_sets(record(kind), kind, C.WINDOW)
    if runs is not None and runs < len(sets):
        raise InputError(
            f"the runs are shared among {len(sets)} parameter sets: "
            f"--seeds must be at least {len(sets)}, got {runs}",
            field="--seeds",
        )
    return sets


def pooled_ensemble(
    scenario: Scenario,
    sets: Sequence[dict[str, Any]],
    runs: int,
    seed: int = 0,
    progress: Progress | None = None,
    label: str = "runs",
) -> EnsembleResult:
    """``runs`` runs of ``scenario`` shared among the parameter ``sets`` as one result.

    Set ``k`` gets ``runs // len(sets)`` runs, one more for the first ``runs % len(sets)``,
    drawn from the ``k``-th child of ``SeedSequence(seed)``; the start is fitted under each
    set (:func:`~indopacsim.validation.calibration.with_parameters`). The pooled ``p_up`` is
    the share of all runs, so each set counts in proportion to its runs.
    """
    if not sets:
        raise ValueError("pooled_ensemble needs at least one parameter set")
    if runs < len(sets):
        raise ValueError(f"{runs} runs cannot be shared among {len(sets)} parameter sets")
    children = np.random.SeedSequence(seed).spawn(len(sets))
    share = [runs // len(sets) + (k < runs % len(sets)) for k in range(len(sets))]
    parts = []
    for k, (params, n, child) in enumerate(zip(sets, share, children, strict=True)):
        parts.append(run_ensemble(C.with_parameters(scenario, params), n, child))
        if progress is not None:
            progress(f"{label}: parameter set {k + 1}/{len(sets)}")
    return EnsembleResult.join(parts)


def main(argv: list[str] | None = None) -> int:
    """Rerun the replicates, print the intervals and write the record (exit 2, with one
    line, for a bad argument or an ``--out`` that cannot be written, before any work)."""
    import sys

    from indopacsim.manifest import write_json

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--fev", type=int, default=150)
    ap.add_argument("--runs", type=int, default=120)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--bootstrap-seed", type=int, default=0)
    ap.add_argument("--executor", default="process", help="process | serial | dask | dask-local")
    ap.add_argument("--scheduler", default=None, help="tcp://HOST:PORT for --executor dask")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--full", action="store_true", help="rerun the whole calibration each time")
    ap.add_argument("--first", type=int, default=0, help="the number of the first replicate")
    ap.add_argument("--merge", type=Path, nargs="+", help="join the records of batches instead")
    ap.add_argument("--figure", type=Path, help="only draw the bundled records' replicates")
    ap.add_argument("--out", type=Path, default=None, help="where to write the record")
    a = ap.parse_args(argv)
    try:
        if a.replicates < 1 or a.fev < 1 or a.runs < 1 or a.first < 0:
            raise InputError("--replicates, --fev and --runs must be at least 1, --first 0")
        if a.out is not None and (a.out.is_dir() or not a.out.parent.is_dir()):
            raise InputError("is a directory, or its folder does not exist", field=str(a.out))
        if a.figure is not None:
            return _draw(a.figure)
        if a.merge:
            rec = merge([_read(p) for p in a.merge])
        else:
            rec = bootstrap(
                a.replicates,
                a.fev,
                a.runs,
                a.seed,
                a.bootstrap_seed,
                a.executor,
                a.workers,
                lambda m: print(m, flush=True),
                full=a.full,
                scheduler=a.scheduler,
                first=a.first,
            )
    except InputError as exc:
        print(f"uncertainty: {exc.one_line()}", file=sys.stderr)
        return 2
    for name, row in rec["intervals"].items():
        print(f"{name:28s} {row['frozen']:>9} {row['median']:>9} [{row['low']}, {row['high']}]")
    print(f"{rec['replicates']} replicates in {rec['seconds']} s")
    if a.out is not None:
        write_json(a.out, rec)
    return 0


def _draw(path: Path) -> int:
    """Draw the bundled records' replicates (:func:`~indopacsim.validation.backtest_figures.
    replicates_axes`) to ``path``."""
    from indopacsim.validation.backtest_figures import replicates_axes

    if path.is_dir() or not path.parent.is_dir():
        raise InputError("is a directory, or its folder does not exist", field=str(path))
    records = {kind: rec for kind in RECORDS if of_frozen(rec := record(kind))}
    fig = replicates_axes(records).get_figure(root=True)
    assert fig is not None
    fig.savefig(path, dpi=150)
    print(f"figure written to {path}")
    return 0


def _read(path: Path) -> dict[str, Any]:
    """A record from a file (an unreadable or malformed one raises InputError)."""
    try:
        rec = json.loads(path.read_text())
        if not isinstance(rec, dict) or not isinstance(rec.get("sets"), list):
            raise ValueError("not a record of bootstrap replicates")
        return rec
    except (OSError, ValueError) as exc:
        raise InputError(str(exc).splitlines()[0], file=str(path)) from None


if __name__ == "__main__":
    raise SystemExit(main())
