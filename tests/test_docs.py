"""The documentation stays in step with the code.

The parameter table of docs/model.md ("Parameters") is generated from the pydantic
schema: ``python tests/test_docs.py`` rewrites its default, range, meaning and
calibration columns (the hand-written sources are kept); the tests fail when the docs
and :class:`~indopacsim.scenario.schema.Scenario` disagree.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import typing
from pathlib import Path

from helpers import schema_bounds
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from indopacsim.model import doctrines
from indopacsim.scenario.schema import Scenario
from indopacsim.validation.calibration import FREE, WINDOW

DOCS = Path(__file__).resolve().parents[1] / "docs"
MODEL = DOCS / "model.md"

#: First line of the generated parameter table.
HEADER = "| parameter | default | range | meaning | source |"
#: What the source column says of the parameters the calibration fits.
CALIBRATED = f"calibrated on {WINDOW} (`validation/calibration.py`)"


def parameter_fields() -> list[tuple[str, FieldInfo]]:
    """Every parameter of the scenario language: dotted path and schema field."""
    out = []
    for name, field in Scenario.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            for sub, f in ann.model_fields.items():
                if sub != "set":
                    out.append((f"{name}.{sub}", f))
    out += [(n, Scenario.model_fields[n]) for n in ("world", "default_doctrine")]
    return out


def parameter_defaults() -> dict[str, object]:
    return {p: f.get_default(call_default_factory=True) for p, f in parameter_fields()}


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _range(info: FieldInfo) -> str:
    ann = info.annotation
    if ann is bool:
        return "true/false"
    if ann is dt.date:
        return "date"
    if typing.get_origin(ann) is typing.Literal:
        return "one of " + ", ".join(str(v) for v in typing.get_args(ann))
    if typing.get_origin(ann) is dict:
        value = typing.get_args(ann)[1]
        return "driver path: value" if value is float else "state: doctrine"
    lo, hi = schema_bounds(info)
    if lo is None and hi is None:
        return "any"
    return f"{lo or '(-inf'}, {hi or 'inf)'}"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table_block(text: str) -> re.Match[str]:
    m = re.search(re.escape(HEADER) + r"\n(?:\|[^\n]*\n)*", text)
    assert m, f"docs/model.md has no parameter table (header {HEADER!r})"
    return m


def _sources(block: str) -> dict[str, str]:
    """The hand-written source of each parameter, without the calibration note."""
    out = {}
    for line in block.splitlines():
        cells = _cells(line)
        m = re.fullmatch(r"`([a-z_.]+)`", cells[0])
        if m and len(cells) >= 5:
            src = cells[4].removeprefix(CALIBRATED).removeprefix(";").strip()
            out[m.group(1)] = src
    return out


def parameter_table(sources: dict[str, str]) -> str:
    """The parameter table from the schema, with the given hand-written sources."""
    rows = [HEADER, "| --- | --- | --- | --- | --- |"]
    for path, info in parameter_fields():
        src = sources.get(path, "")
        if path in FREE:
            src = f"{CALIBRATED}; {src}" if src else CALIBRATED
        default = _shown(info.get_default(call_default_factory=True))
        desc = (info.description or "").replace("|", "/")
        rows.append(f"| `{path}` | {default} | {_range(info)} | {desc} | {src} |")
    return "\n".join(rows) + "\n"


def regenerate(text: str) -> str:
    """docs/model.md with its parameter table rewritten from the schema."""
    m = _table_block(text)
    return text[: m.start()] + parameter_table(_sources(m.group(0))) + text[m.end() :]


def table_rows(text: str) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`([a-z_.]+)`\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def test_model_md_lists_every_parameter_with_its_default():
    rows = table_rows(_table_block(MODEL.read_text()).group(0))
    for path, default in parameter_defaults().items():
        assert path in rows, f"docs/model.md has no row for {path}"
        shown = rows[path]
        if isinstance(default, bool):
            assert shown == str(default).lower(), (path, shown, default)
        elif isinstance(default, int | float):
            assert float(shown) == float(default), (path, shown, default)
        else:
            assert shown == _shown(default), (path, shown, default)


def test_model_md_parameter_table_is_the_schemas():
    text = MODEL.read_text()
    block = _table_block(text).group(0)
    assert block == parameter_table(_sources(block)), (
        "docs/model.md's parameter table differs from the schema: "
        "run `python tests/test_docs.py` to regenerate it"
    )
    missing = [p for p, s in _sources(block).items() if not s and p not in FREE]
    assert not missing, f"docs/model.md gives no source for {missing}"


def test_model_md_lists_every_doctrine():
    text = MODEL.read_text()
    for name in doctrines.REGISTRY:
        assert f"| {name} |" in text, name


if __name__ == "__main__":  # regenerate the parameter table of docs/model.md
    MODEL.write_text(regenerate(MODEL.read_text(encoding="utf-8")), encoding="utf-8")
    sys.exit(0)
