"""The Solara app that ``indopacsim app`` serves: ``solara run indopacsim.classroom.app``.

Configured by environment variables set by :mod:`indopacsim.classroom.server` (read when
a page is first rendered, never at import): ``INDOPACSIM_APP_MODE`` (``live`` or
``classroom``), ``INDOPACSIM_APP_SCENARIO``, and for the classroom the seed, turns,
deadline, join code and teacher token. There are no routes, so no tab can lead a student
to the teacher console: the console is the same page opened with the teacher's token.
"""

from __future__ import annotations

import os
import threading
import time

import solara

from indopacsim.classroom.game import Game

_GAME: Game | None = None
_GAME_LOCK = threading.Lock()


def _env_float(name: str) -> float | None:
    text = os.environ.get(name, "")
    return float(text) if text else None


def get_game() -> Game:
    """The server's one game, created on first use from the environment (with its ticker)."""
    global _GAME
    with _GAME_LOCK:
        if _GAME is None:
            turns = _env_float("INDOPACSIM_APP_TURNS")
            _GAME = Game(
                os.environ.get("INDOPACSIM_APP_SCENARIO", "classroom_small"),
                seed=int(os.environ.get("INDOPACSIM_APP_SEED", "0")),
                turns=int(turns) if turns else None,
                deadline=_env_float("INDOPACSIM_APP_DEADLINE"),
                join_code=os.environ.get("INDOPACSIM_JOIN_CODE") or None,
                teacher_token=os.environ.get("INDOPACSIM_TEACHER_TOKEN") or None,
            )
            threading.Thread(target=_ticker, args=(_GAME,), daemon=True).start()
        return _GAME


def _ticker(game: Game, period: float = 0.25) -> None:
    """Resolve turns at their deadline; refresh the countdowns once a second."""
    last = 0.0
    while True:
        time.sleep(period)
        if game.tick():
            continue
        now = time.monotonic()
        if game.seconds_left() is not None and now - last >= 1.0:
            last = now
            game.refresh()


@solara.component
def Page() -> None:
    """The live view or the classroom, as the server was started."""
    if os.environ.get("INDOPACSIM_APP_MODE", "live") == "classroom":
        from indopacsim.classroom.pages import ClassroomPage

        ClassroomPage(get_game())
    else:
        from indopacsim.classroom.live import LivePage

        LivePage()
