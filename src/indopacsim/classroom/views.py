"""Figures the pages show, drawn with the run figures' own plotting functions.

No UI imports: each function returns a matplotlib :class:`~matplotlib.figure.Figure`
(never through pyplot, so nothing accumulates in a global registry), which the pages hand
to ``solara.FigureMatplotlib``. The map is :func:`indopacsim.figures.axes_map.network_map`,
the very function behind ``run_map`` in a run's figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from indopacsim.figures.axes_map import network_map
from indopacsim.figures.axes_run import styled


def places(model: Any) -> pd.DataFrame:
    """Latitude, longitude and capability of each state (index ISO3)."""
    return model.world.table[["lat", "lon", "capability"]]


def current_frames(model: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ties and states tables of the current step only (cheap: no history)."""
    codes = list(model.codes)
    a, b = np.triu_indices(len(codes), 1)
    lv = model.ties[a, b]
    keep = lv > 0
    ties = pd.DataFrame(
        {
            "step": model.steps,
            "a": np.array(codes, dtype=object)[a[keep]],
            "b": np.array(codes, dtype=object)[b[keep]],
            "level": lv[keep].astype(np.int64),
        }
    )
    states = pd.DataFrame({"step": model.steps, "date": model.date, "iso3": codes})
    return ties, states


def map_figure(
    model: Any, step: int | None = None, size: tuple[float, float] = (7.5, 4.2)
) -> Figure:
    """The tie network on the map, now or (from the recorded tables) at ``step``."""
    if step is None:
        ties, states = current_frames(model)
    else:
        ties, states = model.ties_frame(), model.states_frame()
        states = states[states["step"] <= step]
    fig = Figure(figsize=size, layout="constrained")
    network_map(ties, states, places(model), step=step, ax=fig.add_subplot())
    return fig


def timeline_figure(model: Any, size: tuple[float, float] = (7.5, 4.2)) -> Figure:
    """Blocs (top) and each state's alignment index (bottom) over the steps so far."""
    frame = model.model_frame()
    states = model.states_frame()
    with styled():
        fig = Figure(figsize=size, layout="constrained")
        top, bottom = fig.subplots(2, 1, sharex=True)
        top.step(frame["step"], frame["n_blocs"], where="post", color="#0072B2")
        top.set_ylabel("Blocs (count)", color="#0072B2")
        top.yaxis.get_major_locator().set_params(integer=True)
        share = top.twinx()
        share.plot(frame["step"], frame["largest_bloc_share"], color="#D55E00")
        share.set_ylim(0, 1.05)
        share.set_ylabel("Largest bloc's share", color="#D55E00")
        top.set_title("Blocs and alignment over time")
        wide = states.pivot(index="step", columns="iso3", values="alignment")
        for code in model.codes:
            if code in wide:
                bottom.plot(wide.index, wide[code], label=code, lw=1.2)
        bottom.axhline(0, color="#999999", lw=0.6)
        bottom.set_ylim(-1.05, 1.05)
        bottom.set_ylabel("Alignment (-1 China, +1 US)")
        bottom.set_xlabel("Step (quarter)")
        bottom.xaxis.get_major_locator().set_params(integer=True)
        bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    return fig


def state_rows(model: Any) -> list[dict[str, str]]:
    """One short record per state for the state panels."""
    from indopacsim.tiescale import LEVEL_NAMES

    rows = []
    codes = list(model.codes)
    for i, code in enumerate(codes):
        ties = model.ties[i]
        top = [j for j in np.argsort(-ties, kind="stable")[:3] if ties[j] > 0]
        rows.append(
            {
                "iso3": code,
                "doctrine": str(model.doctrine_names[i]),
                "trust": f"{float(model.trust[i]):.2f}",
                "alignment": f"{float(model.alignment[i]):+.2f}",
                "hedging": f"{float(model.hedging[i]):.2f}",
                "payoff": f"{float(model.payoffs['payoff'][i]):.2f}",
                "ties": ", ".join(f"{codes[j]} {LEVEL_NAMES[int(ties[j])]}" for j in top) or "none",
            }
        )
    return rows
