"""Applying a scenario's dated events to a running model, through its public methods.

``set`` and ``shift`` replace the model's config by a revalidated copy (shifts are
clipped to the parameter's range) and call :meth:`IndoPacModel.parameters_changed`;
``tie`` sets a level; ``bond`` adds to a pair's political bond; ``summit``
puts a pair's next upgrade on the table for the step; ``doctrine`` changes a
state's doctrine; ``crisis`` strikes a theatre. One applier per kind, in :data:`APPLY`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from indopacsim.caching import ContentCache
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.paths import numeric_path_range
from indopacsim.scenario.schema import Scenario


class EventTarget(Protocol):
    """What events act on: the Mesa model and the ensemble both provide it."""

    codes: tuple[str, ...]
    steps: int
    event_log: list[dict[str, Any]]

    @property
    def config(self) -> Scenario: ...

    @property
    def world(self) -> Any: ...

    def parameters_changed(self, cfg: Scenario) -> None: ...

    def set_tie(self, a: str, b: str, level: int) -> None: ...

    def add_bond(self, a: str, b: str, by: float) -> None: ...

    def hold_summit(self, a: str, b: str) -> None: ...

    def set_doctrine(self, state: str, doctrine: str) -> None: ...

    def trigger_crisis(self, theatre: str) -> None: ...


_CONFIGS = ContentCache(64)


def derived_config(cfg: Scenario, path: str, value: float) -> Scenario:
    """``cfg`` with one parameter set (validated), cached by content for replicates."""
    return _CONFIGS.get_or_build(
        (cfg.digest(), path, value), lambda: with_overrides(cfg, {path: value})
    )


def current_value(model: EventTarget, path: str) -> float:
    """The value now in force of the numeric parameter at a dotted path."""
    parts = path.split(".")
    if parts[0] == "states":
        column = model.world.table[parts[2]].to_numpy(float)
        return float(column[model.codes.index(parts[1])])
    node: Any = model.config
    for p in parts:
        node = getattr(node, p)
    return float(node)


def _set_parameter(model: EventTarget, path: str, value: float) -> None:
    lo, hi = numeric_path_range(model.config, path)
    model.parameters_changed(derived_config(model.config, path, float(np.clip(value, lo, hi))))


def _apply_set(model: EventTarget, ev: Any) -> None:
    _set_parameter(model, ev.set, ev.value)


def _apply_shift(model: EventTarget, ev: Any) -> None:
    _set_parameter(model, ev.shift, current_value(model, ev.shift) + ev.by)


def _apply_tie(model: EventTarget, ev: Any) -> None:
    model.set_tie(ev.tie[0], ev.tie[1], ev.level)


def _apply_bond(model: EventTarget, ev: Any) -> None:
    model.add_bond(ev.bond[0], ev.bond[1], ev.by)


def _apply_summit(model: EventTarget, ev: Any) -> None:
    model.hold_summit(ev.summit[0], ev.summit[1])


def _apply_doctrine(model: EventTarget, ev: Any) -> None:
    model.set_doctrine(ev.state, ev.doctrine)


def _apply_crisis(model: EventTarget, ev: Any) -> None:
    model.trigger_crisis(ev.crisis)


#: How each event kind changes a running model.
APPLY: dict[str, Callable[[EventTarget, Any], None]] = {
    "set": _apply_set,
    "shift": _apply_shift,
    "tie": _apply_tie,
    "bond": _apply_bond,
    "summit": _apply_summit,
    "doctrine": _apply_doctrine,
    "crisis": _apply_crisis,
}


def apply_event(model: EventTarget, ev: Any) -> None:
    """Apply one event to ``model`` and log it."""
    APPLY[ev.kind](model, ev)
    model.event_log.append(
        {"step": model.steps, "date": ev.date.isoformat(), "event": ev.describe(), "note": ev.note}
    )
