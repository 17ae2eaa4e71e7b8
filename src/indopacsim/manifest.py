"""Manifests: every result directory says how to reproduce it."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd


def package_version() -> str:
    """Installed version of indopacsim (``0+unknown`` when run from a source tree)."""
    try:
        return metadata.version("indopacsim")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def git_commit() -> str | None:
    """The commit of the source tree the package was imported from, if it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        timeout=5,
        check=False,
    )
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def environment() -> dict[str, Any]:
    """Versions of Python and the libraries that shape results."""
    libs: dict[str, str | None] = {}
    for lib in ("mesa", "numpy", "pandas", "pydantic", "scipy", "pyarrow"):
        try:
            libs[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            libs[lib] = None
    return {"python": sys.version.split()[0], "platform": platform.platform(), "libraries": libs}


def base_manifest(kind: str, command: list[str] | None = None) -> dict[str, Any]:
    """Fields common to every manifest."""
    return {
        "kind": kind,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "package": "indopacsim",
        "version": package_version(),
        "git_commit": git_commit(),
        "command": command if command is not None else sys.argv,
        "environment": environment(),
    }


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write a file atomically: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, doc: dict[str, Any]) -> None:
    """Write a JSON document atomically (sorted keys, indented)."""
    atomic_write_bytes(
        path, (json.dumps(doc, indent=2, sort_keys=True, default=str) + "\n").encode()
    )


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame to Parquet atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
