"""The dispatch of a sweep's batches: the loop that keeps a bounded number of batches in
flight on an executor, the session that buffers their results and stores them in chunks,
and what a failure of the executor (not of a run) becomes.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indopacsim.experiments.worker import Batch, run_batch

if TYPE_CHECKING:
    import pandas as pd

    from indopacsim.experiments.spec import Outcome
    from indopacsim.experiments.store import SweepStore


@dataclass
class SweepSummary:
    """What a sweep did (this session) and what its directory now holds."""

    out: Path
    n_runs: int
    skipped: int
    ran: int
    ok: int
    failed: int
    session_failed: int
    wall_seconds: float
    status: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Runs per second this session."""
        return self.ran / self.wall_seconds if self.wall_seconds > 0 else float("nan")

    def text(self) -> str:
        """A few lines for the terminal."""
        lines = [
            f"sweep {self.status}: {self.ok + self.failed} of {self.n_runs} runs stored in "
            f"{self.out}/ ({self.ok} ok, {self.failed} failed)",
            f"this session: {self.ran} runs in {self.wall_seconds:.1f} s "
            f"({self.rate:.1f} runs/s), {self.skipped} already stored",
        ]
        lines += [f"note: {n}" for n in self.notes]
        if self.errors:
            lines.append(f"first errors ({self.session_failed} this session):")
            lines += [f"  {e}" for e in self.errors]
        return "\n".join(lines)


class SweepAborted(RuntimeError):
    """The executor failed (not a run): stored results are kept; resume with --resume."""


def disk_full(exc: BaseException) -> bool:
    """Whether an error is a full disk or an exhausted quota."""
    import errno

    return isinstance(exc, OSError) and (
        exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc)
    )


def executor_failure(exc: BaseException, handle: Any) -> SweepAborted:
    """One line for an executor that failed: a lost Dask scheduler is named as such."""
    client = getattr(handle, "_client", None)
    if client is not None:
        scheduler = handle.info.get("scheduler") or "the local cluster"
        lost = getattr(client, "status", "running") not in ("running", "connecting")
        if lost or type(exc).__name__ in ("CancelledError", "CommClosedError", "TimeoutError"):
            return SweepAborted(f"lost the Dask scheduler ({scheduler})")
        return SweepAborted(f"a Dask task failed: {type(exc).__name__}: {exc}")
    return SweepAborted(f"the executor failed: {type(exc).__name__}: {exc}")


