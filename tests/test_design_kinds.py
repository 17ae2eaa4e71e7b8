"""Contract tests every registered design kind and every sweep figure kind inherits.
(:data:`indopacsim.experiments.designs.DESIGNS`, :data:`indopacsim.figures.sweep.FIGURES`).

As the Axelrod library does for strategies: a kind registered in
:mod:`indopacsim.experiments.designs` is tested here without a line of its own, through
the whole chain (experiment file, points, sweep, analysis, figures) on a function model.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import yaml

from indopacsim.errors import InputError
from indopacsim.experiments.analysis import analyze_sweep
from indopacsim.experiments.designs import DESIGNS, DesignKind, design_kind, design_points
from indopacsim.experiments.spec import DesignKind as DesignKindName
from indopacsim.experiments.spec import Experiment
from indopacsim.experiments.sweep import run_sweep
from indopacsim.figures.sweep import FIGURES, SWEEP_KINDS, Sweep

KINDS = sorted(DESIGNS)
PI = 3.141592653589793


def experiment(design: dict, tmp_path: Path) -> Experiment:
    doc = {
        "name": "contract",
        "model": "ishigami",
        "uncertainties": [{"path": f"x{k}", "range": [-PI, PI]} for k in (1, 2, 3)],
        "design": design,
        "seed": 7,
        "outcomes": [{"name": "y"}],
    }
    return Experiment.from_text(yaml.safe_dump(doc), tmp_path / "contract.yaml")


def test_registry_matches_the_schema():
    assert set(DESIGNS) == set(typing.get_args(DesignKindName))
    with pytest.raises(KeyError, match="known: "):
        design_kind("grid")


@pytest.mark.parametrize("kind", KINDS)
def test_kind_is_registered_under_its_name(kind):
    dk = DESIGNS[kind]
    assert isinstance(dk, DesignKind) and dk.name == kind
    assert dk.summary and type(dk).__doc__
    assert dk.example.get("kind") == kind
    assert bool(dk.index_columns) == bool(dk.index_title) == bool(dk.index_caption)


@pytest.mark.parametrize("kind", KINDS)
def test_example_gives_reproducible_points(kind, tmp_path):
    exp = experiment(DESIGNS[kind].example, tmp_path)
    a, b = design_points(exp), design_points(exp)
    assert list(a.columns) == ["point_id", "sample_id", "x1", "x2", "x3"]
    assert len(a) >= 2 and list(a["point_id"]) == list(range(len(a)))
    assert a.equals(b)


@pytest.mark.parametrize("kind", KINDS)
def test_refuses_settings_of_another_kind(kind, tmp_path):
    design = dict(DESIGNS[kind].example)
    if kind == "table":
        del design["points"]  # a table needs points or a file
    else:
        design["points"] = [{"x1": 0.0, "x2": 0.0, "x3": 0.0}]  # points belong to tables
    with pytest.raises(InputError) as err:
        experiment(design, tmp_path)
    assert err.value.field == "design" and err.value.file.endswith("contract.yaml")


@pytest.mark.parametrize("kind", KINDS)
def test_sweep_analysis_and_figures_follow_the_kind(kind, tmp_path):
    dk = DESIGNS[kind]
    exp = experiment(dk.example, tmp_path)
    out = tmp_path / "sweep"
    summary = run_sweep(exp, out, "serial")
    assert summary.failed == 0
    result = analyze_sweep(out)
    assert result.kind == kind
    if dk.index_columns:
        assert result.indices is not None
        assert set(dk.index_columns) <= set(result.indices.columns)
    else:
        assert result.indices is None
    available = {name for name, f in FIGURES.items() if f.available(Sweep.read(out))}
    assert ("phase" in available) == dk.grid
    assert (kind in available) == bool(dk.index_columns)


def test_every_sensitivity_kind_has_its_figure():
    for name, dk in DESIGNS.items():
        if dk.index_columns:
            assert name in FIGURES and name in SWEEP_KINDS
    assert all(f.__class__.__doc__ for f in FIGURES.values())
