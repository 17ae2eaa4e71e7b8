"""Landscape case files (YAML) and the report printed by ``indopacsim landscape``.

The theory is Axelrod & Bennett, "A Landscape Theory of Aggregation", *British
Journal of Political Science* 23(2), 1993, 211-233; see :mod:`indopacsim.landscape.core`.
The file format (every key; see ``docs/landscape.md``)::

    kind: landscape              # required, exactly this
    name: example                # required
    description: optional text
    sources: [optional list of strings]
    scale: {neutral: 3}          # propensity = value - neutral (default neutral 0)
    actors:                      # required, at least one; unique names, size > 0
      - {name: A, size: 10}
    propensities:                # each unordered pair once: [a, b, value]
      - [A, B, 2]
    default_propensity: 3        # optional: value for pairs not listed (else an error)
    observed:                    # optional: the actual alignment, two lists of names
      - [A, C]
      - [B, D]

Every mistake raises :class:`~indopacsim.errors.InputError` naming the file and the
field (e.g. ``actors[2].size`` or ``propensities[3]``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indopacsim.errors import InputError
from indopacsim.landscape.core import Landscape
from indopacsim.landscape.exact import MAX_EXACT_ACTORS, solve_exact
from indopacsim.landscape.result import LandscapeResult, Minimum
from indopacsim.landscape.search import solve_heuristic
from indopacsim.safeio import parse_yaml, read_text, validation_error

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Name = Annotated[str, Field(strict=True, min_length=1)]

HEURISTIC_STARTS = 10_000
"""Random starts used by :func:`landscape_report` with ``heuristic=True``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    """Coding scale: ``propensity = value - neutral``."""

    neutral: Number = 0.0


class Actor(_Model):
    """One actor: unique name and size (> 0)."""

    name: Name
    size: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0)]


class Case(_Model):
    """A landscape case file (Axelrod & Bennett 1993 inputs plus an observed alignment)."""

    kind: Literal["landscape"]
    name: Name
    description: str | None = None
    sources: tuple[str, ...] = ()
    scale: Scale = Scale()
    actors: tuple[Actor, ...] = Field(min_length=1)
    propensities: tuple[tuple[Name, Name, Number], ...] = ()
    default_propensity: Number | None = None
    observed: tuple[tuple[Name, ...], tuple[Name, ...]] | None = None


_KEYS = {
    "": sorted(Case.model_fields),
    "scale": sorted(Scale.model_fields),
    "actors": sorted(Actor.model_fields),
}


def _hint(err: Mapping[str, Any], msg: str) -> str:
    """The case file's own wording for a pydantic error (see safeio.validation_error)."""
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = str(loc[0]) if len(loc) > 1 else ""
        msg = f"unknown key (allowed: {', '.join(_KEYS.get(parent, []))})"
    elif kind == "missing":
        msg = "missing required key" if isinstance(loc[-1], str) else "row too short"
    if loc[0] == "propensities" and len(loc) > 1:
        msg = f"each row must be [actor, actor, value]: {msg}"
    elif kind == "literal_error" and loc == ("kind",):
        msg = "kind must be 'landscape'"
    elif kind == "string_type" and (loc[-1] == "name" or loc[0] in ("propensities", "observed")):
        msg += " (quote names that YAML reads as numbers or booleans, e.g. 'NO')"
    return msg


def _read(path: str) -> object:
    return parse_yaml(read_text(path, what="case file"), path)


def _build(case: Case, file: str) -> Landscape:
    index = _actor_index(case, file)
    p = _propensities(case, index, file)
    _check_observed(case, index, file)
    sizes = np.array([a.size for a in case.actors])
    try:
        return Landscape(tuple(index), sizes, p)
    except ValueError as exc:
        raise InputError(str(exc), file=file, field="actors") from exc


def _actor_index(case: Case, file: str) -> dict[str, int]:
    """Each actor's position; a repeated name is an error."""
    index: dict[str, int] = {}
    for i, actor in enumerate(case.actors):
        if actor.name in index:
            raise InputError(
                f"duplicate actor name {actor.name!r} (also actors[{index[actor.name]}])",
                file=file,
                field=f"actors[{i}].name",
            )
        index[actor.name] = i
    return index


