"""Building blocks of the scenario schema: bounded number types, the doctrine names,
the frozen base model, the calendar arithmetic and the field-naming validation error."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from indopacsim.tiescale import MAX_LEVEL

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]
Level = Annotated[int, Field(ge=0, le=MAX_LEVEL)]

#: ISO3 codes of the great powers whose policies the scenario sets (the ``us``, ``china``
#: and ``russia`` sections), not a doctrine.
US, CHINA, RUSSIA = "USA", "CHN", "RUS"
GREAT_POWERS = (US, CHINA, RUSSIA)

#: Doctrine names a scenario may assign; :mod:`indopacsim.model.doctrines` registers one per name.
DoctrineName = Literal["balance", "hedge", "bandwagon", "network", "autonomy", "adaptive"]
DOCTRINE_NAMES: tuple[str, ...] = DoctrineName.__args__  # type: ignore[attr-defined]

#: Months per step for each step length.
STEP_MONTHS = {"month": 1, "quarter": 3, "year": 12}


class Frozen(BaseModel):
    """Base of every scenario section: frozen, unknown keys forbidden."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by whole months, clamped to the month's last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


class FieldError(ValueError):
    """A validation error that names its own field (turned into InputError by the loader)."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
