"""Tables: Parquet and CSV files read with their checks (readable, the columns asked
for), every failure one :class:`~indopacsim.errors.InputError` naming the file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from indopacsim.errors import InputError
from indopacsim.safeio.files import PathLike, quote, read_text, stat_regular


# ---------------------------------------------------------------------------- tables
def read_parquet(
    path: PathLike,
    *,
    columns: Sequence[str] | None = None,
    required: Iterable[str] = (),
    what: str = "table",
) -> Any:
    """Read a Parquet file into a ``pyarrow.Table``, checked.

    Args:
        path: The file.
        columns: Read only these columns.
        required: Columns the file must have.
        what: What the file is, for messages.

    Raises:
        InputError: Missing, not a regular file, unreadable (truncated, empty, garbled),
            or lacking a required column; the message names the file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    name = os.fspath(path)
    stat_regular(name, what, missing="missing")
    try:
        schema = pq.read_schema(name)
        missing = [c for c in required if c not in schema.names]
        if missing:
            raise InputError(f"corrupt {what}: missing column(s) {', '.join(missing)}", file=name)
        cols = [c for c in columns if c in schema.names] if columns is not None else None
        if columns is not None:
            absent = [c for c in columns if c not in schema.names]
            if absent:
                raise InputError(
                    f"corrupt {what}: missing column(s) {', '.join(absent)}", file=name
                )
        return pq.read_table(name, columns=cols)
    except InputError:
        raise
    except (OSError, pa.ArrowException, ValueError, MemoryError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise InputError(f"corrupt {what}: {quote(first)[1:-1]}", file=name) from None


def read_parquet_frame(path: PathLike, **kwargs: Any) -> Any:
    """:func:`read_parquet` as a pandas DataFrame."""
    return read_parquet(path, **kwargs).to_pandas()


def read_csv(path: PathLike, *, where: str | None = None, field: str | None = None) -> Any:
    """Read a CSV table (regular file, size limit, UTF-8) into a pandas DataFrame."""
    import io

    import pandas as pd

    name = os.fspath(path)
    try:
        text = read_text(path, what="table")
    except InputError as exc:
        raise InputError(exc.message, file=where or name, field=field or None) from None
    try:
        df = pd.read_csv(io.StringIO(text))
    except (ValueError, pd.errors.ParserError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(
            f"cannot read the table {name}: {first}", file=where, field=field
        ) from None
    return df
