"""The payoffs of many recorded steps of one Mesa run, computed at once.

Each step of a Mesa run keeps what its payoffs read (:class:`~indopacsim.model.payoffs.
StepPayoffs`); when the state table asks for them, the steps that follow one another
under one config and one set of bonds are stacked as the runs of one engine
(:class:`Steps`: each run one step, with its own years of growth) and their payoffs
computed in one call of :func:`~indopacsim.model.payoffs.realised`. The kernels work run by
run (elementwise, and sums over each run's own rows), so every step's numbers are those
it would have had alone (``tests/test_speed_identity.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from indopacsim.model.engine import Engine
from indopacsim.model.payoffs import StepPayoffs, realised

#: The most pairs (steps x N x N) computed at once (large networks: fewer steps a call).
MAX_PAIRS = 100_000

#: What must be the same objects for steps to be computed together.
_SHARED = ("config", "terms", "status_quo", "world", "bond")


class Steps(Engine):
    """An engine whose runs are recorded steps of one run (each with its own years)."""

    steps_years: tuple[float, ...] = ()

    @property
    def years(self) -> tuple[float, ...]:  # type: ignore[override]
        """The years elapsed at each run's step."""
        return self.steps_years


def resolve(steps: list[StepPayoffs]) -> None:
    """Compute the payoffs of the steps not yet computed, many at once."""
    group: list[StepPayoffs] = []
    for p in steps:
        s = p.state
        if s is None:
            continue
        first = group[0].state if group else None
        pairs = (len(group) + 1) * s["ties"].size
        if first is None or pairs > MAX_PAIRS or any(first[k] is not s[k] for k in _SHARED):
            _compute(group)
            group = []
        group.append(p)
    _compute(group)


def _compute(group: list[StepPayoffs]) -> None:
    """The payoffs of steps under one config and one set of bonds, as the runs of :class:`Steps`."""
    if not group:
        return
    states: list[dict[str, Any]] = [p.state for p in group if p.state is not None]
    eng = group[0].replay(Steps)
    assert isinstance(eng, Steps)
    eng.ties, eng.alarm, eng.us_signal = (
        np.concatenate([s[k] for s in states]) for k in ("ties", "alarm", "us_signal")
    )
    eng.R, eng._kept = len(states), {}
    eng.steps_years = tuple(p.replay(Engine).years for p in group)
    pay, budget = realised(eng), eng.budget()
    for r, p in enumerate(group):
        p.set({k: v[r] for k, v in pay.items()}, budget[r])


__all__ = ["MAX_PAIRS", "Steps", "resolve"]
