"""Files: the limits of every reading, regular files read in bytes and UTF-8 text, and
the check of an output directory; and :func:`quote`, how user input is cut in messages."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

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


def os_message(exc: OSError) -> str:
    """The reason of an OS error, for a message (a full disk named as such)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device"
    return exc.strerror or str(exc)


# ---------------------------------------------------------------------------- bytes, text
def stat_regular(name: str, what: str = "file", missing: str = "no such") -> os.stat_result:
    """The ``stat`` of a regular file, or one line naming the file and what is wrong.

    Raises:
        InputError: An empty name, a missing file (``missing`` words it), an unreadable
            one, or not a regular file (a directory, FIFO, device or socket).
    """
    if not name:
        raise InputError(f"empty {what} name")
    try:
        st = os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise InputError(f"{missing} {what}", file=name) from None
        raise InputError(f"cannot read the {what}: {os_message(exc)}", file=name) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise InputError(f"cannot read the {what}: {kind}", file=name)
    return st


def read_bytes(path: PathLike, *, limit: int = MAX_TEXT_BYTES, what: str = "file") -> bytes:
    """Read a regular file of at most ``limit`` bytes.

    Raises:
        InputError: Missing, not a regular file (directory, FIFO, device, socket), not
            readable, or larger than ``limit``.
    """
    name = os.fspath(path)
    st = stat_regular(name, what)
    if st.st_size > limit:
        raise InputError(f"the {what} is {st.st_size:,} bytes; the limit is {limit:,}", file=name)
    try:  # O_NONBLOCK: a file swapped for a FIFO after the stat still cannot hang us
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {os_message(exc)}", file=name) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"cannot read the {what}: not a regular file", file=name)
        chunks, size = [], 0
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError as exc:
                raise InputError(f"cannot read the {what}: {os_message(exc)}", file=name) from None
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
        raise InputError(f"cannot write here: {os_message(exc)}", file=str(p), field=what) from None
    return p
