"""A hindcast window split in time: fit on its first years, score on the years after.

Rolling-origin evaluation (Tashman 2000, "Out-of-sample tests of forecasting accuracy";
Hyndman & Athanasopoulos, *Forecasting: principles and practice*, section 5.10): a model
chosen by how well it fits a window may fit the window's noise; one chosen by how well
it forecasts the later part of the window from a fit to the earlier part is chosen by a
forecast, as the scored hindcast judges it. The calibration window 2013-2019 splits at
:data:`SPLIT` into a fit window, 2013-2015 (the window's scenario stopped at the end of
2015, :func:`truncated`), and a held-out window, 2016-2019 (the same scenario restarted
at the start of 2016 from the network of that date, :func:`restarted`). Nothing from
2020 or later enters either.

:func:`window_scenario` resolves a window's name to its scenario and dates: the
windows of :data:`indopacsim.validation.hindcast.WINDOWS` and the two halves of the
split (:data:`SPLIT_WINDOWS`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from indopacsim.model.ensemble import run_ensemble
from indopacsim.scenario.events import SetEvent, ShiftEvent
from indopacsim.scenario.io import apply_overrides, load_scenario, validate
from indopacsim.scenario.paths import numeric_path_range
from indopacsim.scenario.schema import Scenario
from indopacsim.validation import hindcast as H

#: The first day of the held-out years of the calibration window: the first of a year
#: that splits the window's 37 dated changes most nearly in half (20 in 2013-2015, 17 in
#: 2016-2019; a split at 2017 would hold out 10, with 8 upgrades).
SPLIT = dt.date(2016, 1, 1)

#: The halves of the calibration window: name -> (the window split, first day, last day).
SPLIT_WINDOWS: dict[str, tuple[str, dt.date, dt.date]] = {
    "2013-2015": ("2013-2019", dt.date(2013, 1, 1), SPLIT - dt.timedelta(days=1)),
    "2016-2019": ("2013-2019", SPLIT, dt.date(2019, 12, 31)),
}

#: The event kinds a restart can carry over: a driver's value (``set``, ``shift``) is
#: applied to the start; a crisis before the start is dropped, with the part of its alarm
#: and of its shock to trust that a run reaching the start would still carry (the alarm
#: halves every ``crises.half_life_steps`` steps).
CARRIED = ("set", "shift", "crisis")


def truncated(scenario: Scenario, end: dt.date) -> Scenario:
    """The scenario run only up to ``end`` (inclusive): the steps whose periods begin by
    then, and the events dated up to then."""
    steps = scenario.time.step_of(end)
    if steps > scenario.time.horizon:
        raise ValueError(f"{end} is after the horizon of {scenario.name}")
    doc = scenario.model_dump(mode="json")
    doc["time"]["horizon"] = steps
    doc["events"] = [e for e in doc["events"] if dt.date.fromisoformat(e["date"]) <= end]
    return validate(doc, file=f"{scenario.name} to {end}")


def restarted(scenario: Scenario, start: dt.date) -> Scenario:
    """The scenario started again at ``start``, a step's first day within its horizon.

    The ties are the network observed on the eve of ``start`` (the scenario's own ties
    with the dated changes of ``data/tie_changes.csv`` since its start applied,
    :func:`~indopacsim.validation.hindcast.observed`); the drivers are the values the
    events before ``start`` gave them, and so are their status-quo references, so that
    the start is fitted under the policies of its date as every window's start is; the
    events from ``start`` on are kept. Raises ``ValueError`` for an event before the start
    of a kind a restart cannot carry (:data:`CARRIED`).
    """
    t = scenario.time
    step = t.step_of(start)
    if t.date_of(step) != start or not 1 < step <= t.horizon:
        raise ValueError(f"{start} is not the first day of a step after the start of {t}")
    before = [e for e in scenario.events if e.date < start]
    odd = sorted({e.kind for e in before} - set(CARRIED))
    if odd:
        raise ValueError(f"a restart cannot carry events of kind {', '.join(odd)}")
    values: dict[str, float] = {}
    for e in before:  # as the model applies them: a shift adds, clipped to the range
        if isinstance(e, SetEvent | ShiftEvent):
            now = values.get(e.path, _value_at(scenario, e.path))
            lo, hi = numeric_path_range(scenario, e.path)
            values[e.path] = min(max(e.value if isinstance(e, SetEvent) else now + e.by, lo), hi)
    doc = apply_overrides(scenario.model_dump(mode="json"), values)
    reference = doc["status_quo"]["reference"]
    reference.update({p: v for p, v in values.items() if p in reference})
    doc["time"].update(start=start.isoformat(), horizon=t.horizon - step + 1)
    doc["events"] = [e for e in doc["events"] if dt.date.fromisoformat(e["date"]) >= start]
    doc["ties"]["set"] = [*doc["ties"]["set"], *_ties_on_eve(scenario, start)]
    return validate(doc, file=f"{scenario.name} from {start}")


def _value_at(scenario: Scenario, path: str) -> float:
    """The number at a dotted path of a scenario (``china.coercion``); a state's attribute
    only where the scenario gives it (not the bundled data's)."""
    node: Any = scenario
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        if node is None:
            raise ValueError(f"a restart needs {path} given in the scenario")
    return float(node)


def _ties_on_eve(scenario: Scenario, start: dt.date) -> list[list[Any]]:
    """``[a, b, level]`` of every pair whose observed level changed between the
    scenario's start and the eve of ``start``."""
    res = run_ensemble(scenario, 1, 0, steps=0)
    obs = H.observed(res.codes, res.ties0, scenario.time.start, start - dt.timedelta(days=1))
    moved = obs[obs["level_end"] != obs["level_start"]]
    return [[a, b, int(lv)] for a, b, lv in moved[["a", "b", "level_end"]].itertuples(index=False)]


def window_scenario(name: str) -> tuple[Scenario, dt.date, dt.date]:
    """The scenario of a window and its first and last days: a window of
    :data:`~indopacsim.validation.hindcast.WINDOWS`, or a half of the split."""
    if name in H.WINDOWS:
        file, start, end = H.WINDOWS[name]
        return load_scenario(file), start, end
    if name not in SPLIT_WINDOWS:
        known = ", ".join([*H.WINDOWS, *SPLIT_WINDOWS])
        raise KeyError(f"unknown window {name!r}; known: {known}")
    whole, start, end = SPLIT_WINDOWS[name]
    scenario: Scenario = load_scenario(H.WINDOWS[whole][0])
    if start > scenario.time.start:
        scenario = restarted(scenario, start)
    if end < scenario.time.end - dt.timedelta(days=1):
        scenario = truncated(scenario, end)
    return scenario, start, end


__all__ = ["CARRIED", "SPLIT", "SPLIT_WINDOWS", "restarted", "truncated", "window_scenario"]
