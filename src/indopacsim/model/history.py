"""The model's measures of each step, computed when they are first read.

A step of the Mesa model leaves what its measures read in a :class:`History`: a copy of
the ties (shared while they hold), trust, the US signal, the moves and the config in
force. The measures (camp profiles, blocs, polarization, the counts of ties, the means of
trust, alignment and hedging, ...) are computed from those copies when something reads
them: the model frame, the state table, or the model's attributes (``model.alignment``
reads the measures of the last step). They are computed in step order, by the same
functions the step used to call, so every value is the number the step would have had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from indopacsim.caching import frozen
from indopacsim.coalitions.measures import camp_profile
from indopacsim.model.recorder import step_date
from indopacsim.model.terms import camp
from indopacsim.model.tiemeasures import Cells, tie_measures

if TYPE_CHECKING:
    from indopacsim.model.model import IndoPacModel
    from indopacsim.model.world import World
    from indopacsim.scenario.schema import Scenario

#: The model's attributes that are measures of the last step, computed when first read.
LAZY = (
    "camp",
    "alignment",
    "toward_us",
    "toward_china",
    "toward_neither",
    "hedging",
    "blocs",
    "polarization",
    "n_blocs",
    "largest_bloc_share",
    "networked_ties",
    "networked_alliance",
    "mean_level",
    "n_ties",
    "n_strong",
    "n_treaty",
    "stable_since",
    "mean_trust",
    "mean_alignment",
    "mean_hedging",
    "date",
    "uk_japan",
    "upgrades",
    "downgrades",
    "churn",
)

#: The measures of a step that are arrays (N,), one value per state.
ARRAYS = ("camp", "alignment", "toward_us", "toward_china", "toward_neither", "hedging", "blocs")

#: The measures of a step that are one number or a date (the DataCollector's), and the moves.
SCALARS = (*(name for name in LAZY if name not in ARRAYS), "us_signal")

#: Steps left uncomputed at most (their copies of the ties are let go once computed).
_PENDING = 256


class _Step(NamedTuple):
    """What one step leaves for its measures."""

    key: bytes  # the bytes of the ties
    ties: np.ndarray  # (N, N), read-only
    trust: np.ndarray  # (N,)
    cfg: Scenario
    world: World
    steps: int
    delta: np.ndarray  # the step's change of the ties (N, N): its upgrades and downgrades
    signal: float  # the US signal


class History:
    """The steps of one Mesa model and, once computed, their measures.

    Args:
        model: The model (its cells, the rows whose means are taken, the pair GBR-JPN).
        arrays: Keep the per-state measures of every step (for the state table), not only
            its numbers (:data:`SCALARS`).
    """

    #: The names each step's row holds (:data:`SCALARS`).
    names = frozenset(SCALARS)

    def __init__(self, model: IndoPacModel, arrays: bool):
        self._cells: Cells = model.tie_cells
        self._others = model._others
        codes = model.codes
        both = "GBR" in codes and "JPN" in codes
        self._pair = (codes.index("GBR"), codes.index("JPN")) if both else None
        self.rows: list[dict[str, Any]] = []  # the model-level measures of each step
        self._arrays = arrays
        self._todo: list[_Step] = []
        self._ties: tuple[bytes, np.ndarray] | None = None
        self._tie_values: tuple[bytes, dict[str, Any]] | None = None
        self._since: tuple[np.ndarray | None, int] = (None, 0)
        self.last: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self.rows) + len(self._todo)

    @property
    def ties(self) -> np.ndarray:
        """The ties (N, N) of the last step observed: read-only, the same array while they hold."""
        assert self._ties is not None
        return self._ties[1]

    def observe(self, model: IndoPacModel) -> None:
        """Keep what the model's step (now ended) leaves for its measures."""
        eng = model.engine
        key = eng.ties.tobytes()
        if self._ties is None or self._ties[0] != key:
            self._ties = (key, frozen(eng.ties[0].copy())[0])
        trust, delta = eng.trust[0].copy(), eng.last_delta[0].copy()
        step = (eng.config, eng.world, model.steps, delta, float(eng.us_signal[0]))
        self._todo.append(_Step(key, self._ties[1], trust, *step))
        if len(self._todo) >= _PENDING:
            self.compute()

    def compute(self) -> None:
        """Compute the measures of the steps not yet computed, in order."""
        todo, self._todo = self._todo, []
        if not todo:
            return
        tied = self._tie_measures(todo)
        # the upgrades and downgrades: the pairs whose tie moved up or down, counted at once
        moved = np.array([s.delta for s in todo]).reshape(len(todo), -1)
        moved = moved.take(self._cells.upper, axis=1)
        ups = np.count_nonzero(moved > 0, axis=1).tolist()
        downs = np.count_nonzero(moved < 0, axis=1).tolist()
        steps = zip(todo, tied, ups, downs, strict=True)
        outs = [self._measure(step, values, up, down) for step, values, up, down in steps]
        # the means of trust, alignment and hedging over the states (not the great powers),
        # each as numpy takes the mean of one row
        cols = np.array(
            [(s.trust, o["alignment"], o["hedging"]) for s, o in zip(todo, outs, strict=True)]
        )
        means = np.add.reduce(cols[:, :, self._others], axis=2) / len(self._others)
        for out, (trust, alignment, hedging) in zip(outs, means.tolist(), strict=True):
            out.update(mean_trust=trust, mean_alignment=alignment, mean_hedging=hedging)
            self.rows.append(out if self._arrays else {k: out[k] for k in SCALARS})
        self.last = outs[-1]

    def current(self) -> dict[str, Any]:
        """The measures of the last step (computed now if need be)."""
        self.compute()
        return self.last

    def _measure(
        self, step: _Step, tied: dict[str, Any], upgrades: int, downgrades: int
    ) -> dict[str, Any]:
        out = dict(tied)
        blocs, since = self._since
        # bloc labels are canonical (each bloc's smallest member): equal labels, same partition
        labels = out["blocs"]
        if blocs is None or not (blocs is labels or _same(blocs, labels)):
            since = step.steps
        self._since = (labels, since)
        pair = self._pair
        out.update(
            stable_since=since,
            date=step_date(step.cfg.time, step.steps),
            uk_japan=float(step.ties[pair]) if pair is not None else float("nan"),
            upgrades=upgrades,
            downgrades=downgrades,
            churn=upgrades + downgrades,
            us_signal=step.signal,
        )
        return out

    def _tie_measures(self, todo: list[_Step]) -> list[dict[str, Any]]:
        """The measures of the ties alone of each step (the same dict while the ties hold);
        the networks that follow one another under one world are measured at once."""
        last = self._tie_values
        groups: list[list[_Step]] = []  # the steps whose ties differ from the step before
        key = last[0] if last is not None else None
        for step in todo:
            if step.key != key:
                key = step.key
                head = groups[-1][0] if groups else None
                if head is not None and head.world is step.world and head.cfg is step.cfg:
                    groups[-1].append(step)
                else:
                    groups.append([step])
        values = {id(s): v for g in groups for s, v in zip(g, self._measure_ties(g), strict=True)}
        out = []
        for step in todo:
            if id(step) in values:
                last = (step.key, values[id(step)])
            assert last is not None
            out.append(last[1])
        self._tie_values = last
        return out

    def _measure_ties(self, group: list[_Step]) -> list[dict[str, Any]]:
        """:func:`tie_measures` of the networks of steps under one world and config, their
        camps and camp profiles taken at once (each network's own numbers)."""
        ties = np.array([step.ties for step in group])
        w, cfg = group[0].world, group[0].cfg
        camps = camp(ties, w.us, w.china)
        profile = camp_profile(ties, camps)
        return tie_measures(ties, camps, profile, w, cfg.ladder.bloc_level, self._cells)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """``np.array_equal`` of two label arrays of one dtype, without its Python wrapper."""
    return a.shape == b.shape and a.tobytes() == b.tobytes()


__all__ = ["ARRAYS", "LAZY", "SCALARS", "History"]
