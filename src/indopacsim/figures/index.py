"""The offline ``index.html`` of a figure set: every figure with its caption, then tables."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_STYLE = (
    "<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
    "figure{margin:2em 0}img{max-width:100%}figcaption{font-size:0.9em;color:#444}"
    "table{border-collapse:collapse;font-size:0.85em}td,th{padding:2px 8px;"
    "border-bottom:1px solid #ddd;text-align:right}</style>"
)


@dataclass(frozen=True)
class FigureFile:
    """A figure written to disk, with its kind and caption."""

    kind: str
    path: Path
    caption: str


def write_index(
    folder: Path,
    title: str,
    heading: str,
    reproduce: str,
    figures: Sequence[FigureFile],
    tables: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write ``folder/index.html`` and return its path.

    Args:
        folder: Where the figures are (their links are relative to it).
        title, heading: The page's title and first heading (escaped here).
        reproduce: The command that reproduces the results (escaped here).
        figures: The figures, in page order.
        tables: ``(heading, HTML table)`` sections after the figures (the HTML as given).
    """
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        _STYLE + "</head><body>",
        f"<h1>{html.escape(heading)}</h1>",
        f"<p>{html.escape(reproduce)}</p>",
    ]
    for f in figures:
        rel = html.escape(f.path.relative_to(folder).as_posix())
        if f.path.suffix == ".pdf":
            media = f"<p><a href='{rel}'>{rel}</a> (PDF)</p>"
        else:
            media = f"<img src='{rel}' alt='{html.escape(f.kind)}'>"
        parts.append(f"<figure>{media}<figcaption>{html.escape(f.caption)}</figcaption></figure>")
    for head, table in tables:
        parts += [f"<h2>{html.escape(head)}</h2>", table]
    parts.append("</body></html>")
    path = folder / "index.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
