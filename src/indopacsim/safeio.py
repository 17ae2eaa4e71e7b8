"""The one reading path for every user file: bytes, text, YAML, JSON, Parquet, CSV.

Every file a user hands to indopacsim (a scenario, an experiment, a landscape case, a
manifest, a run or sweep table) is read here, with limits, so that any input ends in a
correct result or one :class:`~indopacsim.errors.InputError` naming the file and, where
there is one, the field; never a traceback, a hang or a memory blow-up:

- only regular files (a FIFO, a device or a directory is refused without opening it
  for blocking reads), at most :data:`MAX_TEXT_BYTES` for text files;
- text is UTF-8 (the error gives the line and column of the first bad byte);
- YAML is read with the safe loader only (no Python objects), nesting at most
  :data:`MAX_DEPTH` levels, at most :data:`MAX_ALIASES` aliases and
  :data:`MAX_NODES` nodes once aliases are expanded (alias bombs and recursive
  anchors are refused before anything walks the document);
- numbers are finite (``.inf``, ``.nan``, ``1e999`` are refused, naming the field);
- JSON documents: the same limits; Parquet tables: readable, with the columns asked for.

It is also the one translator of a pydantic ``ValidationError`` into the one-line
:class:`InputError` (:func:`validation_error`). This module sits at the bottom of the
package: it imports only :mod:`indopacsim.errors` and third-party libraries.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from indopacsim.errors import InputError

#: Largest text file (YAML, JSON, CSV) read, in bytes.
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: Deepest nesting of mappings and lists in a YAML or JSON document.
MAX_DEPTH = 64
#: Most aliases (``*name``) in one YAML document.
MAX_ALIASES = 256
#: Most nodes in one document once aliases are expanded.
MAX_NODES = 500_000
#: Longest piece of user input quoted in an error message.
MAX_QUOTE = 60

PathLike = str | os.PathLike[str]


def quote(value: Any) -> str:
    """``repr(value)``, cut to :data:`MAX_QUOTE` characters (user input in messages)."""
    if isinstance(value, dict | list | tuple) and len(value) > 20:
        return f"<{type(value).__name__} of {len(value)} items>"
    text = repr(value)
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 3] + "..."


def _os_message(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device"
    return exc.strerror or str(exc)


# ---------------------------------------------------------------------------- bytes, text
def read_bytes(path: PathLike, *, limit: int = MAX_TEXT_BYTES, what: str = "file") -> bytes:
    """Read a regular file of at most ``limit`` bytes.

    Raises:
        InputError: Missing, not a regular file (directory, FIFO, device, socket), not
            readable, or larger than ``limit``.
    """
    name = os.fspath(path)
    if not name:
        raise InputError(f"empty {what} name")
    try:
        st = os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise InputError(f"no such {what}", file=name) from None
        raise InputError(f"cannot read the {what}: {_os_message(exc)}", file=name) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise InputError(f"cannot read the {what}: {kind}", file=name)
    if st.st_size > limit:
        raise InputError(f"the {what} is {st.st_size:,} bytes; the limit is {limit:,}", file=name)
    try:  # O_NONBLOCK: a file swapped for a FIFO after the stat still cannot hang us
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {_os_message(exc)}", file=name) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"cannot read the {what}: not a regular file", file=name)
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError as exc:
                raise InputError(f"cannot read the {what}: {_os_message(exc)}", file=name) from None
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise InputError(
                    f"the {what} is larger than the limit of {limit:,} bytes", file=name
                )
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode(data: bytes, where: str) -> str:
    """Decode UTF-8 (a BOM is dropped); the error names the line and column of the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = exc.start - (head.rfind(b"\n") + 1) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}, column {col})",
            file=where,
        ) from None


def read_text(path: PathLike, *, limit: int = MAX_TEXT_BYTES, what: str = "file") -> str:
    """Read a UTF-8 text file with :func:`read_bytes`' checks."""
    return decode(read_bytes(path, limit=limit, what=what), os.fspath(path))


