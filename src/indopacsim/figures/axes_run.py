"""Figures of a run: a table in, a matplotlib Axes or Figure out.

Every function takes the tidy tables of a run directory (``model``, ``states``, ``ties``,
``events``), draws on a given ``ax`` (or a new :class:`matplotlib.figure.Figure`, so
pyplot's global state is never touched) and returns the Axes or Figure. The style is
applied with ``matplotlib.rc_context`` inside each function, so no global setting
changes. Colours come from the Okabe-Ito palette (colour-blind safe).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from indopacsim.coalitions import measures as coalitions
from indopacsim.figures.tables import first_replicate
from indopacsim.tiescale import MAX_LEVEL

#: Okabe & Ito (2008) colour-blind-safe palette, black last.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
GREY = "#BBBBBB"
#: Short axis labels of the ladder's rungs (:data:`indopacsim.tiescale.LEVEL_NAMES` abridged).
LADDER = (
    "none",
    "dialogue",
    "2+2",
    "exercises",
    "intel / logistics",
    "access",
    "co-development",
    "commitment",
    "treaty",
)
STYLE: dict[str, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "figure.dpi": 100,
    "savefig.dpi": 200,
}


@contextmanager
def styled() -> Iterator[None]:
    """The house style, for the duration of a ``with`` block only."""
    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        yield


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    fig = Figure(figsize=size, layout="constrained")
    return fig.add_subplot()


def figure_of(drawn: Axes | Figure) -> Figure:
    """The Figure of what a plotting function returned (an Axes or a Figure)."""
    return drawn if isinstance(drawn, Figure) else drawn.get_figure()  # type: ignore[return-value]


def _dates(model: pd.DataFrame) -> pd.Series:
    """Step -> date (as Timestamp) from the model table."""
    first = first_replicate(model)
    return pd.Series(pd.to_datetime(first["date"]).to_numpy(), index=first["step"].to_numpy())


def pair_levels(ties: pd.DataFrame, model: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Level of one pair at every step (0 where the table has no row), per replicate."""
    dates = _dates(model)
    mask = ((ties["a"] == a) & (ties["b"] == b)) | ((ties["a"] == b) & (ties["b"] == a))
    rows = ties[mask]
    reps = sorted(model["replicate"].unique()) if "replicate" in model.columns else [0]
    frames = []
    for rep in reps:
        sub = rows[rows["replicate"] == rep] if "replicate" in rows.columns else rows
        level = sub.set_index("step")["level"].reindex(dates.index, fill_value=0)
        frames.append(
            pd.DataFrame(
                {"replicate": rep, "step": dates.index, "date": dates.values, "level": level.values}
            )
        )
    return pd.concat(frames, ignore_index=True)


