"""The one translator of a pydantic ``ValidationError`` into the one-line
:class:`~indopacsim.errors.InputError`: the field, dotted, and a short message."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from indopacsim.errors import InputError
from indopacsim.safeio.files import quote

# ---------------------------------------------------------------------------- validation
#: Names pydantic puts in an error's location for the member of a union it tried.
_UNION_TAGS = frozenset({"bool", "int", "float", "str", "list", "dict", "tuple", "none"})


def error_field(loc: Sequence[int | str], *, tagged: Iterable[str] = ()) -> str | None:
    """A pydantic error location as a dotted field (``a.b[2].c``).

    Args:
        loc: The location.
        tagged: List fields whose members are discriminated unions (pydantic inserts the
            tag after the index, e.g. ``events[3].<tag>.value``): the tag is left out.
    """
    tagged = set(tagged)
    parts: list[str] = []
    for k, item in enumerate(loc):
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]" if parts else f"[{item}]"]
            continue
        text = str(item)
        if text.startswith(("function-", "tagged-", "json-or-python", "lax-or-strict")):
            continue
        if (
            k
            and isinstance(loc[k - 1], int)
            and (text in _UNION_TAGS or (k >= 2 and loc[k - 2] in tagged))
        ):
            continue  # the member of a union pydantic tried, not a field
        if "[" in text and text.split("[")[0] in _UNION_TAGS:
            continue  # e.g. list[...] in a union
        parts.append(text)
    return ".".join(parts) or None


def validation_error(
    exc: Any,
    file: str | None,
    *,
    tagged: Iterable[str] = (),
    hint: Callable[[Mapping[str, Any], str], str] | None = None,
) -> InputError:
    """Translate a pydantic ``ValidationError`` into the one-line :class:`InputError`.

    The first error is reported: its field (dotted, see :func:`error_field`) and a short
    message (``unknown key``, ``required``, the allowed values of a literal, or
    pydantic's message); user input is quoted at most :data:`MAX_QUOTE` characters.
    An error raised by a validator with ``.message`` and ``.field`` attributes (the
    scenario's ``FieldError``) keeps its own field and message.

    Args:
        exc: The ``ValidationError``.
        file: The file named in the error.
        tagged: See :func:`error_field`.
        hint: ``hint(err, message) -> message``: a caller's wording for its own schema.
    """
    errors = exc.errors(include_url=False)
    err = errors[0]
    ctx_err: Any = (err.get("ctx") or {}).get("error")
    if hasattr(ctx_err, "message") and hasattr(ctx_err, "field"):
        return InputError(str(ctx_err.message), file=file, field=ctx_err.field or None)
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required"
    elif kind == "literal_error":
        expected = (err.get("ctx") or {}).get("expected", "")
        message = f"unknown value {quote(err.get('input'))}; expected {expected}"
    else:
        message = str(err["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        if loc and isinstance(loc[-1], str) and loc[-1] in _UNION_TAGS and len(errors) > 1:
            message = "expected a number, a name or true/false"
    if hint is not None:
        message = hint(err, message)
    return InputError(message, file=file, field=error_field(loc, tagged=tagged))