# ---------------------------------------------------------------------------- YAML
class _Limit(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, counting nesting depth and aliases while it composes."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _Limit(f"more than {MAX_ALIASES} aliases", mark.line + 1)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Limit(f"nested deeper than {MAX_DEPTH} levels", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> None:
    """Refuse documents whose alias expansion is too large, too deep or recursive."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    active: set[int] = set()

    def walk(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key], depths[key]
        if key in active:
            raise _Limit(
                "a recursive alias (an anchor used inside itself)", node.start_mark.line + 1
            )
        if isinstance(node, yaml.ScalarNode):
            return 1, 0
        active.add(key)
        children: Iterable[yaml.Node]
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = node.value
        total, deepest = 1, 0
        for child in children:
            s, d = walk(child)
            total += s
            deepest = max(deepest, d)
            if total > MAX_NODES:
                raise _Limit(
                    f"more than {MAX_NODES:,} values once aliases are expanded",
                    node.start_mark.line + 1,
                )
        if deepest + 1 > MAX_DEPTH:
            raise _Limit(f"nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        active.discard(key)
        sizes[key], depths[key] = total, deepest + 1
        return total, deepest + 1

    walk(root)


def _field_path(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def check_finite(doc: Any, where: str, prefix: Sequence[str | int] = ()) -> None:
    """Refuse infinite and NaN numbers anywhere in a document, naming the field."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, tuple(prefix))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(
                f"{value} is not a finite number", file=where, field=_field_path(path) or None
            )
        if isinstance(value, dict):
            stack.extend((v, (*path, str(k))) for k, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))


def parse_yaml(text: str, where: str, *, field: str | None = None) -> Any:
    """Parse one YAML document with the safe loader and every limit.

    Args:
        text: The YAML text.
        where: The file (or a stand-in such as ``--set``) named in errors.
        field: The field the text is the value of, if any (named in errors).

    Raises:
        InputError: Malformed YAML (naming the line), a limit passed, or a number that
            is not finite.
    """
    if len(text) > MAX_TEXT_BYTES:
        raise InputError(f"the text is longer than {MAX_TEXT_BYTES:,} characters", file=where)
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader checks the characters here
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        doc = loader.construct_document(node)
    except _Limit as exc:
        line = f"line {exc.line}" if exc.line else None
        raise InputError(f"refused YAML: {exc.message}", file=where, field=field or line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"malformed YAML: {problem}", file=where, field=field or line) from None
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as exc:
        # a construction the limits did not foresee (e.g. a huge timestamp)
        raise InputError(f"malformed YAML: {type(exc).__name__}", file=where, field=field) from None
    finally:
        if loader is not None:
            loader.dispose()
    check_finite(doc, where, [field] if field else ())
    return doc


def load_yaml_mapping(
    source: PathLike | str,
    where: str | None = None,
    what: str = "a YAML file",
    *,
    text: bool = False,
) -> dict[str, Any]:
    """Read a YAML mapping from a file (or from ``source`` itself when ``text``).

    An empty document is an empty mapping; any other non-mapping is refused.
    """
    if text:
        assert isinstance(source, str)
        name = where or "<text>"
        doc = parse_yaml(source, name)
    else:
        name = where or os.fspath(source)
        doc = parse_yaml(read_text(source, what=what.removeprefix("a ").removeprefix("an ")), name)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(f"{what} must be a YAML mapping, not {_kind(doc)}", file=name)
    for key in doc:
        if not isinstance(key, str):
            raise InputError(
                f"keys must be names, not {_kind(key)} {quote(key)}", file=name, field=str(key)
            )
    return doc


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------- JSON
def read_json_mapping(path: PathLike, what: str = "manifest") -> dict[str, Any]:
    """Read a JSON object (a manifest) with the size, depth and finite-number limits."""
    name = os.fspath(path)
    text = read_text(path, what=what)

    def refuse(token: str) -> Any:
        raise ValueError(f"{token} is not a finite number")

    try:
        doc = json.loads(text, parse_constant=refuse)
    except RecursionError:
        raise InputError(f"unreadable {what}: nested too deeply", file=name) from None
    except ValueError as exc:
        raise InputError(f"unreadable {what}: {str(exc).splitlines()[0]}", file=name) from None
    if not isinstance(doc, dict):
        raise InputError(f"unreadable {what}: a JSON object expected, not {_kind(doc)}", file=name)
    return doc


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
    try:
        st = os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise InputError(f"missing {what}", file=name) from None
        raise InputError(f"cannot read the {what}: {_os_message(exc)}", file=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"cannot read the {what}: not a regular file", file=name)
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


