"""Checks on the directories ``plot`` and ``analyze`` read, before anything reads them.

A run directory (``indopacsim run``) needs a run manifest and its four tables with their
columns; a sweep directory (``indopacsim sweep``) needs a sweep manifest with the fields
the analysis and the figures read, its points and plan, and stored runs whose every part
passes the store's checks (readable, columns, run ids of the plan, no run twice). Each
failure is one :class:`~indopacsim.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from indopacsim.errors import InputError
from indopacsim.safeio import read_json_mapping, read_parquet

#: The tables of a run directory and the columns the figures read.
RUN_TABLES: dict[str, tuple[str, ...]] = {
    "model": ("step",),
    "states": ("step", "iso3"),
    "ties": ("step", "a", "b", "level"),
    "events": ("step", "event"),
}


def directory_kind(directory: str | Path) -> str:
    """``run`` or ``sweep``: the ``kind`` of the directory's manifest (checked)."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError("no such directory" if not d.exists() else "not a directory", file=str(d))
    path = d / "manifest.json"
    if not path.exists():
        raise InputError(
            "not a run or sweep directory: manifest.json is missing",
            file=str(d),
            field="manifest.json",
        )
    kind = read_json_mapping(path).get("kind")
    if kind not in ("run", "sweep"):
        raise InputError(
            f"not a run or sweep manifest (kind {kind!r})", file=str(path), field="kind"
        )
    return str(kind)


def check_run_dir(directory: str | Path) -> None:
    """Check a run directory: its manifest and every table with its columns."""
    d = Path(directory)
    if directory_kind(d) != "run":
        raise InputError("not a run directory", file=str(d / "manifest.json"), field="kind")
    for name, columns in RUN_TABLES.items():
        read_parquet(d / f"{name}.parquet", columns=[columns[0]], required=columns, what="table")


def _require(doc: dict[str, Any], path: Path, key: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(key)
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        what = "missing" if key not in doc else f"expected {names}"
        raise InputError(what, file=str(path), field=key)
    return value


def check_sweep_dir(directory: str | Path) -> None:
    """Check a sweep directory for ``analyze`` and ``plot``.

    Raises:
        InputError: Not a sweep, a manifest field missing or of the wrong type, points or
            plan missing or corrupt, no stored run, or a corrupt runs part.
    """
    from indopacsim.experiments.store import SweepStore

    d = Path(directory)
    store = SweepStore(d)
    doc = store.read_manifest()
    path = store.manifest_path
    for key in ("levers", "uncertainties", "outcomes"):
        items = _require(doc, path, key, list)
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError("expected a mapping", file=str(path), field=f"{key}[{i}]")
            need = ("name", "stat") if key == "outcomes" else ("path",)
            for field in need:
                if not isinstance(item.get(field), str):
                    raise InputError("missing", file=str(path), field=f"{key}[{i}].{field}")
    design = _require(doc, path, "design", dict)
    if not isinstance(design.get("kind"), str):
        raise InputError("missing", file=str(path), field="design.kind")
    _require(doc, path, "n_runs", int)
    _require(doc, path, "root_seed", int)
    if doc.get("uncertainties") and design["kind"] in ("sobol", "morris"):
        _require(doc, path, "problem", dict)
    store.read_points()
    store.read_plan()
    if not store.parts():
        raise InputError("no stored runs yet: run or resume the sweep first", file=str(d / "runs"))
    store.read_runs(["run_id", "status"])
