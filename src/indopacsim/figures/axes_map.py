"""The tie network of a run on a world map (Natural Earth 1:110m outlines, public domain).

Same style and conventions as :mod:`indopacsim.figures.axes_run`: a table in, an Axes out.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from indopacsim.coalitions import measures as coalitions
from indopacsim.figures.axes_run import GREY, LADDER, PALETTE, _axes, styled
from indopacsim.figures.tables import first_replicate
from indopacsim.tiescale import MAX_LEVEL


@cache
def country_outlines() -> dict[str, list[np.ndarray]]:
    """Natural Earth 1:110m country outlines bundled with the package (public domain)."""
    with resources.files("indopacsim").joinpath("data", "ne_110m_countries.json").open() as fh:
        raw = json.load(fh)
    return {k: [np.asarray(r, dtype=float) for r in v["rings"]] for k, v in raw.items()}


def network_map(
    ties: pd.DataFrame,
    states: pd.DataFrame,
    places: pd.DataFrame,
    step: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The tie network at a step on a world map (first replicate).

    Args:
        ties: The ties table.
        states: The states table (for the step's states).
        places: One row per state (index ISO3) with ``lat``, ``lon``, ``capability``.
        step: The step to draw (default: the last).
        ax: Axes to draw on.

    Node area grows with capability, edge width with the ladder level, colour marks the
    community (grey: none); outlines are Natural Earth 1:110m (public domain).
    """
    states = first_replicate(states)
    step = int(states["step"].max()) if step is None else step
    codes = list(dict.fromkeys(states["iso3"]))
    m = coalitions.ties_matrix(first_replicate(ties), codes, step)
    comm = coalitions.communities(m, seed=0)
    order = _bloc_order(comm)
    lon = places.loc[codes, "lon"].to_numpy(float)
    lat = places.loc[codes, "lat"].to_numpy(float)
    cap = places.loc[codes, "capability"].to_numpy(float)
    with styled():
        ax = _axes(ax, (7.5, 4.2))
        colours = [PALETTE[order[c] % len(PALETTE)] if c in order else GREY for c in comm]
        _draw_network(ax, m, lon, lat, cap, codes, colours)
        ax.set_xlim(lon.min() - 15, lon.max() + 15)
        ax.set_ylim(max(lat.min() - 12, -90), min(lat.max() + 12, 90))
        ax.set_aspect("equal")
        ax.set_xlabel("Longitude (degrees)")
        ax.set_ylabel("Latitude (degrees)")
        date = states.loc[states["step"] == step, "date"].iloc[0]
        ax.set_title(f"Tie network on {date} (node area: capability; edge width: level)")
        ax.legend(
            handles=_map_legend(len(order)),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            frameon=False,
        )
    return ax


def _draw_network(
    ax: Axes,
    m: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    cap: np.ndarray,
    codes: list[str],
    colours: list[str],
) -> None:
    """The layers of the map: country outlines, ties, states, their codes."""
    polys = [r for rings in country_outlines().values() for r in rings]
    ax.add_collection(
        PolyCollection(polys, facecolor="#EEEEEE", edgecolor="#AAAAAA", lw=0.3, zorder=0)
    )
    a, b = np.nonzero(np.triu(m, 1))
    segs = [((lon[i], lat[i]), (lon[j], lat[j])) for i, j in zip(a, b, strict=True)]
    widths = 0.4 + 0.5 * m[a, b]
    ax.add_collection(
        LineCollection(segs, linewidths=widths, colors="#444444", alpha=0.35, zorder=1)
    )
    ax.scatter(lon, lat, s=30 + 600 * cap, c=colours, edgecolors="white", linewidths=0.6, zorder=2)
    for x, y, code in zip(lon, lat, codes, strict=True):
        ax.annotate(code, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=7, zorder=3)


def _bloc_order(comm: np.ndarray) -> dict[int, int]:
    """Colour rank of each community with two or more members, largest first."""
    sizes = np.bincount(comm)
    big = (c for c in np.argsort(-sizes, kind="stable") if sizes[c] >= 2)
    return {int(c): k for k, c in enumerate(big)}


def _map_legend(n_blocs: int) -> list[Line2D | Patch]:
    """Legend of the network map: an edge width per level, a colour per bloc."""
    handles: list[Line2D | Patch] = [
        Line2D([], [], color="#444444", lw=0.4 + 0.5 * lv, label=f"{lv} {LADDER[lv]}")
        for lv in range(1, MAX_LEVEL + 1)
    ]
    return handles + [
        Patch(color=PALETTE[k % len(PALETTE)], label=f"bloc {k + 1}") for k in range(n_blocs)
    ]
