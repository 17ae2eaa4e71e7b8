"""Reliability against the environment (issue 12): a full disk, a lost Dask worker, a lost
Dask scheduler. Real processes and a real filesystem where the machine allows (root can
mount a small tmpfs); elsewhere the disk fills by fault injection at the store's writes."""

from __future__ import annotations

import errno
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import small_experiment, small_tmpfs

from indopacsim.cli import main
from indopacsim.experiments.store import SweepStore

FUNC = """\
name: func
model: fragile
uncertainties:
  - {path: x, range: [0.0, 0.4], resolution: 20}
replications: 4
outcomes: [{name: y}]
"""

SMALL = small_experiment(24)


def _fill_by_injection(monkeypatch) -> None:
    """Every write of a result part after the first raises ENOSPC, as a full disk does."""
    from indopacsim.experiments import store

    real = store.atomic_write_bytes
    written: list[Path] = []

    def full(path, data, *args, **kwargs):
        if "runs" in Path(path).parts and written:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(Path(path))
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(store, "atomic_write_bytes", full)


def test_a_full_disk_is_one_line_and_resume_completes(tmp_path: Path, capsys, monkeypatch):
    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    ref = tmp_path / "ref"
    assert main(["sweep", str(exp), "--out", str(ref), "--executor", "serial", "--quiet"]) == 0
    with small_tmpfs(tmp_path / "small_fs", "size=4m") as mounted:
        disk = tmp_path / "small_fs"
        filler = disk / "filler"
        if mounted:
            filler.write_bytes(b"\0" * (shutil.disk_usage(disk).free - 48 * 1024))
        else:
            _fill_by_injection(monkeypatch)
        out = disk / "sweep"
        args = ["sweep", str(exp), "--out", str(out), "--executor", "serial", "--quiet"]
        code = main([*args, "--batch-size", "1", "--chunk-size", "1"])
        err = capsys.readouterr().err.strip()
        assert code == 1, err
        assert len(err.splitlines()) == 1 and "Traceback" not in err
        assert "no space left on the device" in err and "rerun with --resume" in err
        if mounted:
            filler.unlink()
        else:
            monkeypatch.undo()
        assert main([*args, "--resume"]) == 0
        pd.testing.assert_frame_equal(SweepStore(out).read_runs(), SweepStore(ref).read_runs())
        assert not list(out.rglob("*.tmp"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _dask(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for_parts(out: Path, n: int, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((out / "runs").glob("part-*.parquet"))) >= n:
            return
        time.sleep(0.1)


@pytest.fixture
def dask_cluster():
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        _dask("scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address", ":0")
    ]
    time.sleep(2.0)
    for _ in range(2):
        procs.append(_dask("worker", address, "--nthreads", "1", "--no-nanny"))
    time.sleep(3.0)
    yield address, procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def _dask_sweep(tmp_path: Path, address: str) -> tuple[subprocess.Popen[str], Path, Path]:
    """A serial reference sweep, then the same sweep on the cluster, once two parts exist."""
    exp = tmp_path / "small.yaml"
    exp.write_text(SMALL)
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(["sweep", str(exp), "--out", str(ref), "--executor", "serial", "--quiet"]) == 0
    cmd = [sys.executable, "-m", "indopacsim.cli", "sweep", str(exp), "--out", str(out)]
    cmd += ["--executor", "dask", "--scheduler", address, "--batch-size", "1"]
    cmd += ["--chunk-size", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    _wait_for_parts(out, 2, proc)
    return proc, ref, out


def test_a_killed_dask_worker_loses_nothing(tmp_path: Path, dask_cluster):
    address, procs = dask_cluster
    proc, ref, out = _dask_sweep(tmp_path, address)
    procs[2].kill()  # one of the two workers
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    store, ref_store = SweepStore(out), SweepStore(ref)
    pd.testing.assert_frame_equal(store.read_runs(), ref_store.read_runs())
    pd.testing.assert_frame_equal(store.read_series(), ref_store.read_series())


def test_a_lost_dask_scheduler_is_one_line_then_resume_completes(tmp_path: Path, dask_cluster):
    address, procs = dask_cluster
    proc, ref, out = _dask_sweep(tmp_path, address)
    procs[0].kill()  # the scheduler
    _, err = proc.communicate(timeout=300)
    lines = err.strip().splitlines()
    assert proc.returncode == 1, err
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "lost the Dask scheduler" in lines[0] and "rerun with --resume" in lines[0]
    resume = subprocess.run(
        [
            sys.executable,
            "-m",
            "indopacsim.cli",
            "sweep",
            str(tmp_path / "small.yaml"),
            "--out",
            str(out),
            "--executor",
            "serial",
            "--resume",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resume.returncode == 0, resume.stderr
    pd.testing.assert_frame_equal(SweepStore(out).read_runs(), SweepStore(ref).read_runs())


def test_quiet_dask_logs_reaches_the_child_loggers_dask_configures():
    """Dask sets ``tornado.application`` to ERROR on import; a lost scheduler logs a
    traceback there (seen in CI). The CLI must raise that child too, not only the roots."""
    import logging

    from indopacsim.commands import quiet_dask_logs

    saved = {n: logging.getLogger(n).level for n in ("tornado.application", "distributed")}
    try:
        quiet_dask_logs()
        for name in ("tornado.application", "distributed.client", "distributed", "asyncio"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.CRITICAL, name
    finally:
        for n, level in saved.items():
            logging.getLogger(n).setLevel(level)
