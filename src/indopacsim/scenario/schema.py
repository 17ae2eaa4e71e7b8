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


class USPolicy(Frozen):
    """United States policy (paper §2.2, §6)."""

    reliability: Prob = Field(
        0.55, description="Mean of the per-step signal of US reliability allies observe."
    )
    transactional_pressure: Prob = Field(
        0.5, description="Tariffs and burden-sharing demands: a cost of a US tie, x US trade."
    )
    rebuke: Prob = Field(
        0.4, description="Cost the US imposes on its partners for ties with China, x tie level."
    )
    reach_km: Positive = Field(
        9000.0, description="Half-strength distance of US power: forward bases extend its reach."
    )


class ChinaPolicy(Frozen):
    """People's Republic of China policy (paper §2.1, §6)."""

    coercion: Prob = Field(0.6, description="Military and grey-zone pressure: China's hostility.")
    retaliation: Prob = Field(
        0.4, description="Economic retaliation against alignment with the US camp, x exposure."
    )
    inducement: Prob = Field(
        0.3, description="Economic reward for ties with China and for hedging, x exposure."
    )


class RussiaPolicy(Frozen):
    """Russian Federation policy (paper §2.1, §6: the UK's main threat)."""

    threat: Prob = Field(0.7, description="Russia's hostility as a threat source.")


class Weights(Frozen):
    """Weights of the preference terms in the value of a tie (docs/model.md §Details)."""

    security: NonNeg = Field(4.0, description="Partner security value (balance of threat).")
    values: NonNeg = Field(0.5, description="Regime (democracy score) similarity.")
    institutions: NonNeg = Field(0.3, description="Shared memberships (Jaccard).")
    rivalry: NonNeg = Field(
        0.5, description="Value lost per unit of dispute or rivalry intensity between the two."
    )
    economic: NonNeg = Field(1.0, description="Great-power inducements and costs.")
    risk: NonNeg = Field(0.7, description="Expected Chinese retaliation.")
    access: NonNeg = Field(
        1.0, description="Great powers' value of forward access near their rivals."
    )


class ThreatSpec(Frozen):
    """Threat perception (Walt 1987) and the loss-of-strength gradient (Boulding 1962)."""

    lsg_half_distance_km: Positive = Field(
        3000.0, description="Distance over which projected strength halves."
    )
    dispute_weight: NonNeg = Field(
        0.5, description="Hostility added by a dispute or rivalry of intensity 1."
    )


class Costs(Frozen):
    """Costs of institutionalised ties (paper §6: distance, logistics)."""

    base: NonNeg = Field(0.02, description="Cost per rung of any tie, per step.")
    distance: NonNeg = Field(0.06, description="Added cost per rung per 10,000 km.")
    size_elasticity: Annotated[float, Field(ge=0.0, le=2.0)] = Field(
        0.45, description="Perceived cost x (median capability / own capability)**elasticity."
    )
    opportunity: NonNeg = Field(
        1.0, description="Growth of distance costs with the home threat a partner does not meet."
    )
    convexity: Annotated[float, Field(ge=1.0, le=4.0)] = Field(
        2.0, description="Cost of holding level l is c * 5 * (l/5)**convexity."
    )
    sunk: Prob = Field(
        0.7, description="Share of the cost of holding a level lost on stepping down from it."
    )


class Budget(Frozen):
    """Fiscal limits on commitments (paper §6: domestic constraints)."""

    headroom: NonNeg = Field(
        0.6, description="Extra commitment capacity at fiscal room 1, as a share of reference."
    )
    fiscal_multiplier: NonNeg = Field(
        1.0, description="Multiplies every state's fiscal room (tightening < 1 < loosening)."
    )
    min_reference: NonNeg = Field(
        0.4, description="Floor of the reference commitment, so small states can still build."
    )


class Ladder(Frozen):
    """The tie ladder (docs/model.md §2; :mod:`indopacsim.tiescale`): 0 none ... 5 treaty."""

    concavity: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.8, description="Value of level l is (l/5)**concavity: diminishing returns."
    )
    max_initiatives: int = Field(
        2, ge=1, le=50, description="Upgrades a state can propose per step (bandwidth)."
    )
    bloc_level: Level = Field(3, description="Minimum level for a tie to bind a bloc.")


class Learning(Frozen):
    """Belief updating about US reliability and doctrine learning."""

    trust_rate: Prob = Field(0.2, description="Weight of the newest US signal in trust.")
    trust_sensitivity: NonNeg = Field(
        1.5, description="Extra value of non-US partners at zero trust (x (1 - trust))."
    )
    doctrine_recency: Prob = Field(0.1, description="Forgetting rate of doctrine attractions.")
    doctrine_temperature: Positive = Field(0.05, description="Softmax temperature of choice.")
    revise_every: int = Field(4, ge=1, description="Steps between doctrine revisions.")


class Noise(Frozen):
    """Sources of randomness (all drawn from the model's generator)."""

    decision: NonNeg = Field(0.015, description="SD of the per-step shock to each tie's value.")
    reliability: NonNeg = Field(0.15, description="SD of the per-step US reliability signal.")


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

    bundled: bool = Field(True, description="Start from data/ties_2026.csv.")
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
        """SHA-256 of the canonical JSON of the validated scenario (the manifest's hash)."""
        blob = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()
