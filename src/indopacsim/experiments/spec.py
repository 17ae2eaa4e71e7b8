"""Experiment files: the schema of a sweep and its validation before any run.

An experiment (``experiments/*.yaml``, loaded with ``yaml.safe_load``) names a base
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
import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from indopacsim.errors import InputError
from indopacsim.scenario.io import parse_yaml_mapping

if TYPE_CHECKING:
    from indopacsim.scenario.schema import Scenario

#: Design kinds (``design.kind``).
DesignKind = Literal["full_factorial", "latin_hypercube", "sobol", "morris", "table"]
#: Name of the ``model:`` that runs the agent-based model.
ABM = "indopacsim"

Value = bool | int | float | str
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Frozen):
    """One uncertainty or lever: a dotted scenario path with a range or levels.

    Attributes:
        path: Dotted scenario path (``us.reliability``, ``states.GBR.doctrine``), or an
            argument name of a function model.
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
        """The plain function a ``model: module:function`` names."""
        return import_function(self.model)

    @classmethod
    def from_text(cls, text: str, path: str | Path | None = None) -> Experiment:
        """Parse and validate an experiment from YAML text (``path`` anchors relative files)."""
        where = str(path) if path is not None else "<experiment>"
        doc = parse_yaml_mapping(text, where, "an experiment file")
        try:
            exp = cls.model_validate(doc)
        except ValidationError as exc:
            err = exc.errors()[0]
            message = _message(err)
            if err["loc"] and err["loc"][-1] in ("bool", "int", "float", "str"):
                message = "expected a number, a name or true/false"
            raise InputError(message, file=where, field=_field(err["loc"])) from None
        exp._path = Path(path) if path is not None else None
        exp._text = text
        from indopacsim.experiments.checks import check_experiment, load_base

        exp._base = load_base(exp, where) if exp.is_abm else None
        check_experiment(exp, where)
        return exp


def load_experiment(path: str | Path) -> Experiment:
    """Read, parse and validate an experiment file.

    Args:
        path: The YAML file.

    Returns:
        The frozen experiment, its base scenario loaded and every parameter checked.

    Raises:
        InputError: For any mistake in the file, naming the file and the field.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=str(p)) from None
    return Experiment.from_text(text, p)


def import_function(target: str) -> Callable[..., Mapping[str, Any]]:
    """Import ``module:function``; raise InputError when it is missing or not callable."""
    module, sep, attr = target.partition(":")
    if not sep or not module or not attr:
        raise InputError(f"expected 'indopacsim' or 'module:function', got {target!r}")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot import {target!r}: {exc}") from None
    if not callable(fn):
        raise InputError(f"{target!r} is not callable")
    return fn


# ---------------------------------------------------------------------- validation
def _field(loc: tuple[int | str, ...] | list[int | str]) -> str | None:
    parts: list[str] = []
    for k, item in enumerate(loc):
        if isinstance(item, int) and parts:
            parts[-1] = f"{parts[-1]}[{item}]"
        elif k and isinstance(loc[k - 1], int) and item in ("bool", "int", "float", "str"):
            continue  # the member of a union pydantic tried, not a field
        elif not str(item).startswith(("function-", "tagged-")):
            parts.append(str(item))
    return ".".join(parts) or None


def _message(err: Mapping[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required"
    if err["type"] == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        return f"unknown value {err.get('input')!r}; expected {expected}"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")
