"""Sweeps: the driver that plans the runs, feeds the executors and stores the results.

The driver plans every run (point, replicate, seed) before dispatch, submits contiguous
batches of run_ids to an executor (:mod:`indopacsim.experiments.executors`) with a bounded number in
flight, and writes the results as they come back in chunks to the sweep directory
(:mod:`indopacsim.experiments.store`), so memory stays bounded whatever the number of runs. The task
each worker runs is :func:`indopacsim.experiments.worker.run_batch`; a run that raises is recorded
with ``status="error"`` and its error, and the sweep goes on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indopacsim.errors import InputError
from indopacsim.experiments.dispatch import (
    Session,
    SweepAborted,
    SweepSummary,
    disk_full,
    dispatch,
    stopped,
)
from indopacsim.experiments.worker import Batch, RunSpec

__all__ = ["SweepAborted", "SweepJob", "SweepSummary", "disk_full", "prepare_sweep", "run_sweep"]

if TYPE_CHECKING:
    import pandas as pd

    from indopacsim.experiments.spec import Experiment
    from indopacsim.experiments.store import SweepStore


@dataclass
class SweepJob:
    """A planned sweep bound to its directory: what is done and what remains.

    Build one with :func:`prepare_sweep`, then call :meth:`run`.
    """

    experiment: Experiment
    store: SweepStore
    points: pd.DataFrame
    plan: pd.DataFrame
    done: int
    pending: Any
    notes: list[str] = field(default_factory=list)
    new_manifest: dict[str, Any] | None = None
    lock: Any = None
    made_dir: bool = False

    def close(self) -> None:
        """Release the directory's lock (and remove a directory this job made but never
        wrote, e.g. when the executor could not start)."""
        if self.lock is None:
            return
        self.lock.release()
        if self.made_dir and not self.store.exists():
            import contextlib

            with contextlib.suppress(OSError):
                self.lock.path.unlink()
                self.store.root.rmdir()
        self.lock = None

    @property
    def n_runs(self) -> int:
        """Runs in the experiment."""
        return len(self.plan)

    def spec(self) -> RunSpec:
        """The shared part of every batch."""
        exp = self.experiment
        base = exp.base
        return RunSpec(
            model=exp.model,
            base=base,
            base_key=base.digest() if base is not None else exp.model,
            columns=tuple(p.column for p in exp.parameters),
            paths=tuple(p.path for p in exp.parameters),
            outcomes=tuple(exp.outcomes),
            function=None if exp.is_abm else exp.function(),
        )

    def batches(self, size: int) -> Iterator[Batch]:
        """The pending runs in run_id order, ``size`` at a time (built lazily)."""
        spec = self.spec()
        cols = [p.column for p in self.experiment.parameters]
        values = list(zip(*(self.points[c].tolist() for c in cols), strict=True))
        if not cols:
            values = [()] * len(self.points)
        arrays = {c: self.plan[c].to_numpy() for c in ("run_id", "point_id", "replicate", "seed")}
        for k in range(0, len(self.pending), size):
            rows = self.pending[k : k + size]
            run_id, point_id, replicate, seed = (
                arrays[c][rows].tolist() for c in ("run_id", "point_id", "replicate", "seed")
            )
            yield Batch(spec, run_id, point_id, replicate, seed, [values[p] for p in point_id])

    def auto_batch_size(self, workers: int) -> int:
        """Enough batches to balance the workers, few enough to amortize task overhead."""
        cap = 50 if self.experiment.is_abm else 2000
        n = len(self.pending)
        return max(1, min(cap, math.ceil(n / max(1, workers * 8))))

    def run(
        self,
        executor: str = "process",
        workers: int | None = None,
        scheduler: str | None = None,
        *,
        batch_size: int | None = None,
        chunk_size: int = 1000,
        flush_seconds: float = 30.0,
        progress: Callable[[int], Any] | None = None,
    ) -> SweepSummary:
        """Run the pending runs and store them; see :func:`run_sweep` for the arguments.

        The directory's lock is released at the end, however the run ends.
        """
        try:
            return self._run(
                executor,
                workers,
                scheduler,
                batch_size=batch_size,
                chunk_size=chunk_size,
                flush_seconds=flush_seconds,
                progress=progress,
            )
        finally:
            self.close()

    def _run(
        self,
        executor: str,
        workers: int | None,
        scheduler: str | None,
        *,
        batch_size: int | None,
        chunk_size: int,
        flush_seconds: float,
        progress: Callable[[int], Any] | None,
    ) -> SweepSummary:
        from indopacsim.experiments.executors import open_executor

        session = Session(self.store, self.points, self.experiment.outcomes)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle = open_executor(executor, workers, scheduler)
        self._open_directory(handle)
        info = dict(handle.info)
        size = batch_size or self.auto_batch_size(handle.workers)
        self.store.update_manifest(status="running", executor=info, batch_size=size)
        status = "complete"
        it = self.batches(size)
        try:
            with handle:
                dispatch(
                    handle,
                    it,
                    session,
                    chunk_size=chunk_size,
                    flush_seconds=flush_seconds,
                    progress=progress,
                )
        except BaseException as exc:
            new_status, instead = stopped(exc, handle)
            status = new_status or status
            if isinstance(exc, SweepAborted):
                self.notes.append(str(exc))
            if instead is None:
                raise
            raise instead from exc
        finally:
            status, full, counts = session.finish(status, started, info, size, self.n_runs)
        if full is not None:
            raise SweepAborted("no space left on the device") from full
        return SweepSummary(
            out=self.store.root,
            n_runs=self.n_runs,
            skipped=self.done,
            ran=session.ran,
            ok=counts["ok"],
            failed=counts["error"],
            session_failed=session.failed,
            wall_seconds=session.wall,
            status=status,
            errors=session.errors,
            notes=self.notes,
        )

    def _open_directory(self, handle: Any) -> None:
        """Write the sweep directory (new) or restore its files (resumed), once the
        executor is up: a bad address leaves no directory."""
        exp, store = self.experiment, self.store
        try:
            if self.new_manifest is not None:
                store.create(self.new_manifest, exp.text, self.points, self.plan)
                self.new_manifest = None
            else:
                store.restore(exp.text, self.points, self.plan)
        except BaseException as exc:
            handle.close(cancel=True)
            if disk_full(exc):
                raise SweepAborted("no space left on the device") from exc
            raise


def prepare_sweep(
    experiment: Experiment,
    out: str | Path,
    *,
    resume: bool = False,
    command: Sequence[str] | None = None,
) -> SweepJob:
    """Plan a sweep and check its directory (written when the job runs).

    Args:
        experiment: The validated experiment.
        out: The sweep directory.
        resume: Continue the sweep stored in ``out`` (skipping its stored runs); without
            it, ``out`` must not hold a sweep yet.
        command: The command line, for the manifest.

    Raises:
        InputError: When ``out`` holds another sweep, or a sweep without ``resume``, is
            not a directory that can be written, or is in use by another process.

    The job holds the directory's lock until :meth:`SweepJob.run` ends (or
    :meth:`SweepJob.close`).
    """
    import numpy as np

    from indopacsim.experiments.designs import design_points, plan_runs
    from indopacsim.experiments.store import SweepLock, SweepStore
    from indopacsim.safeio import check_output_dir

    store = SweepStore(out)
    points = design_points(experiment)
    plan = plan_runs(experiment, len(points))
    notes: list[str] = []
    manifest: dict[str, Any] = {}
    made_dir = not store.root.exists()
    check_output_dir(store.root)
    lock = SweepLock(store.root)
    lock.acquire()  # one process owns the directory from here on
    try:
        if store.exists():
            if not resume:
                raise InputError(
                    "already holds a sweep: pass --resume to continue it, or choose another --out",
                    file=str(store.root),
                )
            notes += _resume_checks(experiment, store, points)
            done_ids = store.done_run_ids()
        else:
            manifest = _new_manifest(experiment, store, points, plan, command)
            done_ids = np.empty(0, np.int64)
    except BaseException:
        lock.release()
        raise
    pending = np.flatnonzero(~np.isin(plan["run_id"].to_numpy(), done_ids))
    job = SweepJob(experiment, store, points, plan, len(done_ids), pending, notes)
    job.lock, job.made_dir = lock, made_dir
    if not store.exists():
        job.new_manifest = manifest
    return job


def _new_manifest(
    experiment: Experiment,
    store: SweepStore,
    points: pd.DataFrame,
    plan: pd.DataFrame,
    command: Sequence[str] | None,
) -> dict[str, Any]:
    """The manifest of a new sweep in ``store``, whose directory must hold nothing but what
    a sweep killed while starting left (cleaned here)."""
    from indopacsim.experiments.store import sweep_manifest

    if not store.leftovers_only():
        raise InputError(
            "exists and is not a sweep directory: choose another --out",
            file=str(store.root),
        )
    store.clean()  # what a sweep killed while starting left
    return sweep_manifest(experiment, points, plan, store.root, command)


def _resume_checks(experiment: Experiment, store: SweepStore, points: pd.DataFrame) -> list[str]:
    """Check that the sweep in ``store`` is of this experiment, then clean and repair its
    parts; the notes to show (another version, parts repaired)."""
    from indopacsim.experiments.parts import runs_schema, series_schema
    from indopacsim.manifest import package_version

    notes: list[str] = []
    doc = store.read_manifest()
    experiment_doc = doc.get("experiment")
    sha = experiment_doc.get("sha256") if isinstance(experiment_doc, dict) else None
    if sha != experiment.sha256:
        raise InputError(
            "holds a sweep of a different experiment file (its sha256 differs): "
            "choose another --out",
            file=str(store.root),
        )
    if doc.get("version") != package_version():
        notes.append(
            f"the sweep was started with indopacsim {doc.get('version')}, "
            f"this is {package_version()}"
        )
    store.clean()
    scalar = [o.name for o in experiment.outcomes if o.stat != "series"]
    series_names = [o.name for o in experiment.outcomes if o.stat == "series"]
    notes += store.repair(
        runs_schema(points, scalar), series_schema(series_names) if series_names else None
    )
    store.clean()
    return notes


def run_sweep(
    experiment: Experiment,
    out: str | Path,
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    *,
    resume: bool = False,
    batch_size: int | None = None,
    chunk_size: int = 1000,
    flush_seconds: float = 30.0,
    progress: Callable[[int], Any] | None = None,
    command: Sequence[str] | None = None,
) -> SweepSummary:
    """Plan, run and store a sweep.

    Args:
        experiment: The validated experiment (:func:`indopacsim.experiments.spec.load_experiment`).
        out: The sweep directory.
        executor: ``serial`` | ``process`` | ``dask`` | ``dask-local``.
        workers: Worker processes (``process``, ``dask-local``; default all cores).
        scheduler: Dask scheduler address for ``dask``.
        resume: Continue the sweep in ``out``, skipping the runs it holds.
        batch_size: Runs per task (default: enough tasks to balance the workers, at most
            50 model runs per task).
        chunk_size: Runs per stored chunk (memory stays bounded by about this many rows).
        flush_seconds: Also store a chunk at least this often.
        progress: Called with the number of runs each finished batch held.
        command: The command line, for the manifest.

    Returns:
        The summary; ``failed`` counts the stored runs that raised.
    """
    job = prepare_sweep(experiment, out, resume=resume, command=command)
    return job.run(
        executor,
        workers,
        scheduler,
        batch_size=batch_size,
        chunk_size=chunk_size,
        flush_seconds=flush_seconds,
        progress=progress,
    )
