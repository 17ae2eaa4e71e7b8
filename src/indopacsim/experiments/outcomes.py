"""Outcomes: the named numbers a sweep keeps from each run.

An outcome reads one **measure** and reduces it with a **statistic**:

- a model measure, one of :data:`indopacsim.model.model.MODEL_MEASURES` (``uk_japan``,
  ``networked_alliance``, ``n_blocs``, ``mean_trust``, ...), collected every step;
- a per-state measure of one ``state``: ``payoff`` and its components ``security``,
  ``values``, ``economic``, ``autonomy``, or ``alignment``, ``hedging``, ``trust``;
- ``tie``: the level of the tie between ``state`` and ``partner``.

Statistics: ``final`` (the value after the last step), ``mean``, ``max`` or ``min`` over
steps 1..horizon (the run, not its starting point), or ``series`` (steps 0..horizon, one
row per step in the time-series table). A function model (``model: module:function``)
returns a mapping; its outcomes read keys of that mapping and take ``final`` only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from indopacsim.errors import InputError

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Outcome
    from indopacsim.model.model import IndoPacModel
    from indopacsim.scenario.schema import Scenario

#: Per-state measures: payoff components (``model.payoffs``) and state arrays.
PAYOFF_MEASURES = ("payoff", "security", "values", "economic", "autonomy")
STATE_ARRAYS = ("alignment", "hedging", "trust")
STATE_MEASURES = PAYOFF_MEASURES + STATE_ARRAYS
TIE = "tie"
#: Model measures that are not numbers.
NON_NUMERIC = ("date",)


def model_measures() -> tuple[str, ...]:
    """The numeric model-level measures an outcome can name."""
    from indopacsim.model.model import MODEL_MEASURES

    return tuple(m for m in MODEL_MEASURES if m not in NON_NUMERIC)


def check_outcomes(outcomes: Sequence[Outcome], base: Scenario | None) -> None:
    """Check each outcome against the measures (``base`` None: a function model).

    Raises:
        InputError: naming ``outcomes[i]`` and the field at fault (no file).
    """
    for i, o in enumerate(outcomes):
        where = f"outcomes[{i}]"
        if base is None:
            if o.stat != "final" or o.state or o.partner:
                raise InputError(
                    "a function model's outcomes are keys of its result (stat: final only)",
                    field=where,
                )
            continue
        measure = o.source
        codes = base.codes
        if measure in FINAL_ONLY:
            if o.stat != "final" or o.state or o.partner:
                raise InputError(
                    f"{measure} is computed from the final network: stat final, no state",
                    field=f"{where}.stat",
                )
            continue
        if measure in model_measures():
            if o.state or o.partner:
                raise InputError(
                    f"{measure} is a model measure: it takes no state", field=f"{where}.state"
                )
        elif measure in STATE_MEASURES or measure == TIE:
            if o.state is None:
                raise InputError(f"{measure} needs a state", field=f"{where}.state")
            if o.state not in codes:
                raise InputError(
                    f"state {o.state!r} is not in the base scenario", field=f"{where}.state"
                )
            if measure == TIE:
                if o.partner is None or o.partner not in codes or o.partner == o.state:
                    raise InputError(
                        "a tie needs a partner: another state of the base scenario",
                        field=f"{where}.partner",
                    )
            elif o.partner is not None:
                raise InputError(f"{measure} takes no partner", field=f"{where}.partner")
        else:
            known = ", ".join((*model_measures(), *FINAL_ONLY, *STATE_MEASURES, TIE))
            raise InputError(
                f"unknown measure {measure!r}; known: {known}",
                field=f"{where}.{'measure' if o.measure else 'name'}",
            )


def _communities(model: IndoPacModel) -> tuple[int, float]:
    from indopacsim.coalitions import measures as coalitions

    labels = coalitions.communities(model.ties, seed=0)
    return int((np.bincount(labels) >= 2).sum()), coalitions.modularity(model.ties, labels)


#: Measures computed once, from the final tie network (stat ``final`` only): the number
#: of communities (Louvain, seed 0) with two or more members, and their modularity.
FINAL_ONLY: dict[str, Any] = {
    "n_communities": lambda m: float(_communities(m)[0]),
    "community_modularity": lambda m: _communities(m)[1],
}


def _state_value(model: IndoPacModel, o: Outcome) -> float:
    measure = o.source
    row = model.codes.index(o.state)
    if measure in PAYOFF_MEASURES:
        return float(model.payoffs[measure][row])
    if measure == TIE:
        return model.level(o.state, o.partner)  # type: ignore[arg-type]
    return float(getattr(model, measure)[row])


def _reduce(values: Sequence[float], stat: str) -> float:
    run = np.asarray(values[1:] if len(values) > 1 else values, dtype=float)
    if stat == "mean":
        return float(run.mean())
    if stat == "max":
        return float(run.max())
    if stat == "min":
        return float(run.min())
    return float(values[-1])


def run_abm(
    scenario: Scenario, seed: int, outcomes: Sequence[Outcome]
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Run the model once (``record=False``) and extract the outcomes.

    Args:
        scenario: The point's validated scenario (reuse one object across replicates so
            the model's caches of static terms hit).
        seed: The run's seed (the model's ``rng``).
        outcomes: What to keep.

    Returns:
        ``(scalars, series)``: scalar outcomes by name, and series outcomes by name (one
        value per step 0..horizon).
    """
    from indopacsim.model.model import IndoPacModel

    history_needed = any(
        o.stat != "final" for o in outcomes if o.source not in STATE_MEASURES and o.source != TIE
    )
    # final values are the model's attributes after the last step: without history the
    # DataCollector's per-step copies of every measure are skipped (about a tenth of a run)
    model = IndoPacModel(scenario, rng=seed, record=False, collect=history_needed)
    tracked = [o for o in outcomes if o.source in STATE_MEASURES or o.source == TIE]
    per_step: dict[str, list[float]] = {o.name: [_state_value(model, o)] for o in tracked}
    if tracked and any(o.stat != "final" for o in tracked):
        while model.running:
            model.step()
            for o in tracked:
                per_step[o.name].append(_state_value(model, o))
    else:
        model.run_model()
        for o in tracked:
            per_step[o.name] = [_state_value(model, o)]
    history: Mapping[str, list[Any]] = model.datacollector.model_vars
    scalars: dict[str, float] = {}
    series: dict[str, list[float]] = {}
    for o in outcomes:
        if o.source in FINAL_ONLY:
            scalars[o.name] = float(FINAL_ONLY[o.source](model))
            continue
        if o.name in per_step:
            values = per_step[o.name]
        elif history_needed:
            values = history[o.source]
        else:
            values = [getattr(model, o.source)]
        if o.stat == "series":
            series[o.name] = [float(v) for v in values]
        else:
            scalars[o.name] = _reduce(values, o.stat)
    return scalars, series


def function_outcomes(result: Mapping[str, Any], outcomes: Sequence[Outcome]) -> dict[str, float]:
    """Pick the outcomes out of a function model's result mapping."""
    out: dict[str, float] = {}
    for o in outcomes:
        if o.source not in result:
            raise KeyError(f"the model returned no {o.source!r}")
        out[o.name] = float(result[o.source])
    return out
