"""The role-play's pages: the student page and the dispatch to the teacher console.

A thin layer over :class:`~indopacsim.classroom.game.Game`: every action calls one of its
methods, and :func:`use_game` re-renders a page whenever the game changes (the game calls
its subscribers from whichever session's thread changed it). A student is identified by
the browser's Solara session (a cookie), and gives nothing but a display name. The page
has no routes: the teacher console is this page opened with ``?token=...``, so a student
never sees a link or a tab to it, and wrong tokens count towards the rate limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast
from urllib.parse import parse_qs

import solara

from indopacsim.classroom.access import AccessDenied
from indopacsim.classroom.briefing import briefing, state_name
from indopacsim.classroom.game import FINISHED, LOBBY, PAUSED, Game, GameError, Player
from indopacsim.classroom.moves import CHINA_STANCES, Choice, MoveError
from indopacsim.classroom.record import debrief_rows
from indopacsim.classroom.widgets import NewsFeed, status_line
from indopacsim.tiescale import MAX_LEVEL

KEEP = "keep my doctrine"


def use_game(game: Game) -> int:
    """Re-render the calling component whenever the game changes; returns its version."""
    counter = solara.use_reactive(game.version)
    counter.get()

    def connect() -> Callable[[], None]:
        def update(version: int) -> None:
            counter.value = version

        return game.subscribe(update)

    solara.use_effect(connect, [game])
    return counter.value


@solara.component
def ClassroomPage(game: Game) -> None:
    """The page every browser opens: the teacher console with the right token, else the
    student page."""
    router = solara.use_router()
    token = parse_qs(router.search or "").get("token", [""])[0]
    client = solara.use_memo(solara.get_session_id, [])
    teacher = solara.use_memo(lambda: game.is_teacher(token, client), [token])
    version = use_game(game)
    solara.Title("indopacsim classroom")
    if teacher:
        from indopacsim.classroom.console import TeacherConsole

        TeacherConsole(game, token, version)
    else:
        StudentPage(game, client, version)


@solara.component
def StudentPage(game: Game, pid: str, version: int = 0) -> None:
    """Join, claim a state, choose moves each turn, read the news.

    Every component that reads the game takes its ``version``, so that a change of the
    game re-renders it (components whose arguments are unchanged are not re-rendered).
    """
    player = game.player(pid)
    with solara.Column(style={"max-width": "720px", "margin": "0 auto", "padding": "8px"}):
        solara.Text("indopacsim classroom", style={"font-size": "1.4em", "font-weight": "bold"})
        if player is None:
            JoinForm(game, pid)
            return
        solara.Text(f"{player.name} ({player.label}) · {status_line(game)}", classes=["status"])
        if player.state is None or game.phase == LOBBY:
            ClaimList(game, player, version)
        elif game.phase == FINISHED:
            PlayerDebrief(game, player, version)
        else:
            if game.phase == PAUSED:
                solara.Warning("The teacher has paused the game.")
            MovesForm(game, player, version)
        if player.state is not None:
            Briefing(game, player.state, version)
        NewsFeed(game, version)


@solara.component
def JoinForm(game: Game, pid: str) -> None:
    """Join code and display name."""
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def join() -> None:
        try:
            game.join(code, name, pid)
        except (AccessDenied, GameError) as exc:
            set_error(str(exc))

    with solara.Card("Join the game"):
        solara.InputText(
            "Join code (on the projector)", value=code, on_value=set_code, continuous_update=True
        )
        solara.InputText(
            "Display name (no surname needed)",
            value=name,
            on_value=set_name,
            continuous_update=True,
        )
        solara.Button("Join", on_click=join, color="primary")
        if error:
            solara.Error(error)


@solara.component
def ClaimList(game: Game, player: Player, version: int) -> None:
    """The states on offer, with the players already on each team."""
    sizes = game.team_sizes()
    with solara.Card("Your state"):
        if player.state is not None:
            solara.Success(f"You play {state_name(game.model, player.state)} ({player.state}).")
            if game.phase == LOBBY:
                solara.Text("Waiting for the teacher to start the game.")
        for iso3 in game.playable:
            label = f"{state_name(game.model, iso3)} ({iso3}) · {sizes[iso3]} playing"
            solara.Button(
                label,
                on_click=lambda c=iso3: game.claim(player.pid, c),
                outlined=iso3 != player.state,
                color="primary",
                style={"margin": "2px", "text-transform": "none"},
            )


@solara.component
def MovesForm(game: Game, player: Player, version: int) -> None:
    """This turn's moves: upgrades, downgrades, China, doctrine."""
    me = player.state or ""
    with game.lock:
        i = game.codes.index(me)
        ties = {c: int(game.model.ties[i, j]) for j, c in enumerate(game.codes) if c != me}
        floor = {c: int(game.model.world.floor[i, j]) for j, c in enumerate(game.codes)}
    up, set_up = solara.use_state(cast(list[str], []))
    down, set_down = solara.use_state(cast(list[str], []))
    china, set_china = solara.use_state("neutral")
    doctrine, set_doctrine = solara.use_state(KEEP)

    def clear() -> None:  # a new turn or a new state: a blank form (kept mounted: cheaper)
        set_up([])
        set_down([])
        set_china("neutral")
        set_doctrine(KEEP)

    solara.use_effect(clear, [game.turn, me])
    error, set_error = solara.use_state("")

    def submit() -> None:
        choice = Choice(
            frozenset(up), frozenset(down), china, None if doctrine == KEEP else doctrine
        )
        try:
            game.submit(player.pid, choice)
            set_error("")
        except (MoveError, GameError, AccessDenied) as exc:
            set_error(str(exc))

    with solara.Card(f"{state_name(game.model, me)}: your moves"):
        solara.Text("Ties now: " + ", ".join(f"{c} {lv}" for c, lv in ties.items()))
        solara.SelectMultiple(
            "Propose upgrades (partner must agree)",
            up,
            [c for c, lv in ties.items() if lv < MAX_LEVEL],
            on_value=set_up,
        )
        solara.SelectMultiple(
            "Downgrade (unilateral; not a treaty tie within NATO)",
            down,
            [c for c, lv in ties.items() if lv > floor[c]],
            on_value=set_down,
        )
        solara.Text("China:")
        solara.ToggleButtonsSingle(china, list(CHINA_STANCES), on_value=set_china)
        solara.Select("Doctrine", [KEEP, *game.doctrines], doctrine, on_value=set_doctrine)
        label = "Update my moves" if player.choice is not None else "Submit my moves"
        solara.Button(label, on_click=submit, color="primary")
        if player.choice is not None:
            done, total = game.submitted()
            solara.Success(f"Submitted: {player.choice.summary()}. Waiting: {done}/{total}.")
        if error:
            solara.Error(error)
        if game.history:
            for note in game.history[-1].outcome.private.get(me, []):
                solara.Info(note)


@solara.component
def Briefing(game: Game, iso3: str, version: int) -> None:
    """The private briefing, shown on request."""
    shown, set_shown = solara.use_state(False)
    solara.Switch(label="Show my private briefing", value=shown, on_value=set_shown)
    if shown:
        with game.lock:
            lines = briefing(game.model, iso3)
        with solara.Card("Private briefing (your team only)"):
            for line in lines:
                solara.Text(line, style={"display": "block", "margin-bottom": "4px"})


@solara.component
def PlayerDebrief(game: Game, player: Player, version: int) -> None:
    """At the end: the player's choices beside what the doctrine would have done."""
    with solara.Card("Game over: your choices and your doctrine's"):
        for turn in range(1, len(game.history) + 1):
            for row in debrief_rows(game, turn):
                if row["player"].endswith(f"({player.label})"):
                    solara.Text(
                        f"Turn {turn}: you {row['chose']}; the doctrine would "
                        f"{row['doctrine would']} (agree {row['agree']})",
                        style={"display": "block"},
                    )
