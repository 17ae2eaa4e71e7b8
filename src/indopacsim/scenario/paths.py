"""Dotted parameter paths (``us.reliability``, ``states.GBR.fiscal_room``): the one home of
the path rule, which fields exist, which are numeric or integer, and their valid ranges,
read from the schema itself.

The rule: a path is a chain of field names through the scenario's sections
(``costs.sunk``), or ``states.ISO3.attribute`` for one state's attribute (a field of the
state model, :class:`~indopacsim.scenario.schema.StateSpec`). :func:`resolve_param` is the
one resolver; everything else here reads what it returns. This module does not import the
schema: callers pass the scenario (or its class) in, so the schema can use it.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

#: The top-level field whose entries are states, keyed by ISO3 code.
STATES = "states"


def split_state_path(path: str) -> tuple[str | None, list[str]]:
    """Split a dotted path by the ``states.ISO3.attribute`` rule.

    Returns:
        ``(ISO3, [attribute, ...])`` for a path below ``states.ISO3``, else
        ``(None, parts)``. The form is not checked here (see :func:`resolve_param`).
    """
    parts = path.split(".")
    if parts[0] == STATES and len(parts) >= 2:
        return parts[1], parts[2:]
    return None, parts


@dataclass(frozen=True)
class ParamRef:
    """Where a dotted path points in the schema (what :func:`resolve_param` returns).

    Attributes:
        path: The dotted path as given.
        state: The ISO3 code of a ``states.ISO3.attribute`` path, else None.
        owner: The model class that holds the field (a section, the state model or the
            scenario class itself).
        name: The field's name in ``owner``.
        info: The field's pydantic ``FieldInfo``.
    """

    path: str
    state: str | None
    owner: type[BaseModel]
    name: str
    info: FieldInfo

    @property
    def is_section(self) -> bool:
        """Whether the field is a whole section (a sub-model) rather than one parameter."""
        return _submodel(self.info.annotation) is not None

    @property
    def is_collection(self) -> bool:
        """Whether the field is a list or mapping (``events``, ``states``, ``sources``...)."""
        return get_origin(self.info.annotation) in (list, dict) or self.name in (STATES, "events")

    @property
    def is_integer(self) -> bool:
        """Whether the field takes integers."""
        return self.info.annotation is int

    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` of a numeric field (``-inf``/``inf`` where unbounded).

        Raises:
            ValueError: If the field is not numeric.
        """
        ann = self.info.annotation
        constraints = list(self.info.metadata)
        base_types = [ann]
        for arg in getattr(ann, "__args__", ()) or ():
            base_types.append(getattr(arg, "__origin__", arg))
            for meta in getattr(arg, "__metadata__", ()):
                constraints.extend(getattr(meta, "metadata", [meta]))
        if not any(t in (float, int) for t in base_types):
            raise ValueError(f"{self.path!r} is not a numeric parameter")
        lo, hi = -np.inf, np.inf
        for c in constraints:
            for attr in ("ge", "gt"):
                if getattr(c, attr, None) is not None:
                    lo = max(lo, float(getattr(c, attr)))
            for attr in ("le", "lt"):
                if getattr(c, attr, None) is not None:
                    hi = min(hi, float(getattr(c, attr)))
        return float(lo), float(hi)


def _submodel(ann: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation names (``X`` or ``X | None``), else None."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    if get_origin(ann) in (Union, types.UnionType):
        found = [a for a in get_args(ann) if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(found) == 1 and all(a in (found[0], type(None)) for a in get_args(ann)):
            return found[0]
    return None


def state_model(root: type[BaseModel]) -> type[BaseModel]:
    """The model of one state's entry (the values of ``root``'s ``states`` mapping)."""
    ann = root.model_fields[STATES].annotation
    model = _submodel(get_args(ann)[1]) if get_origin(ann) is dict else None
    if model is None:
        raise TypeError(f"{root.__name__}.{STATES} is not a mapping of models")
    return model


def resolve_param(scenario: BaseModel | type[BaseModel], path: str) -> ParamRef:
    """Resolve a dotted path to the schema field it names: the one dotted-path resolver.

    Args:
        scenario: A scenario (then the state of a ``states.ISO3.attribute`` path must be
            one of its states) or the scenario class (then any ISO3 code passes).
        path: A dotted path such as ``us.reliability``, ``default_doctrine`` or
            ``states.GBR.fiscal_room``.

    Returns:
        The field's :class:`ParamRef` (a section is resolved too: see ``is_section``).

    Raises:
        ValueError: A malformed state path, an unknown state, an unknown field, or a
            path that goes below a field with no sub-parameters; the message starts with
            the path.
    """
    root = scenario if isinstance(scenario, type) else type(scenario)
    state, parts = split_state_path(path)
    model: type[BaseModel] = root
    if state is not None:
        if len(parts) != 1:
            raise ValueError(f"{path!r}: state parameters are written states.ISO3.attribute")
        if not isinstance(scenario, type) and state not in getattr(scenario, STATES):
            raise ValueError(f"{path!r}: unknown state {state!r}")
        model = state_model(root)
    for k, part in enumerate(parts):
        info = model.model_fields.get(part)
        if info is None:
            raise ValueError(f"{path!r}: unknown parameter {part!r}")
        if k == len(parts) - 1:
            return ParamRef(path, state, model, part, info)
        sub = _submodel(info.annotation)
        if sub is None or part == STATES:
            raise ValueError(f"{path!r}: {part!r} has no sub-parameters")
        model = sub
    raise ValueError(f"{path!r}: empty path")  # unreachable: split never gives no parts


def integer_path(scenario: BaseModel | type[BaseModel], path: str) -> bool:
    """Whether the parameter at a dotted path takes integers (False for an unknown path)."""
    try:
        return resolve_param(scenario, path).is_integer
    except ValueError:
        return False


def numeric_path_range(scenario: BaseModel | type[BaseModel], path: str) -> tuple[float, float]:
    """Return the valid range of the numeric parameter at a dotted path.

    Args:
        scenario: The scenario (or its class) whose schema the path refers to.
        path: A dotted path such as ``us.reliability`` or ``states.GBR.fiscal_room``.

    Returns:
        ``(low, high)`` bounds of the field.

    Raises:
        ValueError: If the path does not name a numeric field of the schema, or names
            the calendar (``time.*``), which cannot change during a run.
    """
    if path.split(".")[0] == "time":
        raise ValueError(f"{path!r}: the calendar cannot change during a run")
    ref = resolve_param(scenario, path)
    if ref.is_section:
        raise ValueError(f"{path!r} names a section, not a parameter")
    return ref.bounds()
