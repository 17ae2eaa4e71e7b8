"""Reading scenarios: YAML files, ``extends:`` chains, dotted overrides, clear errors.

Merging rule for ``extends: base.yaml`` (a path relative to the extending file, or the
name of a bundled scenario): mappings merge key by key, the extending file winning;
lists are replaced, except ``events``, which accumulate along the chain (the base's
events first) unless the extending file sets ``inherit_events: false``.

Every user mistake raises :class:`~indopacsim.errors.InputError` naming the file and
the field, which the CLI prints as one line with exit code 2.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from indopacsim import data
from indopacsim.caching import ContentCache
from indopacsim.errors import InputError
from indopacsim.safeio import load_yaml_mapping, parse_yaml, quote, validation_error
from indopacsim.scenario.paths import STATES, split_state_path
from indopacsim.scenario.schema import Scenario

#: Top-level sections whose parameters can be written ``section_param`` as keyword overrides.
SECTIONS = (
    "time",
    "us",
    "china",
    "russia",
    "weights",
    "threat",
    "costs",
    "budget",
    "ladder",
    "learning",
    "noise",
    "crises",
    "status_quo",
)

BUNDLED_DIR = "scenarios"


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped with the package (``indopacsim run NAME``)."""
    root = resources.files("indopacsim").joinpath(BUNDLED_DIR)
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def resolve_path(ref: str | Path, relative_to: Path | None = None) -> Path:
    """Resolve a scenario reference: a path (relative to ``relative_to``) or a bundled name.

    Args:
        ref: A file path or the name of a bundled scenario (with or without ``.yaml``).
        relative_to: Folder against which relative paths are resolved first.

    Returns:
        The path of an existing file.

    Raises:
        InputError: If no such file or bundled scenario exists.
    """
    ref_path = Path(ref)
    candidates = []
    if relative_to is not None and not ref_path.is_absolute():
        candidates.append(relative_to / ref_path)
    candidates.append(ref_path)
    for c in candidates:
        if c.exists() and not c.is_dir():  # a special file: safeio refuses it by name
            return c
    name = ref_path.name[:-5] if ref_path.name.endswith(".yaml") else ref_path.name
    if ref_path.parent == Path(".") and name in bundled_scenarios():
        with resources.as_file(
            resources.files("indopacsim").joinpath(BUNDLED_DIR, f"{name}.yaml")
        ) as p:
            return Path(p)
    raise InputError(f"no such file or bundled scenario: {ref}", file=str(candidates[0]))


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a scenario file's YAML mapping (:func:`indopacsim.safeio.load_yaml_mapping`)."""
    return load_yaml_mapping(path, str(path), "a scenario file")


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``top`` into ``base`` (mappings recursively, other values replaced)."""
    out = copy.deepcopy(dict(base))
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _load_chain(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    real = path.resolve()
    if real in seen:
        chain = " -> ".join(p.name for p in (*seen, real))
        raise InputError(f"circular extends: {chain}", file=str(path), field="extends")
    doc = read_yaml(path)
    parent_ref = doc.pop("extends", None)
    inherit_events = doc.pop("inherit_events", True)
    if not isinstance(inherit_events, bool):
        raise InputError(
            "inherit_events must be true or false", file=str(path), field="inherit_events"
        )
    if parent_ref is None:
        return doc
    if not isinstance(parent_ref, str):
        raise InputError("extends must be a file name", file=str(path), field="extends")
    try:
        parent_path = resolve_path(parent_ref, relative_to=path.parent)
    except InputError:
        raise InputError(
            f"extends a missing file: {parent_ref}", file=str(path), field="extends"
        ) from None
    parent = _load_chain(parent_path, (*seen, real))
    merged = deep_merge(parent, {k: v for k, v in doc.items() if k != "events"})
    events = list(parent.get("events") or []) if inherit_events else []
    own = doc.get("events")
    if own is not None and not isinstance(own, list):
        raise InputError("events must be a list", file=str(path), field="events")
    merged["events"] = events + list(own or [])
    return merged


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key.path=value`` (the value read as YAML: numbers, booleans, lists)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise InputError(f"expected key=value, got {text!r}", file="--set")
    try:
        value = parse_yaml(raw, "--set", field=key.strip())
    except InputError as exc:
        raise InputError(
            f"cannot read the value {quote(raw)}: {exc.message}", file="--set", field=key.strip()
        ) from None
    return key.strip(), value


def keyword_to_path(name: str) -> str:
    """Turn a keyword override such as ``us_reliability`` into ``us.reliability``.

    Dotted names pass through. The part before the first underscore must be a section
    (``us``, ``china``, ``weights``, ...); state attributes are written
    ``states__GBR__fiscal_room``.
    """
    if "." in name or name in Scenario.model_fields:
        return name
    if name.startswith("states__"):
        return name.replace("__", ".")
    section, sep, rest = name.partition("_")
    if sep and section in SECTIONS:
        return f"{section}.{rest}"
    raise InputError(
        f"unknown parameter {name!r}: write section_param (e.g. us_reliability) "
        f"with a section among {', '.join(SECTIONS)}",
        field=name,
    )


def apply_overrides(
    doc: dict[str, Any], overrides: Mapping[str, Any], *, copy_doc: bool = True
) -> dict[str, Any]:
    """Set dotted paths in a scenario mapping (before validation).

    ``states.ISO3.attribute`` must name a state of the scenario (the bundled set when
    the file lists none): an override changes a state, it never adds one.
    """
    out = copy.deepcopy(doc) if copy_doc else doc
    for path, value in overrides.items():
        state, attrs = split_state_path(path)
        if state is not None:
            if out.get(STATES) is None:
                out[STATES] = dict.fromkeys(data.state_codes())
            if state not in out[STATES]:
                raise InputError(
                    f"state {state!r} is not in this scenario", file="--set", field=path
                )
            if attrs and out[STATES][state] is None:
                out[STATES][state] = {}
        parts = path.split(".")
        node = out
        for part in parts[:-1]:
            nxt = node.get(part)
            if nxt is None:
                nxt = node[part] = {}
            if not isinstance(nxt, dict):
                raise InputError(f"{part!r} is not a section", file="--set", field=path)
            node = nxt
        node[parts[-1]] = value
    return out


def validate(doc: Mapping[str, Any], *, file: str | None = None) -> Scenario:
    """Validate a scenario mapping into a frozen :class:`Scenario`.

    Raises:
        InputError: naming ``file`` and the first offending field.
    """
    try:
        return Scenario.model_validate(doc)
    except ValidationError as exc:
        raise validation_error(exc, file, tagged=("events",)) from None


def load_scenario_dict(
    path: str | Path, overrides: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], Path]:
    """Read a scenario file and its ``extends`` chain into one mapping, overrides applied."""
    p = resolve_path(path)
    doc = _load_chain(p, ())
    if overrides:
        doc = apply_overrides(doc, {keyword_to_path(k): v for k, v in overrides.items()})
    return doc, p


def load_scenario(path: str | Path, overrides: Mapping[str, Any] | None = None) -> Scenario:
    """Load, merge and validate a scenario file.

    Args:
        path: A YAML file, or the name of a bundled scenario (e.g. ``uk_japan_2026``).
        overrides: Dotted paths (``us.reliability``) or keywords (``us_reliability``) to set.

    Returns:
        The validated, frozen scenario.

    Raises:
        InputError: For a missing file, malformed YAML, an unknown key, a value out of
            range, an unknown state, a bad ``extends`` and every other user mistake.
    """
    if not overrides and isinstance(path, str) and path in _bundled_names():
        # bundled files are package data, fixed while the process runs: load each once
        return _BUNDLED.get_or_build(path, lambda: _load(path, None))
    return _load(path, overrides)


def _load(path: str | Path, overrides: Mapping[str, Any] | None) -> Scenario:
    doc, p = load_scenario_dict(path)
    if not overrides:
        return validate(doc, file=str(p))
    paths = {keyword_to_path(k): v for k, v in overrides.items()}
    before = validate(doc, file=str(p))
    doc = apply_overrides(doc, paths)
    return validate(_hold_doctrines(doc, before, paths), file=str(p))


def _hold_doctrines(
    doc: dict[str, Any], before: Scenario, paths: Mapping[str, Any]
) -> dict[str, Any]:
    """``doc`` with ``status_quo.doctrines`` set to the doctrines of ``before`` when the
    override ``paths`` set a doctrine and no fitted doctrines are recorded yet.

    The start is fitted under the doctrines of the scenario as written, as under its
    reference drivers; a doctrine set by an override (a sweep's lever, ``--set``) is then
    a change of policy that moves the start, as a driver's value does and as an event's
    change of doctrine does (``docs/model.md`` section 7.13). Overrides that give
    ``status_quo.doctrines`` themselves keep theirs.
    """
    sets = any(p == "default_doctrine" or p.split(".")[0] == STATES for p in paths)
    given = any(p in ("status_quo", "status_quo.doctrines") for p in paths)
    if before.status_quo.doctrines or given or not sets:
        return doc
    present = doc.get(STATES) or {}
    held = {
        code: spec.doctrine if spec is not None and spec.doctrine else before.default_doctrine
        for code, spec in before.states.items()
        if code in present
    }
    return {**doc, "status_quo": {**(doc.get("status_quo") or {}), "doctrines": held}}


_BUNDLED = ContentCache(32)


@cache
def _bundled_names() -> frozenset[str]:
    return frozenset(bundled_scenarios())


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """Return a copy of ``scenario`` with dotted or keyword overrides applied and revalidated."""
    if not overrides:
        return scenario
    doc = scenario.model_dump(mode="json", exclude_unset=False)  # a fresh mapping
    paths = {keyword_to_path(k): v for k, v in overrides.items()}
    doc = apply_overrides(doc, paths, copy_doc=False)
    return validate(_hold_doctrines(doc, scenario, paths), file="overrides")
