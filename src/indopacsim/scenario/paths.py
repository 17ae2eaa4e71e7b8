"""Dotted parameter paths (``us.reliability``, ``states.GBR.fiscal_room``): which exist,
which are numeric or integer, and their valid ranges, read from the schema itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

if TYPE_CHECKING:
    from indopacsim.scenario.schema import Scenario


def _schema() -> tuple[type[BaseModel], type[BaseModel]]:
    from indopacsim.scenario.schema import Scenario, StateSpec

    return Scenario, StateSpec


def integer_path(path: str) -> bool:
    """Whether the parameter at a dotted path (already checked to exist) takes integers."""
    scenario_cls, state_cls = _schema()
    parts = path.split(".")
    model: type[BaseModel] = state_cls if parts[0] == "states" else scenario_cls
    parts = parts[2:] if parts[0] == "states" else parts
    for part in parts[:-1]:
        ann = model.model_fields[part].annotation
        assert isinstance(ann, type) and issubclass(ann, BaseModel)
        model = ann
    return model.model_fields[parts[-1]].annotation is int


def numeric_path_range(scenario: Scenario, path: str) -> tuple[float, float]:
    """Return the valid range of the numeric parameter at a dotted path.

    Args:
        scenario: The scenario whose schema the path refers to.
        path: A dotted path such as ``us.reliability`` or ``states.GBR.fiscal_room``.

    Returns:
        ``(low, high)`` bounds of the field.

    Raises:
        ValueError: If the path does not name a numeric field of the schema.
    """
    scenario_cls, state_cls = _schema()
    parts = path.split(".")
    model: type[BaseModel] = scenario_cls
    if parts[0] == "time":
        raise ValueError(f"{path!r}: the calendar cannot change during a run")
    if parts[0] == "states":
        if len(parts) != 3:
            raise ValueError(f"{path!r}: state parameters are written states.ISO3.attribute")
        if parts[1] not in scenario.states:
            raise ValueError(f"{path!r}: unknown state {parts[1]!r}")
        model, parts = state_cls, parts[2:]
    for k, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            raise ValueError(f"{path!r}: unknown parameter {part!r}")
        ann = field.annotation
        if k < len(parts) - 1:
            if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
                raise ValueError(f"{path!r}: {part!r} has no sub-parameters")
            model = ann
            continue
        constraints = list(field.metadata)
        base_types = [ann]
        for arg in getattr(ann, "__args__", ()) or ():
            base_types.append(getattr(arg, "__origin__", arg))
            for meta in getattr(arg, "__metadata__", ()):
                constraints.extend(getattr(meta, "metadata", [meta]))
        if not any(t in (float, int) for t in base_types):
            raise ValueError(f"{path!r} is not a numeric parameter")
        lo, hi = -np.inf, np.inf
        for c in constraints:
            for attr in ("ge", "gt"):
                if getattr(c, attr, None) is not None:
                    lo = max(lo, float(getattr(c, attr)))
            for attr in ("le", "lt"):
                if getattr(c, attr, None) is not None:
                    hi = min(hi, float(getattr(c, attr)))
        return float(lo), float(hi)
    raise ValueError(f"{path!r} names a section, not a parameter")
