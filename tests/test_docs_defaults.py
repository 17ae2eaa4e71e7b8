"""docs/scenarios.md and docs/experiments.md state the defaults the schema has.

The section tables of docs/scenarios.md ("Fields") are generated from the pydantic
schema: ``python tests/test_docs_defaults.py`` rewrites them; the tests fail when the
docs and :class:`~indopacsim.scenario.schema.Scenario` disagree. docs/experiments.md's
stated defaults are read from :mod:`indopacsim.experiments.spec` the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import typing
from pathlib import Path

import pytest
from helpers import schema_bounds
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from indopacsim.experiments.designs import DESIGNS
from indopacsim.experiments.spec import Design, Experiment, Outcome
from indopacsim.scenario.schema import Scenario, StateSpec

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCENARIOS = DOCS / "scenarios.md"
EXPERIMENTS = DOCS / "experiments.md"

#: The sections whose tables are generated whole (every column from the schema).
SECTIONS = [
    name
    for name, f in Scenario.model_fields.items()
    if isinstance(f.annotation, type) and issubclass(f.annotation, BaseModel) and name != "ties"
]
HEADER = "| field | type | default | range | meaning |\n| --- | --- | --- | --- | --- |"


def _type(ann: object) -> str:
    if ann is bool:
        return "true/false"
    if ann is int:
        return "integer"
    if ann is float or typing.get_origin(ann) is typing.Annotated:
        return "number"
    if ann is dt.date:
        return "date (YYYY-MM-DD)"
    if typing.get_origin(ann) is typing.Literal:
        return "one of " + ", ".join(f"`{v}`" for v in typing.get_args(ann))
    if typing.get_origin(ann) is dict:
        value = typing.get_args(ann)[1]
        if value is float:
            return "mapping of parameter paths to numbers"
        return "mapping of ISO3 codes to " + _type(value).replace("one of", "one of the names")
    raise TypeError(f"no documented type for {ann!r}")


def _bounds(info: FieldInfo) -> str:
    lo, hi = schema_bounds(info)
    if lo is None and hi is None:
        return ""
    return f"{lo or '(-inf'}, {hi or 'inf)'}"


def _default(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _field_default(info: FieldInfo) -> object:
    """The field's default, or what its default factory makes (``{}`` for a mapping)."""
    return info.default if info.default is not PydanticUndefined else info.default_factory()  # type: ignore[call-arg, misc]


def section_table(model: type[BaseModel]) -> str:
    """The docs table of one section, from the schema."""
    rows = [HEADER]
    for name, info in model.model_fields.items():
        rows.append(
            f"| `{name}` | {_type(info.annotation)} | `{_default(_field_default(info))}` "
            f"| {_bounds(info)} | {info.description} |"
        )
    return "\n".join(rows)


def _section_block(text: str, section: str) -> re.Match[str]:
    heading = rf"(### `{re.escape(section)}`\n(?:[^\n|#][^\n]*\n|\n)*)"
    pattern = heading + r"(\| field \|[^\n]*\n(?:\|[^\n]*\n)*)"
    m = re.search(pattern, text)
    assert m, f"docs/scenarios.md has no table under ### `{section}`"
    return m


def regenerate(text: str) -> str:
    """docs/scenarios.md with every generated section table rewritten from the schema."""
    for section in SECTIONS:
        m = _section_block(text, section)
        model = Scenario.model_fields[section].annotation
        assert isinstance(model, type)
        text = text[: m.start(2)] + section_table(model) + "\n" + text[m.end(2) :]
    return text


@pytest.mark.parametrize("section", SECTIONS)
def test_scenarios_md_section_tables_are_the_schemas(section):
    text = SCENARIOS.read_text(encoding="utf-8")
    shown = _section_block(text, section).group(2).rstrip("\n")
    model = Scenario.model_fields[section].annotation
    assert isinstance(model, type)
    assert shown == section_table(model), (
        f"docs/scenarios.md, section `{section}`, differs from the schema: "
        "run `python tests/test_docs_defaults.py` to regenerate it"
    )


def _rows(block: str) -> dict[str, list[str]]:
    out = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        m = re.fullmatch(r"`([a-z_]+)`", cells[0])
        if m:
            out[m.group(1)] = cells[1:]
    return out


def test_scenarios_md_lists_every_state_and_tie_field():
    text = SCENARIOS.read_text(encoding="utf-8")
    states = _rows(_section_block(text, "states.ISO3").group(2))
    assert set(states) == set(StateSpec.model_fields)
    for name, cells in states.items():
        info = StateSpec.model_fields[name]
        if _bounds(info):
            assert cells[2] == _bounds(info), (name, cells[2], _bounds(info))
    ties_model = Scenario.model_fields["ties"].annotation
    assert isinstance(ties_model, type) and issubclass(ties_model, BaseModel)
    ties = _rows(_section_block(text, "ties").group(2))
    assert set(ties) == set(ties_model.model_fields)
    assert ties["bundled"][1] == f"`{_default(ties_model.model_fields['bundled'].default)}`"


def test_scenarios_md_top_level_defaults():
    rows = _rows(SCENARIOS.read_text(encoding="utf-8").split("## Fields")[0])
    for name in ("name", "default_doctrine"):
        assert rows[name][1] == f"`{Scenario.model_fields[name].default}`", name
    assert set(Scenario.model_fields) <= set(rows) | {"us", "china", "russia"} | set(SECTIONS)


def test_experiments_md_defaults_are_the_schemas():
    text = EXPERIMENTS.read_text(encoding="utf-8")
    fields = Design.model_fields
    assert f"`resolution` (default {fields['resolution'].default})" in text
    assert f"`num_levels` (default {fields['num_levels'].default})" in text
    assert f"`{Outcome.model_fields['stat'].default}` (default" in text
    assert f"`{Experiment.model_fields['model'].default}` (the agent-based model, default)" in text
    assert f"| `{fields['kind'].default}` |" in text
    for kind in DESIGNS:
        assert f"| `{kind}` |" in text, f"docs/experiments.md has no row for the {kind} design"


if __name__ == "__main__":  # regenerate the tables of docs/scenarios.md
    SCENARIOS.write_text(regenerate(SCENARIOS.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
