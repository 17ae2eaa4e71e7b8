"""The readable summary printed after ``indopacsim run`` (it sees only the result tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indopacsim.coalitions.measures import STRONG
from indopacsim.model.world import state_table

if TYPE_CHECKING:
    from indopacsim.runner import RunResult


def _fmt_table(df: pd.DataFrame, floatfmt: str = "{:.2f}") -> str:
    shown = df.copy()
    for c in shown.columns:
        if pd.api.types.is_float_dtype(shown[c]):
            shown[c] = shown[c].map(lambda v: floatfmt.format(v) if pd.notna(v) else "-")
    return shown.to_string(index=False)


def first_replicate(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of the first replicate (all rows of a table without replicates)."""
    return df[df["replicate"] == df["replicate"].min()] if "replicate" in df.columns else df


def blocs_at_end(ties: pd.DataFrame, states: pd.DataFrame, capability: pd.Series) -> pd.DataFrame:
    """Blocs at the last step: communities of the level-weighted tie network (Louvain,
    seed 0) with two or more members, with capability share and cohesion."""
    from indopacsim.coalitions import measures as coalitions

    step = int(states["step"].max())
    codes = list(dict.fromkeys(states["iso3"]))
    m = coalitions.ties_matrix(ties, codes, step)
    labels = coalitions.communities(m, seed=0)
    cap = capability.reindex(codes).to_numpy(float)
    return coalitions.bloc_table(m, labels, cap, codes).drop(columns="bloc")


def tie_changes(ties: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The pairs whose level changed most between the first and the last step."""
    first, last = ties["step"].min(), ties["step"].max()
    a = ties[ties["step"] == first].set_index(["a", "b"])["level"]
    b = ties[ties["step"] == last].set_index(["a", "b"])["level"]
    both = pd.concat([a.rename("start"), b.rename("end")], axis=1).fillna(0).astype(int)
    both["change"] = both["end"] - both["start"]
    both = both[both["change"] != 0]
    both = both.reindex(both["change"].abs().sort_values(ascending=False, kind="stable").index)
    out = both.head(top).reset_index()
    out.insert(0, "pair", out["a"] + "-" + out["b"])
    return out[["pair", "start", "end", "change"]]


def pair_by_year(model: pd.DataFrame, column: str = "uk_japan") -> pd.DataFrame:
    """Mean (over replicates) level of a pair at the last step of each calendar year."""
    df = model[["step", "date", column, *(["replicate"] if "replicate" in model else [])]].copy()
    df["year"] = df["date"].str[:4]
    last = df.groupby([c for c in ("replicate", "year") if c in df], as_index=False).last()
    return last.groupby("year", as_index=False)[column].agg(["mean", "min", "max"])


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
    events = first_replicate(result.events)
    if len(events):
        lines.append("Events applied:")
        for date, event, note in events[["date", "event", "note"]].itertuples(index=False):
            extra = f"  ({note})" if note else ""
            lines.append(f"  {date}  {event}{extra}")
        lines.append("")
    cap = state_table(sc)["capability"]
    states = first_replicate(result.states)
    blocs = blocs_at_end(first_replicate(result.ties), states, cap)
    header = "Blocs at the end (communities of the level-weighted tie network"
    lines.append(header + (", replicate 0):" if k > 1 else "):"))
    lines.append(_fmt_table(blocs) if len(blocs) else "  none")
    lines.append("")
    changes = tie_changes(first_replicate(result.ties))
    lines.append("Largest tie changes (level at the start -> at the end):")
    lines.append(_fmt_table(changes) if len(changes) else "  none")
    lines.append("")
    last = states[states["step"] == states["step"].max()]
    cols = ["iso3", "doctrine", "trust", "alignment", "hedging", "payoff", "strength"]
    lines.append("States at the end (alignment: -1 China camp .. +1 US camp; hedging 0..1):")
    lines.append(_fmt_table(last[cols]))
    lines.append("")
    if result.model["uk_japan"].notna().any():
        by_year = pair_by_year(result.model)
        lines.append(
            "UK-Japan tie level by year (end of year"
            + (", mean [min, max] over replicates):" if k > 1 else "):")
        )
        if k > 1:
            cells = [
                f"{r.year}: {r.mean:.2f} [{r.min:.0f}, {r.max:.0f}]" for r in by_year.itertuples()
            ]
        else:
            cells = [f"{r.year}: {r.mean:.0f}" for r in by_year.itertuples()]
        lines.extend("  " + "  ".join(cells[i : i + 6]) for i in range(0, len(cells), 6))
        lines.append("")
    end = result.model[result.model["step"] == result.model["step"].max()]
    measures = ["n_strong", "networked_alliance", "n_blocs", "mean_trust", "mean_hedging"]
    stats = end[measures].agg(["mean", "std"]).T if k > 1 else end[measures].T
    lines.append(f"End-of-run measures (strong = level >= {STRONG}):")
    if k > 1:
        lines.extend(f"  {m:<20} {r['mean']:.3f} (sd {r['std']:.3f})" for m, r in stats.iterrows())
    else:
        lines.extend(
            f"  {m:<20} {float(np.asarray(v).ravel()[0]):.3f}" for m, v in stats.iterrows()
        )
    return "\n".join(lines)
