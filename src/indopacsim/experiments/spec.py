"""Experiment files: the schema of a sweep and its validation before any run.

An experiment (``experiments/*.yaml``, read by :mod:`indopacsim.safeio`) names a base
scenario, the parameters to vary, split into **uncertainties** (the world: US reliability,
Chinese coercion, ...) and **levers** (choices: doctrines), a **design** that turns them
into a table of points, the number of **replications** per point, a root **seed** and the
**outcomes** to keep. ``docs/experiments.md`` documents every field.

Every mistake (an unknown key or parameter path, an empty range, an unknown design,
replications below 1, a value the scenario rejects) raises
:class:`~indopacsim.errors.InputError` naming the experiment file and the field, before
any run (the checks against the scenario live in :mod:`indopacsim.experiments.checks`).
Designs and run planning live in :mod:`indopacsim.experiments.designs`; outcomes in
:mod:`indopacsim.experiments.outcomes`.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from indopacsim.errors import InputError
from indopacsim.experiments.calibration_sets import PATH as CALIBRATION
from indopacsim.experiments.calibration_sets import expand
from indopacsim.safeio import load_yaml_mapping, read_text, validation_error

if TYPE_CHECKING:
    from indopacsim.scenario.schema import Scenario

#: Design kinds (``design.kind``).
DesignKind = Literal["full_factorial", "latin_hypercube", "sobol", "morris", "table"]
#: Name of the ``model:`` that runs the agent-based model.
ABM = "indopacsim"
#: The function models an experiment file may name (``model: ishigami``): indopacsim's
#: own reference models. A file can name nothing else: a user's own function is given
#: from Python (``load_experiment(path, models={"name": fn})``) or on the command line
#: (``indopacsim sweep EXP --model name=module:function``), never by the file.
MODELS: dict[str, str] = {
    "ishigami": "indopacsim.experiments.reference_models:ishigami",
    "fragile": "indopacsim.experiments.reference_models:fragile",
}
#: Most runs (points x replications) a sweep may plan; more is refused before sampling
#: (planning costs about 9 s and 40 MB per million runs). ``INDOPACSIM_MAX_RUNS`` raises it.
MAX_RUNS = 1_000_000
#: Most points, as a share of :data:`MAX_RUNS` (sampling a Morris design costs about 45 us
#: a point: 200,000 points take about 10 s).
POINTS_SHARE = 5

Value = bool | int | float | str
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Frozen):
    """One uncertainty or lever: a dotted scenario path with a range or levels.

    Attributes:
        path: Dotted scenario path (``us.reliability``, ``states.GBR.doctrine``), an
            argument name of a function model, or ``calibration``: an uncertainty whose
            levels are parameter sets of the calibration (``frozen``, ``full.K``,
            ``local.K``; the groups ``full`` and ``local`` are expanded into their sets).
        name: Column name in the result tables (default: the path).
        range: ``[low, high]`` of a numeric parameter.
        levels: Explicit values (numbers or names such as doctrines).
        resolution: Points across ``range`` in a full factorial or when crossed as a
            lever (default: ``design.resolution``).
    """

    path: str = Field(min_length=1)
    name: Name | None = None
    range: tuple[float, float] | None = None
    levels: list[Value] | None = None
    resolution: int | None = Field(None, ge=2)

    @model_validator(mode="before")
    @classmethod
    def _calibration_groups(cls, v: Any) -> Any:
        """The levels of ``path: calibration`` with each group (``full``, ``local``)
        expanded into its parameter sets (:mod:`indopacsim.experiments.calibration_sets`)."""
        levels = v.get("levels") if isinstance(v, dict) else None
        if isinstance(v, dict) and v.get("path") == CALIBRATION and isinstance(levels, list):
            v = {**v, "levels": expand(levels)}
        return v

    @property
    def column(self) -> str:
        """The parameter's column in the points and runs tables."""
        return self.name or self.path


