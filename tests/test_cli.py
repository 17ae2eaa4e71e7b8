"""The command line through :func:`indopacsim.cli.main` (the contract: README.md).

``validate`` and ``run`` exit 0 on success and 2 on bad input, printing exactly one line
on stderr that names the file and the field, never a traceback; ``run`` writes a run
directory (manifest and tidy tables) that is reproducible from its seed.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from indopacsim.cli import build_parser, main
from indopacsim.manifest import package_version
from indopacsim.scenario.io import bundled_scenarios, load_scenario

BUNDLED = bundled_scenarios()
TABLES = ("model", "states", "ties", "events")

#: (id, yaml text, field the error line must name; None: the file alone).
BAD_FILES = [
    ("malformed_yaml", "name: x\nus:\n  reliability: 0.4\n bad: 1\n", "line 4"),
    ("unknown_top_key", "nme: x\n", "nme"),
    ("unknown_nested_key", "us:\n  reliabilty: 0.4\n", "us.reliabilty"),
    ("unknown_state", "states:\n  USA:\n  CHN:\n  XYZ:\n", "states.XYZ"),
    ("out_of_range", "us:\n  reliability: 1.5\n", "us.reliability"),
    (
        "event_after_horizon",
        "events:\n  - {date: 2040-01-01, set: us.reliability, value: 0.3}\n",
        "events[0].date",
    ),
    (
        "event_unknown_path",
        "events:\n  - {date: 2027-01-01, set: us.reliabilty, value: 0.3}\n",
        "events[0].set",
    ),
    (
        "set_value_out_of_range",
        "events:\n  - {date: 2027-01-01, set: us.reliability, value: 1.3}\n",
        "events[0].value",
    ),
    (
        "two_kinds",
        "events:\n  - {date: 2027-01-01, set: us.reliability, value: 0.3, tie: [GBR, JPN],"
        " level: 2}\n",
        "events[0]",
    ),
    ("tie_unknown_state", "ties:\n  set:\n    - [GBR, XYZ, 2]\n", "ties.set[0]"),
    (
        "tie_event_unknown_state",
        "events:\n  - {date: 2027-01-01, tie: [GBR, XYZ], level: 2}\n",
        "events[0].tie",
    ),
    (
        "tie_event_level",
        "events:\n  - {date: 2027-01-01, tie: [GBR, JPN], level: 9}\n",
        "events[0].level",
    ),
    ("missing_extends", "extends: not_there.yaml\n", "extends"),
    ("top_level_list", "- a\n- b\n", None),
    ("unknown_doctrine", "default_doctrine: appease\n", "default_doctrine"),
    (
        "unknown_membership",
        "states:\n  USA:\n  GBR: {memberships: [NATO, Foo]}\n",
        "states.GBR.memberships",
    ),
    ("new_state_incomplete", "states:\n  USA:\n  ZZZ: {lat: 1, lon: 2}\n", "states.ZZZ"),
]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def bundled_file(name: str) -> Path:
    with resources.as_file(
        resources.files("indopacsim").joinpath("scenarios", f"{name}.yaml")
    ) as p:
        return Path(p)


def one_error_line(captured) -> str:
    """The single line a user error prints on stderr."""
    assert "Traceback" not in captured.err
    lines = captured.err.strip("\n").splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("indopacsim: error: ")
    return lines[0]


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in TABLES}


@pytest.fixture(params=BAD_FILES, ids=[c[0] for c in BAD_FILES])
def bad_file(request, tmp_path):
    _, text, field = request.param
    return write(tmp_path, "bad_scenario.yaml", text), field


@pytest.fixture(scope="module")
def seed3_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "seed3"
    assert main(["run", "classroom_small", "--seed", "3", "--out", str(out), "--quiet"]) == 0
    return out


# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize("name", BUNDLED)
def test_validate_every_bundled_file(name, capsys):
    path = bundled_file(name)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.startswith(f"{path}: ok ({name}: ")


def test_validate_several_files_and_names(capsys):
    files = [str(bundled_file(n)) for n in BUNDLED]
    assert main(["validate", *files, "classroom_small"]) == 0
    out = capsys.readouterr()
    assert out.out.count(": ok (") == len(BUNDLED) + 1
    assert "classroom_small: ok (classroom_small: 6 states, 20 steps, 2 events)" in out.out


def test_validate_bad_file(bad_file, capsys):
    path, field = bad_file
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    line = one_error_line(captured)
    assert str(path) in line
    if field is not None:
        assert f"{path}: {field}: " in line
    assert captured.out == ""


def test_validate_reports_each_bad_file_and_still_checks_the_good(tmp_path, capsys):
    bad1 = write(tmp_path, "bad1.yaml", "nme: x\n")
    bad2 = write(tmp_path, "bad2.yaml", "us:\n  reliability: 2\n")
    good = bundled_file("classroom_small")
    assert main(["validate", str(bad1), str(good), str(bad2)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert f"{bad1}: nme: " in errors[0]
    assert f"{bad2}: us.reliability: " in errors[1]
    assert f"{good}: ok" in captured.out


def test_validate_missing_and_circular_files(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main(["validate", str(missing)]) == 2
    assert str(missing) in one_error_line(capsys.readouterr())
    a = write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    assert main(["validate", str(a)]) == 2
    line = one_error_line(capsys.readouterr())
    assert f"{a}: extends: circular extends" in line


# --------------------------------------------------------------------------- run: bad input


def test_run_bad_file(bad_file, tmp_path, capsys):
    path, field = bad_file
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr())
    assert str(path) in line
    if field is not None:
        assert f"{path}: {field}: " in line
    assert not out.exists()


def test_run_missing_file(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main(["run", str(missing), "--quiet"]) == 2
    line = one_error_line(capsys.readouterr())
    assert str(missing) in line


def test_run_set_typo_names_the_field(tmp_path, capsys):
    path = bundled_file("classroom_small")
    out = tmp_path / "out"
    code = main(["run", str(path), "--set", "us.reliabilty=0.4", "--out", str(out), "--quiet"])
    assert code == 2
    line = one_error_line(capsys.readouterr())
    assert f"{path}: us.reliabilty: unknown key" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("assignment", "needle"),
    [
        ("us.reliability=1.4", "us.reliability: "),
        ("states.GBR.doctrine=appease", "states.GBR.doctrine: "),
        ("time.step=week", "time.step: "),
        ("us.reliability", "--set: expected key=value"),
        ("us.reliability=[0.4", "--set: us.reliability: cannot read"),
    ],
)
def test_run_bad_set_values(assignment, needle, tmp_path, capsys):
    code = main(["run", "classroom_small", "--set", assignment, "--out", str(tmp_path / "o")])
    assert code == 2
    assert needle in one_error_line(capsys.readouterr())


# --------------------------------------------------------------------------- run: outputs


def test_run_writes_the_run_directory(seed3_run):
    for name in ("manifest.json", *(f"{t}.parquet" for t in TABLES)):
        assert (seed3_run / name).is_file(), name


def test_run_manifest(seed3_run):
    sc = load_scenario("classroom_small")
    manifest = json.loads((seed3_run / "manifest.json").read_text())
    assert manifest["kind"] == "run"
    assert manifest["scenario"]["name"] == "classroom_small"
    assert manifest["scenario"]["sha256"] == sc.digest()
    assert manifest["scenario"]["codes"] == list(sc.codes)
    assert manifest["seeds"] == [3]
    assert manifest["root_seed"] == 3
    assert manifest["replicates"] == 1
    assert manifest["steps"] == sc.time.horizon == 20
    assert manifest["version"] == package_version()
    assert manifest["parameters"] == sc.model_dump(mode="json")
    assert "--seed 3" in manifest["reproduce"]
    assert manifest["wall_seconds"] >= 0


def test_run_manifest_records_the_command_given_to_main(seed3_run):
    manifest = json.loads((seed3_run / "manifest.json").read_text())
    assert manifest["command"][:4] == ["indopacsim", "run", "classroom_small", "--seed"]


def test_run_tables(seed3_run):
    sc = load_scenario("classroom_small")
    tables = read_tables(seed3_run)
    model = tables["model"]
    assert model["step"].tolist() == list(range(sc.time.horizon + 1))
    states = tables["states"]
    assert len(states) == (sc.time.horizon + 1) * len(sc.codes)
    assert set(states["iso3"]) == set(sc.codes)
    assert (states.groupby("step").size() == len(sc.codes)).all()
    ties = tables["ties"]
    assert (ties["level"] > 0).all()
    assert set(ties["a"]) | set(ties["b"]) <= set(sc.codes)
    events = tables["events"]
    assert events["step"].tolist() == [sc.time.step_of(e.date) for e in sc.events] == [1, 5]
    assert events["note"].tolist() == [e.note for e in sc.events]
    for df in tables.values():
        assert "replicate" not in df.columns


def test_run_is_reproducible_with_a_seed(seed3_run, tmp_path, capsys):
    again, other = tmp_path / "again", tmp_path / "other"
    assert main(["run", "classroom_small", "--seed", "3", "--out", str(again), "--quiet"]) == 0
    assert main(["run", "classroom_small", "--seed", "4", "--out", str(other), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    first, second, third = read_tables(seed3_run), read_tables(again), read_tables(other)
    for t in TABLES:
        assert_frame_equal(first[t], second[t])
    with pytest.raises(AssertionError):
        assert_frame_equal(first["states"], third["states"])
    m1 = json.loads((seed3_run / "manifest.json").read_text())
    m3 = json.loads((other / "manifest.json").read_text())
    assert m1["scenario"]["sha256"] == m3["scenario"]["sha256"]
    assert m3["seeds"] == [4]


def test_run_with_set_records_the_override(tmp_path):
    out = tmp_path / "o"
    argv = ["run", "classroom_small", "--set", "us.reliability=0.3", "--set", "time.horizon=8"]
    assert main([*argv, "--out", str(out), "--quiet"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["us"]["reliability"] == 0.3
    assert manifest["steps"] == 8
    expected = load_scenario("classroom_small", {"us.reliability": 0.3, "time.horizon": 8})
    assert manifest["scenario"]["sha256"] == expected.digest()
    assert pd.read_parquet(out / "model.parquet")["step"].tolist() == list(range(9))


def test_run_prints_a_summary_unless_quiet(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "classroom_small", "--set", "time.horizon=8", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert str(out) in captured.out
    assert "Traceback" not in captured.err


def test_run_replicates(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["run", "classroom_small", "--replicates", "3", "--set", "time.horizon=8"])
    assert code == 0
    capsys.readouterr()
    code = main(["run", "classroom_small", "--replicates", "3", "--quiet", "--seed", "1"])
    assert code == 0
    assert capsys.readouterr().out == ""
    out = tmp_path / "runs" / "classroom_small_seed1_r3"
    tables = read_tables(out)
    manifest = json.loads((out / "manifest.json").read_text())
    seeds = manifest["seeds"]
    assert manifest["replicates"] == 3
    assert len(set(seeds)) == 3
    for name, df in tables.items():
        assert {"replicate", "seed"} <= set(df.columns), name
    for name in ("model", "states"):
        df = tables[name]
        assert sorted(df["replicate"].unique()) == [0, 1, 2]
        pairs = df[["replicate", "seed"]].drop_duplicates().sort_values("replicate")
        assert pairs["seed"].tolist() == seeds
    model = tables["model"]
    for _, group in model.groupby("replicate"):
        assert group["step"].tolist() == list(range(21))
    states = tables["states"]
    per_rep = [g.drop(columns=["replicate", "seed"]) for _, g in states.groupby("replicate")]
    assert not per_rep[0].reset_index(drop=True).equals(per_rep[1].reset_index(drop=True))


# --------------------------------------------------------------------------- help


def subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def test_the_documented_subcommands_exist():
    assert {"run", "validate"} <= set(subcommands())


@pytest.mark.parametrize("command", subcommands())
def test_help_of_each_subcommand(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: indopacsim {command}")


def test_top_level_help_and_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "run" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert package_version() in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys):
    for argv in (["run", "--seed", "-1"], ["run", "--replicates", "0"], [], ["nosuchcommand"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        assert "Traceback" not in capsys.readouterr().err


def test_landscape_bundled_case_and_json(capsys):
    import json

    assert main(["landscape", "europe_1936", "--json", "--top", "2"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"minima", "frustration", "misplaced"}
    energies = [m["energy"] for m in doc["minima"]]
    assert energies == sorted(energies)
    assert isinstance(doc["misplaced"], int)


def test_landscape_bridge_on_a_scenario(capsys):
    import json

    assert main(["landscape", "classroom_small", "--at", "2027-06-30", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["step"] == 6
    assert {s["iso3"] for s in doc["states"]} == {"USA", "CHN", "RUS", "GBR", "JPN", "AUS"}
    assert 0 <= doc["agreement"] <= 6
    sides = doc["minima"][0]["sides"]
    assert sorted(c for side in sides for c in side) == sorted(s["iso3"] for s in doc["states"])


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["landscape", "classroom_small"], "--at"),
        (["landscape", "classroom_small", "--at", "2040-01-01"], "outside the horizon"),
        (["landscape", "classroom_small", "--at", "tomorrow"], "YYYY-MM-DD"),
        (["landscape", "europe_1936", "--at", "1936-01-01"], "--at"),
    ],
)
def test_landscape_bad_input_exits_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            "actors: [{name: A, size: 1}, {name: B, size: 1}]\n"
            "propensities: [[A, B, 1], [B, A, 2]]\n",
            "propensities",
        ),
        (
            "actors: [{name: A, size: 1}, {name: B, size: 1}, {name: C, size: 1}]\n"
            "propensities: [[A, B, 1]]\n",
            "propensities",
        ),
        (
            "actors: [{name: A, size: 1}, {name: B, size: 1}]\npropensities: [[A, Z, 1]]\n",
            "propensities",
        ),
        ("actors: [{name: A, size: 0}, {name: B, size: 1}]\npropensities: [[A, B, 1]]\n", "size"),
    ],
    ids=["asymmetric", "incomplete", "unknown_actor", "size_not_positive"],
)
def test_landscape_bad_case_exits_2_naming_the_field(tmp_path, capsys, body, field):
    path = tmp_path / "case.yaml"
    path.write_text("kind: landscape\nname: bad\n" + body)
    assert main(["landscape", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(path) in err and field in err and "\n" not in err


def test_landscape_too_many_actors_needs_heuristic(tmp_path, capsys):
    names = [f"S{i}" for i in range(26)]
    actors = ", ".join(f"{{name: {n}, size: 1}}" for n in names)
    pairs = "\n".join(f"  - [{a}, {b}, 1]" for i, a in enumerate(names) for b in names[i + 1 :])
    path = tmp_path / "big.yaml"
    path.write_text(f"kind: landscape\nname: big\nactors: [{actors}]\npropensities:\n{pairs}\n")
    assert main(["landscape", str(path)]) == 2
    assert "heuristic" in capsys.readouterr().err
    assert main(["landscape", str(path), "--heuristic", "--json"]) == 0
