"""Pieces the student page and the teacher console share: the status line and the news
feed (Solara), so that neither page imports the other for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import solara

if TYPE_CHECKING:
    from indopacsim.classroom.game import Game


def status_line(game: Game) -> str:
    """``Turn 3 of 8 · 2026-09-30 · playing · submitted 12/15 · 42 s left``."""
    done, total = game.submitted()
    parts = [f"Turn {min(game.turn, game.turns)} of {game.turns}", str(game.model.date), game.phase]
    parts.append(f"submitted {done}/{total}")
    left = game.seconds_left()
    if left is not None:
        parts.append(f"{left:.0f} s left")
    return " · ".join(parts)


@solara.component
def NewsFeed(game: Game, version: int, limit: int = 12) -> None:
    """The latest news, newest first."""
    with solara.Card("News"):
        if not game.news:
            solara.Text("No news yet.")
        for turn, item in list(reversed(game.news))[:limit]:
            solara.Text(f"Turn {turn}: {item}", style={"display": "block"})
