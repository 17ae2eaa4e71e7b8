"""One turn of the game on the model, and the news it makes.

:func:`advance` is the only code that steps the model in a game, so that a live game and
its replay from the log (:mod:`indopacsim.classroom.record`) make exactly the same calls
in the same order: first what every playable state's doctrine would choose (for the
debrief), then the players' moves in ISO3 order, then one model step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indopacsim.classroom.moves import Choice, doctrine_choice, submit_to_model
from indopacsim.tiescale import LEVEL_NAMES


@dataclass(frozen=True)
class TieChange:
    """A tie that moved in a turn (``a`` before ``b`` in scenario order)."""

    a: str
    b: str
    before: int
    after: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"a": self.a, "b": self.b, "before": self.before, "after": self.after}


@dataclass
class TurnOutcome:
    """What one turn did.

    Attributes:
        turn: Turn number, from 1.
        step: The model's step after the turn.
        date: The model's date after the turn.
        played: The moves handed to the model, per state played by students.
        doctrine: What each playable state's doctrine would have chosen (``None`` when
            the model cannot say).
        changes: Ties that moved.
        events: Scenario events applied during the turn.
        doctrines: Each state's doctrine after the turn.
        news: Public news items.
        private: Private feedback per state (e.g. an upgrade not reciprocated).
        applied: Whether the model took the players' moves (it has a moves interface).
    """

    turn: int
    step: int
    date: str
    played: dict[str, Choice]
    doctrine: dict[str, Choice | None]
    changes: list[TieChange]
    events: list[dict[str, Any]]
    doctrines: dict[str, str]
    news: list[str] = field(default_factory=list)
    private: dict[str, list[str]] = field(default_factory=dict)
    applied: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the game log and the debrief)."""
        return {
            "turn": self.turn,
            "step": self.step,
            "date": self.date,
            "played": {k: v.to_dict() for k, v in sorted(self.played.items())},
            "doctrine": {k: (v.to_dict() if v else None) for k, v in self.doctrine.items()},
            "changes": [c.to_dict() for c in self.changes],
            "events": self.events,
            "doctrines": self.doctrines,
            "news": self.news,
            "private": self.private,
            "applied": self.applied,
        }


def advance(
    model: Any, turn: int, played: Mapping[str, Choice], playable: Sequence[str]
) -> TurnOutcome:
    """Play one turn: record the doctrines' choices, submit the players' moves, step.

    Args:
        model: The game's model (an ``IndoPacModel`` or anything with its interface).
        turn: The number of this turn (from 1).
        played: Moves per state played by students this turn.
        playable: Every state students may play (their doctrines' choices are recorded).
    """
    doctrine = {c: doctrine_choice(model, c) for c in playable}
    before = np.array(model.ties, copy=True)
    doctrines_before = list(model.doctrine_names)
    n_events = len(model.event_log)
    applied = True
    for iso3 in sorted(played):
        applied = submit_to_model(model, iso3, played[iso3]) and applied
    model.step()
    codes = list(model.codes)
    a, b = np.nonzero(np.triu(model.ties != before, 1))
    changes = [
        TieChange(codes[i], codes[j], int(before[i, j]), int(model.ties[i, j]))
        for i, j in zip(a, b, strict=True)
    ]
    out = TurnOutcome(
        turn=turn,
        step=int(model.steps),
        date=str(model.date),
        played=dict(played),
        doctrine=doctrine,
        changes=changes,
        events=[dict(e) for e in model.event_log[n_events:]],
        doctrines=dict(zip(codes, model.doctrine_names, strict=True)),
        applied=applied,
    )
    out.news = news_items(out, dict(zip(codes, doctrines_before, strict=True)))
    out.private = private_feedback(out)
    return out


def news_items(out: TurnOutcome, doctrines_before: Mapping[str, str]) -> list[str]:
    """The public news of a turn: events, tie changes, China stances, doctrine switches."""
    items = [f"{e.get('date', out.date)}: {e.get('note') or e.get('event')}" for e in out.events]
    for c in out.changes:
        verb = "upgrade" if c.after > c.before else "downgrade"
        items.append(f"{c.a} and {c.b} {verb} their tie to {c.after} ({LEVEL_NAMES[c.after]})")
    for iso3, ch in sorted(out.played.items()):
        if ch.china != "neutral":
            items.append(
                f"{iso3} chooses to {ch.china} {'with' if ch.china == 'engage' else 'from'} China"
            )
    for iso3, name in out.doctrines.items():
        if doctrines_before.get(iso3) not in (None, name):
            items.append(f"{iso3} switches its doctrine from {doctrines_before[iso3]} to {name}")
    if not items:
        items.append("A quiet quarter: no tie changed.")
    return items


def private_feedback(out: TurnOutcome) -> dict[str, list[str]]:
    """Per played state: which of its upgrade proposals were not reciprocated."""
    moved = {frozenset((c.a, c.b)) for c in out.changes if c.after > c.before}
    feedback: dict[str, list[str]] = {}
    for iso3, ch in out.played.items():
        notes = [
            f"{p} did not reciprocate your upgrade proposal"
            for p in sorted(ch.upgrade)
            if frozenset((iso3, p)) not in moved
        ]
        if notes:
            feedback[iso3] = notes
    return feedback
