"""The role-play game: a session that students join, turns they play, a teacher who runs it.

Plain Python, no UI: the Solara pages (:mod:`indopacsim.classroom.pages`) are a thin layer
over this class, and the tests drive it directly. Every method takes the session's lock,
so the pages of many browser sessions (each in its own thread) can call it at once; every
change bumps :attr:`Game.version` and calls the subscribers after the lock is released.

Life of a session: the teacher creates the :class:`Game` (the server prints its join code and
teacher token), students :meth:`~Game.join` with the code and a display name and
:meth:`~Game.claim` a state (several students may share one: a team decides by majority,
:func:`~indopacsim.classroom.moves.combine`), the teacher :meth:`~Game.start`\\ s, and each
turn every player :meth:`~Game.submit`\\ s moves. The turn resolves as soon as every active
player has submitted, when the teacher forces it, or at the deadline (:meth:`~Game.tick`);
states nobody plays follow their doctrine inside the model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from indopacsim.classroom.access import (
    AccessDenied,
    RateLimiter,
    new_join_code,
    new_token,
    normalise_code,
)
from indopacsim.classroom.moves import (
    Choice,
    combine,
    doctrine_options,
    model_supports_moves,
    playable_states,
    validate_choice,
)
from indopacsim.classroom.players import (
    FINISHED,
    LOBBY,
    MAX_NAME,
    PAUSED,
    PLAYING,
    GameError,
    Player,
    TurnLog,
    default_model_factory,
    log_row,
    model_horizon,
)
from indopacsim.classroom.turns import advance

__all__ = ["FINISHED", "LOBBY", "PAUSED", "PLAYING", "Game", "GameError", "Player", "TurnLog"]


class Game:
    """One classroom session.

    Args:
        scenario: A scenario object, bundled name or YAML path.
        seed: The model's seed: a game is reproducible from it and its log.
        turns: Number of turns (default: the scenario's horizon).
        deadline: Seconds per turn, or ``None`` for no deadline.
        clock: Monotonic clock (injectable for tests).
        model_factory: ``(scenario, seed) -> model`` (tests pass a fake).
        join_code: The join code (default: random); ``teacher_token`` likewise.
        max_failures: Wrong codes (or tokens) allowed per minute from one browser; ten
            times as many from all browsers together.
    """

    def __init__(
        self,
        scenario: Any = "classroom_small",
        seed: int = 0,
        *,
        turns: int | None = None,
        deadline: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        model_factory: Callable[[Any, int], Any] = default_model_factory,
        join_code: str | None = None,
        teacher_token: str | None = None,
        max_failures: int = 5,
    ):
        self.scenario = scenario
        self.seed = seed
        self.deadline = deadline
        self.clock = clock
        self.model_factory = model_factory
        self.join_code = normalise_code(join_code or new_join_code())
        self.teacher_token = teacher_token or new_token()
        self._code_limiter = RateLimiter(max_failures, 10 * max_failures, clock=clock)
        self._token_limiter = RateLimiter(max_failures, 10 * max_failures, clock=clock)
        self._lock: threading.RLock = threading.RLock()
        self._subscribers: list[Callable[[int], None]] = []
        self.version = 0
        self.players: dict[str, Player] = {}
        self.removed: set[str] = set()
        self._joined = 0
        self.doctrines = doctrine_options()
        self._turns_wanted = turns
        self._new_model()

    # ------------------------------------------------------------------ plumbing
    def _new_model(self) -> None:
        self.model = self.model_factory(self.scenario, self.seed)
        self.codes: list[str] = list(self.model.codes)
        self.playable = playable_states(self.model)
        horizon = model_horizon(self.model)
        self.turns = min(self._turns_wanted or horizon, horizon)
        self.phase = LOBBY
        self.history: list[TurnLog] = []
        self.news: list[tuple[int, str]] = []
        self.turn_opened = self.clock()
        self._paused_at: float | None = None
        self.moves_supported = model_supports_moves(self.model)

    def subscribe(self, callback: Callable[[int], None]) -> Callable[[], None]:
        """Call ``callback(version)`` after every change; returns the unsubscribe function."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def _changed(self) -> None:
        self.version += 1

    @property
    def lock(self) -> threading.RLock:
        """The session's lock: hold it to read the model consistently (e.g. to draw it)."""
        return self._lock

    def refresh(self) -> None:
        """Tell the subscribers to redraw (e.g. a countdown), without changing anything."""
        with self._lock:
            self._changed()
        self._notify()

    def _notify(self) -> None:
        with self._lock:
            version, subscribers = self.version, list(self._subscribers)
        for cb in subscribers:
            cb(version)

    # ------------------------------------------------------------------ access
    def check_teacher(self, token: str, client: str = "") -> None:
        """Raise :class:`AccessDenied` (or ``RateLimited``) unless ``token`` is the teacher's."""
        with self._lock:
            self._token_limiter.check(token, self.teacher_token, "teacher token", client)

    def is_teacher(self, token: str | None, client: str = "") -> bool:
        """Whether ``token`` is the teacher's (a wrong one counts towards the rate limit)."""
        if not token:
            return False
        try:
            self.check_teacher(token, client)
        except AccessDenied:
            return False
        return True

    def join(self, code: str, name: str, pid: str) -> Player:
        """Join the session with its code under a display name; joining again renames.

        Raises:
            AccessDenied: Wrong code, or a player the teacher removed.
            RateLimited: Too many wrong codes in the last minute.
            GameError: An empty name.
        """
        with self._lock:
            self._code_limiter.check(normalise_code(code), self.join_code, "join code", pid)
            if pid in self.removed:
                raise AccessDenied("the teacher removed you from this session")
            clean = " ".join(name.split())[:MAX_NAME]
            if not clean:
                raise GameError("enter a display name")
            player = self.players.get(pid)
            if player is None:
                self._joined += 1
                player = Player(pid=pid, number=self._joined, name=clean)
                self.players[pid] = player
            player.name = clean
            self._changed()
        self._notify()
        return player

    def player(self, pid: str) -> Player | None:
        """The player of a page's identifier, if joined and not removed."""
        with self._lock:
            return self.players.get(pid)

    # ------------------------------------------------------------------ states
    def claim(self, pid: str, iso3: str | None) -> None:
        """Play ``iso3`` (``None``: give up the state); clears this turn's submission."""
        with self._lock:
            player = self._player(pid)
            if iso3 is not None and iso3 not in self.playable:
                raise GameError(
                    f"{iso3} cannot be played; choose one of {', '.join(self.playable)}"
                )
            player.state, player.choice, player.submitted_at = iso3, None, None
            self._changed()
        self._notify()

    def assign(self, token: str, pid: str, iso3: str | None) -> None:
        """The teacher gives a player a state."""
        self.check_teacher(token)
        self.claim(pid, iso3)

    def auto_assign(self, token: str) -> None:
        """The teacher gives every player without a state the least-played state."""
        self.check_teacher(token)
        with self._lock:
            for p in sorted(self.players.values(), key=lambda p: p.number):
                if p.state is None:
                    counts = self.team_sizes()
                    p.state = min(self.playable, key=lambda c: (counts[c], self.playable.index(c)))
            self._changed()
        self._notify()

    def team_sizes(self) -> dict[str, int]:
        """Players per playable state."""
        with self._lock:
            counts = dict.fromkeys(self.playable, 0)
            for p in self.players.values():
                if p.state is not None:
                    counts[p.state] += 1
            return counts

    def _player(self, pid: str) -> Player:
        player = self.players.get(pid)
        if player is None:
            raise AccessDenied("join the session first")
        return player

    # ------------------------------------------------------------------ turns
    @property
    def turn(self) -> int:
        """The turn being played (from 1)."""
        return len(self.history) + 1

    def active_players(self) -> list[Player]:
        """Players with a state: the ones a turn waits for."""
        with self._lock:
            return [p for p in self.players.values() if p.state is not None]

    def submitted(self) -> tuple[int, int]:
        """``(players who submitted, players with a state)`` this turn."""
        with self._lock:
            active = self.active_players()
            return sum(p.choice is not None for p in active), len(active)

    def submit(self, pid: str, choice: Choice) -> None:
        """A player's moves for this turn; the turn resolves when everyone has submitted."""
        with self._lock:
            player = self._player(pid)
            if self.phase == LOBBY:
                raise GameError("the game has not started yet")
            if self.phase == FINISHED:
                raise GameError("the game is over")
            if player.state is None:
                raise GameError("choose a state first")
            validate_choice(choice, player.state, self.codes, self.doctrines)
            player.choice, player.submitted_at = choice, self.clock() - self.turn_opened
            self._changed()
            done, total = self.submitted()
            if done == total and self.phase == PLAYING:
                self._resolve("all submitted")
        self._notify()

    def seconds_left(self) -> float | None:
        """Seconds before the deadline (``None`` without one; frozen while paused)."""
        with self._lock:
            if self.deadline is None or self.phase not in (PLAYING, PAUSED):
                return None
            now = self._paused_at if self._paused_at is not None else self.clock()
            return max(0.0, self.deadline - (now - self.turn_opened))

    def tick(self) -> bool:
        """Resolve the turn if its deadline has passed; returns whether it did."""
        with self._lock:
            left = self.seconds_left()
            if self.phase != PLAYING or left is None or left > 0:
                return False
            self._resolve("deadline")
        self._notify()
        return True

    def _resolve(self, reason: str) -> None:
        """Play the turn on the model (under the lock)."""
        teams: dict[str, list[Choice]] = {}
        for p in sorted(self.active_players(), key=lambda p: p.number):
            if p.choice is not None and p.state is not None:
                teams.setdefault(p.state, []).append(p.choice)
        played = {iso3: combine(choices) for iso3, choices in teams.items()}
        outcome = advance(self.model, self.turn, played, self.playable)
        rows = [log_row(p, outcome) for p in sorted(self.players.values(), key=lambda p: p.number)]
        self.history.append(TurnLog(outcome, reason, rows))
        self.news.extend((outcome.turn, item) for item in outcome.news)
        for p in self.players.values():
            p.choice, p.submitted_at = None, None
        self.turn_opened = self.clock()
        if len(self.history) >= self.turns or not getattr(self.model, "running", True):
            self.phase = FINISHED
        self._changed()

    # ------------------------------------------------------------------ the teacher
    def _teacher_action(self, token: str, action: Callable[[], None]) -> None:
        self.check_teacher(token)
        with self._lock:
            action()
            self._changed()
        self._notify()

    def start(self, token: str) -> None:
        """Open the first turn."""

        def go() -> None:
            if self.phase == LOBBY:
                self.phase, self.turn_opened = PLAYING, self.clock()

        self._teacher_action(token, go)

    def force(self, token: str) -> None:
        """Resolve the turn now; students who have not submitted follow their doctrine."""

        def go() -> None:
            if self.phase in (PLAYING, PAUSED):
                self._resume()
                self._resolve("forced")

        self._teacher_action(token, go)

    def pause(self, token: str) -> None:
        """Freeze the turn: the clock stops and nothing resolves."""

        def go() -> None:
            if self.phase == PLAYING:
                self.phase, self._paused_at = PAUSED, self.clock()

        self._teacher_action(token, go)

    def resume(self, token: str) -> None:
        """Unfreeze; the turn resolves at once if everyone has submitted meanwhile."""

        def go() -> None:
            if self.phase == PAUSED:
                self._resume()
                done, total = self.submitted()
                if total and done == total:
                    self._resolve("all submitted")

        self._teacher_action(token, go)

    def _resume(self) -> None:
        if self._paused_at is not None:
            self.turn_opened += self.clock() - self._paused_at
            self._paused_at = None
        if self.phase == PAUSED:
            self.phase = PLAYING

    def reset(self, token: str) -> None:
        """Start again from the seed: same players and states, a fresh model, no history."""

        def go() -> None:
            self._new_model()
            for p in self.players.values():
                p.choice, p.submitted_at = None, None

        self._teacher_action(token, go)

    def remove(self, token: str, pid: str) -> None:
        """Remove a player: the state is freed and the browser cannot rejoin."""

        def go() -> None:
            if self.players.pop(pid, None) is not None:
                self.removed.add(pid)

        self._teacher_action(token, go)

    def set_deadline(self, token: str, seconds: float | None) -> None:
        """Set (or clear, with ``None``) the seconds per turn; applies to the current turn."""

        def go() -> None:
            self.deadline = seconds

        self._teacher_action(token, go)

    def export(self, out: str | Path, command: list[str] | None = None) -> Path:
        """Write the game as a run directory (see :mod:`indopacsim.classroom.record`)."""
        from indopacsim.classroom.record import export_game

        with self._lock:
            return export_game(self, Path(out), command)
