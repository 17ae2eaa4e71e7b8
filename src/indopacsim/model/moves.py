"""Players' moves: a public way to take a state's choices for a step from outside.

The classroom (students playing states) and any scripted policy hand the model a
:class:`Moves` per state with :meth:`IndoPacModel.submit_moves`; at the next step they
replace that state's doctrine-driven choices. A move is the same choice a doctrine makes
(``docs/model.md``, Decisions): which ties to deepen by one rung (an offer: it happens
only when the partner also wants it), which to thin by one rung (unilateral), whether to
engage with China (offer to deepen the tie with it) or distance from it (thin it), and
which doctrine to follow from now on. Whatever a state's moves do not say, nothing else
happens to its ties that step, except upgrades its partners offer and it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from indopacsim.model.hazards import agreement
from indopacsim.scenario.parameters import Ladder

ChinaStance = Literal["engage", "neutral", "distance"]


@dataclass(frozen=True)
class Moves:
    """One state's choices for one step.

    Attributes:
        upgrade: Partners (ISO3) the state is willing to deepen the tie with by one rung.
        downgrade: Partners whose tie the state thins by one rung.
        china: ``"engage"`` adds China to ``upgrade``, ``"distance"`` to ``downgrade``.
        doctrine: A doctrine to follow from this step on (``None``: keep the current one).
    """

    upgrade: frozenset[str] = field(default_factory=frozenset)
    downgrade: frozenset[str] = field(default_factory=frozenset)
    china: ChinaStance = "neutral"
    doctrine: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "upgrade", frozenset(self.upgrade))
        object.__setattr__(self, "downgrade", frozenset(self.downgrade))
        if self.china not in ("engage", "neutral", "distance"):
            raise ValueError(f"china must be engage, neutral or distance, not {self.china!r}")
        both = self.upgrade & self.downgrade
        if both:
            raise ValueError(f"cannot both upgrade and downgrade {sorted(both)[0]}")

    def wanted_up(self, china: str = "CHN") -> frozenset[str]:
        """Partners the state offers to deepen with, the China stance included."""
        return self.upgrade | {china} if self.china == "engage" else self.upgrade

    def wanted_down(self, china: str = "CHN") -> frozenset[str]:
        """Partners the state thins, the China stance included."""
        return self.downgrade | {china} if self.china == "distance" else self.downgrade


def player_delta(
    moves: dict[int, Moves],
    codes: tuple[str, ...],
    ties: np.ndarray,
    caps: np.ndarray,
    up: np.ndarray,
    floor: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The changes the players' moves make to one run's ties, and the pairs they decide.

    Args:
        moves: Moves by state row.
        codes: State codes by row.
        ties: (N, N) levels now.
        caps: (N, N) highest level per pair for each valuer.
        up: (N, N) the model's net value of an upgrade for each valuer (for the consent
            of partners the model plays).
        floor: (N, N) lowest level each pair may be cut to (``World.floor``: the treaty
            ties among members of a multilateral alliance); 0 when ``None``.

    Returns:
        (delta, decided): the change (N, N) in {-1, 0, +1} and a mask of the pairs whose
        change the players decided (the model's draws do not apply to them).
    """
    n = len(codes)
    pos = {c: i for i, c in enumerate(codes)}
    willing = up > 0
    down = np.zeros((n, n), dtype=bool)
    decided = np.zeros((n, n), dtype=bool)
    for i, m in moves.items():
        willing[i] = False
        for c in m.wanted_up():
            if c in pos:
                willing[i, pos[c]] = True
        for c in m.wanted_down():
            if c in pos:
                down[i, pos[c]] = True
        decided[i] = decided[:, i] = True
    room = (ties < caps) & (ties < caps.T)
    go_up = willing & willing.T & room & ~(down | down.T)
    go_down = (down | down.T) & (ties > (0 if floor is None else floor))
    delta = go_up.astype(np.int8) - go_down.astype(np.int8)
    np.fill_diagonal(delta, 0)
    np.fill_diagonal(decided, False)
    return delta, decided


def likely_moves(
    row: int,
    codes: tuple[str, ...],
    ties: np.ndarray,
    caps: np.ndarray,
    values: tuple[np.ndarray, np.ndarray],
    ladder: Ladder,
    china: int,
    floor: np.ndarray | None = None,
) -> Moves:
    """The moves a state's doctrine would most likely make now, for debriefs.

    Noise-free: its best upgrades (``ladder.max_initiatives``; with ``ladder.pursuit``
    feasible, the best among the deals worth making to the pair, as the model pursues
    them) and its most wanted downgrade, each only when its net value exceeds the scale
    of its hazard (``ladder.hazard_scale`` for an upgrade, ``ladder.down_scale`` for a
    cut: the value at which the hazard reaches 63% of its top rate, a move the model
    makes at a good part of its full pace); an upgrade also needs the partner's gain to
    be positive.

    Args:
        row: The state's row.
        codes: State codes by row.
        ties: (N, N) levels now.
        caps: (N, N) highest level per pair for each valuer.
        values: The (N, N) noise-free net values of a move up and of a move down.
        ladder: The ladder parameters in force.
        china: China's row (-1 when absent).
        floor: (N, N) lowest level each pair may be cut to (0 when ``None``).
    """
    u, d = values
    bar = ladder.hazard_scale
    room = (ties < caps) & (ties < caps.T)
    u_row = np.where(room[row], u[row], -np.inf)
    if ladder.feasible:
        deal = agreement(np.where(room, u, -np.inf)[None], ladder.side_payments)[0]
        u_row = np.where(deal[row] > 0.0, u_row, -np.inf)
    best = [
        j for j in np.argsort(-u_row)[: ladder.max_initiatives] if u_row[j] > bar and u[j, row] > 0
    ]
    d_row = np.where(ties[row] > (0 if floor is None else floor[row]), d[row], -np.inf)
    worst = int(np.argmax(d_row))
    ups = frozenset(codes[j] for j in best)
    downs = frozenset([codes[worst]]) if d_row[worst] > ladder.down_scale else frozenset()
    stance: ChinaStance = "neutral"
    if china >= 0 and codes[china] in ups:
        stance = "engage"
    elif china >= 0 and codes[china] in downs:
        stance = "distance"
    return Moves(upgrade=ups, downgrade=downs, china=stance)
