"""Doctrine learning for states that follow the ``adaptive`` doctrine.

Reinforcement learning with recency and logit choice (Erev & Roth 1998, "Predicting how
people play games", American Economic Review 88(4); the logit choice rule as in Camerer
& Ho 1999's experience-weighted attraction): an adaptive state plays one of the learnable
doctrines at a time; every ``revise_every`` steps it credits the mean payoff it realised
with the doctrine it played,

    A_d <- (1 - phi) * A_d + [d played] * (mean payoff - aspiration),

and draws the doctrine for the next period with probability proportional to
``exp(A_d / temperature)``. Reinforcement is relative to an aspiration level, the
state's own running mean payoff (``aspiration <- (1 - phi) aspiration + phi mean``; Macy &
Flache 2002, Börgers & Sarin 2000): a doctrine that does worse than usual is played
less, so a state does not lock into whatever it tried first. Attractions start at zero,
so the first choice is uniform; the aspiration starts at the first period's payoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DoctrineLearner:
    """Attractions and choices of the adaptive states (rows ``rows`` of the model).

    Attributes:
        rows: Model rows of the adaptive states.
        options: Names of the learnable doctrines (columns of ``attraction``).
        attraction: (len(rows), len(options)) attractions.
        playing: Index into ``options`` of the doctrine each adaptive state plays now.
        accumulated: Payoff summed since the last revision.
        steps: Steps since the last revision.
    """

    rows: np.ndarray
    options: tuple[str, ...]
    attraction: np.ndarray = field(init=False)
    playing: np.ndarray = field(init=False)
    accumulated: np.ndarray = field(init=False)
    aspiration: np.ndarray = field(init=False)
    steps: int = 0

    def __post_init__(self) -> None:
        self.attraction = np.zeros((len(self.rows), len(self.options)))
        self.playing = np.zeros(len(self.rows), dtype=np.intp)
        self.accumulated = np.zeros(len(self.rows))
        self.aspiration = np.full(len(self.rows), np.nan)

    def choose(self, rng: np.random.Generator, temperature: float) -> None:
        """Draw each adaptive state's doctrine by logit choice over its attractions."""
        if not len(self.rows):
            return
        z = self.attraction / temperature
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        u = rng.random(len(self.rows))
        self.playing = np.minimum(
            (p.cumsum(axis=1) < u[:, None]).sum(axis=1), len(self.options) - 1
        )

    def observe(self, payoff: np.ndarray) -> None:
        """Accumulate one step's realised payoffs (full model vector)."""
        self.accumulated += payoff[self.rows]
        self.steps += 1

    def revise(self, recency: float) -> None:
        """Credit the mean payoff since the last revision to the doctrines played."""
        if not len(self.rows) or self.steps == 0:
            return
        mean = self.accumulated / self.steps
        self.aspiration = np.where(np.isnan(self.aspiration), mean, self.aspiration)
        self.attraction *= 1.0 - recency
        self.attraction[np.arange(len(self.rows)), self.playing] += mean - self.aspiration
        self.aspiration += recency * (mean - self.aspiration)
        self.accumulated[:] = 0.0
        self.steps = 0

    def add(self, row: int) -> None:
        """Start learning for a state that switches to ``adaptive`` during a run."""
        if row in self.rows:
            return
        self.rows = np.append(self.rows, row)
        self.attraction = np.vstack([self.attraction, np.zeros(len(self.options))])
        self.playing = np.append(self.playing, 0)
        self.accumulated = np.append(self.accumulated, 0.0)
        self.aspiration = np.append(self.aspiration, np.nan)

    def remove(self, row: int) -> None:
        """Stop learning for a state that leaves ``adaptive``."""
        keep = self.rows != row
        self.rows, self.attraction = self.rows[keep], self.attraction[keep]
        self.playing, self.accumulated = self.playing[keep], self.accumulated[keep]
        self.aspiration = self.aspiration[keep]