def tie_levels(
    ties: pd.DataFrame,
    model: pd.DataFrame,
    pairs: Sequence[tuple[str, str]] = (("GBR", "JPN"),),
    events: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Tie level over time for chosen pairs, with the scenario's dated events marked.

    With replicates the line is the mean and the band the range over replicates.
    Events are dashed vertical lines, numbered in date order (the caption lists them).
    """
    with styled():
        ax = _axes(ax, (6.5, 3.2))
        for k, (a, b) in enumerate(pairs):
            _pair_line(ax, pair_levels(ties, model, a, b), f"{a}-{b}", k, len(pairs))
        if events is not None and len(events):
            _event_marks(ax, events)
        ax.set_ylim(-0.2, MAX_LEVEL + 0.2)
        ax.set_yticks(range(MAX_LEVEL + 1), [f"{i} {name}" for i, name in enumerate(LADDER)])
        ax.set_ylabel("Tie level (ladder)")
        ax.set_xlabel("Date")
        ax.set_title("Tie level over time", pad=30)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def _pair_line(ax: Axes, lv: pd.DataFrame, label: str, k: int, n_pairs: int) -> None:
    """One pair's level (mean over replicates, range as a band) as the k-th of n lines."""
    g = lv.groupby("date")["level"]
    mean, lo, hi = g.mean(), g.min(), g.max()
    colour = PALETTE[k % len(PALETTE)]
    # a small vertical offset per pair keeps coincident lines visible
    offset = 0.09 * (k - (n_pairs - 1) / 2)
    ax.plot(
        mean.index,
        mean.to_numpy() + offset,
        color=colour,
        lw=1.8,
        label=label,
        drawstyle="steps-post",
    )
    if lv["replicate"].nunique() > 1:
        ax.fill_between(
            mean.index, lo.to_numpy(), hi.to_numpy(), color=colour, alpha=0.2, step="post", lw=0
        )


def _event_marks(ax: Axes, events: pd.DataFrame) -> None:
    """Dated events as dashed vertical lines, numbered in date order above the ladder."""
    ev = first_replicate(events).drop_duplicates(subset=["date", "event"]).sort_values("date")
    days = list(pd.to_datetime(ev["date"]))
    span = (days[-1] - days[0]).days if len(days) > 1 else 0
    gap = max(60, span // 40)
    tier, last = 0, None
    for n, day in enumerate(days, start=1):
        ax.axvline(
            mdates.date2num(day),
            color="#555555",
            ls="--",
            lw=0.8,
            label="dated events" if n == 1 else None,
        )
        # stagger the numbers of events that fall close together
        tier = tier + 1 if last is not None and (day - last).days < gap else 0
        last = day
        ax.annotate(
            str(n),
            (day, MAX_LEVEL + 0.3 + 0.3 * tier),
            ha="center",
            va="bottom",
            fontsize=7,
            color="#555555",
            annotation_clip=False,
        )


def _community_history(
    ties: pd.DataFrame, states: pd.DataFrame
) -> tuple[list[str], list[int], np.ndarray]:
    """Communities (Louvain) at every step, relabelled so a bloc keeps its colour.

    Each community, largest first, takes the label it overlaps most among the previous
    step's labels not yet taken; failing that, the most recent earlier step's (a bloc
    that dissolved for a step gets its colour back); failing that, a new label.
    """
    states = first_replicate(states)
    ties = first_replicate(ties)
    codes = list(dict.fromkeys(states["iso3"]))
    steps = sorted(int(s) for s in states["step"].unique())
    grid = np.full((len(codes), len(steps)), -1, dtype=int)
    next_label = 0
    for col, step in enumerate(steps):
        m = coalitions.ties_matrix(ties, codes, step)
        raw = coalitions.communities(m, seed=0)
        sizes = np.bincount(raw)
        taken: set[int] = set()
        for c in np.argsort(-sizes, kind="stable"):
            if sizes[c] < 2:
                continue
            members = raw == c
            best = None
            for back in range(col - 1, -1, -1):
                earlier = grid[members, back]
                counts = np.bincount(earlier[earlier >= 0], minlength=next_label + 1)
                for x in np.argsort(-counts, kind="stable"):
                    if counts[x] > 0 and int(x) not in taken:
                        best = int(x)
                        break
                if best is not None:
                    break
            if best is None:
                best, next_label = next_label, next_label + 1
            taken.add(best)
            grid[members, col] = best
    return codes, steps, grid


def bloc_membership(
    ties: pd.DataFrame, states: pd.DataFrame, model: pd.DataFrame, ax: Axes | None = None
) -> Axes:
    """States x time, each cell coloured by the state's bloc (Louvain communities of the
    level-weighted tie network; grey: in no bloc of two or more). First replicate."""
    codes, steps, grid = _community_history(ties, states)
    dates = _dates(model).reindex(steps)
    n_blocs = int(grid.max()) + 1
    colours = [GREY] + [PALETTE[k % len(PALETTE)] for k in range(max(n_blocs, 1))]
    with styled():
        ax = _axes(ax, (6.5, 0.22 * len(codes) + 1.2))
        x = mdates.date2num(dates.to_numpy())
        step_w = float(np.median(np.diff(x))) if len(x) > 1 else 90.0
        ax.imshow(
            grid + 1,
            aspect="auto",
            interpolation="nearest",
            cmap=ListedColormap(colours),
            vmin=-0.5,
            vmax=len(colours) - 0.5,
            extent=(x[0] - step_w / 2, x[-1] + step_w / 2, len(codes) - 0.5, -0.5),
        )
        ax.xaxis_date()
        ax.set_yticks(range(len(codes)), codes)
        ax.set_xlabel("Date")
        ax.set_ylabel("State")
        ax.set_title("Bloc membership over time (communities of the tie network)")
        handles = [Patch(color=colours[k + 1], label=f"bloc {k + 1}") for k in range(n_blocs)]
        handles.append(Patch(color=GREY, label="no bloc"))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def alignment_hedging(
    states: pd.DataFrame,
    highlight: Sequence[str] = ("GBR", "JPN", "AUS", "IND", "KOR", "VNM", "PHL"),
) -> Figure:
    """Each state's alignment index (top) and hedging index (bottom) over time.

    Highlighted states are coloured and labelled; the others are thin grey lines. With
    replicates, lines are means over replicates.
    """
    df = states.copy()
    df["date"] = pd.to_datetime(df["date"])
    mean = df.groupby(["iso3", "date"], sort=False)[["alignment", "hedging"]].mean().reset_index()
    shown = [c for c in highlight if c in set(mean["iso3"])]
    with styled():
        fig = Figure(figsize=(6.5, 5.0), layout="constrained")
        axes = fig.subplots(2, 1, sharex=True)
        for ax, col, label in (
            (axes[0], "alignment", "Alignment index"),
            (axes[1], "hedging", "Hedging index"),
        ):
            for code, g in mean.groupby("iso3", sort=False):
                if code not in shown:
                    ax.plot(g["date"], g[col], color=GREY, lw=0.6, zorder=1)
            for k, code in enumerate(shown):
                g = mean[mean["iso3"] == code]
                ax.plot(
                    g["date"], g[col], color=PALETTE[k % len(PALETTE)], lw=1.6, label=code, zorder=2
                )
            ax.set_ylabel(label)
        axes[0].set_ylim(-1.05, 1.05)
        axes[1].set_ylim(-0.03, 1.03)
        axes[1].set_xlabel("Date")
        axes[0].set_title(
            "Alignment (-1 China camp ... +1 US camp) and hedging (0 one camp ... 1 both)"
        )
        axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


PAYOFF_PARTS = ("security", "values", "economic", "autonomy")


def payoff_components(states: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Mean payoff components per state over the run (and replicates), a stacked bar each,
    states ordered by total payoff; the black tick marks the total."""
    mean = states.groupby("iso3")[[*PAYOFF_PARTS, "payoff"]].mean().sort_values("payoff")
    with styled():
        ax = _axes(ax, (6.5, 0.22 * len(mean) + 1.3))
        y = np.arange(len(mean))
        pos = np.zeros(len(mean))
        neg = np.zeros(len(mean))
        for k, part in enumerate(PAYOFF_PARTS):
            v = mean[part].to_numpy()
            left = np.where(v >= 0, pos, neg)
            ax.barh(y, v, left=left, color=PALETTE[k], label=part, height=0.7)
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        ax.scatter(mean["payoff"], y, marker="|", color="black", s=80, label="total", zorder=3)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_yticks(y, mean.index)
        ax.set_xlabel("Payoff per step (model utility units)")
        ax.set_ylabel("State")
        ax.set_title("Payoff components, mean over the run")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax
