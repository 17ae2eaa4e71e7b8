"""Per-step recording of the state and tie tables, kept as arrays until asked for.

Mesa's DataCollector holds the model-level measures; the step x state and step x pair
tables are recorded here as numpy arrays (one append per step, no per-agent Python),
and turned into tidy DataFrames only when asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from indopacsim.model.model import IndoPacModel

#: Per-state columns of ``states.parquet`` (besides step, date, iso3, doctrine).
STATE_COLUMNS = (
    "trust",
    "alignment",
    "toward_us",
    "toward_china",
    "toward_neither",
    "hedging",
    "security",
    "values",
    "economic",
    "autonomy",
    "payoff",
    "spend",
    "budget",
    "degree",
    "strength",
    "bloc",
)


class Recorder:
    """Collects the states and ties of every step of one model."""

    def __init__(self, model: IndoPacModel):
        self.codes = model.codes
        self.steps: list[int] = []
        self.dates: list[str] = []
        self.doctrines: list[list[str]] = []
        self.state_rows: list[np.ndarray] = []
        self.tie_rows: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        n = len(self.codes)
        self._iu = np.triu_indices(n, 1)
        self._last: tuple[bytes, tuple[np.ndarray, ...]] | None = None

    def _tie_columns(self, ties: np.ndarray) -> tuple[np.ndarray, ...]:
        """Degree and strength (N,) and the pairs with a tie (a, b, level), kept while the
        ties hold (the arrays are shared between steps, never changed)."""
        key = ties.tobytes()
        if self._last is None or self._last[0] != key:
            a, b = self._iu
            lv = ties[a, b]
            nz = lv > 0
            cols = ((ties > 0).sum(axis=1), ties.sum(axis=1, dtype=np.int64), a[nz], b[nz], lv[nz])
            self._last = (key, cols)
        return self._last[1]

    def record(self, model: IndoPacModel) -> None:
        """Append the current step."""
        degree, strength, a, b, lv = self._tie_columns(model.ties)
        pay = model.payoffs
        # one row per state (a transposed view; concatenated in order when asked for)
        cols = np.array(
            [
                model.trust,
                model.alignment,
                model.toward_us,
                model.toward_china,
                model.toward_neither,
                model.hedging,
                pay["security"],
                pay["values"],
                pay["economic"],
                pay["autonomy"],
                pay["payoff"],
                model.spend,
                model.budget,
                degree,
                strength,
                model.blocs,
            ]
        ).T
        self.steps.append(model.steps)
        self.dates.append(model.date)
        self.doctrines.append(list(model.doctrine_names))
        self.state_rows.append(cols)
        self.tie_rows.append((model.steps, a, b, lv))

    def states_frame(self) -> pd.DataFrame:
        """Tidy table: one row per step and state."""
        n, t = len(self.codes), len(self.steps)
        values = np.concatenate(self.state_rows) if t else np.empty((0, len(STATE_COLUMNS)))
        df = pd.DataFrame(values, columns=list(STATE_COLUMNS))
        for c in ("degree", "strength", "bloc"):
            df[c] = df[c].astype(np.int64)
        df.insert(0, "doctrine", [d for row in self.doctrines for d in row])
        df.insert(0, "iso3", np.tile(np.array(self.codes, dtype=object), t))
        df.insert(0, "date", np.repeat(np.array(self.dates, dtype=object), n))
        df.insert(0, "step", np.repeat(np.array(self.steps, dtype=np.int64), n))
        return df

    def ties_frame(self) -> pd.DataFrame:
        """Tidy table: one row per step and pair with level > 0 (a before b in scenario order)."""
        codes = np.array(self.codes, dtype=object)
        parts = [
            pd.DataFrame(
                {
                    "step": np.full(len(lv), step, dtype=np.int64),
                    "a": codes[a],
                    "b": codes[b],
                    "level": lv.astype(np.int64),
                }
            )
            for step, a, b, lv in self.tie_rows
        ]
        if not parts:
            return pd.DataFrame({"step": [], "a": [], "b": [], "level": []})
        df = pd.concat(parts, ignore_index=True)
        dates = dict(zip(self.steps, self.dates, strict=True))
        df.insert(1, "date", df["step"].map(dates))
        return df
