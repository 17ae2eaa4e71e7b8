"""The dated events of a scenario's timeline (set, shift, tie, bond, summit, doctrine,
crisis): a registry.

An event is a mapping with a ``date`` and exactly one of the registered kind keys
(``set``, ``shift``, ``tie``, ``bond``, ``summit``, ``doctrine``, ``crisis``); the key
decides its kind (a pydantic discriminated union built from :data:`EVENTS`).
``docs/scenarios.md`` documents each with an example.

Each kind is a class registered with :func:`register`; it owns its schema, its
reference checks against the scenario (:meth:`ScenarioEvent.check_references`: unknown
states, parameter paths, ranges), its one-line :meth:`~ScenarioEvent.describe` and an
:meth:`~ScenarioEvent.example`. How an event changes a running model lives in
:mod:`indopacsim.model.events`.

Contract (tests/test_scenario_events.py runs it over every registered kind): the example
validates in the default scenario, round-trips through YAML, describes itself in one
line naming its kind, and an unknown state in it is refused with the field named
``events[i].<state_field>``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import Discriminator, Field, Tag

from indopacsim.scenario.paths import integer_path, numeric_path_range
from indopacsim.scenario.types import (
    GREAT_POWERS,
    DoctrineName,
    FieldError,
    Frozen,
    Level,
)

if TYPE_CHECKING:
    from indopacsim.scenario.schema import Scenario

#: Example date of every kind's :meth:`ScenarioEvent.example` (inside the default horizon).
EXAMPLE_DATE = "2026-06-30"


class ScenarioEvent(Frozen):
    """Base of every event kind: a date, a note, checks against the scenario, a description.

    Attributes:
        kind: The registry key, which is also the key that marks the kind in YAML.
        state_field: The field that names a state (where an unknown state is reported).
    """

    kind: ClassVar[str] = ""
    state_field: ClassVar[str] = ""

    date: dt.date
    note: str = ""

    def check(self, scenario: Scenario, where: str) -> None:
        """Check the event against its scenario: the date, then the references.

        Raises:
            FieldError: naming ``where`` (``events[i]``) and the field at fault.
        """
        start, end = scenario.time.start, scenario.time.end
        if not (start <= self.date < end):
            raise FieldError(
                f"{where}.date",
                f"date {self.date} is outside the horizon {start} .. {end} (exclusive)",
            )
        self.check_references(scenario, where)

    def check_references(self, scenario: Scenario, where: str) -> None:
        """Check the states, paths and values the event refers to (kind-specific)."""
        raise NotImplementedError

    def describe(self) -> str:
        """A one-line description for the event log, starting with the kind."""
        raise NotImplementedError

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        """A YAML mapping of this kind that refers to ``state`` (and ``other``)."""
        raise NotImplementedError


#: The registered event kinds, by kind key (the order of the YAML error message).
EVENTS: dict[str, type[ScenarioEvent]] = {}


def register(cls: type[ScenarioEvent]) -> type[ScenarioEvent]:
    """Class decorator: add an event kind to :data:`EVENTS` under ``cls.kind``."""
    if not cls.kind or cls.kind not in cls.model_fields:
        raise ValueError(f"{cls.__name__}: kind must name one of its fields")
    if cls.kind in EVENTS:
        raise ValueError(f"event kind {cls.kind!r} registered twice")
    EVENTS[cls.kind] = cls
    return cls


class _ParameterEvent(ScenarioEvent):
    """An event on the numeric parameter at a dotted path (``set`` and ``shift``)."""

    amount_field: ClassVar[str] = ""

    @property
    def path(self) -> str:
        """The dotted path of the parameter."""
        return str(getattr(self, self.kind))

    @property
    def amount(self) -> float:
        """The number the event carries (``value`` or ``by``)."""
        raise NotImplementedError

    def check_references(self, scenario: Scenario, where: str) -> None:
        try:
            lo, hi = numeric_path_range(scenario, self.path)
        except ValueError as exc:
            raise FieldError(f"{where}.{self.kind}", str(exc)) from None
        self._check_amount(lo, hi, where)
        if integer_path(scenario, self.path) and not float(self.amount).is_integer():
            raise FieldError(f"{where}.{self.amount_field}", f"{self.path} takes an integer")

    def _check_amount(self, lo: float, hi: float, where: str) -> None:
        """Check the amount against the parameter's range (nothing by default)."""


@register
class SetEvent(_ParameterEvent):
    """Set a numeric parameter (dotted path) to a value at a date."""

    kind = "set"
    state_field = "set"
    amount_field = "value"

    set: str
    value: float

    @property
    def amount(self) -> float:
        return self.value

    def _check_amount(self, lo: float, hi: float, where: str) -> None:
        if not lo <= self.value <= hi:
            raise FieldError(
                f"{where}.value", f"{self.value} is outside [{lo}, {hi}] for {self.path}"
            )

    def describe(self) -> str:
        return f"set {self.set} = {self.value}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "set": f"states.{state}.fiscal_room", "value": 0.2}


