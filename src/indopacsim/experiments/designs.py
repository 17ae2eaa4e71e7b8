"""Designs: parameters -> a table of points; points x replications -> a table of runs.

- ``full_factorial``: every combination; a range gives ``resolution`` evenly spaced
  values, levels are used as given.
- ``latin_hypercube``, ``sobol`` (Saltelli), ``morris``: SALib samples the
  **uncertainties** (a range is sampled uniformly; levels, in a latin hypercube, are
  drawn with equal probability), seeded with the experiment's root seed; every
  combination of the **levers** is then crossed with the same sample (every policy
  meets the same futures).
- ``table``: the points as given (``design.points`` or a CSV ``design.file``), one
  column per parameter.

Points are ordered lever combination first, then sample: ``sample_id`` is a point's row
in the design sample, which the sensitivity analysis needs. Runs are numbered point by
point: ``run_id = point_id * replications + replicate``, and each run's seed is
``indopacsim.seeds.spawn_seeds(seed, n_runs)[run_id]``, so a run's result never depends
on where or when it is computed.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from indopacsim.errors import InputError
from indopacsim.scenario.paths import integer_path
from indopacsim.scenario.schema import Scenario
from indopacsim.seeds import spawn_seeds

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment, Parameter


def _is_int(exp: Experiment, p: Parameter) -> bool:
    return exp.is_abm and "." in p.path and integer_path(Scenario, p.path)


def _grid(exp: Experiment, p: Parameter) -> list[Any]:
    """The values a parameter takes in a factorial (or as a crossed lever)."""
    if p.levels is not None:
        return list(p.levels)
    assert p.range is not None
    n = p.resolution or exp.design.resolution
    values = np.linspace(p.range[0], p.range[1], n)
    if _is_int(exp, p):
        return sorted({round(float(v)) for v in values})
    return [float(v) for v in values]


def salib_problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem of the uncertainties (levels mapped to ``[0, 1)``)."""
    names = [p.column for p in exp.uncertainties]
    bounds = [list(p.range) if p.range is not None else [0.0, 1.0] for p in exp.uncertainties]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def _sample(exp: Experiment) -> np.ndarray:
    d, problem = exp.design, salib_problem(exp)
    n = int(d.samples or 1)
    if d.kind == "latin_hypercube":
        from SALib.sample import latin

        return np.asarray(latin.sample(problem, n, seed=exp.seed))
    if d.kind == "sobol":
        from SALib.sample import sobol

        return np.asarray(
            sobol.sample(problem, n, calc_second_order=d.second_order, scramble=True, seed=exp.seed)
        )
    from SALib.sample import morris

    return np.asarray(morris.sample(problem, n, num_levels=d.num_levels, seed=exp.seed))


def _columns(exp: Experiment, matrix: np.ndarray) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {}
    for j, p in enumerate(exp.uncertainties):
        x = matrix[:, j]
        if p.levels is not None:
            idx = np.minimum((x * len(p.levels)).astype(int), len(p.levels) - 1)
            cols[p.column] = [p.levels[k] for k in idx]
        elif _is_int(exp, p):
            cols[p.column] = [round(float(v)) for v in x]
        else:
            cols[p.column] = [float(v) for v in x]
    return cols


def _table(exp: Experiment) -> pd.DataFrame:
    d = exp.design
    if d.file is not None:
        anchor = exp.path.parent if exp.path is not None else None
        path = (anchor / d.file) if anchor is not None else d.file
        try:
            df = pd.read_csv(path)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the table: {exc}", field="design.file") from None
    else:
        df = pd.DataFrame(d.points or [])
    if df.empty:
        raise InputError("the table has no points", field="design")
    want = [p.column for p in exp.parameters]
    missing = [c for c in want if c not in df.columns]
    extra = [c for c in df.columns if c not in want]
    if missing or extra:
        raise InputError(
            "the table's columns must be the parameters: "
            + "; ".join(
                s
                for s in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"not declared {', '.join(map(str, extra))}" if extra else "",
                )
                if s
            ),
            field="design",
        )
    if df[want].isna().any().any():
        raise InputError("the table has empty cells", field="design")
    return df[want]


def _check_table_values(exp: Experiment, df: pd.DataFrame) -> None:
    from indopacsim.scenario.io import with_overrides

    params = exp.parameters
    for i, row in enumerate(df.itertuples(index=False)):
        point = dict(zip((p.path for p in params), row, strict=True))
        for p, v in zip(params, row, strict=True):
            if p.range is not None and not p.range[0] <= float(v) <= p.range[1]:
                raise InputError(
                    f"{p.column} = {v} is outside its range {list(p.range)}",
                    field=f"design.points[{i}]",
                )
            if p.levels is not None and v not in p.levels:
                raise InputError(
                    f"{p.column} = {v!r} is not among its levels", field=f"design.points[{i}]"
                )
        if exp.base is not None:
            try:
                with_overrides(exp.base, point)
            except InputError as exc:
                raise InputError(
                    f"{exc.field}: {exc.message}", field=f"design.points[{i}]"
                ) from None


def design_points(exp: Experiment) -> pd.DataFrame:
    """The experiment's points: ``point_id``, ``sample_id`` and one column per parameter.

    Raises:
        InputError: For a table whose columns or values are wrong (no file named).
    """
    d = exp.design
    if d.kind == "table":
        table = _table(exp)
        _check_table_values(exp, table)
        out = table.reset_index(drop=True)
        out.insert(0, "sample_id", np.arange(len(out)))
    else:
        if d.kind == "full_factorial":
            futures = list(itertools.product(*(_grid(exp, p) for p in exp.uncertainties)))
            sample: dict[str, list[Any]] = {
                p.column: [f[j] for f in futures] for j, p in enumerate(exp.uncertainties)
            }
            n_sample = len(futures)
        else:
            sample = _columns(exp, _sample(exp))
            n_sample = len(next(iter(sample.values())))
        policies = list(itertools.product(*(_grid(exp, p) for p in exp.levers)))
        cols: dict[str, list[Any]] = {"sample_id": list(range(n_sample)) * len(policies)}
        for name, values in sample.items():
            cols[name] = values * len(policies)
        for j, p in enumerate(exp.levers):
            cols[p.column] = [pol[j] for pol in policies for _ in range(n_sample)]
        out = pd.DataFrame(cols)
    out.insert(0, "point_id", np.arange(len(out), dtype=np.int64))
    return out


def plan_runs(exp: Experiment, n_points: int) -> pd.DataFrame:
    """The runs: ``run_id``, ``point_id``, ``replicate``, ``seed`` (in run_id order)."""
    reps = exp.replications
    n_runs = n_points * reps
    run_id = np.arange(n_runs, dtype=np.int64)
    return pd.DataFrame(
        {
            "run_id": run_id,
            "point_id": run_id // reps,
            "replicate": run_id % reps,
            "seed": np.asarray(spawn_seeds(exp.seed, n_runs), dtype=np.int64),
        }
    )


def frame_digest(df: pd.DataFrame) -> str:
    """SHA-256 of a table's values (for the manifest: the points and the plan)."""
    h = hashlib.sha256()
    h.update(",".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()
