"""The points of a ``table`` design: read (inline ``design.points`` or a CSV
``design.file``), one column per parameter, and checked against the parameters' ranges,
levels and the base scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from indopacsim.errors import InputError
from indopacsim.experiments.calibration_sets import point_scenario

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment


def read_table(exp: Experiment) -> pd.DataFrame:
    """The points of a table design (inline or CSV), one column per parameter, checked."""
    d = exp.design
    if d.file is not None:
        anchor = exp.path.parent if exp.path is not None else None
        path = (anchor / d.file) if anchor is not None else d.file
        from indopacsim.safeio import read_csv

        try:  # regular files only, size limit, UTF-8 (a FIFO cannot hang the sweep)
            df = read_csv(path)
        except InputError as exc:
            raise InputError(
                f"cannot read the table: {exc.one_line()}", field="design.file"
            ) from None
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


def check_table_values(exp: Experiment, df: pd.DataFrame) -> None:
    """Every value of a table design is in its parameter's range or levels and valid."""
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
                point_scenario(exp.base, point)
            except InputError as exc:
                raise InputError(
                    f"{exc.field}: {exc.message}", field=f"design.points[{i}]"
                ) from None
