"""Executors: one ``concurrent.futures`` interface for serial, process-pool and Dask runs.

The sweep driver only calls ``submit(fn, batch) -> Future`` and
``concurrent.futures.wait``; which machine computes a batch never changes its result,
because every run's seed is fixed before dispatch (DESIGN §5).

- ``serial``: in this process, one batch at a time (debugging, tiny sweeps).
- ``process`` (the default): a local :class:`~concurrent.futures.ProcessPoolExecutor` of
  ``workers`` processes (default: all cores), started with an explicit multiprocessing
  context (``forkserver`` where available, else ``spawn``); the global start method is
  never touched.
- ``dask``: an existing Dask distributed scheduler at ``scheduler`` (``tcp://HOST:PORT``),
  e.g. one started by ``dask-jobqueue`` on a SLURM cluster.
- ``dask-local``: a :class:`distributed.LocalCluster` of ``workers`` single-threaded
  worker processes, started here and closed at the end.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from indopacsim.errors import InputError

ExecutorKind = Literal["serial", "process", "dask", "dask-local"]
EXECUTORS: tuple[str, ...] = ("serial", "process", "dask", "dask-local")


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the OS reports it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class SerialExecutor(cf.Executor):
    """Runs each submitted call at once, in this process; returns a finished future."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        """Call ``fn(*args, **kwargs)`` now and return its outcome as a done future."""
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            fut.set_exception(exc)
        return fut


@dataclass
class ExecutorHandle:
    """An open executor and what the manifest says about it.

    Attributes:
        kind: The executor kind.
        executor: The ``concurrent.futures`` executor batches are submitted to.
        info: Description for the manifest (kind, workers, scheduler address).
    """

    kind: str
    executor: cf.Executor
    info: dict[str, Any]
    _closers: list[Callable[[], Any]] = field(default_factory=list)
    _client: Any = None

    @property
    def workers(self) -> int:
        """Workers now available (a Dask cluster may grow or shrink while it runs)."""
        if self._client is not None:
            try:
                n = len(self._client.scheduler_info()["workers"])
            except Exception:  # pragma: no cover - a scheduler that went away
                n = 0
            return max(1, n)
        return int(self.info.get("workers", 1))

    def close(self, *, cancel: bool = False) -> None:
        """Shut the executor down (``cancel``: drop the batches not yet started)."""
        if isinstance(self.executor, cf.ProcessPoolExecutor):
            self.executor.shutdown(wait=not cancel, cancel_futures=cancel)
        elif not cancel:  # Dask's executor cancels nothing: closing the client does
            self.executor.shutdown(wait=True)
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception:  # pragma: no cover - best effort on the way out
                logging.getLogger(__name__).debug("closing the executor failed", exc_info=True)

    def __enter__(self) -> ExecutorHandle:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(cancel=exc_type is not None)


def _mp_context() -> multiprocessing.context.BaseContext:
    """``forkserver`` (preloading the worker's module, so workers start in milliseconds)
    where the platform has it, else ``spawn``; never the global default context."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["indopacsim.experiments.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


def open_executor(
    kind: str = "process", workers: int | None = None, scheduler: str | None = None
) -> ExecutorHandle:
    """Start an executor.

    Args:
        kind: ``serial`` | ``process`` | ``dask`` | ``dask-local``.
        workers: Worker processes for ``process`` and ``dask-local`` (default: all cores).
        scheduler: Address of the Dask scheduler for ``dask`` (``tcp://HOST:PORT``).

    Returns:
        The open executor; close it (or use it as a context manager) when done.

    Raises:
        InputError: For an unknown kind, a missing scheduler address, or a scheduler
            that cannot be reached.
    """
    if kind not in EXECUTORS:
        raise InputError(f"unknown executor {kind!r}; expected one of {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}", field="--workers")
    if scheduler is not None and kind != "dask":
        raise InputError("--scheduler goes with --executor dask", field="--scheduler")
    n = workers or available_cores()
    if kind == "serial":
        return ExecutorHandle("serial", SerialExecutor(), {"kind": "serial", "workers": 1})
    if kind == "process":
        return _process_executor(n)
    if kind == "dask":
        return _dask_executor(scheduler)
    return _dask_local_executor(n)


def _process_executor(n: int) -> ExecutorHandle:
    """A local process pool of ``n`` workers."""
    from indopacsim.experiments.worker import init_worker

    pool = cf.ProcessPoolExecutor(
        max_workers=n,
        mp_context=_mp_context(),
        initializer=init_worker,
        initargs=(os.getpid(),),
    )
    return ExecutorHandle("process", pool, {"kind": "process", "workers": n})


def _dask_executor(scheduler: str | None) -> ExecutorHandle:
    """A client of the Dask scheduler at ``scheduler``."""
    from distributed import Client

    if not scheduler:
        raise InputError(
            "--executor dask needs --scheduler tcp://HOST:PORT (or use dask-local)",
            field="--scheduler",
        )
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler: {exc}", field="--scheduler") from None
    handle = ExecutorHandle(
        "dask",
        client.get_executor(pure=False),
        {"kind": "dask", "scheduler": scheduler},
        [client.close],
        client,
    )
    handle.info["workers"] = handle.workers
    return handle


def _dask_local_executor(n: int) -> ExecutorHandle:
    """A local Dask cluster of ``n`` single-threaded worker processes, and its client."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    return ExecutorHandle(
        "dask-local",
        client.get_executor(pure=False),
        {"kind": "dask-local", "workers": n},
        [cluster.close, client.close],
        client,
    )
