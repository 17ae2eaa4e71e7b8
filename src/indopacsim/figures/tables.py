"""Tables of a run's result that reports and figures read: the first replicate, blocs at
the end, the largest tie changes, a pair's level by year (each from the tidy tables of a
run directory or a :class:`~indopacsim.runner.RunResult`)."""

from __future__ import annotations

import pandas as pd

from indopacsim.coalitions import measures as coalitions


def format_table(df: pd.DataFrame, floatfmt: str = "{:.2f}") -> str:
    """A table as text without its index; floats formatted, missing values as ``-``."""
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