class Design(_Frozen):
    """How parameters become points.

    Attributes:
        kind: ``full_factorial`` | ``latin_hypercube`` | ``sobol`` | ``morris`` | ``table``.
        resolution: Full factorial: points across each range (levels are used as given).
        samples: Latin hypercube: points; sobol: the Saltelli base sample N (a power of
            2); morris: trajectories.
        second_order: Sobol: also sample and estimate the second-order indices.
        num_levels: Morris: levels of the grid.
        points: Table: the points, one mapping per point (column -> value).
        file: Table: a CSV file of points instead (relative to the experiment file).
    """

    kind: DesignKind = "full_factorial"
    resolution: int = Field(5, ge=2)
    samples: int | None = Field(None, ge=1)
    second_order: bool = False
    num_levels: int = Field(4, ge=2)
    points: list[dict[str, Value]] | None = None
    file: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, v: Any) -> Any:
        return {"kind": v} if isinstance(v, str) else v


class Outcome(_Frozen):
    """A named outcome kept from each run (see :mod:`indopacsim.experiments.outcomes`).

    Attributes:
        name: Column name in the results.
        measure: A model measure (``MODEL_MEASURES``), a per-state measure (``payoff``,
            ``security``, ...), ``tie``, or for a function model a key of its result.
            Default: the name.
        stat: ``final`` | ``mean`` | ``max`` | ``min`` over steps 1..horizon, or
            ``series`` (every step, in the time-series table).
        state: The state of a per-state measure, or the first state of a ``tie``.
        partner: The second state of a ``tie``.
    """

    name: Name
    measure: str | None = None
    stat: Literal["final", "mean", "max", "min", "series"] = "final"
    state: str | None = None
    partner: str | None = None

    @property
    def source(self) -> str:
        """The measure this outcome reads."""
        return self.measure or self.name


class Experiment(_Frozen):
    """A sweep: base scenario, uncertainties, levers, design, replications, seed, outcomes.

    Build one with :func:`load_experiment` (or :meth:`from_text`), which also validates it
    against the base scenario's schema.
    """

    name: Name
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    model: str = ABM
    scenario: str | None = None
    overrides: dict[str, Value] = Field(default_factory=dict)
    horizon: int | None = Field(None, ge=1, le=2400)
    uncertainties: list[Parameter] = Field(default_factory=list)
    levers: list[Parameter] = Field(default_factory=list)
    design: Design = Design()
    replications: int = Field(1, ge=1)
    seed: int = Field(0, ge=0)
    outcomes: list[Outcome] = Field(min_length=1)

    _path: Path | None = PrivateAttr(None)
    _text: str = PrivateAttr("")
    _base: Scenario | None = PrivateAttr(None)
    _function: Callable[..., Mapping[str, Any]] | None = PrivateAttr(None)

    # ------------------------------------------------------------------ context
    @property
    def path(self) -> Path | None:
        """The experiment file (``None`` when built from text)."""
        return self._path

    @property
    def text(self) -> str:
        """The experiment file's text, as read."""
        return self._text

    @property
    def sha256(self) -> str:
        """SHA-256 of the experiment file's text (the manifest's hash)."""
        return hashlib.sha256(self._text.encode()).hexdigest()

    @property
    def base(self) -> Scenario | None:
        """The validated base scenario (overrides and horizon applied); None for a function."""
        return self._base

    @property
    def is_abm(self) -> bool:
        """Whether the sweep runs the agent-based model (not a plain function)."""
        return self.model == ABM

    @property
    def parameters(self) -> list[Parameter]:
        """Uncertainties then levers."""
        return [*self.uncertainties, *self.levers]

    def function(self) -> Callable[..., Mapping[str, Any]]:
        """The plain function of a function model (a registered or a given one)."""
        if self._function is None:
            self._function = resolve_model(self.model)
        return self._function

    @classmethod
    def from_text(
        cls,
        text: str,
        path: str | Path | None = None,
        *,
        models: Mapping[str, Callable[..., Mapping[str, Any]]] | None = None,
    ) -> Experiment:
        """Parse and validate an experiment from YAML text (``path`` anchors relative files).

        Args:
            text: The YAML text.
            path: The file it came from (named in errors, anchors ``design.file``).
            models: Function models the caller allows besides the registered ones
                (:data:`MODELS`), by the name the file's ``model:`` gives.
        """
        where = str(path) if path is not None else "<experiment>"
        doc = load_yaml_mapping(text, where, "an experiment file", text=True)
        try:
            exp = cls.model_validate(doc)
        except ValidationError as exc:
            raise validation_error(exc, where) from None
        exp._path = Path(path) if path is not None else None
        exp._text = text
        if not exp.is_abm:
            if models and exp.model in models:
                if not callable(models[exp.model]):
                    raise InputError(f"{exp.model!r} is not callable", file=where, field="model")
                exp._function = models[exp.model]
            elif exp.model not in MODELS:
                raise InputError(
                    f"unknown model {exp.model!r}: an experiment file names only "
                    f"{', '.join([ABM, *MODELS])}; run your own function from Python "
                    "(load_experiment(path, models={name: function})) or with "
                    "--model NAME=module:function",
                    file=where,
                    field="model",
                )
        check_design_size(exp, where)
        from indopacsim.experiments.checks import check_experiment, load_base

        exp._base = load_base(exp, where) if exp.is_abm else None
        check_experiment(exp, where)
        return exp


