"""Fuzz every reader of user files (issue 12): any bytes, any YAML, mutations of the
shipped files, alias bombs, deep nesting, huge designs. Each input ends in a result or
one InputError line naming the file (and the field where there is one); never another
exception, a hang or a memory blow-up. Fixed, small, derandomized budgets."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import short_run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indopacsim.cli import main
from indopacsim.dirs import check_run_dir, check_sweep_dir
from indopacsim.errors import InputError
from indopacsim.experiments.spec import load_experiment
from indopacsim.landscape.case import load_case
from indopacsim.scenario.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "src/indopacsim/scenarios/uk_japan_2026.yaml"
CASE = ROOT / "src/indopacsim/scenarios/landscape/europe_1936.yaml"
EXPERIMENT = ROOT / "experiments/reliability_x_pressure.yaml"
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

READERS: dict[str, Callable[[Path], Any]] = {
    "scenario": load_scenario,
    "experiment": load_experiment,
    "case": load_case,
}
SHIPPED = {"scenario": SCENARIO, "experiment": EXPERIMENT, "case": CASE}


def check(reader: Callable[[Path], Any], path: Path) -> InputError | None:
    """Run a reader: a result, or an InputError on one line naming the file."""
    try:
        reader(path)
    except InputError as exc:
        line = exc.one_line()
        assert "\n" not in line and len(line) < 2000, line
        assert exc.file is not None and str(path) in line, line
        return exc
    return None


def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fuzz-"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
keys_of = {
    "scenario": ["name", "time", "us", "china", "states", "events", "extends", "weights"],
    "experiment": [
        "name",
        "model",
        "scenario",
        "uncertainties",
        "levers",
        "design",
        "replications",
        "outcomes",
        "horizon",
        "seed",
    ],
    "case": ["kind", "name", "actors", "propensities", "observed", "scale"],
}


@pytest.mark.parametrize("kind", sorted(READERS))
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(kind: str, data: bytes):
    d = _workdir()
    try:
        path = d / f"{kind}.yaml"
        path.write_bytes(data)
        check(READERS[kind], path)
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("kind", sorted(READERS))
@FUZZ
@given(doc=documents, top=st.dictionaries(st.sampled_from(["k"]), documents, max_size=1))
def test_random_yaml_documents(kind: str, doc: Any, top: dict[str, Any]):
    d = _workdir()
    try:
        path = d / f"{kind}.yaml"
        mapping = {k: doc for k in keys_of[kind][:3]} if isinstance(doc, dict) else doc
        path.write_text(yaml.safe_dump(mapping if top else doc, allow_unicode=True))
        check(READERS[kind], path)
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("kind", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_mutations_of_the_shipped_files(kind: str, data: st.DataObject):
    original = SHIPPED[kind].read_bytes()
    edits = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(["flip", "delete", "insert", "cut"]),
                st.integers(0, len(original) - 1),
                st.binary(min_size=1, max_size=4),
            ),
            min_size=1,
            max_size=3,
        )
    )
    text = bytearray(original)
    for op, at, blob in edits:
        at = min(at, max(0, len(text) - 1))
        if op == "flip" and text:
            text[at] ^= blob[0] or 1
        elif op == "delete":
            del text[at : at + len(blob) * 8]
        elif op == "insert":
            text[at:at] = blob
        else:
            del text[at:]
    d = _workdir()
    try:
        path = d / SHIPPED[kind].name
        path.write_bytes(bytes(text))
        if kind == "experiment":  # the scenario it names, next to it
            pass
        check(READERS[kind], path)
    finally:
        shutil.rmtree(d)


BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


@pytest.mark.parametrize("kind", sorted(READERS))
@pytest.mark.parametrize(
    "text,field",
    [
        (BOMB, "line"),
        ("name: x\ndesign: {kind: " + "[" * 5000 + "]" * 5000 + "}\n", "line"),
        ("a: " + "- " * 300 + "x\n", "line"),
        ("a: &r [*r]\n", "line"),
        ("name: x\nreplications: .inf\n", "replications"),
        ("name: x\nseed: 1e999\nhorizon: .nan\n", None),
        ("a: !!python/object/apply:os.system ['touch /tmp/indopacsim-pwned']\n", "line"),
    ],
)
def test_alias_bombs_deep_nesting_and_non_finite_numbers(tmp_path: Path, kind, text, field):
    path = tmp_path / "f.yaml"
    path.write_text(text)
    exc = check(READERS[kind], path)
    assert exc is not None
    if field is not None:
        assert exc.field is not None and exc.field.startswith(field), exc.one_line()
    assert not Path("/tmp/indopacsim-pwned").exists()


@pytest.mark.parametrize("kind", sorted(READERS))
def test_special_files_and_bad_encodings(tmp_path: Path, kind: str):
    import os

    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert "not a regular file" in str(check(READERS[kind], fifo))
    # a scenario reference that is a directory is looked up as a bundled name
    special = ("no such file or bundled scenario",) if kind == "scenario" else ()
    assert any(w in str(check(READERS[kind], tmp_path)) for w in ("a directory", *special))
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in str(check(READERS[kind], bad))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (9 * 1024 * 1024))
    assert "limit" in str(check(READERS[kind], big))


HUGE = [
    ("latin_hypercube", "design: {kind: latin_hypercube, samples: 1000000000000}", "design"),
    ("sobol", "design: {kind: sobol, samples: 1099511627776}", "design"),
    ("morris", "design: {kind: morris, samples: 100000000}", "design"),
    ("morris_minutes", "design: {kind: morris, samples: 240000}", "design"),
    ("replications", "replications: 1000000000000", "replications"),
    ("resolution", "design: {kind: full_factorial, resolution: 1000000}", "design"),
]


@pytest.mark.parametrize("name,line,field", HUGE, ids=[h[0] for h in HUGE])
def test_huge_designs_are_refused_with_their_size_before_sampling(
    tmp_path, capsys, name, line, field
):
    path = tmp_path / "big.yaml"
    path.write_text(
        "name: big\nmodel: ishigami\n"
        "uncertainties:\n  - {path: x1, range: [0, 1]}\n  - {path: x2, range: [0, 1]}\n"
        "  - {path: x3, range: [0, 1]}\n" + line + "\noutcomes: [{name: y}]\n"
    )
    code = main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"{path}: {field}: the design makes" in err and "limit" in err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------- directories
@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sw") / "s"
    exp = out.parent / "f.yaml"
    exp.write_text(
        "name: f\nmodel: fragile\nuncertainties:\n  - {path: x, levels: [0.1, 0.2]}\n"
        "outcomes: [{name: y}]\n"
    )
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return short_run(tmp_path_factory.mktemp("rn") / "r")


FILES = ["manifest.json", "points.parquet", "plan.parquet", "runs/part-00000.parquet"]


@pytest.mark.parametrize("target", FILES)
@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_in_a_sweep_dir(sweep_dir: Path, target: str, data: bytes):
    _damaged_copy(sweep_dir, target, data, check_sweep_dir)


@pytest.mark.parametrize("target", ["manifest.json", "model.parquet", "ties.parquet"])
@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes_in_a_run_dir(run_dir: Path, target: str, data: bytes):
    _damaged_copy(run_dir, target, data, check_run_dir)


def _damaged_copy(src: Path, target: str, data: bytes, checker: Any) -> None:
    """Copy a result directory, overwrite one file with ``data`` and run ``checker``."""
    d = _workdir() / src.name
    try:
        shutil.copytree(src, d)
        (d / target).write_bytes(data)
        check(checker, d)
    finally:
        shutil.rmtree(d.parent)


@FUZZ
@given(doc=documents)
def test_random_json_manifests(sweep_dir: Path, doc: Any):
    import json

    d = _workdir() / "s"
    try:
        shutil.copytree(sweep_dir, d)
        original = json.loads((d / "manifest.json").read_text())
        if isinstance(doc, dict):
            original.update({k: doc for k in ("levers", "outcomes", "design")[: len(doc) % 4]})
            doc = original
        (d / "manifest.json").write_text(json.dumps(doc))
        check(check_sweep_dir, d)
    finally:
        shutil.rmtree(d.parent)
