"""Applying a scenario's dated events to a running model.

``set`` and ``shift`` replace the model's config by a revalidated copy (shifts are
clipped to the parameter's range) and rebuild the terms that depend on it; ``tie`` sets a
level; ``bond`` adds to a pair's political bond; ``doctrine`` changes a state's doctrine
(``adaptive`` starts its learning). Every event is logged with its step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.model.world import compile_world
from indopacsim.scenario.io import with_overrides
from indopacsim.scenario.schema import (
    BondEvent,
    DoctrineEvent,
    Scenario,
    SetEvent,
    ShiftEvent,
    TieEvent,
    numeric_path_range,
)

if TYPE_CHECKING:
    from indopacsim.model.model import IndoPacModel

# Replicates share one scenario object and apply the same events: the config an event
# derives is computed once per (config, path, value) (a small LRU cache).
_CONFIG_CACHE: dict[tuple[int, str, float], tuple[Scenario, Scenario]] = {}
_CACHE_SIZE = 64


def derived_config(cfg: Scenario, path: str, value: float) -> Scenario:
    """``cfg`` with one parameter set (validated), cached for replicates."""
    key = (id(cfg), path, value)
    hit = _CONFIG_CACHE.get(key)
    if hit is not None and hit[0] is cfg:
        return hit[1]
    new = with_overrides(cfg, {path: value})
    if len(_CONFIG_CACHE) >= _CACHE_SIZE:
        _CONFIG_CACHE.pop(next(iter(_CONFIG_CACHE)))
    _CONFIG_CACHE[key] = (cfg, new)
    return new


def current_value(model: IndoPacModel, path: str) -> float:
    """The value now in force of the numeric parameter at a dotted path."""
    parts = path.split(".")
    if parts[0] == "states":
        column = model.world.table[parts[2]].to_numpy(float)
        return float(column[model.codes.index(parts[1])])
    node: Any = model.config
    for p in parts:
        node = getattr(node, p)
    return float(node)


def apply_event(model: IndoPacModel, ev: Any) -> None:
    """Apply one event to ``model`` and log it."""
    pos = {c: i for i, c in enumerate(model.codes)}
    if isinstance(ev, SetEvent | ShiftEvent):
        path = ev.set if isinstance(ev, SetEvent) else ev.shift
        value = ev.value if isinstance(ev, SetEvent) else current_value(model, path) + ev.by
        lo, hi = numeric_path_range(model.config, path)
        model.config = derived_config(model.config, path, float(np.clip(value, lo, hi)))
        if path.startswith(("states.", "china.coercion", "russia.threat")):
            model.world = compile_world(model.config)
        model._rebuild()
        model._invalidate()  # static terms (f, capability) feed every cached term
    elif isinstance(ev, TieEvent):
        a, b = pos[ev.tie[0]], pos[ev.tie[1]]
        model.ties[a, b] = model.ties[b, a] = ev.level
        model._invalidate()
    elif isinstance(ev, BondEvent):
        a, b = pos[ev.bond[0]], pos[ev.bond[1]]
        model.bond[a, b] += ev.by
        model.bond[b, a] += ev.by
        model._invalidate()
    elif isinstance(ev, DoctrineEvent):
        row = pos[ev.state]
        model.base_doctrines[row] = ev.doctrine
        if ev.doctrine == "adaptive":
            model.learner.add(row)
            model.learner.choose(model.rng, model.config.learning.doctrine_temperature)
        else:
            model.learner.remove(row)
        model._refresh_doctrines()
    model.event_log.append(
        {"step": model.steps, "date": ev.date.isoformat(), "event": describe(ev), "note": ev.note}
    )


def describe(ev: Any) -> str:
    """A one-line description of an event for the event log (the event's own)."""
    return str(ev.describe())
