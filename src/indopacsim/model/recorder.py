"""Per-step recording of the state and tie tables, kept as arrays until asked for.

Mesa's DataCollector holds the model-level measures (:class:`Collector` takes each step's
row from the model's history when they are read); the step x state and step x pair
tables are recorded here as numpy arrays (one append per step, no per-agent Python),
and turned into tidy DataFrames only when asked for, with the measures and payoffs the
steps left to be computed (:mod:`indopacsim.model.history`, :mod:`indopacsim.model.replay`).
"""

from __future__ import annotations

import functools
from copy import deepcopy
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import pandas as pd

from indopacsim.caching import frozen
from indopacsim.model.payoffs import PARTS, StepPayoffs
from indopacsim.model.replay import resolve

if TYPE_CHECKING:
    from indopacsim.model.history import History
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


#: Columns of :data:`STATE_COLUMNS` recorded at each step, the payoff parts (in
#: :data:`indopacsim.model.payoffs.PARTS` order) and the budget (computed when asked for).
_PAID = [STATE_COLUMNS.index(c) for c in PARTS]
_BUDGET = STATE_COLUMNS.index("budget")
#: The columns recorded at each step, and the measures taken from the model's history.
_EAGER = [STATE_COLUMNS.index(c) for c in ("trust", "spend", "degree", "strength")]
_MEASURED = ("alignment", "toward_us", "toward_china", "toward_neither", "hedging", "blocs")
_COLUMN = {"blocs": "bloc"}
_INTS = ("degree", "strength", "bloc")

#: Types whose values Mesa's DataCollector keeps without a deep copy (the copy is the value).
_IMMUTABLE = frozenset((str, int, bool, float))


class Collector(mesa.DataCollector):
    """Mesa's DataCollector, collecting model attributes (reporters given as their names)
    without the deep copy of immutable values: the same ``model_vars``, a quicker step.

    With a ``history`` (:class:`indopacsim.model.history.History`) that holds every
    reporter, a step's values are taken from its row when ``model_vars`` is read."""

    _plain: list[tuple[list[Any], str]] | None = None
    history: History | None = None

    def _vars(self) -> dict[str, list[Any]]:
        if self._waiting:
            self._fill()
        return self._model_vars

    def _set_vars(self, value: dict[str, list[Any]]) -> None:
        self._model_vars = value
        self._waiting: list[int] = []

    model_vars = property(_vars, _set_vars)

    def collect(self, model: Any) -> None:
        """Collect the model's measures now (Mesa's own path unless every reporter is a name;
        with a history holding every reporter, the step's row is read when asked for)."""
        if self._plain is None:
            reporters = self.model_reporters.items()
            plain = not (self.agent_reporters or self.agenttype_reporters) and all(
                isinstance(r, str) for _, r in reporters
            )
            names = {r for _, r in reporters}
            if not (plain and self.history is not None and names <= self.history.names):
                self.history = None
                super().collect(model)
                if plain:
                    self._plain = [(self._model_vars[v], r) for v, r in reporters]
                return
            self._plain = [(self._model_vars[v], r) for v, r in reporters]
        self._collection_steps.append(model.time)
        if self.history is not None:
            self._waiting.append(len(self.history) - 1)
            return
        for values, name in self._plain:
            value = getattr(model, name, None)
            values.append(value if type(value) in _IMMUTABLE else deepcopy(value))

    def _fill(self) -> None:
        """Take the values of the steps collected since the last read from their rows."""
        waiting, self._waiting = self._waiting, []
        assert self.history is not None and self._plain is not None
        self.history.compute()
        rows = [self.history.rows[i] for i in waiting]
        for values, name in self._plain:
            column = [row[name] for row in rows]
            if not set(map(type, column)) <= _IMMUTABLE:
                column = [v if type(v) in _IMMUTABLE else deepcopy(v) for v in column]
            values.extend(column)


def model_frame(model_vars: dict[str, list[Any]]) -> pd.DataFrame:
    """``pd.DataFrame(model_vars)`` with its index as a first column ``step``: each column
    of plain floats, ints or strings is made an array of the dtype pandas would infer."""
    steps = len(next(iter(model_vars.values()), []))
    if not steps:
        df = pd.DataFrame(model_vars)
        df.index.name = "step"
        return df.reset_index()
    data: dict[str, Any] = {"step": np.arange(steps, dtype=np.int64)}
    for name, values in model_vars.items():
        data[name] = _column(values)
    return pd.DataFrame(data, copy=False)


def _column(values: list[Any]) -> Any:
    kinds = set(map(type, values))
    if len(kinds) != 1:
        return values
    kind = kinds.pop()
    if kind is float:
        return np.array(values, dtype=np.float64)
    if kind is int and min(values) >= -(2**63) and max(values) < 2**63:
        return np.array(values, dtype=np.int64)
    if kind is str:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return values