def load_experiment(
    path: str | Path, *, models: Mapping[str, Callable[..., Mapping[str, Any]]] | None = None
) -> Experiment:
    """Read, parse and validate an experiment file.

    Args:
        path: The YAML file.
        models: Function models allowed besides the registered ones (see
            :meth:`Experiment.from_text`).

    Returns:
        The frozen experiment, its base scenario loaded and every parameter checked.

    Raises:
        InputError: For any mistake in the file, naming the file and the field.
    """
    text = read_text(path, what="experiment file")
    return Experiment.from_text(text, Path(path), models=models)


def resolve_model(name: str) -> Callable[..., Mapping[str, Any]]:
    """The function of a registered model name (:data:`MODELS`); nothing else is imported."""
    import importlib

    target = MODELS.get(name)
    if target is None:
        raise InputError(f"unknown model {name!r}; registered: {', '.join(MODELS)}")
    module, _, attr = target.partition(":")
    fn: Callable[..., Mapping[str, Any]] = getattr(importlib.import_module(module), attr)
    return fn


def import_function(target: str) -> Callable[..., Mapping[str, Any]]:
    """Import ``module:function`` named by the person running indopacsim (``--model``).

    Never called with text from a file: the CLI flag is the explicit permission.
    """
    import importlib

    module, sep, attr = target.partition(":")
    if not sep or not module or not attr:
        raise InputError(f"expected module:function, got {target!r}", field="--model")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot import {target!r}: {exc}", field="--model") from None
    if not callable(fn):
        raise InputError(f"{target!r} is not callable", field="--model")
    return fn


def max_runs() -> int:
    """The run limit: :data:`MAX_RUNS`, or ``INDOPACSIM_MAX_RUNS`` when set."""
    raw = os.environ.get("INDOPACSIM_MAX_RUNS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else MAX_RUNS


def estimate_points(exp: Experiment) -> int:
    """How many points the design makes, computed without sampling anything."""
    d = exp.design
    k = len(exp.uncertainties)

    def grid(p: Parameter) -> int:
        if p.levels is not None:
            return len(p.levels)
        return p.resolution or d.resolution

    policies = math.prod(grid(p) for p in exp.levers)
    if d.kind == "table":
        return len(d.points or []) or 1
    if d.kind == "full_factorial":
        futures = math.prod(grid(p) for p in exp.uncertainties)
    elif d.kind == "latin_hypercube":
        futures = d.samples or 1
    elif d.kind == "sobol":
        futures = (d.samples or 1) * ((2 * k + 2) if d.second_order else (k + 2))
    else:  # morris
        futures = (d.samples or 1) * (k + 1)
    return futures * policies


def check_design_size(exp: Experiment, where: str) -> None:
    """Refuse a design too large to plan, with its size, before anything is sampled."""
    limit = max_runs()
    points = estimate_points(exp)
    runs = points * exp.replications
    if points > limit // POINTS_SHARE:
        raise InputError(
            f"the design makes {points:,} points; the limit is {limit // POINTS_SHARE:,} "
            "(set INDOPACSIM_MAX_RUNS to raise it; points are limited to a fifth of it)",
            file=where,
            field="design",
        )
    if runs > limit:
        columns = 4 + len(exp.parameters) + len(exp.outcomes)
        gigabytes = runs * columns * 8 / 1e9
        raise InputError(
            f"the design makes {points:,} points x {exp.replications:,} replications = "
            f"{runs:,} runs (about {gigabytes:,.1f} GB of tables); the limit is {limit:,} "
            "(set INDOPACSIM_MAX_RUNS to raise it)",
            file=where,
            field="replications",
        )
