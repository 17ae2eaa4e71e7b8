"""Sweep figures through the CLI on small real sweeps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indopacsim.cli import main
from indopacsim.errors import InputError
from indopacsim.figures.sweep import sweep_figures

GRID = """
name: tiny_grid
scenario: classroom_small
horizon: 8
uncertainties:
  - {path: us.reliability, range: [0.2, 0.8]}
  - {path: china.coercion, range: [0.3, 0.9]}
levers:
  - {path: states.GBR.doctrine, name: gbr_doctrine, levels: [network, balance]}
design: {kind: full_factorial, resolution: 2}
replications: 2
seed: 3
outcomes:
  - {name: uk_japan}
  - {name: gbr_payoff, measure: payoff, state: GBR, stat: mean}
"""

SOBOL = """
name: tiny_sobol
scenario: classroom_small
horizon: 8
uncertainties:
  - {path: us.reliability, range: [0.2, 0.8]}
  - {path: china.retaliation, range: [0.1, 0.8]}
design: {kind: sobol, samples: 8}
replications: 1
seed: 5
outcomes:
  - {name: gbr_payoff, measure: payoff, state: GBR, stat: mean}
"""


def sweep(tmp_path: Path, text: str, name: str) -> Path:
    exp = tmp_path / f"{name}.yaml"
    exp.write_text(text)
    out = tmp_path / name
    assert main(["sweep", str(exp), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def grid_dir(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("g"), GRID, "grid")


def test_grid_sweep_gets_phase_doctrine_and_regret_figures(grid_dir, tmp_path):
    figs = sweep_figures(grid_dir, out=tmp_path)
    kinds = [f.kind for f in figs]
    assert kinds.count("phase") == 3  # uk_japan mean, its treaty probability, gbr_payoff
    assert kinds.count("doctrines") == 1 and kinds.count("regret") == 1
    for f in figs:
        assert f.path.is_file() and "tiny_grid" in f.caption and "indopacsim" in f.caption
    regret = pd.read_csv(tmp_path / "regret_gbr_doctrine.csv")
    assert set(regret["doctrine"]) == {"network", "balance"}
    assert regret["minimax"].sum() == 1 and (regret["max_regret"] >= 0).all()
    assert regret["futures"].iloc[0] == 4  # two uncertainties, each split in halves
    index = (tmp_path / "index.html").read_text()
    assert index.count("<figure>") == len(figs) and "regret_gbr_doctrine" in index


def test_cli_plot_on_a_sweep_and_a_kind_it_lacks(grid_dir, tmp_path, capsys):
    assert main(["plot", str(grid_dir), "--kind", "phase", "--out", str(tmp_path), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "phase_gbr_payoff.png",
        "phase_uk_japan.png",
        "phase_uk_japan_treaty.png",
    ]
    assert main(["plot", str(grid_dir), "--kind", "sobol"]) == 2
    err = capsys.readouterr().err
    assert "sobol" in err and "needs data" in err


def test_sobol_sweep_gets_index_charts(tmp_path):
    d = sweep(tmp_path, SOBOL, "sob")
    figs = sweep_figures(d, out=tmp_path / "fig")
    assert [f.kind for f in figs] == ["sobol"]
    assert "S1 first order" in figs[0].caption


def test_not_a_sweep(tmp_path):
    with pytest.raises(InputError):
        sweep_figures(tmp_path)


def test_doctrine_figure_title_names_the_lever(grid_dir, tmp_path):
    figs = sweep_figures(grid_dir, kinds=["doctrines"], out=tmp_path, fmt="svg")
    text = figs[0].path.read_text()
    assert "gbr_payoff by doctrine (gbr_doctrine) across futures" in text
    assert "_future" not in text
