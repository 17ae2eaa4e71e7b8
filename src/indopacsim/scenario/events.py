"""The dated events of a scenario's timeline (set, shift, tie, bond, doctrine).

An event is a mapping with a ``date`` and exactly one of the keys ``set``, ``shift``,
``tie``, ``bond`` or ``doctrine``; the key decides its kind (a pydantic discriminated
union). ``docs/scenarios.md`` documents each with an example.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from indopacsim.scenario.types import DoctrineName, Frozen, Level


class _Event(Frozen):
    date: dt.date
    note: str = ""


class SetEvent(_Event):
    """Set a numeric parameter (dotted path) to a value at a date."""

    set: str
    value: float


class ShiftEvent(_Event):
    """Add ``by`` to a numeric parameter (dotted path) at a date (clipped to its range)."""

    shift: str
    by: float


class TieEvent(_Event):
    """Set the level of a tie at a date."""

    tie: tuple[str, str]
    level: Level


class BondEvent(_Event):
    """Add ``by`` to a pair's political bond (a joint statement, a summit) at a date."""

    bond: tuple[str, str]
    by: float = Field(ge=-5.0, le=5.0)


class DoctrineEvent(_Event):
    """Change a state's doctrine at a date."""

    doctrine: DoctrineName
    state: str


EVENT_KINDS = ("set", "shift", "tie", "bond", "doctrine")


def _event_kind(v: Any) -> str | None:
    if isinstance(v, dict):
        kinds = [k for k in EVENT_KINDS if k in v]
        return kinds[0] if len(kinds) == 1 else None
    return next((k for k in EVENT_KINDS if hasattr(v, k)), None)


Event = Annotated[
    Annotated[SetEvent, Tag("set")]
    | Annotated[ShiftEvent, Tag("shift")]
    | Annotated[TieEvent, Tag("tie")]
    | Annotated[BondEvent, Tag("bond")]
    | Annotated[DoctrineEvent, Tag("doctrine")],
    Discriminator(
        _event_kind,
        custom_error_type="event_kind",
        custom_error_message="an event needs exactly one of: set, shift, tie, bond, doctrine",
    ),
]
