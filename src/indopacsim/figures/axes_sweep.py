"""Figures of a sweep: phase diagrams, doctrines across futures, regret, sensitivity.

Every function takes a table (the sweep's ``runs`` table, or an analysis table) and
column names, draws on a given ``ax`` or a new :class:`matplotlib.figure.Figure`, and
changes no global state (see :mod:`indopacsim.figures.axes_run` for the style).

Robustness follows robust decision making (Lempert, Popper & Bankes 2003): a *future*
is a combination of the uncertainties; a doctrine's *regret* in a future is how far its
mean outcome falls short of the best doctrine's there; the minimax-regret doctrine has
the smallest worst-case regret across futures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from indopacsim.figures.axes_run import GREY, PALETTE, _axes, styled


def ok_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs that completed (``status == "ok"``), if the table has a status column."""
    return runs[runs["status"] == "ok"] if "status" in runs.columns else runs


def phase_grid(
    runs: pd.DataFrame, x: str, y: str, outcome: str, threshold: float | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mean of ``outcome`` (or the share of runs with ``outcome >= threshold``) at each
    (x, y) cell, and the number of runs in each cell."""
    df = ok_runs(runs)
    value = (df[outcome] >= threshold).astype(float) if threshold is not None else df[outcome]
    frame = pd.DataFrame({x: df[x], y: df[y], "v": value})
    grid = frame.pivot_table(index=y, columns=x, values="v", aggfunc="mean").sort_index(
        ascending=False
    )
    counts = frame.pivot_table(index=y, columns=x, values="v", aggfunc="count").reindex_like(grid)
    return grid, counts


def phase_diagram(
    runs: pd.DataFrame,
    x: str,
    y: str,
    outcome: str,
    threshold: float | None = None,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """An outcome as a heatmap over two uncertainties, each cell showing its replication count.

    Args:
        runs: The runs table.
        x, y: Parameter columns (the axes).
        outcome: The outcome column.
        threshold: If given, cells show the probability that ``outcome >= threshold``.
        label: Colour-bar label (default derived from the outcome).
        ax: Axes to draw on.
    """
    grid, counts = phase_grid(runs, x, y, outcome, threshold)
    with styled():
        ax = _axes(ax, (5.5, 4.2))
        vmin, vmax = (0.0, 1.0) if threshold is not None else (None, None)
        im = ax.imshow(grid.to_numpy(float), cmap="viridis", aspect="auto", vmin=vmin, vmax=vmax)
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        for (r, c), n in np.ndenumerate(counts.to_numpy()):
            if np.isfinite(n):
                v = grid.to_numpy()[r, c]
                colour = "black" if np.isfinite(v) and v > np.nanmean(grid.to_numpy()) else "white"
                ax.text(c, r, f"n={int(n)}", ha="center", va="center", fontsize=6, color=colour)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        default = f"P({outcome} >= {threshold:g})" if threshold is not None else f"mean {outcome}"
        bar = ax.figure.colorbar(im, ax=ax)
        bar.set_label(label or default)
        ax.set_title(f"{label or default} over {x} x {y}")
    return ax


def doctrine_distributions(
    runs: pd.DataFrame,
    lever: str,
    outcome: str,
    future: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Distribution of an outcome per doctrine (box plots), side by side per future.

    Args:
        runs: The runs table.
        lever: The doctrine column (e.g. ``states.GBR.doctrine``).
        outcome: The outcome column (e.g. a payoff).
        future: An uncertainty column whose values define the futures (optional).
        ax: Axes to draw on.
    """
    df = ok_runs(runs)
    doctrines = sorted(df[lever].unique())
    futures = sorted(df[future].unique()) if future else [None]
    with styled():
        ax = _axes(ax, (6.5, 3.6))
        width = 0.8 / len(doctrines)
        for k, doc in enumerate(doctrines):
            data, pos = [], []
            for f_idx, fut in enumerate(futures):
                sel = df[lever] == doc
                if future:
                    sel &= df[future] == fut
                data.append(df.loc[sel, outcome].to_numpy())
                pos.append(f_idx + (k - (len(doctrines) - 1) / 2) * width)
            colour = PALETTE[k % len(PALETTE)]
            ax.boxplot(
                data,
                positions=pos,
                widths=width * 0.9,
                patch_artist=True,
                boxprops={"facecolor": colour, "alpha": 0.75, "edgecolor": "black"},
                medianprops={"color": "black"},
                flierprops={"markersize": 2},
                manage_ticks=False,
            )
            ax.plot([], [], color=colour, lw=6, label=str(doc))
        ax.set_xticks(range(len(futures)), [f"{fut:g}" if future else "all" for fut in futures])
        ax.set_xlabel(future or "")
        ax.set_ylabel(outcome)
        ax.set_title(
            f"{outcome} by doctrine ({lever})" + (f" across futures ({future})" if future else "")
        )
        ax.legend(title="doctrine", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return ax


def doctrines_across_futures(
    frame: pd.DataFrame, lever: str, outcome: str, future: str | None
) -> Axes:
    """:func:`doctrine_distributions` with futures named by a label column (or none)."""
    if future is None:
        return doctrine_distributions(frame, lever, outcome)
    codes = {v: k for k, v in enumerate(sorted(frame[future].unique()))}
    frame = frame.assign(_future=frame[future].map(codes).astype(float))
    ax = doctrine_distributions(frame, lever, outcome, future="_future")
    ax.set_xticks(range(len(codes)), list(codes))
    ax.set_xlabel("Future")
    ax.set_title(f"{outcome} by doctrine ({lever}) across futures")
    return ax


def regret_table(
    runs: pd.DataFrame,
    lever: str,
    outcome: str,
    futures: Sequence[str],
    maximize: bool = True,
) -> pd.DataFrame:
    """Regret of each doctrine in each future, and its worst case.

    Returns:
        One row per doctrine: the mean outcome over futures, the maximum regret, the
        mean regret, and ``minimax`` (True for the doctrine with the smallest maximum
        regret), sorted by maximum regret.
    """
    df = ok_runs(runs)
    keys = list(futures)
    means = df.groupby([*keys, lever])[outcome].mean().unstack(lever)
    best = means.max(axis=1) if maximize else means.min(axis=1)
    regret = (best.to_numpy()[:, None] - means.to_numpy()) * (1 if maximize else -1)
    table = pd.DataFrame(
        {
            "doctrine": means.columns,
            "mean_outcome": means.mean(axis=0).to_numpy(),
            "max_regret": regret.max(axis=0),
            "mean_regret": regret.mean(axis=0),
            "futures": len(means),
        }
    ).sort_values("max_regret", kind="stable")
    table["minimax"] = table["max_regret"] == table["max_regret"].min()
    return table.reset_index(drop=True)


def regret_by_level(
    runs: pd.DataFrame,
    lever: str,
    outcome: str,
    futures: Sequence[str],
    by: str,
    maximize: bool = True,
) -> pd.DataFrame:
    """:func:`regret_table` within each level of the named uncertainty ``by`` (the
    calibration's parameter sets): is the robust doctrine the same at every set? One block
    of rows per level, in the order the levels first appear, with a column ``by``."""
    parts = [
        regret_table(group, lever, outcome, futures, maximize).assign(**{by: level})
        for level, group in runs.groupby(by, sort=False)
    ]
    return pd.concat(parts, ignore_index=True)


def future_side(runs: pd.DataFrame, column: str) -> pd.Series:
    """A future's side of one uncertainty: a numeric one split at its median, a named one
    (a doctrine, a calibration set) by its level."""
    if not pd.api.types.is_numeric_dtype(runs[column]):
        return column + " " + runs[column].astype(str)
    high = runs[column] > runs[column].median()
    return pd.Series(np.where(high, f"{column} high", f"{column} low"), index=runs.index)


def regret_chart(table: pd.DataFrame, ax: Axes | None = None, label: str | None = None) -> Axes:
    """Bar chart of each doctrine's maximum and mean regret; the minimax choice is marked.
    ``label`` (the lever and the outcome) heads the title when given."""
    with styled():
        ax = _axes(ax, (5.5, 3.2))
        y = np.arange(len(table))
        ax.barh(
            y - 0.18, table["max_regret"], height=0.36, color=PALETTE[1], label="maximum regret"
        )
        ax.barh(y + 0.18, table["mean_regret"], height=0.36, color=PALETTE[0], label="mean regret")
        labels = [
            f"{d} (minimax)" if m else str(d)
            for d, m in zip(table["doctrine"], table["minimax"], strict=True)
        ]
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlabel("Regret (outcome units below the best doctrine in each future)")
        ax.set_ylabel("Doctrine")
        title = f"Robustness across {int(table['futures'].iloc[0])} futures"
        ax.set_title(title if label is None else f"{label}: {title[0].lower()}{title[1:]}")
        # rows run from the smallest maximum regret (top) to the largest: the top right
        # corner is free of bars
        ax.legend(loc="upper right", frameon=False)
    return ax


def sobol_chart(indices: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """First-order (S1) and total (ST) Sobol indices with their confidence intervals.

    ``indices`` has one row per parameter with columns ``parameter``, ``S1``,
    ``S1_conf``, ``ST``, ``ST_conf`` (as SALib reports them).
    """
    with styled():
        ax = _axes(ax, (5.5, 0.4 * len(indices) + 1.2))
        y = np.arange(len(indices))
        for k, (col, label) in enumerate((("S1", "S1 (first order)"), ("ST", "ST (total)"))):
            ax.barh(
                y + 0.36 * k - 0.18,
                indices[col],
                xerr=indices[f"{col}_conf"],
                height=0.36,
                color=PALETTE[k],
                label=label,
                capsize=2,
            )
        ax.set_yticks(y, indices["parameter"])
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_xlabel("Sobol index (share of output variance), 95% interval")
        ax.set_ylabel("Parameter")
        ax.set_title("Sobol sensitivity indices")
        ax.legend(loc="lower right", frameon=False)
    return ax


def morris_chart(indices: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Morris screening: mu* (mean absolute elementary effect) against sigma.

    ``indices`` has columns ``parameter``, ``mu_star``, ``sigma`` and optionally
    ``mu_star_conf`` (horizontal error bars). Points far right matter; points high up
    act non-linearly or through interactions.
    """
    with styled():
        ax = _axes(ax, (5.0, 4.0))
        xerr = indices["mu_star_conf"] if "mu_star_conf" in indices.columns else None
        ax.errorbar(
            indices["mu_star"],
            indices["sigma"],
            xerr=xerr,
            fmt="o",
            color=PALETTE[0],
            ecolor=GREY,
            capsize=2,
        )
        for name, x, y in zip(
            indices["parameter"], indices["mu_star"], indices["sigma"], strict=True
        ):
            ax.annotate(str(name), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7)
        top = float(max(indices["mu_star"].max(), indices["sigma"].max(), 1e-12))
        ax.plot([0, top], [0, top], color=GREY, ls=":", lw=0.8, label="sigma = mu*")
        ax.set_xlabel("mu* (mean absolute elementary effect)")
        ax.set_ylabel("sigma (spread of elementary effects)")
        ax.set_title("Morris screening")
        ax.legend(loc="upper left", frameon=False)
    return ax
