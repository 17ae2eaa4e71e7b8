"""The players of a session, the phases of a game and the record of a resolved turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from indopacsim.classroom.moves import Choice
from indopacsim.classroom.turns import TurnOutcome

LOBBY, PLAYING, PAUSED, FINISHED = "lobby", "playing", "paused", "finished"
MAX_NAME = 24


class GameError(ValueError):
    """An action the game's rules do not allow now (e.g. submitting before the start)."""


@dataclass
class Player:
    """A student in the session: a display name and (once claimed) a state.

    Attributes:
        pid: An opaque identifier chosen by the page (the browser session), never shown.
        number: Order of joining, from 1 (``P01``...): the identifier used in exports.
        name: The display name (the only personal data kept).
        state: The ISO3 code of the state played, or ``None``.
        choice: This turn's submitted moves, or ``None``.
        submitted_at: Seconds since the turn opened when the moves came in.
    """

    pid: str
    number: int
    name: str
    state: str | None = None
    choice: Choice | None = None
    submitted_at: float | None = None

    @property
    def label(self) -> str:
        """``P03``: the anonymous label used in logs and exports."""
        return f"P{self.number:02d}"


@dataclass
class TurnLog:
    """A resolved turn and every player's part in it (the debrief and the per-player log)."""

    outcome: TurnOutcome
    reason: str
    players: list[dict[str, Any]] = field(default_factory=list)


def default_model_factory(scenario: Any, seed: int) -> Any:
    """Build the game's model: ``IndoPacModel(scenario, rng=seed)``."""
    from indopacsim import IndoPacModel

    return IndoPacModel(scenario, rng=seed)


def model_horizon(model: Any) -> int:
    """The steps a game's model runs: its scenario's horizon (a fake model's ``horizon``)."""
    cfg = getattr(model, "config", None)
    if cfg is None:
        return int(getattr(model, "horizon", 1_000_000))
    return int(cfg.time.horizon)


def log_row(p: Player, outcome: TurnOutcome) -> dict[str, Any]:
    """A player's row of the per-player log for a resolved turn."""
    own = p.choice
    doctrine = outcome.doctrine.get(p.state) if p.state else None
    return {
        "turn": outcome.turn,
        "date": outcome.date,
        "player": p.label,
        "name": p.name,
        "state": p.state,
        "submitted": own is not None,
        "seconds": None if p.submitted_at is None else round(p.submitted_at, 2),
        "choice": own.to_dict() if own else None,
        "team_moves": outcome.played[p.state].to_dict() if p.state in outcome.played else None,
        "doctrine_would": doctrine.to_dict() if doctrine else None,
    }
