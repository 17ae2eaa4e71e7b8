"""The backtest's figures: the reliability diagram and the map of predicted against real
upgrades (:mod:`indopacsim.validation.backtest`).

Drawing uses matplotlib only; the base map comes from the caller (the CLI passes
:mod:`indopacsim.figures.axes_map`, whose ``network_map`` draws the 2019 network), which
keeps the validation layer below the figures layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from indopacsim.model.world import state_table

if TYPE_CHECKING:
    from indopacsim.validation.backtest import Backtest


#: Where each forecast's bin counts are written, so that the labels do not overlap.
_OFFSETS = {"logistic": (5, -11), "recalibrated": (-16, -11), "model_and_level": (5, 4)}


def reliability_figure(bt: Backtest) -> Figure:
    """Reliability diagram of the model (raw, recalibrated, combined with the starting
    level) and the logistic baseline."""
    fig = Figure(figsize=(5.5, 5.0), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999999", lw=0.8, ls="--", label="perfect calibration")
    for name, colour, label in (
        ("model", "#0072B2", "model (with driver paths)"),
        ("recalibrated", "#009E73", "model, recalibrated on 2006-2019"),
        ("model_and_level", "#CC79A7", "model and starting level (2006-2019 fit)"),
        ("logistic", "#D55E00", "logistic baseline"),
    ):
        if name not in bt.scores:
            continue
        rel = bt.scores[name]["reliability"]
        x = [r["p_mean"] for r in rel]
        y = [r["observed"] for r in rel]
        ax.plot(x, y, marker="o", color=colour, label=label)
        for r in rel:
            ax.annotate(
                str(r["count"]),
                (r["p_mean"], r["observed"]),
                xytext=_OFFSETS.get(name, (-10, 6)),
                textcoords="offset points",
                fontsize=7,
                color=colour,
            )
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.04, 1)
    ax.set_xlabel("predicted P(tie deeper at end of 2025), bin mean")
    ax.set_ylabel("observed share of pairs that went up")
    ax.set_title(f"Reliability, 2020-2025 ({bt.seeds} runs; numbers: pairs per bin)")
    ax.legend(loc="upper left", frameon=False)
    return fig


def outcome_classes(bt: Backtest) -> pd.DataFrame:
    """Each pair's outcome class: the top-k pairs by p_up are the predicted upgrades.

    ``k`` is the number of observed upgrades; classes: ``tp``, ``fp``, ``missed``, ``tn``.
    """
    df = bt.predictions[["a", "b", "p_up"]].copy()
    df["up"] = bt.observed["up"].to_numpy()
    k = int(df["up"].sum())
    top = np.zeros(len(df), dtype=bool)
    top[np.argsort(-df["p_up"].to_numpy(), kind="stable")[:k]] = True
    df["predicted"] = top
    df["outcome"] = np.select(
        [top & df["up"], top & ~df["up"], ~top & df["up"]], ["tp", "fp", "missed"], "tn"
    )
    return df


_OUTCOME_STYLE = {
    "missed": ("#0072B2", "missed (went up, not in top-k)"),
    "fp": ("#D55E00", "false positive (top-k, did not go up)"),
    "tp": ("#009E73", "true positive (top-k and went up)"),
}


def map_figure(bt: Backtest, maps: Any) -> Figure:
    """The 2019 network (``maps.network_map``) with predicted against real upgrades."""
    codes = list(bt.scenario.codes)
    places = state_table(bt.scenario).set_index("iso3")[["lat", "lon", "capability"]]
    xy = places[["lon", "lat"]].astype(float)
    fig = Figure(figsize=(9.5, 3.9), layout="constrained")
    ax = fig.add_subplot()
    ties = bt.predictions.rename(columns={"level_2019": "level"}).assign(step=0)
    states = pd.DataFrame({"step": 0, "iso3": codes, "date": "2019-12-31"})
    try:
        maps.network_map(ties[ties["level"] > 0], states, places, ax=ax)
        _mute_base(ax)
    except IndexError:  # network_map's legend names fewer rungs than the ladder has
        ax.cla()
        _plain_base(ax, maps, places, ties[ties["level"] > 0])
    oc = outcome_classes(bt)
    handles = []
    for cls, (colour, label) in _OUTCOME_STYLE.items():  # drawn missed, fp, tp: tp on top
        rows = oc[oc["outcome"] == cls]
        segs = _segments(xy, rows)
        ax.add_collection(LineCollection(segs, colors=colour, linewidths=1.3, alpha=0.85, zorder=4))
        handles.append(Line2D([], [], color=colour, lw=1.5, label=f"{label}: {len(rows)}"))
    handles.append(Line2D([], [], color="#999999", lw=1.0, label="tie of 2019 (width: level)"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(1.01, 0), frameon=False)
    k = int(oc["up"].sum())
    ax.set_title(f"Upgrades 2020-2025: model's top {k} pairs by p_up vs the {k} observed")
    return fig


def _mute_base(ax: Axes) -> None:
    """The base network in grey: the outcome colours, not the blocs, carry the figure."""
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            coll.set_color("#999999")
            coll.set_alpha(0.3)
        elif not isinstance(coll, PolyCollection):  # the states
            coll.set_facecolor("#777777")


def _plain_base(ax: Axes, maps: Any, places: pd.DataFrame, ties: pd.DataFrame) -> None:
    """Outlines, the 2019 ties (grey, width by level) and the states (area: capability)."""
    polys = [r for rings in maps.country_outlines().values() for r in rings]
    ax.add_collection(
        PolyCollection(polys, facecolor="#EEEEEE", edgecolor="#AAAAAA", lw=0.3, zorder=0)
    )
    segs = _segments(places[["lon", "lat"]].astype(float), ties)
    widths = 0.3 + 0.25 * ties["level"].to_numpy(float)
    ax.add_collection(LineCollection(segs, linewidths=widths, colors="#999999", alpha=0.3))
    lon, lat = places["lon"].to_numpy(float), places["lat"].to_numpy(float)
    ax.scatter(lon, lat, s=20 + 400 * places["capability"], c="#777777", zorder=5)
    for x, y, c in zip(lon, lat, places.index, strict=True):
        ax.annotate(c, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7, zorder=6)
    ax.set_xlim(lon.min() - 12, lon.max() + 12)
    ax.set_ylim(lat.min() - 10, lat.max() + 10)
    ax.set_aspect("equal")
    ax.set_xlabel("Longitude (degrees)")
    ax.set_ylabel("Latitude (degrees)")


def _segments(xy: pd.DataFrame, pairs: pd.DataFrame) -> list[np.ndarray]:
    """Line segments (2 x 2 each) between the places of each pair's two states."""
    return list(np.stack([xy.loc[pairs["a"]].to_numpy(), xy.loc[pairs["b"]].to_numpy()], axis=1))


