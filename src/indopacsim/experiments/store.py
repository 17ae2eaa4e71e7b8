"""The sweep directory: a manifest, the design, and results written in atomic chunks.

Layout::

    SWEEP_DIR/
      manifest.json           written first (status "running"), updated at the end
      experiment.yaml         the experiment file, verbatim
      points.parquet          point_id, sample_id, one column per parameter
      plan.parquet            run_id, point_id, replicate, seed
      runs/part-00000.parquet one row per run: ids, seed, parameters, status, error,
      runs/part-00001.parquet   scalar outcomes; chunks, each written atomically
      series/part-00000.parquet  (series outcomes only) run_id, step, one column each

A chunk is written to a temporary file and renamed into place, so a crash never leaves
half a chunk; the runs chunk is renamed last, so it marks its series chunk as complete.
The run_ids in ``runs/`` are the runs done: ``--resume`` skips them. Readers sort by
``run_id``, so the tables do not depend on the order in which runs completed.

One process owns a sweep directory at a time (:class:`SweepLock`, an exclusive
``flock`` on ``SWEEP_DIR/.lock`` that the kernel drops when the process dies, so a
stale lock is taken over by the next process). The stores check themselves: every
part read is checked (readable, expected columns, run ids of the plan, no run stored
twice; :mod:`indopacsim.experiments.parts`) and a bad one is named; ``--resume`` moves a
bad part aside into ``SWEEP_DIR/corrupt/`` and redoes its runs (:meth:`SweepStore.repair`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from indopacsim.errors import InputError
from indopacsim.experiments.parts import (
    RUNS,
    SERIES,
    check_part,
    read_checked,
    repair_parts,
    runs_schema,
    series_schema,
)
from indopacsim.manifest import atomic_write_bytes, base_manifest, write_json, write_parquet
from indopacsim.safeio import read_json_mapping, read_parquet

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment

__all__ = ["SweepLock", "SweepStore", "runs_schema", "series_schema", "sweep_manifest"]

MANIFEST = "manifest.json"
LOCK = ".lock"
_PART = re.compile(r"^part-(\d{5,})\.parquet$")
#: Temporary files this package writes (atomic writes), left by a killed process.
_TEMP = re.compile(
    r"^\.((manifest\.json|experiment\.yaml|points\.parquet|plan\.parquet|part-\d+\.parquet)"
    r"\..*\.tmp|indopacsim-probe-\d+)$"
)


class SweepLock:
    """An exclusive lock on a sweep directory (``flock`` on ``.lock``, holding the pid).

    The kernel releases it when its process ends, however it ends, so a lock left by a
    killed process is simply taken by the next one. Local filesystems only (``flock``
    on NFS may not exclude across machines).
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.path = self.root / LOCK
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise InputError naming the process that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise InputError(
                f"is in use by another indopacsim process ({holder}): wait for it to end "
                "or stop it, then rerun",
                file=str(self.root),
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays; it is free)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fd is not None


