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
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from indopacsim.errors import InputError
from indopacsim.manifest import atomic_write_bytes, base_manifest, write_json, write_parquet

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment

MANIFEST = "manifest.json"
RUNS, SERIES = "runs", "series"
_PART = re.compile(r"^part-(\d{5,})\.parquet$")


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

    def clean(self) -> list[Path]:
        """Remove what a crash can leave: temporary files and series chunks without runs."""
        removed = []
        for kind in (RUNS, SERIES):
            folder = self.root / kind
            if folder.is_dir():
                for p in folder.glob(".*.tmp"):
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
        try:
            doc: dict[str, Any] = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(
                "not a sweep directory (no manifest.json)", file=str(self.root)
            ) from None
        except (OSError, ValueError) as exc:
            raise InputError(f"unreadable manifest: {exc}", file=str(self.manifest_path)) from None
        if doc.get("kind") != "sweep":
            raise InputError("not a sweep manifest", file=str(self.manifest_path))
        return doc

    def read_points(self) -> pd.DataFrame:
        """The points table."""
        return pd.read_parquet(self.root / "points.parquet")

    def read_plan(self) -> pd.DataFrame:
        """The plan: run_id, point_id, replicate, seed."""
        return pd.read_parquet(self.root / "plan.parquet")

    def _read(self, kind: str, columns: list[str] | None) -> pd.DataFrame | None:
        parts = self.parts(kind)
        if not parts:
            return None
        tables = [pq.read_table(p, columns=columns) for p in parts.values()]
        return pa.concat_tables(tables).to_pandas()

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
        """The runs table, one row per run, sorted by run_id."""
        df = self._read(RUNS, columns)
        if df is None:
            return pd.DataFrame(columns=columns or ["run_id"])
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