def replicates_axes(records: dict[str, dict[str, Any]], ax: Axes | None = None) -> Axes:
    """Each calibrated parameter's bootstrap replicates on its search range (0: the lower
    bound, 1: the upper, on the log scale where the search is), one row per parameter and
    one marker per replicate of each record (:mod:`indopacsim.validation.uncertainty`), the
    frozen value as a vertical bar. Draws onto ``ax`` (a new figure's when ``None``)."""
    from indopacsim.validation.calibration import FREE, to_unit

    if ax is None:
        ax = Figure(figsize=(7.0, 6.5), layout="constrained").add_subplot()
    names = list(FREE)
    rows = np.arange(len(names))[::-1]
    styles = (("#999999", "o", 12, -0.15), ("#0072B2", "D", 22, 0.15))
    for (kind, rec), (colour, marker, size, dy) in zip(records.items(), styles, strict=False):
        u = np.array([to_unit(s["parameters"]) for s in rec["sets"]])
        for k, row in enumerate(rows):
            ax.scatter(
                u[:, k],
                np.full(len(u), row + dy),
                s=size,
                color=colour,
                marker=marker,
                alpha=0.7,
                lw=0,
                label=f"{kind} replicates ({len(u)})" if k == 0 else None,
            )
    frozen = to_unit(next(iter(records.values()))["frozen"])
    ax.scatter(frozen, rows, marker="|", s=200, color="#D55E00", lw=2, label="frozen", zorder=3)
    ax.set_yticks(rows, [f"{n} ({'log' if FREE[n][2] else 'linear'})" for n in names], fontsize=8)
    ax.set_xlim(-0.03, 1.03)
    ax.set_xlabel("position in the search range (0 = lower bound, 1 = upper bound)")
    windows = ", ".join(sorted({str(r["window"]) for r in records.values()}))
    ax.set_title(f"Calibration on state-bootstrap replicates of {windows}", fontsize=10)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.legend(loc="lower left", fontsize=8, frameon=False, bbox_to_anchor=(0.0, 1.04), ncol=3)
    return ax


def eras_axes(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The share of pairs that went up in each record, by starting level (bars, with the
    pairs that went up of those at that level), and the frozen model's mean forecast of
    the same (markers): a table of :func:`indopacsim.validation.backcast.eras`. Draws onto
    ``ax`` (a new figure's when ``None``)."""
    if ax is None:
        ax = Figure(figsize=(6.5, 4.0), layout="constrained").add_subplot()
    eras = list(dict.fromkeys(table["era"]))
    groups = list(dict.fromkeys(table["levels"]))
    colours = ("#999999", "#0072B2", "#D55E00")
    width = 0.8 / len(eras)
    x = np.arange(len(groups))
    for k, (era, colour) in enumerate(zip(eras, colours, strict=False)):
        t = table[table["era"] == era].set_index("levels").loc[groups]
        pos = x - 0.4 + width * (k + 0.5)
        ax.bar(pos, t["share"], width * 0.92, color=colour, label=f"{era}: observed")
        ax.scatter(
            pos,
            t["model"],
            marker="_",
            s=220,
            lw=2.2,
            color="black",
            zorder=3,
            label="model's mean p_up (frozen calibration)" if k == 0 else None,
        )
        for px, share, up, n in zip(pos, t["share"], t["up"], t["pairs"], strict=True):
            ax.annotate(
                f"{up}/{n}",
                (px, share),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )
    ax.set_xticks(x, [f"level {g}" for g in groups])
    ax.set_xlabel("starting level of the pair (0-8 ladder; treaty pairs left out)")
    ax.set_ylabel("share of the pairs that went up")
    ax.set_title("Which ties deepened, by era: observed and forecast", fontsize=10)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    ax.legend(fontsize=8, frameon=False)
    return ax