def _propensities(case: Case, index: dict[str, int], file: str) -> np.ndarray:
    """The symmetric propensity matrix, shifted by ``scale.neutral``; every unordered pair
    given once (or by ``default_propensity``)."""
    names = list(index)
    n = len(names)
    neutral = case.scale.neutral
    p = np.zeros((n, n))
    given: dict[tuple[int, int], tuple[int, float]] = {}
    for r, (a, b, value) in enumerate(case.propensities):
        for name in (a, b):
            if name not in index:
                raise InputError(f"unknown actor {name!r}", file=file, field=f"propensities[{r}]")
        if a == b:
            raise InputError(f"pair of {a!r} with itself", file=file, field=f"propensities[{r}]")
        i, j = sorted((index[a], index[b]))
        if (i, j) in given:
            r0, v0 = given[(i, j)]
            what = "given twice" if v0 == value else f"asymmetric: {v0:g} there, {value:g} here"
            raise InputError(
                f"pair ({a}, {b}) {what} (first at propensities[{r0}])",
                file=file,
                field=f"propensities[{r}]",
            )
        given[(i, j)] = (r, value)
        p[i, j] = p[j, i] = value - neutral
    missing = [(i, j) for i in range(n) for j in range(i + 1, n) if (i, j) not in given]
    if missing and case.default_propensity is None:
        shown = ", ".join(f"({names[i]}, {names[j]})" for i, j in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InputError(
            f"{len(missing)} missing pair(s): {shown}{more}; give every unordered pair once "
            "or set default_propensity",
            file=file,
            field="propensities",
        )
    for i, j in missing:
        p[i, j] = p[j, i] = float(case.default_propensity or 0.0) - neutral
    return p


def _check_observed(case: Case, index: dict[str, int], file: str) -> None:
    """Every name of the observed alignment is an actor, listed once."""
    seen: dict[str, str] = {}
    for s, side in enumerate(case.observed or ()):
        for k, name in enumerate(side):
            where = f"observed[{s}][{k}]"
            if name not in index:
                raise InputError(f"unknown actor {name!r}", file=file, field=where)
            if name in seen:
                raise InputError(
                    f"{name!r} listed twice (also {seen[name]})", file=file, field=where
                )
            seen[name] = where


def load_case(path: str | os.PathLike[str]) -> tuple[Case, Landscape]:
    """Load and check a landscape case file (Axelrod & Bennett 1993 inputs).

    Args:
        path: YAML file, read by :mod:`indopacsim.safeio` (safe loader, limits).

    Returns:
        The validated :class:`Case` and its :class:`~indopacsim.landscape.core.Landscape`
        (propensities already shifted by ``scale.neutral``).

    Raises:
        InputError: Naming the file and the field at fault.
    """
    file = os.fspath(path)
    data = _read(file)
    if not isinstance(data, dict):
        raise InputError("a case file must be a YAML mapping", file=file, field="(document)")
    if data.get("kind") != "landscape":
        raise InputError(
            f"kind must be 'landscape', not {data.get('kind')!r}", file=file, field="kind"
        )
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, file, hint=_hint) from None
    return case, _build(case, file)


def _solve(case: Case, ls: Landscape, file: str, heuristic: bool, seed: int) -> LandscapeResult:
    if heuristic:
        rng = np.random.default_rng(seed)
        return solve_heuristic(ls, rng, n_starts=HEURISTIC_STARTS)
    if ls.n > MAX_EXACT_ACTORS:
        raise InputError(
            f"{ls.n} actors is more than the exact solver's limit of {MAX_EXACT_ACTORS}; "
            "use --heuristic",
            file=file,
            field="actors",
        )
    return solve_exact(ls)


def landscape_report(
    path: str | os.PathLike[str],
    *,
    top: int = 5,
    heuristic: bool = False,
    as_json: bool = False,
    seed: int = 0,
) -> str:
    """Solve a case file and format the result (Axelrod & Bennett 1993).

    Text mode lists the ``top`` minima (rank, sides, energy, basin share), each
    actor's frustration at the best minimum and, with ``observed``, how many actors
    the best minimum misplaces and which. JSON mode returns exactly
    ``{"minima": [{"energy", "sides", "basin"}, ...], "frustration": {...},
    "misplaced": int | null}``, minima by ascending energy.

    Args:
        path: The case file.
        top: How many minima to show (>= 1).
        heuristic: Multi-start local search (seeded by ``seed``) instead of the
            exact solver; required above ``MAX_EXACT_ACTORS`` actors.
        as_json: Return JSON instead of text.
        seed: Seed of the heuristic's numpy Generator.

    Raises:
        InputError: Bad file or arguments.
    """
    file = os.fspath(path)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputError(f"top must be a positive integer, not {top!r}", field="--top")
    case, ls = load_case(file)
    res = _solve(case, ls, file, heuristic, seed)
    shown = [res.minimum(r) for r in range(min(top, len(res.energies)))]
    frus = res.frustration_at(0)
    miss = res.misplaced_actors(case.observed) if case.observed is not None else None
    if as_json:
        return json.dumps(
            {
                "minima": [{"energy": m.energy, "sides": m.sides, "basin": m.basin} for m in shown],
                "frustration": frus,
                "misplaced": None if miss is None else len(miss),
            },
            indent=2,
        )
    return "\n".join(_text_report(case, res, shown, frus, miss, seed))


def _text_report(
    case: Case,
    res: LandscapeResult,
    shown: list[Minimum],
    frus: dict[str, float],
    miss: list[str] | None,
    seed: int,
) -> list[str]:
    ls = res.landscape
    how = (
        f"exact enumeration of {res.n_starts} two-sided configurations"
        if res.method == "exact"
        else f"heuristic: {res.n_starts} random starts, seed {seed}; basins are estimates"
    )
    lines = [
        f"Landscape {case.name}: {ls.n} actors ({how})",
        f"{len(res.energies)} local minima; showing {len(shown)} by energy:",
        f"{'rank':>4}  {'energy':>12}  {'basin':>7}  sides",
    ]
    for r, m in enumerate(shown, start=1):
        sides = "  vs  ".join("{" + ", ".join(s) + "}" for s in m.sides)
        lines.append(f"{r:>4}  {m.energy:>12.6g}  {m.basin:>7.2%}  {sides}")
    lines.append("Frustration at the best minimum:")
    width = max(len(x) for x in ls.names)
    lines += [f"  {name:<{width}}  {value:.6g}" for name, value in frus.items()]
    if miss is not None:
        scored = sum(len(s) for s in case.observed or ())
        which = ", ".join(miss) if miss else "none"
        lines.append(
            f"Observed alignment: best minimum misplaces {len(miss)} of {scored} ({which})"
        )
    return lines