# ---------------------------------------------------------------------------- validation
#: Names pydantic puts in an error's location for the member of a union it tried.
_UNION_TAGS = frozenset({"bool", "int", "float", "str", "list", "dict", "tuple", "none"})


def error_field(loc: Sequence[int | str], *, tagged: Iterable[str] = ()) -> str | None:
    """A pydantic error location as a dotted field (``a.b[2].c``).

    Args:
        loc: The location.
        tagged: List fields whose members are discriminated unions (pydantic inserts the
            tag after the index, e.g. ``events[3].<tag>.value``): the tag is left out.
    """
    tagged = set(tagged)
    parts: list[str] = []
    for k, item in enumerate(loc):
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]" if parts else f"[{item}]"]
            continue
        text = str(item)
        if text.startswith(("function-", "tagged-", "json-or-python", "lax-or-strict")):
            continue
        if (
            k
            and isinstance(loc[k - 1], int)
            and (text in _UNION_TAGS or (k >= 2 and loc[k - 2] in tagged))
        ):
            continue  # the member of a union pydantic tried, not a field
        if "[" in text and text.split("[")[0] in _UNION_TAGS:
            continue  # e.g. list[...] in a union
        parts.append(text)
    return ".".join(parts) or None


def validation_error(
    exc: Any,
    file: str | None,
    *,
    tagged: Iterable[str] = (),
    hint: Callable[[Mapping[str, Any], str], str] | None = None,
) -> InputError:
    """Translate a pydantic ``ValidationError`` into the one-line :class:`InputError`.

    The first error is reported: its field (dotted, see :func:`error_field`) and a short
    message (``unknown key``, ``required``, the allowed values of a literal, or
    pydantic's message); user input is quoted at most :data:`MAX_QUOTE` characters.
    An error raised by a validator with ``.message`` and ``.field`` attributes (the
    scenario's ``FieldError``) keeps its own field and message.

    Args:
        exc: The ``ValidationError``.
        file: The file named in the error.
        tagged: See :func:`error_field`.
        hint: ``hint(err, message) -> message``: a caller's wording for its own schema.
    """
    errors = exc.errors(include_url=False)
    err = errors[0]
    ctx_err: Any = (err.get("ctx") or {}).get("error")
    if hasattr(ctx_err, "message") and hasattr(ctx_err, "field"):
        return InputError(str(ctx_err.message), file=file, field=ctx_err.field or None)
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required"
    elif kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        message = f"unknown value {quote(err.get('input'))}; expected {expected}"
    else:
        message = str(err["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        if loc and isinstance(loc[-1], str) and loc[-1] in _UNION_TAGS and len(errors) > 1:
            message = "expected a number, a name or true/false"
    if hint is not None:
        message = hint(err, message)
    return InputError(message, file=file, field=error_field(loc, tagged=tagged))


# ---------------------------------------------------------------------------- output places
def check_output_dir(path: PathLike | None, *, what: str = "--out") -> Path:
    """Check that ``path`` can be (or is) a writable directory; create it.

    Raises:
        InputError: An empty name, an existing file, a path below a file, or a place
            that cannot be written (read-only, no permission, no space).
    """
    if path is None or not os.fspath(path).strip():
        raise InputError("an empty directory name", field=what)
    p = Path(path)
    for parent in [p, *p.parents]:
        if parent.exists() and not parent.is_dir():
            where = "is" if parent == p else f"is below {parent}, which is"
            raise InputError(f"{where} a file, not a directory", file=str(p), field=what)
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / f".indopacsim-probe-{os.getpid()}"
        with open(probe, "wb") as fh:
            fh.write(b"x")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"cannot write here: {_os_message(exc)}", file=str(p), field=what
        ) from None
    return p
