"""The parts of a sweep directory: their schemas, and the checks every part read passes
(readable, the expected columns, run ids of the plan, no run stored twice); a bad part
is named, and ``--resume`` moves it aside into ``SWEEP_DIR/corrupt/`` (:func:`repair_parts`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from indopacsim.errors import InputError
from indopacsim.safeio import read_parquet

RUNS, SERIES = "runs", "series"
CORRUPT = "corrupt"
#: Columns every runs / series part has.
RUN_COLUMNS = ("run_id", "point_id", "replicate", "seed", "status", "error")
SERIES_COLUMNS = ("run_id", "step")


def _arrow_type(values: Sequence[Any]) -> pa.DataType:
    sample = [v for v in values if v is not None]
    if sample and all(isinstance(v, str) for v in sample):
        return pa.string()
    if sample and all(isinstance(v, bool) for v in sample):
        return pa.bool_()
    if sample and all(isinstance(v, int | np.integer) for v in sample):
        return pa.int64()
    return pa.float64()


def runs_schema(points: pd.DataFrame, outcomes: Sequence[str]) -> pa.Schema:
    """The schema of every runs chunk (fixed, so chunks with or without errors agree)."""
    fields = [pa.field(c, pa.int64()) for c in ("run_id", "point_id", "replicate", "seed")]
    for col in points.columns:
        if col not in ("point_id", "sample_id"):
            fields.append(pa.field(col, _arrow_type(points[col].tolist())))
    fields += [pa.field("status", pa.string()), pa.field("error", pa.string())]
    fields += [pa.field(o, pa.float64()) for o in outcomes]
    return pa.schema(fields)


def series_schema(outcomes: Sequence[str]) -> pa.Schema:
    """The schema of every series chunk."""
    return pa.schema(
        [pa.field("run_id", pa.int64()), pa.field("step", pa.int64())]
        + [pa.field(o, pa.float64()) for o in outcomes]
    )


def check_part(kind: str, path: Path, required: Sequence[str], n_runs: int | None) -> pa.Table:
    """Read one part, checked: readable, the columns, run ids of the plan, none twice.

    Raises:
        InputError: Naming the part and what is wrong with it.
    """
    table = read_parquet(path, columns=list(required), what=f"{kind} part")
    ids = table.column("run_id").to_numpy()
    if n_runs is not None and len(ids) and (ids.min() < 0 or ids.max() >= n_runs):
        raise InputError(f"corrupt {kind} part: run ids outside the plan", file=str(path))
    if kind == RUNS and len(np.unique(ids)) != len(ids):
        raise InputError(f"corrupt {kind} part: a run stored twice", file=str(path))
    return table


def read_checked(
    root: Path,
    kind: str,
    parts: dict[int, Path],
    columns: list[str] | None,
    n_runs: int | None,
) -> pd.DataFrame | None:
    """The ``parts`` of ``kind`` as one table (``columns`` only, if given), every part
    checked, no run stored twice; None without parts."""
    if not parts:
        return None
    base = RUN_COLUMNS if kind == RUNS else SERIES_COLUMNS
    seen: dict[int, Path] = {}
    tables = []
    for p in parts.values():
        want = list(dict.fromkeys([*base[:1], *(columns or [])])) if columns else None
        if want is None:
            table = check_part(kind, p, base, n_runs)
            table = read_parquet(p, what=f"{kind} part")
        else:
            check_part(kind, p, ["run_id"], n_runs)
            table = read_parquet(p, columns=want, what=f"{kind} part")
        if kind == RUNS:
            for rid in table.column("run_id").to_pylist():
                if rid in seen:
                    raise InputError(
                        f"run {rid} is stored twice (also in {seen[rid].name}): "
                        "repair with indopacsim sweep EXPERIMENT --out DIR --resume",
                        file=str(p),
                    )
                seen[rid] = p
        tables.append(table)
    try:
        joined = pa.concat_tables(tables, promote_options="permissive")
    except (pa.ArrowException, ValueError) as exc:
        raise InputError(
            f"the {kind} parts do not agree: {str(exc).splitlines()[0]}",
            file=str(root / kind),
        ) from None
    frame = joined.to_pandas()
    if columns:
        frame = frame[[c for c in columns if c in frame.columns]]
    return frame


def repair_parts(
    root: Path,
    runs: dict[int, Path],
    series: dict[int, Path],
    runs_schema: pa.Schema,
    series_schema: pa.Schema | None,
    n_runs: int | None,
) -> list[str]:
    """Move aside every part that fails its checks; return one note per part moved.

    A runs part that cannot be read, lacks a column, holds run ids outside the plan or
    a run stored in an earlier part is moved into ``corrupt/`` with its series part
    (and vice versa), so ``--resume`` redoes its runs. Call it holding the lock.
    """
    notes: list[str] = []
    seen: set[int] = set()
    for num, p in runs.items():
        problem = None
        try:
            table = check_part(RUNS, p, runs_schema.names, n_runs)
            ids = set(table.column("run_id").to_pylist())
            if ids & seen:
                problem = f"runs also stored in an earlier part ({len(ids & seen)})"
            elif series_schema is not None and num in series:
                check_part(SERIES, series[num], series_schema.names, n_runs)
        except InputError as exc:
            problem = exc.message
        if problem is None:
            seen |= ids
            continue
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = root / CORRUPT
        aside.mkdir(exist_ok=True)
        for q in (p, series.get(num)):
            if q is not None and q.exists():
                os.replace(q, aside / f"{q.parent.name}-{q.name}.{stamp}")
        notes.append(f"{p.name} moved to {aside.name}/ ({problem}): its runs are redone")
    return notes