@register
class ShiftEvent(_ParameterEvent):
    """Add ``by`` to a numeric parameter (dotted path) at a date (clipped to its range)."""

    kind = "shift"
    state_field = "shift"
    amount_field = "by"

    shift: str
    by: float

    @property
    def amount(self) -> float:
        return self.by

    def describe(self) -> str:
        return f"shift {self.shift} by {self.by:+}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "shift": f"states.{state}.trust_us", "by": -0.1}


class _PairEvent(ScenarioEvent):
    """An event on a pair of states (``tie`` and ``bond``)."""

    @property
    def pair(self) -> tuple[str, str]:
        """The two states."""
        a, b = getattr(self, self.kind)
        return str(a), str(b)

    def check_references(self, scenario: Scenario, where: str) -> None:
        key = f"{where}.{self.kind}"
        for side in self.pair:
            if side not in scenario.states:
                raise FieldError(key, f"unknown state {side!r}")
        if self.pair[0] == self.pair[1]:
            raise FieldError(key, "a pair needs two different states")


@register
class TieEvent(_PairEvent):
    """Set the level of a tie at a date."""

    kind = "tie"
    state_field = "tie"

    tie: tuple[str, str]
    level: Level

    def describe(self) -> str:
        return f"tie {self.tie[0]}-{self.tie[1]} = {self.level}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "tie": [state, other], "level": 4}


@register
class BondEvent(_PairEvent):
    """Add ``by`` to a pair's political bond (a joint statement, a summit) at a date."""

    kind = "bond"
    state_field = "bond"

    bond: tuple[str, str]
    by: float = Field(ge=-5.0, le=5.0)

    def describe(self) -> str:
        return f"bond {self.bond[0]}-{self.bond[1]} {self.by:+}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "bond": [state, other], "by": 0.5}


@register
class SummitEvent(_PairEvent):
    """A summit or ministerial meeting of a pair at a date: the occasion a deal concludes.

    At the step of the summit both sides put the pair's next upgrade on the table, and
    it is agreed with chance ``hazard(M, ladder.summit_hazard, ladder.hazard_scale)``
    (``docs/model.md``, section 7.8): only if the model's deal value ``M`` is positive,
    so a summit between states that do not want a deeper tie ends in words.
    """

    kind = "summit"
    state_field = "summit"

    summit: tuple[str, str]

    def describe(self) -> str:
        return f"summit {self.summit[0]}-{self.summit[1]}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "summit": [state, other]}


@register
class DoctrineEvent(ScenarioEvent):
    """Change a state's doctrine at a date."""

    kind = "doctrine"
    state_field = "state"

    doctrine: DoctrineName
    state: str

    def check_references(self, scenario: Scenario, where: str) -> None:
        if self.state not in scenario.states:
            raise FieldError(f"{where}.state", f"unknown state {self.state!r}")
        if self.state in GREAT_POWERS:
            raise FieldError(
                f"{where}.state",
                f"{self.state} is a great power: its policy is set by the us, china "
                "and russia sections, not by a doctrine",
            )

    def describe(self) -> str:
        return f"doctrine {self.state} = {self.doctrine}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "doctrine": "hedge", "state": state}


#: The crisis theatres a ``crisis`` event may name (``docs/model.md``, Crises).
Theatre = Literal["Taiwan Strait", "South China Sea", "Korean peninsula"]


@register
class CrisisEvent(ScenarioEvent):
    """A crisis in a theatre at a date: alarm nearby, trust moves with the US response."""

    kind = "crisis"
    state_field = ""

    crisis: Theatre

    def check_references(self, scenario: Scenario, where: str) -> None:
        """A theatre is checked by the schema; it names no state."""

    def describe(self) -> str:
        return f"crisis in the {self.crisis}"

    @classmethod
    def example(cls, state: str = "GBR", other: str = "JPN") -> dict[str, Any]:
        return {"date": EXAMPLE_DATE, "crisis": "Taiwan Strait"}


#: The kind keys, in registry order.
EVENT_KINDS: tuple[str, ...] = tuple(EVENTS)


def _event_kind(v: Any) -> str | None:
    if isinstance(v, dict):
        kinds = [k for k in EVENT_KINDS if k in v]
        return kinds[0] if len(kinds) == 1 else None
    return v.kind if isinstance(v, ScenarioEvent) else None


if TYPE_CHECKING:
    Event = ScenarioEvent
else:
    #: One event: the discriminated union of the registered kinds (to type checkers, the base).
    Event = Annotated[
        Union[tuple(Annotated[cls, Tag(kind)] for kind, cls in EVENTS.items())],  # noqa: UP007
        Discriminator(
            _event_kind,
            custom_error_type="event_kind",
            custom_error_message=f"an event needs exactly one of: {', '.join(EVENT_KINDS)}",
        ),
    ]
