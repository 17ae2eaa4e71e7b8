"""The documentation stays in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from indopacsim.model import doctrines
from indopacsim.scenario.schema import Scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


def parameter_defaults() -> dict[str, object]:
    out: dict[str, object] = {}
    for name, field in Scenario.model_fields.items():
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            for sub, f in ann.model_fields.items():
                if sub != "set":
                    out[f"{name}.{sub}"] = f.default
    out["default_doctrine"] = Scenario.model_fields["default_doctrine"].default
    return out


def table_rows(text: str) -> dict[str, str]:
    rows = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`([a-z_.]+)`\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def test_model_md_lists_every_parameter_with_its_default():
    rows = table_rows((DOCS / "model.md").read_text())
    for path, default in parameter_defaults().items():
        assert path in rows, f"docs/model.md has no row for {path}"
        shown = rows[path]
        if isinstance(default, bool):
            assert shown == str(default).lower(), (path, shown, default)
        elif isinstance(default, int | float):
            assert float(shown) == float(default), (path, shown, default)
        else:
            assert shown == str(default), (path, shown, default)


def test_model_md_lists_every_doctrine():
    text = (DOCS / "model.md").read_text()
    for name in doctrines.REGISTRY:
        assert f"| {name} |" in text, name
