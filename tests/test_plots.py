"""Each figure kind, built from a small saved run, shows what it should."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest

from indopacsim.cli import main
from indopacsim.errors import InputError
from indopacsim.figures import axes_run as plots
from indopacsim.figures.axes_map import network_map
from indopacsim.figures.run import RUN_KINDS, load_run, run_figures
from indopacsim.model.world import state_table
from indopacsim.runner import run, write_run


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, classroom):
    out = tmp_path_factory.mktemp("run")
    write_run(run(classroom, seed=4, replicates=2), out)
    return out


@pytest.fixture(scope="module")
def tables(small_run):
    return load_run(small_run).tables


def legend_labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_tie_levels_series_events_and_labels(tables):
    ax = plots.tie_levels(
        tables["ties"],
        tables["model"],
        pairs=[("GBR", "JPN"), ("USA", "JPN")],
        events=tables["events"],
    )
    assert ax.get_ylabel() == "Tie level (ladder)" and ax.get_xlabel() == "Date"
    assert legend_labels(ax) == ["GBR-JPN", "USA-JPN", "dated events"]
    n_events = tables["events"].drop_duplicates(subset=["date", "event"]).shape[0]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert len(dashed) == n_events == 2
    assert [t.get_text() for t in ax.texts] == ["1", "2"]
    steps = tables["model"]["step"].nunique()
    assert len(ax.get_lines()[0].get_xdata()) == steps
    assert len(ax.collections) == 2  # replicate bands, one per pair


def test_pair_levels_fill_missing_steps_with_zero(tables):
    lv = plots.pair_levels(tables["ties"], tables["model"], "CHN", "GBR")
    assert set(lv["replicate"]) == {0, 1}
    n_steps = tables["model"]["step"].nunique()
    assert len(lv) == 2 * n_steps
    assert lv["level"].min() >= 0
    one = lv[lv["replicate"] == 0].set_index("step")["level"]
    ties0 = tables["ties"].query("replicate == 0")
    gbr_chn = ties0[(ties0["a"].isin(["CHN", "GBR"])) & (ties0["b"].isin(["CHN", "GBR"]))]
    for step, level in gbr_chn.set_index("step")["level"].items():
        assert one[step] == level
    missing = sorted(set(one.index) - set(gbr_chn["step"]))
    assert all(one[s] == 0 for s in missing)


def test_bloc_membership_has_a_cell_per_state_and_step(tables):
    ax = plots.bloc_membership(tables["ties"], tables["states"], tables["model"])
    image = ax.get_images()[0].get_array()
    n_states = tables["states"]["iso3"].nunique()
    n_steps = tables["states"]["step"].nunique()
    assert image.shape == (n_states, n_steps)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "USA",
        "CHN",
        "RUS",
        "GBR",
        "JPN",
        "AUS",
    ]
    assert legend_labels(ax)[-1] == "no bloc"
    assert ax.get_xlabel() == "Date" and ax.get_ylabel() == "State"


def test_network_map_nodes_edges_outlines(tables, classroom):
    places = state_table(classroom)[["lat", "lon", "capability"]]
    ax = network_map(tables["ties"], tables["states"], places, step=0)
    polys, lines, nodes = ax.collections[:3]
    assert len(polys.get_paths()) > 150  # Natural Earth countries
    first = tables["ties"].query("replicate == 0 and step == 0")
    assert len(lines.get_segments()) == len(first)
    assert len(nodes.get_offsets()) == 6
    assert ax.get_xlabel() == "Longitude (degrees)"
    assert [t.get_text() for t in ax.texts] == ["USA", "CHN", "RUS", "GBR", "JPN", "AUS"]
    assert legend_labels(ax)[:5] == [f"{i} {n}" for i, n in enumerate(plots.LADDER) if i][:5]


def test_alignment_hedging_two_panels_with_highlights(tables):
    fig = plots.alignment_hedging(tables["states"], highlight=("GBR", "JPN"))
    top, bottom = fig.axes
    assert top.get_ylabel() == "Alignment index" and bottom.get_ylabel() == "Hedging index"
    assert legend_labels(top) == ["GBR", "JPN"]
    assert len(top.get_lines()) == 6 and len(bottom.get_lines()) == 6
    assert top.get_ylim()[0] < -1 < 1 < top.get_ylim()[1]


def test_payoff_components_bars_and_total(tables):
    ax = plots.payoff_components(tables["states"])
    assert sorted(legend_labels(ax)) == sorted(["total", *plots.PAYOFF_PARTS])
    assert len(ax.patches) == 4 * 6
    assert ax.get_xlabel().startswith("Payoff per step")


def test_plot_functions_draw_on_a_given_axes_and_leave_rcparams_alone(tables):
    before = dict(mpl.rcParams)
    fig = mpl.figure.Figure()
    ax = fig.add_subplot()
    assert plots.tie_levels(tables["ties"], tables["model"], ax=ax) is ax
    assert dict(mpl.rcParams) == before


def test_run_figures_and_index(small_run, tmp_path):
    figs = run_figures(small_run, out=tmp_path, fmt="svg")
    assert [f.kind for f in figs] == list(RUN_KINDS)
    for f in figs:
        assert f.path.is_file() and f.path.suffix == ".svg"
        assert (
            "classroom_small" in f.caption
            and "replicates" in f.caption
            and "indopacsim" in f.caption
        )
    index = (tmp_path / "index.html").read_text()
    assert index.count("<figure>") == len(RUN_KINDS)
    assert "States at the end" in index and "<table" in index


def test_missing_data_names_what_is_missing(small_run, tmp_path):
    d = tmp_path / "partial"
    d.mkdir()
    (d / "manifest.json").write_text((small_run / "manifest.json").read_text())
    with pytest.raises(InputError, match=r"ties\.parquet"):
        run_figures(d, kinds=["ties"])
    assert main(["plot", str(d), "--kind", "ties"]) == 2


def test_plot_cli_unknown_kind_and_format(small_run, capsys):
    assert main(["plot", str(small_run), "--kind", "pie"]) == 2
    assert "pie" in capsys.readouterr().err
    assert main(["plot", str(small_run), "--format", "gif"]) == 2


def test_networks_legend_counts_blocs(tables, classroom):
    places = state_table(classroom)[["lat", "lon", "capability"]]
    ax = network_map(tables["ties"], tables["states"], places)
    blocs = [t for t in legend_labels(ax) if t.startswith("bloc")]
    colours = {tuple(np.round(c, 3)) for c in ax.collections[2].get_facecolors()}
    assert len(blocs) >= 1 and len(colours) >= len(blocs)