def stopped(exc: BaseException, handle: Any) -> tuple[str | None, BaseException | None]:
    """What an exception that stopped the dispatch means: the sweep's status (None: the
    status stands) and the error to raise in its place (None: ``exc`` itself)."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", None
    if isinstance(exc, SweepAborted):
        return "aborted", None
    if isinstance(exc, OSError):
        if disk_full(exc):
            return "aborted", SweepAborted("no space left on the device")
        return None, None
    # a Dask client whose scheduler went away
    if type(exc).__name__ == "CancelledError" and handle.kind in ("dask", "dask-local"):
        return "aborted", executor_failure(exc, handle)
    return None, None


class Session:
    """The results of one session of a sweep: buffered, stored in chunks, counted."""

    def __init__(self, store: SweepStore, points: pd.DataFrame, outcomes: list[Outcome]):
        from indopacsim.experiments.parts import runs_schema, series_schema

        scalar = [o.name for o in outcomes if o.stat != "series"]
        series_names = [o.name for o in outcomes if o.stat == "series"]
        self.store = store
        self.schema = runs_schema(points, scalar)
        self.s_schema = series_schema(series_names) if series_names else None
        self.part = store.next_part()
        self.buffer: dict[str, list[Any]] = {f.name: [] for f in self.schema}
        self.s_buffer: dict[str, list[Any]] = (
            {f.name: [] for f in self.s_schema} if self.s_schema else {}
        )
        self.errors: list[str] = []
        self.ran = self.failed = 0
        self.t0 = self.last_flush = time.perf_counter()
        self.wall = 0.0

    def take(self, result: dict[str, Any], n: int) -> None:
        """Buffer the result of a batch of ``n`` runs."""
        for k, v in result["runs"].items():
            self.buffer[k].extend(v)
        for k, v in (result["series"] or {}).items():
            self.s_buffer[k].extend(v)
        bad = [e for e in result["runs"]["error"] if e is not None]
        self.failed += len(bad)
        self.errors.extend(bad[: max(0, 5 - len(self.errors))])
        self.ran += n

    def due(self, chunk_size: int, flush_seconds: float) -> bool:
        """Whether a chunk is full, or the last store is ``flush_seconds`` old."""
        return (
            len(self.buffer["run_id"]) >= chunk_size
            or time.perf_counter() - self.last_flush >= flush_seconds
        )

    def flush(self) -> None:
        """Store the buffered runs as the next part."""
        self.last_flush = time.perf_counter()
        if not self.buffer["run_id"]:
            return
        self.store.write_part(
            self.part, self.buffer, self.schema, self.s_buffer or None, self.s_schema
        )
        self.part += 1
        for v in (*self.buffer.values(), *self.s_buffer.values()):
            v.clear()

    def finish(
        self, status: str, started: str, info: dict[str, Any], size: int, n_runs: int
    ) -> tuple[str, OSError | None, dict[str, int]]:
        """Store what is buffered and the session in the manifest, however the session
        ended: the final status, a full disk met on the way (or None), the stored counts."""
        from indopacsim.manifest import package_version

        store = self.store
        full: OSError | None = None
        try:
            self.flush()
        except OSError as exc:
            if not disk_full(exc):
                raise
            status, full = "aborted", exc
        self.wall = time.perf_counter() - self.t0
        counts = store.status_counts()
        stored = counts["ok"] + counts["error"]
        if status == "complete" and stored < n_runs:
            status = "incomplete"
        doc = store.read_manifest()
        session_doc = {
            "started": started,
            "wall_seconds": round(self.wall, 3),
            "executor": info,
            "batch_size": size,
            "ran": self.ran,
            "failed": self.failed,
            "version": package_version(),
            "status": status,
        }
        sessions = [*doc.get("sessions", []), session_doc]
        try:
            store.update_manifest(
                status=status,
                counts={**counts, "stored": stored, "missing": n_runs - stored},
                sessions=sessions,
                wall_seconds=round(sum(s["wall_seconds"] for s in sessions), 3),
            )
        except OSError as exc:
            if not disk_full(exc):
                raise
            full = full or exc
        return status, full, counts


def dispatch(
    handle: Any,
    batches: Iterator[Batch],
    session: Session,
    *,
    chunk_size: int,
    flush_seconds: float,
    progress: Callable[[int], Any] | None,
) -> None:
    """Submit ``batches`` to the executor behind ``handle``, a bounded number in flight,
    and hand their results to ``session`` as they finish.

    Raises:
        SweepAborted: When the executor fails (a run that raises is a result, not this).
    """
    inflight: dict[cf.Future[Any], int] = {}
    exhausted = False
    while True:
        limit = 1 if handle.kind == "serial" else 2 * handle.workers + 2
        while not exhausted and len(inflight) < limit:
            batch = next(batches, None)
            if batch is None:
                exhausted = True
                break
            inflight[handle.executor.submit(run_batch, batch)] = len(batch)
        if not inflight:
            break
        finished, _ = cf.wait(inflight, timeout=flush_seconds, return_when=cf.FIRST_COMPLETED)
        for fut in finished:
            n = inflight.pop(fut)
            try:
                result = fut.result()
            except Exception as exc:
                raise executor_failure(exc, handle) from exc
            session.take(result, n)
            if progress is not None:
                progress(n)
        if session.due(chunk_size, flush_seconds):
            session.flush()
