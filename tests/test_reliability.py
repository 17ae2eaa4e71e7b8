"""Reliability and security (issue 12): no code from data files, limits, clear errors."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import short_run, small_experiment, small_tmpfs

from indopacsim.cli import main
from indopacsim.errors import InputError
from indopacsim.experiments.spec import Experiment, load_experiment

FUNCTION_EXP = """\
name: evil
model: {model}
uncertainties:
  - {{path: command, levels: ["touch {marker}"]}}
outcomes: [{{name: y}}]
"""


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "model", ["os:system", "subprocess:getoutput", "builtins:exec", "indopacsim.cli:main", "os"]
)
def test_an_experiment_cannot_name_a_python_function(tmp_path: Path, capsys, model: str):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(FUNCTION_EXP.format(model=model, marker=marker))
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--executor", "serial"])
    assert code == 2
    line = one_error_line(capsys)
    assert f"{path}: model: unknown model" in line
    assert not marker.exists()
    assert not (tmp_path / "out").exists()


def test_registered_function_models_and_an_explicit_one(tmp_path: Path):
    exp = Experiment.from_text(
        "name: i\nmodel: ishigami\nuncertainties:\n"
        "  - {path: x1, levels: [0.0]}\n  - {path: x2, levels: [0.0]}\n"
        "  - {path: x3, levels: [0.0]}\noutcomes: [{name: y}]\n"
    )
    assert exp.function()(x1=0.0, x2=0.0, x3=0.0) == {"y": 0.0}
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: m\nmodel: mine\nuncertainties:\n  - {path: x, levels: [1, 2]}\n"
        "outcomes: [{name: y}]\n"
    )
    with pytest.raises(InputError, match="unknown model 'mine'"):
        load_experiment(path)
    exp = load_experiment(path, models={"mine": _double})
    assert exp.function() is _double


def _double(x: float) -> dict[str, float]:
    return {"y": 2.0 * x}


def test_the_cli_model_flag_allows_a_function(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: m\nmodel: mine\nuncertainties:\n  - {path: x, levels: [0.1, 0.2]}\n"
        "outcomes: [{name: y}]\n"
    )
    out = tmp_path / "out"
    args = ["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]
    assert main([*args, "--model", "mine=indopacsim.experiments.reference_models:fragile"]) == 0


# ---------------------------------------------------------------------------- sweeps
SMALL = small_experiment(16)

FUNC = """\
name: func
model: fragile
uncertainties:
  - {path: x, range: [0.0, 0.4], resolution: 10}
