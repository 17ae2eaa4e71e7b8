"""The sweep's worker: the task each executor runs, a batch of runs of one experiment.

A batch carries what its runs share (:class:`RunSpec`: the base scenario, the parameter
paths, the outcomes) and, per run, its run_id, point, replicate, seed and parameter
values. The worker builds each point's scenario once (``point_scenario(base, point)``:
its parameter set of the calibration, if the sweep has one, then its overrides; kept in
a small per-process cache) and runs its replicates on that same object, so the
model's caches of static terms hit; each run has ``record=False``. A run that raises is
recorded, never propagated: one failing run does not stop the batch.

Every batch runs with the math libraries (OpenBLAS, MKL, OpenMP) pinned to one thread
(threadpoolctl): a sweep's parallelism is its worker processes, and a BLAS pool per
worker would oversubscribe the cores. Process-pool workers also run
:func:`init_worker`, a watchdog that ends the worker when the driver is gone.

This module imports only what a run needs, so worker processes start quickly.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from indopacsim.experiments.outcomes import function_outcomes, run_abm

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Outcome
    from indopacsim.scenario.schema import Scenario

#: Batches a worker keeps point scenarios for; big enough for a batch's points.
_CACHE_SIZE = 128
_SCENARIOS: OrderedDict[tuple[Any, ...], Scenario] = OrderedDict()


#: Seconds between the watchdog's checks on the driver.
WATCHDOG_SECONDS = 0.5
_CONTROLLER: Any = None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in (b"Z", b"X")


def _watch(driver: int, parent: int) -> None:
    while True:
        time.sleep(WATCHDOG_SECONDS)
        if os.getppid() != parent or not _alive(driver):
            os._exit(3)  # the driver is gone: nobody will read our results


def init_worker(driver: int) -> None:
    """Process-pool initializer: pin math libraries to one thread and start a watchdog
    thread that ends this worker as soon as the driver process ``driver`` is gone (or
    this worker's parent, the forkserver, has changed)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    threading.Thread(
        target=_watch, args=(driver, os.getppid()), name="indopacsim-watchdog", daemon=True
    ).start()


def one_thread() -> contextlib.AbstractContextManager[Any]:
    """A context in which BLAS/OpenMP pools use one thread (threadpoolctl)."""
    global _CONTROLLER
    try:
        if _CONTROLLER is None:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController()
        return _CONTROLLER.limit(limits=1)
    except Exception:  # pragma: no cover - threadpoolctl cannot inspect this platform
        return contextlib.nullcontext()


@dataclass(frozen=True)
class RunSpec:
    """What every run of a sweep shares (sent with each batch; small).

    Attributes:
        model: ``indopacsim`` or the name of a function model.
        base: The base scenario (None for a function model).
        base_key: A digest of the base scenario, the cache key of its points.
        columns: Parameter column names, aligned with ``paths``.
        paths: Parameter paths (scenario paths, or function arguments).
        outcomes: The outcomes to keep.
        function: The function of a function model (a module-level function, sent to
            workers by reference).
    """

    model: str
    base: Scenario | None
    base_key: str
    columns: tuple[str, ...]
    paths: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    function: Callable[..., Mapping[str, Any]] | None = None


@dataclass
class Batch:
    """Contiguous runs sent to one worker as one task."""

    spec: RunSpec
    run_id: list[int]
    point_id: list[int]
    replicate: list[int]
    seed: list[int]
    values: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.run_id)


def _point_scenario(spec: RunSpec, values: tuple[Any, ...]) -> Scenario:
    from indopacsim.experiments.calibration_sets import point_scenario

    key = (spec.base_key, values)
    hit = _SCENARIOS.get(key)
    if hit is not None:
        _SCENARIOS.move_to_end(key)
        return hit
    assert spec.base is not None
    scenario = point_scenario(spec.base, dict(zip(spec.paths, values, strict=True)))
    _SCENARIOS[key] = scenario
    if len(_SCENARIOS) > _CACHE_SIZE:
        _SCENARIOS.popitem(last=False)
    return scenario


def run_one(
    spec: RunSpec, values: tuple[Any, ...], seed: int
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Run one point with one seed; return ``(scalar outcomes, series outcomes)``."""
    if spec.base is not None:
        return run_abm(_point_scenario(spec, values), seed, spec.outcomes)
    assert spec.function is not None
    result = spec.function(**dict(zip(spec.paths, values, strict=True)))
    return function_outcomes(result, spec.outcomes), {}


def run_batch(batch: Batch) -> dict[str, Any]:
    """Run a batch (the task each worker executes).

    Every run's exception is caught and recorded (``status="error"``,
    ``error="Type: message"``, outcomes NaN): one failing run never stops the sweep.

    Returns:
        ``{"runs": columns, "series": columns or None}``, plain lists ready for a table.
    """
    spec = batch.spec
    scalars = [o.name for o in spec.outcomes if o.stat != "series"]
    series_names = [o.name for o in spec.outcomes if o.stat == "series"]
    runs: dict[str, list[Any]] = {
        "run_id": list(batch.run_id),
        "point_id": list(batch.point_id),
        "replicate": list(batch.replicate),
        "seed": list(batch.seed),
    }
    for j, col in enumerate(spec.columns):
        runs[col] = [v[j] for v in batch.values]
    runs["status"], runs["error"] = [], []
    for name in scalars:
        runs[name] = []
    series: dict[str, list[Any]] | None = None
    if series_names:
        series = {"run_id": [], "step": [], **{n: [] for n in series_names}}
    with one_thread():
        _run_all(batch, spec, scalars, series_names, runs, series)
    return {"runs": runs, "series": series}


def _run_all(
    batch: Batch,
    spec: RunSpec,
    scalars: list[str],
    series_names: list[str],
    runs: dict[str, list[Any]],
    series: dict[str, list[Any]] | None,
) -> None:
    for run_id, values, seed in zip(batch.run_id, batch.values, batch.seed, strict=True):
        try:
            out, ser = run_one(spec, values, seed)
        except Exception as exc:
            runs["status"].append("error")
            runs["error"].append(f"{type(exc).__name__}: {exc}")
            for name in scalars:
                runs[name].append(math.nan)
            continue
        runs["status"].append("ok")
        runs["error"].append(None)
        for name in scalars:
            runs[name].append(out[name])
        if series is not None:
            length = len(ser[series_names[0]])
            series["run_id"].extend([run_id] * length)
            series["step"].extend(range(length))
            for name in series_names:
                series[name].extend(ser[name])
