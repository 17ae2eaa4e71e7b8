"""The readable summary printed after ``indopacsim run`` (it sees only the result tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from indopacsim.figures.tables import (
    blocs_at_end,
    first_replicate,
    format_table,
    pair_by_year,
    tie_changes,
)
from indopacsim.model.world import state_table
from indopacsim.tiescale import STRONG

if TYPE_CHECKING:
    from indopacsim.runner import RunResult


def summary(result: RunResult) -> str:
    """Text summary of a :class:`~indopacsim.runner.RunResult`."""
    sc = result.scenario
    k = len(result.seeds)
    t = sc.time
    lines = [
        f"indopacsim run: {sc.name}  ({k} replicate{'s' if k > 1 else ''}, "
        f"seed{'s' if k > 1 else ''} {result.root_seed if k > 1 else result.seeds[0]}"
        f"{' (root)' if k > 1 else ''}; {t.horizon} {t.step}ly steps, {t.start} to {t.end}; "
        f"{len(sc.codes)} states; {result.wall_seconds:.2f} s)",
        "",
    ]
    lines += _events(result)
    lines += _blocs_and_changes(result)
    states = first_replicate(result.states)
    last = states[states["step"] == states["step"].max()]
    cols = ["iso3", "doctrine", "trust", "alignment", "hedging", "payoff", "strength"]
    lines.append("States at the end (alignment: -1 China camp .. +1 US camp; hedging 0..1):")
    lines.append(format_table(last[cols]))
    lines.append("")
    lines += _uk_japan_by_year(result)
    lines += _end_measures(result)
    return "\n".join(lines)


def _events(result: RunResult) -> list[str]:
    events = first_replicate(result.events)
    if not len(events):
        return []
    lines = ["Events applied:"]
    for date, event, note in events[["date", "event", "note"]].itertuples(index=False):
        extra = f"  ({note})" if note else ""
        lines.append(f"  {date}  {event}{extra}")
    return [*lines, ""]


def _blocs_and_changes(result: RunResult) -> list[str]:
    cap = state_table(result.scenario)["capability"]
    ties = first_replicate(result.ties)
    blocs = blocs_at_end(ties, first_replicate(result.states), cap)
    header = "Blocs at the end (communities of the level-weighted tie network"
    changes = tie_changes(ties)
    return [
        header + (", replicate 0):" if len(result.seeds) > 1 else "):"),
        format_table(blocs) if len(blocs) else "  none",
        "",
        "Largest tie changes (level at the start -> at the end):",
        format_table(changes) if len(changes) else "  none",
        "",
    ]


def _uk_japan_by_year(result: RunResult) -> list[str]:
    if not result.model["uk_japan"].notna().any():
        return []
    k = len(result.seeds)
    by_year = pair_by_year(result.model)
    lines = [
        "UK-Japan tie level by year (end of year"
        + (", mean [min, max] over replicates):" if k > 1 else "):")
    ]
    if k > 1:
        cells = [f"{r.year}: {r.mean:.2f} [{r.min:.0f}, {r.max:.0f}]" for r in by_year.itertuples()]
    else:
        cells = [f"{r.year}: {r.mean:.0f}" for r in by_year.itertuples()]
    lines.extend("  " + "  ".join(cells[i : i + 6]) for i in range(0, len(cells), 6))
    return [*lines, ""]


def _end_measures(result: RunResult) -> list[str]:
    k = len(result.seeds)
    end = result.model[result.model["step"] == result.model["step"].max()]
    measures = ["n_strong", "networked_alliance", "n_blocs", "mean_trust", "mean_hedging"]
    stats = end[measures].agg(["mean", "std"]).T if k > 1 else end[measures].T
    lines = [f"End-of-run measures (strong = level >= {STRONG}):"]
    if k > 1:
        lines.extend(f"  {m:<20} {r['mean']:.3f} (sd {r['std']:.3f})" for m, r in stats.iterrows())
    else:
        lines.extend(
            f"  {m:<20} {float(np.asarray(v).ravel()[0]):.3f}" for m, v in stats.iterrows()
        )
    lines.append(
        "  (n_blocs: connected groups of strong ties; the blocs listed above are the "
        "communities of the whole tie network)"
    )
    return lines
