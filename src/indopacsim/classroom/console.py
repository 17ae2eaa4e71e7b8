"""The teacher console (the projector view) and the debrief.

Shown only to a browser that opened the page with the teacher's token: the join code in
large type, the turn and the count of submissions, the controls (start, pause, force,
reset, deadline, assign, export), the tie network on the map, the players with a button
to remove each, the news, and the debrief that replays the game turn by turn with each
student's choices beside what the model's doctrine would have done.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import solara
import solara.lab

from indopacsim.classroom import views
from indopacsim.classroom.game import LOBBY, PAUSED, PLAYING, Game
from indopacsim.classroom.record import debrief_rows, scenario_source
from indopacsim.classroom.widgets import NewsFeed, status_line

DEADLINES = {"no deadline": None, "60 s": 60.0, "90 s": 90.0, "2 min": 120.0, "3 min": 180.0}


@solara.component
def TeacherConsole(game: Game, token: str, version: int = 0) -> None:
    """Console and debrief tabs."""
    with solara.Column(style={"padding": "8px"}), solara.lab.Tabs(lazy=True):
        with solara.lab.Tab("Console"):
            Console(game, token, version)
        with solara.lab.Tab("Debrief"):
            Debrief(game, version)


@solara.component
def Console(game: Game, token: str, version: int) -> None:
    """The projector view and the teacher's controls."""
    url = os.environ.get("INDOPACSIM_APP_URL", "")
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Text(f"Join {url} with code", style={"font-size": "1.3em"})
        solara.Text(
            game.join_code,
            classes=["join-code"],
            style={"font-size": "2.4em", "font-weight": "bold", "letter-spacing": "4px"},
        )
        solara.Text(status_line(game), classes=["status"], style={"font-size": "1.3em"})
    if not game.moves_supported:
        solara.Warning(
            "This version of the model takes no players' moves yet: every state "
            "follows its doctrine; choices are recorded for the debrief."
        )
    Controls(game, token, version)
    with solara.ColumnsResponsive(default=12, large=[7, 5]):
        with solara.Column():
            MapNow(game, game.model.steps, id(game.model))
        with solara.Column():
            Players(game, token, version)
            NewsFeed(game, version, limit=8)


@solara.component
def MapNow(game: Game, step: int, model_id: int) -> None:
    """The map now: redrawn only when the step or the model (a reset) changes, not at every
    submission (the arguments are the cache key)."""

    def draw() -> object:
        with game.lock:
            return views.map_figure(game.model, size=(7.5, 4.0))

    fig = solara.use_memo(draw, [step, model_id])
    solara.FigureMatplotlib(fig, format="png", dependencies=[step, model_id])


@solara.component
def MapAt(game: Game, step: int) -> None:
    """The map at a past step, for the debrief."""

    def draw() -> object:
        with game.lock:
            return views.map_figure(game.model, step=step, size=(7.5, 4.0))

    fig = solara.use_memo(draw, [step, id(game.model)])
    solara.FigureMatplotlib(fig, format="png", dependencies=[step, id(game.model)])


@solara.component
def Controls(game: Game, token: str, version: int) -> None:
    """Start, pause or resume, force, reset, deadline, assign, export."""
    exported, set_exported = solara.use_state("")
    deadline = next((k for k, v in DEADLINES.items() if v == game.deadline), "no deadline")

    def export() -> None:
        root = Path(os.environ.get("INDOPACSIM_APP_EXPORT", "runs"))
        stem = Path(scenario_source(game.scenario)).stem
        out = root / f"classroom_{stem}_seed{game.seed}_{time.strftime('%Y%m%d-%H%M%S')}"
        set_exported(str(game.export(out)))

    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        if game.phase == LOBBY:
            solara.Button("Start", on_click=lambda: game.start(token), color="primary")
        if game.phase == PLAYING:
            solara.Button("Pause", on_click=lambda: game.pause(token))
        if game.phase == PAUSED:
            solara.Button("Resume", on_click=lambda: game.resume(token), color="primary")
        solara.Button(
            "Force turn",
            on_click=lambda: game.force(token),
            disabled=game.phase not in (PLAYING, PAUSED),
        )
        solara.Button("Reset", on_click=lambda: game.reset(token), color="error", outlined=True)
        solara.Button("Assign states", on_click=lambda: game.auto_assign(token))
        solara.Select(
            "Deadline",
            list(DEADLINES),
            deadline,
            on_value=lambda k: game.set_deadline(token, DEADLINES[k]),
            style={"max-width": "160px"},
        )
        solara.Button("Export", on_click=export)
    if exported:
        solara.Success(f"Exported to {exported} (indopacsim plot {exported})")


@solara.component
def Players(game: Game, token: str, version: int) -> None:
    """Who plays what and who has submitted, with a remove button each."""
    players = sorted(game.players.values(), key=lambda p: p.number)
    with solara.Card(f"Players ({len(players)})"):
        if not players:
            solara.Text("Nobody has joined yet.")
        for p in players:
            mark = "✓ submitted" if p.choice is not None else ("waiting" if p.state else "no state")
            with solara.Row(style={"align-items": "center"}):
                solara.Text(f"{p.label} {p.name} · {mark}")

                def give(iso3: str, pid: str = p.pid) -> None:
                    game.assign(token, pid, None if iso3 == "-" else iso3)

                solara.Select(
                    "state",
                    ["-", *game.playable],
                    p.state or "-",
                    on_value=give,
                    dense=True,
                    style={"max-width": "90px"},
                )
                solara.Button(
                    "Remove",
                    on_click=lambda pid=p.pid: game.remove(token, pid),
                    text=True,
                    color="error",
                    style={"min-width": "0"},
                )


@solara.component
def Debrief(game: Game, version: int) -> None:
    """Replay the game turn by turn: the map, the news, the choices against the doctrines."""
    played = len(game.history)
    turn, set_turn = solara.use_state(played)
    if not played:
        solara.Info("No turn has been played yet.")
        return
    turn = min(max(turn, 1), played)
    log = game.history[turn - 1]
    with solara.Row(style={"align-items": "center"}):
        solara.Button("◀ Previous", on_click=lambda: set_turn(turn - 1), disabled=turn <= 1)
        solara.SliderInt("Turn", value=turn, min=1, max=played, on_value=set_turn)
        solara.Button("Next ▶", on_click=lambda: set_turn(turn + 1), disabled=turn >= played)
    solara.Text(
        f"Turn {turn} ({log.outcome.date}), resolved: {log.reason}", style={"font-size": "1.2em"}
    )
    with solara.ColumnsResponsive(default=12, large=[7, 5]):
        MapAt(game, log.outcome.step)
        with solara.Card("What happened"):
            for item in log.outcome.news:
                solara.Text(item, style={"display": "block"})
    rows = debrief_rows(game, turn)
    if rows:
        solara.DataFrame(pd.DataFrame(rows), items_per_page=40)
    else:
        solara.Text("No student played this turn.")
