"""The scenario language: a frozen, validated description of a world and its timeline.

A scenario is a YAML file loaded with ``yaml.safe_load`` into :class:`Scenario`, a frozen
pydantic model in which unknown keys are errors. This module is the only home of the
model's defaults; ``docs/scenarios.md`` lists every field and ``docs/model.md`` traces
each parameter to the source paper or to the theory it formalizes.

Loading, ``extends:`` chains and dotted overrides live in :mod:`indopacsim.scenario.io`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from indopacsim import data
from indopacsim.scenario.events import (
    EVENT_KINDS,
    EVENTS,
    BondEvent,
    DoctrineEvent,
    Event,
    ScenarioEvent,
    SetEvent,
    ShiftEvent,
    TieEvent,
)
from indopacsim.scenario.parameters import (
    Budget,
    ChinaPolicy,
    Costs,
    Crises,
    Ladder,
    Learning,
    Noise,
    RussiaPolicy,
    StatusQuo,
    ThreatSpec,
    USPolicy,
    Weights,
)
from indopacsim.scenario.paths import integer_path, numeric_path_range
from indopacsim.scenario.types import (
    CHINA,
    DOCTRINE_NAMES,
    GREAT_POWERS,
    RUSSIA,
    STEP_MONTHS,
    US,
    DoctrineName,
    FieldError,
    Frozen,
    Level,
    NonNeg,
    Positive,
    Prob,
    add_months,
)

__all__ = [
    "CHINA",
    "DOCTRINE_NAMES",
    "EVENTS",
    "EVENT_KINDS",
    "GREAT_POWERS",
    "RUSSIA",
    "STEP_MONTHS",
    "US",
    "BondEvent",
    "DoctrineEvent",
    "DoctrineName",
    "Event",
    "Frozen",
    "Scenario",
    "ScenarioEvent",
    "SetEvent",
    "ShiftEvent",
    "StateSpec",
    "TieEvent",
    "add_months",
    "integer_path",
    "numeric_path_range",
]


class TimeSpec(Frozen):
    """Calendar of a run: step ``k`` (1-based) covers ``[start + (k-1)*step, start + k*step)``."""

    start: dt.date = Field(dt.date(2026, 1, 1), description="Date at which step 1 begins.")
    step: Literal["month", "quarter", "year"] = Field("quarter", description="Step length.")
    horizon: int = Field(40, ge=1, le=2400, description="Number of steps (40 quarters = 10 y).")

    def date_of(self, step: int) -> dt.date:
        """Return the first day covered by ``step`` (step 0 = the start)."""
        return add_months(self.start, STEP_MONTHS[self.step] * max(step - 1, 0))

    def state_date(self, step: int) -> dt.date:
        """The date at which the state recorded after ``step`` steps holds (the end of the
        step's period; step 0 = the start)."""
        return add_months(self.start, STEP_MONTHS[self.step] * step)

    @property
    def end(self) -> dt.date:
        """The first day after the horizon."""
        return add_months(self.start, STEP_MONTHS[self.step] * self.horizon)

    def step_of(self, day: dt.date) -> int:
        """Return the 1-based step whose period contains ``day``."""
        months = (day.year - self.start.year) * 12 + (day.month - self.start.month)
        k = months // STEP_MONTHS[self.step] + 1
        # a day before the start's day-of-month belongs to the previous period
        while k > 1 and self.date_of(k) > day:
            k -= 1
        while self.date_of(k + 1) <= day:
            k += 1
        return k


class StateSpec(Frozen):
    """Per-state overrides of the bundled attributes; every field is optional.

    A state not in the bundled data must give at least ``lat``, ``lon``, ``gdp_usd_bn``,
    ``milex_usd_bn``, ``population_m`` and ``democracy_score``.
    """

    name: str | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    gdp_usd_bn: Positive | None = None
    milex_usd_bn: NonNeg | None = None
    population_m: Positive | None = None
    democracy_score: Prob | None = None
    trade_share_china: Prob | None = None
    trade_share_us: Prob | None = None
    capability: Annotated[float, Field(ge=0.0, le=10.0)] | None = Field(
        None, description="Overrides the computed composite capability."
    )
    fiscal_room: Prob | None = Field(None, description="Overrides the computed fiscal room.")
    hostility: Prob | None = Field(
        None, description="Hostility as a threat source (CHN and RUS take it from policy)."
    )
    trust_us: Prob | None = Field(
        None, description="Initial trust in the US (default: reliability)."
    )
    memberships: list[str] | None = None
    indo_pacific: bool | None = None
    doctrine: DoctrineName | None = None

    @field_validator("memberships")
    @classmethod
    def _known_memberships(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            bad = [m for m in v if m not in data.MEMBERSHIPS]
            if bad:
                raise ValueError(
                    f"unknown membership {bad[0]!r}; known: {', '.join(data.MEMBERSHIPS)}"
                )
        return v


REQUIRED_FOR_NEW_STATE = (
    "lat",
    "lon",
    "gdp_usd_bn",
    "milex_usd_bn",
    "population_m",
    "democracy_score",
)


class TieEntry(Frozen):
    """An initial tie: ``[A, B, level]`` in YAML."""

    a: str
    b: str
    level: Level

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            if len(v) != 3:
                raise ValueError("a tie is [STATE, STATE, LEVEL]")
            return {"a": v[0], "b": v[1], "level": v[2]}
        return v


class Ties(Frozen):
    """Initial ties: the bundled table of January 2026, then explicit levels."""

    bundled: bool = Field(True, description="Start from the bundled ties of the world's vintage.")
    set: list[TieEntry] = Field(default_factory=list, description="[A, B, level] overrides.")


def _default_states() -> dict[str, StateSpec | None]:
    return dict.fromkeys(data.state_codes())


def _check_states(scenario: Scenario) -> None:
    """Every state is bundled or fully defined; every initial tie joins two of them."""
    known = set(data.state_codes())
    if len(scenario.states) < 2:
        raise FieldError("states", "a scenario needs at least two states")
    for code, spec in scenario.states.items():
        if code not in known:
            given = spec.model_fields_set if spec is not None else set()
            missing = [f for f in REQUIRED_FOR_NEW_STATE if f not in given]
            if missing:
                raise FieldError(
                    f"states.{code}",
                    f"unknown state {code!r} (not in the bundled data); to define a new "
                    f"state give {', '.join(missing)}",
                )
    for code in scenario.status_quo.doctrines:
        if code not in scenario.states:
            raise FieldError(f"status_quo.doctrines.{code}", f"unknown state {code!r}")
    for i, t in enumerate(scenario.ties.set):
        for side in (t.a, t.b):
            if side not in scenario.states:
                raise FieldError(f"ties.set[{i}]", f"unknown state {side!r} in tie")
        if t.a == t.b:
            raise FieldError(f"ties.set[{i}]", "a tie needs two different states")


class Scenario(Frozen):
    """A world and its timeline. Every field has a default: ``Scenario()`` is January 2026."""

    name: str = "default"
    description: str = ""
    world: Literal["2026", "2019", "2012", "2005"] = Field(
        "2026", description="Vintage of the bundled data: attributes, ties, disputes, ceilings."
    )
    sources: list[str] = Field(default_factory=list)
    time: TimeSpec = TimeSpec()
    states: dict[str, StateSpec | None] = Field(default_factory=_default_states)
    default_doctrine: DoctrineName = "balance"
    us: USPolicy = USPolicy()
    china: ChinaPolicy = ChinaPolicy()
    russia: RussiaPolicy = RussiaPolicy()
    weights: Weights = Weights()
    threat: ThreatSpec = ThreatSpec()
    costs: Costs = Costs()
    budget: Budget = Budget()
    ladder: Ladder = Ladder()
    learning: Learning = Learning()
    noise: Noise = Noise()
    crises: Crises = Crises()
    status_quo: StatusQuo = StatusQuo()
    ties: Ties = Ties()
    events: list[Event] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        _check_states(self)
        for i, ev in enumerate(self.events):
            ev.check(self, f"events[{i}]")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        """The ISO3 codes of the scenario's states, in order."""
        return tuple(self.states)

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the validated scenario (the manifest's hash).

        Computed once per object (the scenario is frozen) and kept on it.
        """
        owner, cached = self.__dict__.get("_digest", (None, None))
        if owner != id(self) or cached is None:  # a model_copy carries its source's entry
            blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
            cached = hashlib.sha256(blob.encode()).hexdigest()
            self.__dict__["_digest"] = (id(self), cached)
        return str(cached)
