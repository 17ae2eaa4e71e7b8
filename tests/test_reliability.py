"""Reliability and security (issue 12): no code from data files, limits, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

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
