"""The classroom: a live view of the model and a role-play in which students play states.

The game engine (:mod:`~indopacsim.classroom.game`, :mod:`~indopacsim.classroom.moves`,
:mod:`~indopacsim.classroom.turns`, :mod:`~indopacsim.classroom.record`,
:mod:`~indopacsim.classroom.access`, :mod:`~indopacsim.classroom.briefing`) is plain
Python with no UI imports; the Solara pages (:mod:`~indopacsim.classroom.live`,
:mod:`~indopacsim.classroom.pages`) and the launcher (:mod:`~indopacsim.classroom.server`)
are a thin layer over it and need the ``app`` extra. ``docs/teaching/`` has the exercises.
"""

from indopacsim.classroom.access import AccessDenied, RateLimited
from indopacsim.classroom.game import FINISHED, LOBBY, PAUSED, PLAYING, Game, GameError, Player
from indopacsim.classroom.moves import Choice, MoveError, combine
from indopacsim.classroom.record import export_game, game_log, replay, replay_directory

__all__ = [
    "FINISHED",
    "LOBBY",
    "PAUSED",
    "PLAYING",
    "AccessDenied",
    "Choice",
    "Game",
    "GameError",
    "MoveError",
    "Player",
    "RateLimited",
    "combine",
    "export_game",
    "game_log",
    "replay",
    "replay_directory",
]