replications: 4
outcomes: [{name: y}]
"""


def sweep_cmd(exp: Path, out: Path, *extra: str) -> list[str]:
    return ["sweep", str(exp), "--out", str(out), "--quiet", *extra]


def tables(out: Path):
    from indopacsim.experiments.store import SweepStore

    store = SweepStore(out)
    return store.read_runs(), store.read_series()


def test_a_second_process_is_refused_while_the_first_holds_the_sweep(tmp_path: Path, capsys):
    from indopacsim.experiments.store import SweepLock

    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    out = tmp_path / "out"
    assert main(sweep_cmd(exp, out, "--executor", "serial")) == 0
    holder = SweepLock(out)
    holder.acquire()
    try:
        assert main(sweep_cmd(exp, out, "--executor", "serial", "--resume")) == 2
        line = one_error_line(capsys)
        assert f"{out}: is in use by another indopacsim process (pid {os.getpid()}" in line
    finally:
        holder.release()
    assert main(sweep_cmd(exp, out, "--executor", "serial", "--resume")) == 0


def test_two_resumes_at_once_one_proceeds_every_run_once(tmp_path: Path):
    exp = tmp_path / "small.yaml"
    exp.write_text(SMALL)
    out = tmp_path / "out"
    base = [sys.executable, "-m", "indopacsim.cli"]
    first = subprocess.run(
        [*base, *sweep_cmd(exp, out, "--executor", "serial")], capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    # remove half the parts, then resume twice at once
    parts = sorted((out / "runs").glob("part-*.parquet"))
    for p in parts:
        p.unlink()
    for p in (out / "series").glob("part-*.parquet"):
        p.unlink()
    cmd = [*base, *sweep_cmd(exp, out, "--executor", "serial", "--resume", "--chunk-size", "2")]
    procs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs if p.stderr]
    codes = sorted(c for c, _ in results)
    assert codes == [0, 2], results
    refused = next(err for c, err in results if c == 2)
    assert "is in use by another indopacsim process" in refused
    assert len(refused.strip().splitlines()) == 1
    runs, _ = tables(out)
    assert list(runs["run_id"]) == list(range(32))


def _corrupt_last_part(out: Path, how: str) -> Path:
    last = sorted((out / "runs").glob("part-*.parquet"))[-1]
    data = last.read_bytes()
    if how == "truncated":
        last.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        last.write_bytes(b"")
    elif how == "garbled":
        last.write_bytes(bytes(b ^ 0x5A for b in data))
    elif how == "copied":
        first = sorted((out / "runs").glob("part-*.parquet"))[0]
        (out / "runs" / "part-99999.parquet").write_bytes(first.read_bytes())
        return out / "runs" / "part-99999.parquet"
    return last


@pytest.mark.parametrize("how", ["truncated", "empty", "garbled", "copied"])
def test_a_corrupt_part_is_named_then_redone_on_resume(tmp_path: Path, capsys, how: str):
    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(sweep_cmd(exp, ref, "--executor", "serial")) == 0
    assert (
        main(sweep_cmd(exp, out, "--executor", "serial", "--chunk-size", "7", "--batch-size", "7"))
        == 0
    )
    bad = _corrupt_last_part(out, how)
    capsys.readouterr()
    assert main(["analyze", str(out), "--quiet"]) == 2
    line = one_error_line(capsys)
    assert str(bad.parent) in line or str(out / "runs") in line
    assert main(sweep_cmd(exp, out, "--executor", "serial", "--resume")) == 0
    assert any((out / "corrupt").iterdir())
    pd.testing.assert_frame_equal(tables(out)[0], tables(ref)[0])
    assert main(["analyze", str(out), "--quiet"]) == 0


def test_a_sweep_killed_while_starting_resumes_and_leaves_no_temp_file(tmp_path: Path):
    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").write_text("pid 1 on elsewhere\n")
    (out / ".manifest.json.abc123.tmp").write_text('{"kind": "sw')
    (out / ".indopacsim-probe-99999").write_text("x")  # the writability probe
    assert main(sweep_cmd(exp, out, "--executor", "serial", "--resume")) == 0
    (out / "runs" / ".part-00007.parquet.x1.tmp").write_bytes(b"PAR1")
    (out / ".points.parquet.y2.tmp").write_bytes(b"PAR1")
    assert main(sweep_cmd(exp, out, "--executor", "serial", "--resume")) == 0
    assert not [p for p in out.rglob("*.tmp")]
    assert not list(out.glob(".indopacsim-probe-*"))


def test_a_manifest_that_is_not_an_object_is_one_line(tmp_path: Path, capsys):
    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    out = tmp_path / "out"
    assert main(sweep_cmd(exp, out, "--executor", "serial")) == 0
    (out / "manifest.json").write_text("[1, 2]")
    for args in (
        ["analyze", str(out)],
        ["plot", str(out)],
        sweep_cmd(exp, out, "--executor", "serial", "--resume"),
    ):
        assert main(args) == 2
        assert "manifest.json: unreadable manifest" in one_error_line(capsys)


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _gone(pids: list[int], timeout: float = 15.0) -> list[int]:
    import psutil

    deadline = time.monotonic() + timeout
    alive = pids
    while time.monotonic() < deadline:
        alive = [
            p
            for p in pids
            if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
        ]
        if not alive:
            return []
        time.sleep(0.2)
    return alive


def test_kills_at_random_moments_then_resume_give_the_uninterrupted_tables(tmp_path: Path):
    """SIGKILL a process-pool sweep at random moments (seeded), corrupt the last part,
    resume: every run once, tables equal to a serial sweep, no temp file, no orphan."""
    import random

    exp = tmp_path / "small.yaml"
    exp.write_text(SMALL)
    ref, out = tmp_path / "ref", tmp_path / "out"
    assert main(sweep_cmd(exp, ref, "--executor", "serial")) == 0
    rng = random.Random(12)
    cmd = [
        sys.executable,
        "-m",
        "indopacsim.cli",
        *sweep_cmd(
            exp,
            out,
            "--executor",
            "process",
            "--workers",
            "2",
            "--batch-size",
            "1",
            "--chunk-size",
            "2",
            "--resume",
        ),
    ]
    orphans: list[int] = []
    for _ in range(4):
        proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + rng.uniform(0.5, 3.5)
        seen: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            seen |= set(_children(proc.pid))
            time.sleep(0.05)
        seen |= set(_children(proc.pid))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        orphans += _gone(sorted(seen))
        if (out / "runs").is_dir() and list((out / "runs").glob("part-*.parquet")):
            _corrupt_last_part(out, "truncated")
    assert not orphans, f"processes left behind: {orphans}"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    runs, series = tables(out)
    ref_runs, ref_series = tables(ref)
    pd.testing.assert_frame_equal(runs, ref_runs)
    pd.testing.assert_frame_equal(series, ref_series)
    assert not [p for p in out.rglob("*.tmp")]


# ---------------------------------------------------------------------------- run --out
def test_run_out_refuses_files_empty_names_and_earlier_runs(tmp_path: Path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    base = ["run", "uk_japan_2026", "--set", "time.horizon=4", "--no-plots", "--quiet"]
    assert main([*base, "--out", str(a_file)]) == 2
    assert "is a file" in one_error_line(capsys)
    assert main([*base, "--out", str(a_file / "below")]) == 2
    assert "is below" in one_error_line(capsys)
    with pytest.raises(SystemExit) as exc:
        main([*base, "--out", ""])
    assert exc.value.code == 2
    capsys.readouterr()
    out = tmp_path / "run"
    assert main([*base, "--out", str(out)]) == 0
    assert main([*base, "--out", str(out)]) == 2
    assert "--force" in one_error_line(capsys)
    assert main([*base, "--out", str(out), "--force"]) == 0


def test_run_out_in_a_read_only_place(tmp_path: Path, capsys, monkeypatch):
    ro = tmp_path / "ro"
    with small_tmpfs(ro, "size=1m,ro") as mounted:
        if not mounted:  # a read-only directory: modes bind everyone but root
            ro.chmod(0o555)
            if os.access(ro, os.W_OK):  # root without mount: the write fails by injection
                from indopacsim.safeio import files

                def read_only(*args, **kwargs):
                    raise OSError(errno.EROFS, "Read-only file system", str(ro))

                monkeypatch.setattr(files, "open", read_only, raising=False)
        args = ["run", "uk_japan_2026", "--set", "time.horizon=4", "--no-plots", "--quiet"]
        code = main([*args, "--out", str(ro / "x")])
        assert code == 2
        assert "cannot write here" in one_error_line(capsys)
        if not mounted:
            ro.chmod(0o755)  # let pytest clean up


# ---------------------------------------------------------------------------- damaged dirs
@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    return short_run(tmp_path_factory.mktemp("run") / "r")


@pytest.mark.parametrize(
    "damage",
    [
        "no_events",
        "empty_ties",
        "truncated_states",
        "wrong_columns",
        "manifest_list",
        "manifest_garbled",
        "kind_missing",
    ],
)
def test_plot_refuses_a_damaged_run_dir(tmp_path: Path, capsys, good_run: Path, damage: str):
    import shutil

    d = tmp_path / "r"
    shutil.copytree(good_run, d)
    if damage == "no_events":
        (d / "events.parquet").unlink()
    elif damage == "empty_ties":
        (d / "ties.parquet").write_bytes(b"")
    elif damage == "truncated_states":
        data = (d / "states.parquet").read_bytes()
        (d / "states.parquet").write_bytes(data[:100])
    elif damage == "wrong_columns":
        pd.DataFrame({"x": [1]}).to_parquet(d / "model.parquet")
    elif damage == "manifest_list":
        (d / "manifest.json").write_text("[]")
    elif damage == "manifest_garbled":
        (d / "manifest.json").write_bytes(b"\xff\xfe{")
    elif damage == "kind_missing":
        (d / "manifest.json").write_text("{}")
    assert main(["plot", str(d), "--quiet"]) == 2
    assert str(d) in one_error_line(capsys)


@pytest.mark.parametrize(
    "damage", ["no_runs", "no_points", "no_levers", "no_outcomes", "plan_garbled"]
)
def test_analyze_and_plot_refuse_a_damaged_sweep_dir(tmp_path: Path, capsys, damage: str):
    import json

    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    out = tmp_path / "out"
    assert main(sweep_cmd(exp, out, "--executor", "serial")) == 0
    doc = json.loads((out / "manifest.json").read_text())
    if damage == "no_runs":
        for p in (out / "runs").iterdir():
            p.unlink()
    elif damage == "no_points":
        (out / "points.parquet").unlink()
    elif damage in ("no_levers", "no_outcomes"):
        del doc[damage.removeprefix("no_")]
        (out / "manifest.json").write_text(json.dumps(doc))
    elif damage == "plan_garbled":
        (out / "plan.parquet").write_bytes(b"PAR1garbage")
    for cmd in ("analyze", "plot"):
        assert main([cmd, str(out), "--quiet"]) == 2
        assert str(out) in one_error_line(capsys)


def test_a_table_design_whose_file_is_a_fifo_is_refused_at_once(tmp_path: Path, capsys):
    os.mkfifo(tmp_path / "points.csv")
    path = tmp_path / "t.yaml"
    path.write_text(
        "name: t\nmodel: fragile\nuncertainties:\n  - {path: x, range: [0, 1]}\n"
        "design: {kind: table, file: points.csv}\noutcomes: [{name: y}]\n"
    )
    assert main(sweep_cmd(path, tmp_path / "out", "--executor", "serial")) == 2
    line = one_error_line(capsys)
    assert "design.file" in line and "not a regular file" in line


def test_two_fresh_sweeps_into_one_directory_cannot_run_together(tmp_path: Path, capsys):
    from indopacsim.experiments.sweep import prepare_sweep

    exp = tmp_path / "f.yaml"
    exp.write_text(FUNC)
    out = tmp_path / "out"
    job = prepare_sweep(load_experiment(exp), out)  # holds the lock, has not run yet
    try:
        assert main(sweep_cmd(exp, out, "--executor", "serial")) == 2
        assert "is in use by another indopacsim process" in one_error_line(capsys)
    finally:
        job.close()
    assert not out.exists()  # the first made it and never wrote it: removed on close
    assert main(sweep_cmd(exp, out, "--executor", "serial")) == 0


def test_plot_and_landscape_out_places_and_directories(tmp_path: Path, capsys, good_run: Path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert main(["plot", str(good_run), "--out", str(a_file), "--quiet"]) == 2
    assert "--out: is a file" in one_error_line(capsys)
    assert main(["plot", str(tmp_path / "missing"), "--quiet"]) == 2
    assert "no such directory" in one_error_line(capsys)
    assert main(["landscape", str(tmp_path)]) == 2
    assert str(tmp_path) in one_error_line(capsys)