@functools.cache
def upper_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.triu_indices(n, 1)``, kept for each ``n`` (read-only)."""
    return frozen(*np.triu_indices(n, 1))


@functools.lru_cache(maxsize=4096)
def step_date(time: Any, step: int) -> str:
    """The ISO date at the end of a step under a time section (kept)."""
    return str(time.state_date(step).isoformat())


class Recorder:
    """Collects the states and ties of every step of one model (its measures and payoffs
    are taken from the model's history and steps, the tie columns from the recorded
    networks, when asked for)."""

    def __init__(self, model: IndoPacModel):
        self.codes = model.codes
        self.history = model.history
        self.steps: list[int] = []
        self.rows: list[int] = []
        self.doctrines: list[tuple[str, ...]] = []
        self.trust: list[np.ndarray] = []
        self.spend: list[np.ndarray] = []
        self.networks: list[np.ndarray] = []  # each step's ties (N, N), read-only, shared
        self.payoff_rows: list[StepPayoffs] = []
        n = len(self.codes)
        self._iu = upper_pairs(n)
        self._flat = self._iu[0] * n + self._iu[1]  # the same pairs as flat cells

    def record(self, model: IndoPacModel) -> None:
        """Append the current step (after the model's history has taken it)."""
        self.networks.append(self.history.ties)
        self.trust.append(model.trust.copy())
        self.spend.append(model.spend)  # read-only (the engine's, kept with the ties)
        self.steps.append(model.steps)
        self.rows.append(len(self.history) - 1)
        self.doctrines.append(model.engine.names0)
        self.payoff_rows.append(model.step_payoffs)

    def _tie_columns(self) -> list[tuple[np.ndarray, ...]]:
        """Degree and strength (N,) and the pairs with a tie (a, b, level) of each step's
        network (computed once while the ties hold; the arrays are shared, never changed)."""
        out: list[tuple[np.ndarray, ...]] = []
        for k, ties in enumerate(self.networks):
            if k and ties is self.networks[k - 1]:
                out.append(out[-1])
                continue
            lv = ties.reshape(-1).take(self._flat)
            nz = lv > 0
            degree = np.add.reduce(ties > 0, axis=1, dtype=np.intp)  # as numpy sums bools
            strength = np.add.reduce(ties, axis=1, dtype=np.int64)
            out.append((degree, strength, self._iu[0][nz], self._iu[1][nz], lv[nz]))
        return out

    def tie_tables(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """Each step's pairs with a tie: (step, a, b, level), a before b in scenario order."""
        cols = self._tie_columns()
        return [(step, c[2], c[3], c[4]) for step, c in zip(self.steps, cols, strict=True)]

    @property
    def dates(self) -> list[str]:
        """The date of each recorded step."""
        self.history.compute()
        return [self.history.rows[i]["date"] for i in self.rows]

    def states_frame(self) -> pd.DataFrame:
        """Tidy table: one row per step and state."""
        n, t = len(self.codes), len(self.steps)
        values = np.empty((n * t, len(STATE_COLUMNS)))
        if t:
            self.history.compute()
            rows = [self.history.rows[i] for i in self.rows]
            # one row per state, as the steps' columns stacked (transposed), in order
            state = zip(self.trust, self.spend, self._tie_columns(), strict=True)
            eager = [np.array([tr, sp, c[0], c[1]]).T for tr, sp, c in state]
            values[:, _EAGER] = np.concatenate(eager)
            for name in _MEASURED:
                values[:, STATE_COLUMNS.index(_COLUMN.get(name, name))] = np.concatenate(
                    [row[name] for row in rows]
                )
            resolve(self.payoff_rows)
            pays = [p.get() for p in self.payoff_rows]
            for col, part in zip(_PAID, PARTS, strict=True):
                values[:, col] = np.concatenate([pay[part] for pay, _ in pays])
            values[:, _BUDGET] = np.concatenate([budget for _, budget in pays])
        data: dict[str, Any] = {
            "step": np.repeat(np.array(self.steps, dtype=np.int64), n),
            "date": np.repeat(np.array(self.dates, dtype=object), n),
            "iso3": np.tile(np.array(self.codes, dtype=object), t),
            "doctrine": [d for row in self.doctrines for d in row],
        }
        for k, name in enumerate(STATE_COLUMNS):
            data[name] = values[:, k].astype(np.int64) if name in _INTS else values[:, k]
        return pd.DataFrame(data)

    def ties_frame(self) -> pd.DataFrame:
        """Tidy table: one row per step and pair with level > 0 (a before b in scenario order)."""
        codes = np.array(self.codes, dtype=object)
        rows = self.tie_tables()
        if not rows:
            return pd.DataFrame({"step": [], "a": [], "b": [], "level": []})
        if all(len(lv) for *_, lv in rows):  # the steps' tables, concatenated as arrays
            steps = np.array([step for step, *_ in rows], dtype=np.int64)
            a, b, lv = (np.concatenate([r[k] for r in rows]) for k in (1, 2, 3))
            data = {"step": np.repeat(steps, [len(r[3]) for r in rows]), "a": codes[a]}
            df = pd.DataFrame({**data, "b": codes[b], "level": lv.astype(np.int64)})
        else:  # a step without ties: the column types as pandas concatenates them
            df = pd.concat([_tie_part(codes, *row) for row in rows], ignore_index=True)
        dates = dict(zip(self.steps, self.dates, strict=True))
        df.insert(1, "date", df["step"].map(dates))
        return df


def _tie_part(
    codes: np.ndarray, step: int, a: np.ndarray, b: np.ndarray, lv: np.ndarray
) -> pd.DataFrame:
    """One step's rows of the ties table."""
    return pd.DataFrame(
        {
            "step": np.full(len(lv), step, dtype=np.int64),
            "a": codes[a],
            "b": codes[b],
            "level": lv.astype(np.int64),
        }
    )
