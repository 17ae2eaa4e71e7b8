"""Checks of an experiment against the scenario schema, the model and the design.

Everything pydantic cannot check from the experiment file alone: that every parameter
path names one settable field of the base scenario, that ranges are non-empty and inside
the field's bounds, that every level is a value the scenario accepts, that a function
model takes the parameters, that the design can be built, and that the outcomes name
known measures and states. All of it runs before any run; each failure is one
:class:`~indopacsim.errors.InputError` naming the file and the field.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from indopacsim.errors import InputError
from indopacsim.experiments.calibration_sets import PATH as CALIBRATION
from indopacsim.experiments.calibration_sets import point_scenario
from indopacsim.experiments.designs import design_kind, design_points
from indopacsim.experiments.outcomes import check_outcomes
from indopacsim.scenario.io import load_scenario, resolve_path, with_overrides
from indopacsim.scenario.paths import integer_path, numeric_path_range, resolve_param

if TYPE_CHECKING:
    from indopacsim.experiments.spec import Experiment, Parameter
    from indopacsim.scenario.schema import Scenario

#: Column names the result tables reserve.
RESERVED = ("run_id", "point_id", "sample_id", "replicate", "seed", "status", "error", "step")


def check_experiment(exp: Experiment, where: str) -> None:
    """Check everything pydantic cannot: paths, ranges, levels, the design, the outcomes.

    ``exp.base`` must already hold the base scenario (:func:`load_base`) for the model.

    Raises:
        InputError: naming ``where`` (the file) and the field at fault.
    """
    seen: dict[str, str] = {}
    for section, params in (("uncertainties", exp.uncertainties), ("levers", exp.levers)):
        for i, p in enumerate(params):
            field = f"{section}[{i}]"
            col = p.column
            if col in RESERVED:
                raise InputError(f"the column name {col!r} is reserved", file=where, field=field)
            if col in seen:
                raise InputError(
                    f"parameter {col!r} is also {seen[col]}", file=where, field=f"{field}.path"
                )
            seen[col] = field
            _check_values(p, field, exp.design.kind, where)
    if exp.base is not None:
        base = exp.base
        for section, params in (("uncertainties", exp.uncertainties), ("levers", exp.levers)):
            for i, p in enumerate(params):
                _check_scenario_parameter(base, p, f"{section}[{i}]", where)
    else:
        _check_function(exp, where)
    _check_design(exp, where)
    names = set(seen)
    for i, o in enumerate(exp.outcomes):
        if o.name in RESERVED or o.name in names:
            raise InputError(
                f"outcome name {o.name!r} is reserved or already used",
                file=where,
                field=f"outcomes[{i}].name",
            )
        names.add(o.name)
    try:
        check_outcomes(exp.outcomes, exp.base)
    except InputError as exc:
        raise InputError(exc.message, file=where, field=exc.field) from None


def _check_values(p: Parameter, field: str, kind: str, where: str) -> None:
    if p.range is not None and p.levels is not None:
        raise InputError("give either range or levels, not both", file=where, field=field)
    if p.range is None and p.levels is None and design_kind(kind).needs_values:
        raise InputError("give a range [low, high] or levels", file=where, field=field)
    if p.range is not None and not p.range[0] < p.range[1]:
        raise InputError(
            f"empty range [{p.range[0]}, {p.range[1]}]: low must be below high",
            file=where,
            field=f"{field}.range",
        )
    if p.levels is not None:
        if not p.levels:
            raise InputError("levels is empty", file=where, field=f"{field}.levels")
        kinds = {isinstance(v, str) for v in p.levels}
        if len(kinds) > 1:
            raise InputError("levels mix names and numbers", file=where, field=f"{field}.levels")
        if len(set(p.levels)) != len(p.levels):
            raise InputError("levels repeat a value", file=where, field=f"{field}.levels")


def load_base(exp: Experiment, where: str) -> Scenario:
    """The validated base scenario: the file or bundled name, overrides and horizon applied."""
    anchor = exp.path.parent if exp.path is not None else None
    ref = exp.scenario or "uk_japan_2026"
    try:
        scen_path = resolve_path(ref, relative_to=anchor)
    except InputError:
        raise InputError(
            f"no such scenario file or bundled scenario: {ref}", file=where, field="scenario"
        ) from None
    try:
        base = load_scenario(scen_path)
    except InputError as exc:
        raise InputError(
            f"the base scenario is invalid: {exc.one_line()}", file=where, field="scenario"
        ) from None
    fixed: dict[str, Any] = dict(exp.overrides)
    for key in fixed:
        try:
            _scenario_field(base, key)
        except ValueError as exc:
            raise InputError(str(exc), file=where, field=f"overrides.{key}") from None
    if exp.horizon is not None:
        fixed["time.horizon"] = exp.horizon
    try:
        return with_overrides(base, fixed)
    except InputError as exc:
        field = "horizon" if exp.horizon is not None and "date" in (exc.field or "") else None
        raise InputError(
            f"the base scenario with these settings is invalid: {exc.field}: {exc.message}",
            file=where,
            field=field or "overrides",
        ) from None


def _scenario_field(base: Scenario, path: str) -> bool:
    """Check that ``path`` names one settable parameter; return whether it is numeric."""
    if path.split(".")[0] == "time":
        raise ValueError(f"{path!r}: set the calendar with the experiment's horizon")
    ref = resolve_param(base, path)
    if ref.is_section or ref.is_collection:
        raise ValueError(f"{path!r} names a section or a list, not one parameter")
    try:
        ref.bounds()
    except ValueError:
        return False
    return True


def _check_calibration(base: Scenario, p: Parameter, field: str, where: str) -> None:
    """``path: calibration``: an uncertainty whose levels name parameter sets."""
    if field.startswith("levers"):
        raise InputError(
            "the calibration is an uncertainty, not a choice: list it under uncertainties",
            file=where,
            field=f"{field}.path",
        )
    if p.levels is None:
        raise InputError(
            "give the calibration levels (parameter sets: frozen, full, local, full.3, ...), "
            "not a range",
            file=where,
            field=f"{field}.levels",
        )
    for j, v in enumerate(p.levels):
        try:
            point_scenario(base, {p.path: v})
        except InputError as exc:
            raise InputError(exc.message, file=where, field=f"{field}.levels[{j}]") from None


def _check_scenario_parameter(base: Scenario, p: Parameter, field: str, where: str) -> None:
    if p.path == CALIBRATION:
        _check_calibration(base, p, field, where)
        return
    try:
        numeric = _scenario_field(base, p.path)
    except ValueError as exc:
        raise InputError(str(exc), file=where, field=f"{field}.path") from None
    candidates: list[tuple[str, Any]] = []
    if p.range is not None:
        if not numeric:
            raise InputError(
                f"{p.path} is not numeric: give levels, not a range",
                file=where,
                field=f"{field}.range",
            )
        lo, hi = numeric_path_range(base, p.path)
        if p.range[0] < lo or p.range[1] > hi:
            raise InputError(
                f"range [{p.range[0]}, {p.range[1]}] goes outside [{lo}, {hi}] for {p.path}",
                file=where,
                field=f"{field}.range",
            )
        candidates = [(f"{field}.range", v) for v in p.range]
        if integer_path(base, p.path):
            candidates = [(f, round(v)) for f, v in candidates]
    for j, v in enumerate(p.levels or []):
        candidates.append((f"{field}.levels[{j}]", v))
    for f, v in candidates:
        try:
            with_overrides(base, {p.path: v})
        except InputError as exc:
            raise InputError(f"{v!r} is not valid: {exc.message}", file=where, field=f) from None


def _check_function(exp: Experiment, where: str) -> None:
    if exp.scenario is not None or exp.overrides or exp.horizon is not None:
        raise InputError(
            "scenario, overrides and horizon apply to the agent-based model only",
            file=where,
            field="model",
        )
    try:
        fn = exp.function()
    except InputError as exc:
        raise InputError(exc.message, file=where, field="model") from None
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    if any(q.kind is inspect.Parameter.VAR_KEYWORD for q in sig.parameters.values()):
        return
    for section, params in (("uncertainties", exp.uncertainties), ("levers", exp.levers)):
        for i, p in enumerate(params):
            if p.path not in sig.parameters:
                raise InputError(
                    f"{exp.model} takes no argument {p.path!r}",
                    file=where,
                    field=f"{section}[{i}].path",
                )


def _check_design(exp: Experiment, where: str) -> None:
    # the kind's own requirements, then building the points checks table columns and values
    try:
        kind = design_kind(exp.design.kind)
        kind.check(exp)
        design_points(exp)
    except InputError as exc:
        raise exc.with_file(where) from None
