"""YAML and JSON documents: the safe loader with its limits on depth, aliases and nodes,
finite numbers only, and mappings with names for keys."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from indopacsim.errors import InputError
from indopacsim.safeio.files import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_BYTES,
    PathLike,
    quote,
    read_text,
)


# ---------------------------------------------------------------------------- YAML
class _Limit(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, counting nesting depth and aliases while it composes."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _Limit(f"more than {MAX_ALIASES} aliases", mark.line + 1)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Limit(f"nested deeper than {MAX_DEPTH} levels", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(root: yaml.Node) -> None:
    """Refuse documents whose alias expansion is too large, too deep or recursive."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    active: set[int] = set()

    def walk(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key], depths[key]
        if key in active:
            raise _Limit(
                "a recursive alias (an anchor used inside itself)", node.start_mark.line + 1
            )
        if isinstance(node, yaml.ScalarNode):
            return 1, 0
        active.add(key)
        children: Iterable[yaml.Node]
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = node.value
        total, deepest = 1, 0
        for child in children:
            s, d = walk(child)
            total += s
            deepest = max(deepest, d)
            if total > MAX_NODES:
                raise _Limit(
                    f"more than {MAX_NODES:,} values once aliases are expanded",
                    node.start_mark.line + 1,
                )
        if deepest + 1 > MAX_DEPTH:
            raise _Limit(f"nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        active.discard(key)
        sizes[key], depths[key] = total, deepest + 1
        return total, deepest + 1

    walk(root)


def _field_path(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def check_finite(doc: Any, where: str, prefix: Sequence[str | int] = ()) -> None:
    """Refuse infinite and NaN numbers anywhere in a document, naming the field."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, tuple(prefix))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise InputError(
                f"{value} is not a finite number", file=where, field=_field_path(path) or None
            )
        if isinstance(value, dict):
            stack.extend((v, (*path, str(k))) for k, v in value.items())
        elif isinstance(value, list | tuple):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))


def parse_yaml(text: str, where: str, *, field: str | None = None) -> Any:
    """Parse one YAML document with the safe loader and every limit.

    Args:
        text: The YAML text.
        where: The file (or a stand-in such as ``--set``) named in errors.
        field: The field the text is the value of, if any (named in errors).

    Raises:
        InputError: Malformed YAML (naming the line), a limit passed, or a number that
            is not finite.
    """
    if len(text) > MAX_TEXT_BYTES:
        raise InputError(f"the text is longer than {MAX_TEXT_BYTES:,} characters", file=where)
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # the reader checks the characters here
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node)
        doc = loader.construct_document(node)
    except _Limit as exc:
        line = f"line {exc.line}" if exc.line else None
        raise InputError(f"refused YAML: {exc.message}", file=where, field=field or line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"malformed YAML: {problem}", file=where, field=field or line) from None
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as exc:
        # a construction the limits did not foresee (e.g. a huge timestamp)
        raise InputError(f"malformed YAML: {type(exc).__name__}", file=where, field=field) from None
    finally:
        if loader is not None:
            loader.dispose()
    check_finite(doc, where, [field] if field else ())
    return doc


def load_yaml_mapping(
    source: PathLike | str,
    where: str | None = None,
    what: str = "a YAML file",
    *,
    text: bool = False,
) -> dict[str, Any]:
    """Read a YAML mapping from a file (or from ``source`` itself when ``text``).

    An empty document is an empty mapping; any other non-mapping is refused.
    """
    if text:
        assert isinstance(source, str)
        name = where or "<text>"
        doc = parse_yaml(source, name)
    else:
        name = where or os.fspath(source)
        doc = parse_yaml(read_text(source, what=what.removeprefix("a ").removeprefix("an ")), name)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(f"{what} must be a YAML mapping, not {_kind(doc)}", file=name)
    for key in doc:
        if not isinstance(key, str):
            raise InputError(
                f"keys must be names, not {_kind(key)} {quote(key)}", file=name, field=str(key)
            )
    return doc


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------- JSON
def read_json_mapping(path: PathLike, what: str = "manifest") -> dict[str, Any]:
    """Read a JSON object (a manifest) with the size, depth and finite-number limits."""
    name = os.fspath(path)
    text = read_text(path, what=what)

    def refuse(token: str) -> Any:
        raise ValueError(f"{token} is not a finite number")

    try:
        doc = json.loads(text, parse_constant=refuse)
    except RecursionError:
        raise InputError(f"unreadable {what}: nested too deeply", file=name) from None
    except ValueError as exc:
        raise InputError(f"unreadable {what}: {str(exc).splitlines()[0]}", file=name) from None
    if not isinstance(doc, dict):
        raise InputError(f"unreadable {what}: a JSON object expected, not {_kind(doc)}", file=name)
    return doc