class SweepStore:
    """Reads and writes one sweep directory.

    Args:
        root: The sweep directory.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # ------------------------------------------------------------------ layout
    @property
    def manifest_path(self) -> Path:
        """``manifest.json``."""
        return self.root / MANIFEST

    def exists(self) -> bool:
        """Whether the directory holds a sweep (a manifest)."""
        return self.manifest_path.is_file()

    def parts(self, kind: str = RUNS) -> dict[int, Path]:
        """The complete chunks of ``runs`` or ``series``, by part number."""
        folder = self.root / kind
        if not folder.is_dir():
            return {}
        out = {}
        for p in folder.iterdir():
            m = _PART.match(p.name)
            if m:
                out[int(m.group(1))] = p
        return dict(sorted(out.items()))

    # ------------------------------------------------------------------ writing
    def create(
        self,
        manifest: dict[str, Any],
        experiment_text: str,
        points: pd.DataFrame,
        plan: pd.DataFrame,
    ) -> None:
        """Start a new sweep: manifest (status running), experiment, points, plan."""
        self.root.mkdir(parents=True, exist_ok=True)
        write_json(self.manifest_path, manifest)
        atomic_write_bytes(self.root / "experiment.yaml", experiment_text.encode())
        write_parquet(self.root / "points.parquet", points)
        write_parquet(self.root / "plan.parquet", plan)

    def restore(self, experiment_text: str, points: pd.DataFrame, plan: pd.DataFrame) -> None:
        """Rewrite the experiment, points and plan files if a crash left them unwritten."""
        if not (self.root / "experiment.yaml").is_file():
            atomic_write_bytes(self.root / "experiment.yaml", experiment_text.encode())
        for name, df in (("points", points), ("plan", plan)):
            if not (self.root / f"{name}.parquet").is_file():
                write_parquet(self.root / f"{name}.parquet", df)

    def leftovers_only(self) -> bool:
        """Whether the directory holds only what a sweep killed while starting leaves
        (its lock, temporary files): then it is ours and a new sweep may start in it."""
        return all(p.name == LOCK or _TEMP.match(p.name) for p in self.root.iterdir())

    def clean(self) -> list[Path]:
        """Remove what a crash can leave: temporary files and series chunks without runs.

        Call it only while holding the :class:`SweepLock` (another process's temporary
        files would be in use).
        """
        removed = []
        for folder in (self.root, self.root / RUNS, self.root / SERIES):
            if folder.is_dir():
                for p in folder.glob(".*"):
                    if _TEMP.match(p.name) and p.is_file():
                        p.unlink(missing_ok=True)
                        removed.append(p)
        runs = self.parts(RUNS)
        for num, p in self.parts(SERIES).items():
            if num not in runs:
                p.unlink(missing_ok=True)
                removed.append(p)
        return removed

    def next_part(self) -> int:
        """The number the next chunk takes."""
        used = set(self.parts(RUNS)) | set(self.parts(SERIES))
        return max(used, default=-1) + 1

    def write_part(
        self,
        number: int,
        runs: Mapping[str, Sequence[Any]],
        schema: pa.Schema,
        series: Mapping[str, Sequence[Any]] | None = None,
        series_schema: pa.Schema | None = None,
    ) -> None:
        """Write one chunk atomically: its series (if any) first, then its runs."""
        name = f"part-{number:05d}.parquet"
        if series is not None and series_schema is not None:
            table = pa.Table.from_pydict(dict(series), schema=series_schema)
            self._write_table(self.root / SERIES / name, table.sort_by("run_id"))
        table = pa.Table.from_pydict(dict(runs), schema=schema)
        self._write_table(self.root / RUNS / name, table.sort_by("run_id"))

    @staticmethod
    def _write_table(path: Path, table: pa.Table) -> None:
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write_bytes(path, sink.getvalue().to_pybytes())

    def update_manifest(self, **fields: Any) -> dict[str, Any]:
        """Merge ``fields`` into the manifest and rewrite it atomically."""
        doc = self.read_manifest()
        doc.update(fields)
        write_json(self.manifest_path, doc)
        return doc

    # ------------------------------------------------------------------ reading
    def read_manifest(self) -> dict[str, Any]:
        """The manifest as a dict.

        Raises:
            InputError: When the directory holds no sweep.
        """
        if not self.root.is_dir():
            what = "no such directory" if not self.root.exists() else "not a directory"
            raise InputError(what, file=str(self.root))
        if not self.manifest_path.exists():
            raise InputError("not a sweep directory (no manifest.json)", file=str(self.root))
        doc = read_json_mapping(self.manifest_path, "manifest")
        if doc.get("kind") != "sweep":
            raise InputError("not a sweep manifest", file=str(self.manifest_path), field="kind")
        return doc

    def read_points(self) -> pd.DataFrame:
        """The points table."""
        frame: pd.DataFrame = read_parquet(
            self.root / "points.parquet", required=["point_id"], what="points table"
        ).to_pandas()
        return frame

    def read_plan(self) -> pd.DataFrame:
        """The plan: run_id, point_id, replicate, seed."""
        frame: pd.DataFrame = read_parquet(
            self.root / "plan.parquet",
            required=["run_id", "point_id", "replicate", "seed"],
            what="plan table",
        ).to_pandas()
        return frame

    def _n_runs(self) -> int | None:
        try:
            n = self.read_manifest().get("n_runs")
        except InputError:
            return None
        return n if isinstance(n, int) else None

    def check_part(
        self, kind: str, path: Path, required: Sequence[str], n_runs: int | None
    ) -> pa.Table:
        """Read one part, checked (:func:`indopacsim.experiments.parts.check_part`)."""
        return check_part(kind, path, required, n_runs)

    def _read(self, kind: str, columns: list[str] | None) -> pd.DataFrame | None:
        return read_checked(self.root, kind, self.parts(kind), columns, self._n_runs())

    def repair(self, runs_schema: pa.Schema, series_schema: pa.Schema | None) -> list[str]:
        """Move aside every part that fails its checks; return one note per part moved
        (:func:`indopacsim.experiments.parts.repair_parts`). Call it holding the lock."""
        return repair_parts(
            self.root,
            self.parts(RUNS),
            self.parts(SERIES),
            runs_schema,
            series_schema,
            self._n_runs(),
        )

    def done_run_ids(self) -> np.ndarray:
        """The run_ids stored so far (sorted)."""
        df = self._read(RUNS, ["run_id"])
        return np.sort(df["run_id"].to_numpy()) if df is not None else np.empty(0, np.int64)

    def status_counts(self) -> dict[str, int]:
        """How many stored runs ended ``ok`` and how many with an ``error``."""
        df = self._read(RUNS, ["status"])
        if df is None:
            return {"ok": 0, "error": 0}
        counts = df["status"].value_counts()
        return {"ok": int(counts.get("ok", 0)), "error": int(counts.get("error", 0))}

    def read_runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The runs table, one row per run, sorted by run_id (every part checked)."""
        df = self._read(RUNS, columns)
        if df is None:
            return pd.DataFrame(columns=columns or ["run_id"])
        if "run_id" not in df.columns:
            return df.reset_index(drop=True)
        return df.sort_values("run_id", kind="stable").reset_index(drop=True)

    def read_series(self) -> pd.DataFrame | None:
        """The time-series table (run_id, step, series outcomes), or None."""
        df = self._read(SERIES, None)
        if df is None:
            return None
        return df.sort_values(["run_id", "step"], kind="stable").reset_index(drop=True)


