"""The map in force (docs/architecture.md) held against the code: every module is on the
map, imports flow from the bottom up, and no modules import each other in a loop (imports
inside functions count; imports under ``if TYPE_CHECKING:`` do not)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "indopacsim"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

#: The layers of docs/architecture.md ("Import direction"), by top-level name.
LAYERS = {
    "tiescale": 1,
    "caching": 1,
    "errors": 1,
    "seeds": 1,
    "data": 1,
    "manifest": 1,
    "safeio": 2,
    "scenario": 3,
    "coalitions": 3,
    "model": 4,
    "runner": 5,
    "landscape": 5,
    "experiments": 5,
    "validation": 5,
    "figures": 6,
    "dirs": 6,
    "scenarios": 6,
    "classroom": 7,
    "cli": 8,
    "commands": 8,
}

#: Cycles known and owned elsewhere; a new cycle fails, and one fixed must be struck off
#: here (the classroom's two were broken: none is left).
KNOWN_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
                mod = "indopacsim." + mod if mod else "indopacsim"
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" for a in node.names] + [mod]
        for t in targets:
            if not t.startswith("indopacsim"):
                continue
            t = t.removeprefix("indopacsim").removeprefix(".")
            while t and t not in MODULES:
                t = t.rpartition(".")[0]
            if t and t != name and not name.startswith(t + "."):
                found.add(t)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items() if name}


def _layer(name: str) -> int:
    return LAYERS[name.split(".")[0]]


def test_every_top_level_name_has_a_layer_and_a_place_on_the_map():
    tops = {name.split(".")[0] for name in GRAPH}
    assert tops <= set(LAYERS), tops - set(LAYERS)
    for top in tops:
        assert f"`{top}" in DOC, top


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if "." in n))
def test_every_module_is_on_the_map(name):
    leaf = name.rpartition(".")[2]
    assert re.search(rf"[`/]{re.escape(leaf)}(\.py)?`", DOC), f"{name} not in docs/architecture.md"


def test_imports_flow_from_the_bottom_up():
    upward = [f"{a} -> {b}" for a, deps in GRAPH.items() for b in deps if _layer(b) > _layer(a)]
    assert not upward, "imports that run back up: " + "; ".join(sorted(upward))


def test_nothing_imports_the_cli():
    assert not [a for a, deps in GRAPH.items() if "cli" in deps]


def _cycles() -> list[frozenset[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[frozenset[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(frozenset(comp))

    for v in GRAPH:
        if v not in index:
            strong(v)
    return out


def test_no_import_cycles():
    found = set(_cycles())
    assert found <= KNOWN_CYCLES, [sorted(c) for c in found - KNOWN_CYCLES]


#: Size limits of the house (issue 8): a module a reader can hold, a function that fits a
#: screen.
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def test_no_module_or_function_is_too_long():
    too_long = []
    for path in sorted(PKG.rglob("*.py")):
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(PKG)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
                if n > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(PKG)}:{node.lineno} {node.name}: {n}")
    assert not too_long, too_long