def sweep_manifest(
    exp: Experiment,
    points: pd.DataFrame,
    plan: pd.DataFrame,
    root: Path,
    command: Sequence[str] | None,
) -> dict[str, Any]:
    """The manifest of a new sweep (status ``created``; the driver updates it)."""
    from indopacsim.experiments.designs import frame_digest, salib_problem

    doc = base_manifest("sweep", list(command) if command is not None else None)
    base = exp.base
    source = str(exp.path) if exp.path is not None else "EXPERIMENT.yaml"
    doc.update(
        {
            "status": "created",
            "experiment": {
                "name": exp.name,
                "file": str(exp.path) if exp.path is not None else None,
                "sha256": exp.sha256,
                "text": exp.text,
            },
            "model": exp.model,
            "base_scenario": (
                {"name": base.name, "sha256": base.digest(), "horizon": base.time.horizon}
                if base is not None
                else None
            ),
            "design": exp.design.model_dump(mode="json"),
            "uncertainties": [p.model_dump(mode="json") for p in exp.uncertainties],
            "levers": [p.model_dump(mode="json") for p in exp.levers],
            "problem": salib_problem(exp) if exp.uncertainties else None,
            "outcomes": [o.model_dump(mode="json") for o in exp.outcomes],
            "replications": exp.replications,
            "root_seed": exp.seed,
            "seed_rule": (
                "run r uses indopacsim.seeds.spawn_seeds(root_seed, n_runs)[r], i.e. "
                "SeedSequence(root_seed).spawn(n_runs)[r].generate_state(1)[0]; "
                "run_id = point_id * replications + replicate"
            ),
            "n_points": len(points),
            "n_runs": len(plan),
            "points": {"file": "points.parquet", "sha256": frame_digest(points)},
            "plan": {"file": "plan.parquet", "sha256": frame_digest(plan)},
            "tables": {"runs": "runs/part-*.parquet", "series": "series/part-*.parquet"},
            "reproduce": f"indopacsim sweep {source} --out {root}",
            "sessions": [],
        }
    )
    return doc
