"""The role-play engine, driven without a browser and without the real model (a fake one
with the model's moves interface), so every rule is tested in isolation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from indopacsim.classroom import (
    FINISHED,
    LOBBY,
    PAUSED,
    PLAYING,
    AccessDenied,
    Choice,
    Game,
    GameError,
    MoveError,
    RateLimited,
    combine,
    game_log,
    replay,
)
from indopacsim.classroom.access import normalise_code

CODES = ("USA", "CHN", "GBR", "JPN", "AUS", "PHL")


@dataclass(frozen=True)
class FakeMoves:
    upgrade: frozenset[str] = frozenset()
    downgrade: frozenset[str] = frozenset()
    china: str = "neutral"
    doctrine: str | None = None


class FakeModel:
    """The model's moves interface over a tiny tie network, with a seeded generator that
    both ``doctrine_moves`` and ``step`` consume (so replays must call them in order)."""

    def __init__(self, scenario: object, seed: int, horizon: int = 6):
        self.codes = CODES
        self.doctrine_names = ["great_power", "great_power", "network", "balance", "hedge", "hedge"]
        self.rng = np.random.default_rng(seed)
        n = len(CODES)
        self.ties = np.zeros((n, n), dtype=np.int8)
        self.ties[0, 2:] = self.ties[2:, 0] = 3
        self.steps, self.horizon, self.running = 0, horizon, True
        self.date = "2026-01-01"
        self.event_log: list[dict[str, object]] = []
        self.submitted: dict[str, FakeMoves] = {}

    def submit_moves(self, iso3: str, moves: FakeMoves) -> None:
        self.submitted[iso3] = moves

    def doctrine_moves(self, iso3: str) -> FakeMoves:
        i = self.codes.index(iso3)
        j = int(self.rng.integers(2, len(self.codes)))
        up = frozenset() if i == j else frozenset({self.codes[j]})
        return FakeMoves(upgrade=up)

    def step(self) -> None:
        moves = {c: self.doctrine_moves(c) for c in self.codes[2:]}
        moves.update(self.submitted)
        idx = {c: k for k, c in enumerate(self.codes)}
        for a, m in moves.items():
            for b in m.upgrade:
                if a < b and a in moves.get(b, FakeMoves()).upgrade:
                    i, j = idx[a], idx[b]
                    self.ties[i, j] = self.ties[j, i] = min(5, self.ties[i, j] + 1)
            for b in m.downgrade:
                i, j = idx[a], idx[b]
                self.ties[i, j] = self.ties[j, i] = max(0, self.ties[i, j] - 1)
            if m.doctrine:
                self.doctrine_names[idx[a]] = m.doctrine
        self.submitted = {}
        self.steps += 1
        self.date = f"step-{self.steps}"
        if self.steps == 2:
            self.event_log.append({"step": 2, "date": self.date, "event": "e", "note": "a shock"})
        self.running = self.steps < self.horizon


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_game(clock: Clock, **kw: object) -> Game:
    return Game(
        "fake",
        seed=7,
        clock=clock,
        model_factory=FakeModel,
        join_code="ab12cd",
        teacher_token="secret-token",
        **kw,  # type: ignore[arg-type]
    )


def two_players(game: Game) -> None:
    game.join("AB12CD", "Ana", "s1")
    game.join("ab12cd", "Ben", "s2")
    game.claim("s1", "GBR")
    game.claim("s2", "JPN")
    game.start("secret-token")


def test_join_with_right_and_wrong_codes(clock: Clock) -> None:
    game = make_game(clock)
    assert game.join(" ab-12 cd ", "  Ana   Li ", "s1").name == "Ana Li"
    with pytest.raises(AccessDenied):
        game.join("ZZZZZZ", "Eve", "s9")
    with pytest.raises(GameError):
        game.join("AB12CD", "   ", "s3")
    assert game.join("AB12CD", "Ana2", "s1").number == 1  # joining again renames
    assert [p.name for p in game.players.values()] == ["Ana2"]
    assert normalise_code("k7-qx 2m") == "K7QX2M"


def test_repeated_wrong_codes_are_rate_limited(clock: Clock) -> None:
    game = make_game(clock, max_failures=3)
    for _ in range(3):
        with pytest.raises(AccessDenied):
            game.join("WRONG1", "Eve", "s9")
    with pytest.raises(RateLimited):
        game.join("AB12CD", "Eve", "s9")  # refused even with the right code
    assert game.join("AB12CD", "Ana", "s1").label == "P01"  # other browsers are not
    clock.now += 61
    assert game.join("AB12CD", "Eve", "s9").label == "P02"


def test_many_wrong_codes_from_many_browsers_close_the_session(clock: Clock) -> None:
    game = make_game(clock, max_failures=2)
    for k in range(20):
        with pytest.raises(AccessDenied):
            game.join(f"WRONG{k}", "Eve", f"bot{k}")
    with pytest.raises(RateLimited):
        game.join("AB12CD", "Ana", "s1")
    clock.now += 61
    game.join("AB12CD", "Ana", "s1")


def test_teacher_token_checked_and_rate_limited(clock: Clock) -> None:
    game = make_game(clock, max_failures=2)
    assert game.is_teacher("secret-token")
    assert not game.is_teacher(None)
    for _ in range(2):
        with pytest.raises(AccessDenied):
            game.start("guess")
    with pytest.raises(RateLimited):
        game.start("secret-token")
    assert game.phase == LOBBY
    assert game.join_code != game.teacher_token


def test_claims(clock: Clock) -> None:
    game = make_game(clock)
    with pytest.raises(AccessDenied):
        game.claim("nobody", "GBR")
    game.join("AB12CD", "Ana", "s1")
    with pytest.raises(GameError, match="cannot be played"):
        game.claim("s1", "USA")  # great powers are the scenario's, not the students'
    with pytest.raises(GameError):
        game.claim("s1", "XXX")
    game.claim("s1", "GBR")
    assert game.team_sizes()["GBR"] == 1
    game.join("AB12CD", "Ben", "s2")
    game.join("AB12CD", "Cy", "s3")
    game.auto_assign("secret-token")
    assert game.player("s2").state == "JPN" and game.player("s3").state == "AUS"


def test_submit_rules(clock: Clock) -> None:
    game = make_game(clock)
    game.join("AB12CD", "Ana", "s1")
    with pytest.raises(GameError, match="not started"):
        game.submit("s1", Choice())
    game.start("secret-token")
    with pytest.raises(GameError, match="choose a state"):
        game.submit("s1", Choice())
    game.claim("s1", "GBR")
    for bad in (
        Choice(upgrade=frozenset({"GBR"})),
        Choice(upgrade=frozenset({"XXX"})),
        Choice(upgrade=frozenset({"JPN"}), downgrade=frozenset({"JPN"})),
        Choice(china="ally"),
        Choice(upgrade=frozenset({"CHN"}), china="distance"),
        Choice(doctrine="conquer"),
    ):
        with pytest.raises(MoveError):
            game.submit("s1", bad)
    assert game.submitted() == (0, 1)


def test_turn_resolves_when_all_have_submitted(clock: Clock) -> None:
    game = make_game(clock)
    two_players(game)
    seen: list[int] = []
    game.subscribe(seen.append)
    game.submit("s1", Choice(upgrade=frozenset({"JPN"}), china="distance"))
    assert game.turn == 1 and game.submitted() == (1, 2)
    game.submit("s2", Choice(upgrade=frozenset({"GBR"})))
    assert game.turn == 2 and game.submitted() == (0, 2)
    last = game.history[-1]
    assert last.reason == "all submitted"
    gbr, jpn = CODES.index("GBR"), CODES.index("JPN")
    assert game.model.ties[gbr, jpn] == 1
    assert any("GBR and JPN upgrade" in n for n in last.outcome.news)
    assert any("GBR chooses to distance from China" in n for n in last.outcome.news)
    assert set(last.outcome.doctrine) == {"GBR", "JPN", "AUS", "PHL"}
    assert seen and seen[-1] == game.version


def test_forced_turn_and_private_feedback(clock: Clock) -> None:
    game = make_game(clock)
    two_players(game)
    game.submit("s1", Choice(upgrade=frozenset({"PHL"})))
    with pytest.raises(AccessDenied):
        game.force("not-the-token")
    game.force("secret-token")
    last = game.history[-1]
    assert last.reason == "forced"
    assert [r["submitted"] for r in last.players] == [True, False]
    assert "JPN" not in last.outcome.played  # the doctrine played Japan
    if "PHL" not in {c.b for c in last.outcome.changes} | {c.a for c in last.outcome.changes}:
        assert last.outcome.private["GBR"] == ["PHL did not reciprocate your upgrade proposal"]


def test_deadline_and_countdown(clock: Clock) -> None:
    game = make_game(clock, deadline=60)
    two_players(game)
    assert game.seconds_left() == 60
    clock.now += 59.5
    assert not game.tick() and game.seconds_left() == pytest.approx(0.5)
    clock.now += 1
    assert game.tick() and game.history[-1].reason == "deadline"
    assert game.seconds_left() == 60  # a new turn, a new countdown
    game.set_deadline("secret-token", None)
    clock.now += 1000
    assert not game.tick() and game.seconds_left() is None


def test_pause_freezes_clock_and_resolution(clock: Clock) -> None:
    game = make_game(clock, deadline=30)
    two_players(game)
    clock.now += 10
    game.pause("secret-token")
    assert game.phase == PAUSED
    game.submit("s1", Choice())
    game.submit("s2", Choice())
    clock.now += 100
    assert not game.tick() and game.turn == 1
    assert game.seconds_left() == pytest.approx(20)
    game.resume("secret-token")
    assert game.phase == PLAYING and game.turn == 2


def test_resume_without_all_submitted_keeps_the_clock(clock: Clock) -> None:
    game = make_game(clock, deadline=30)
    two_players(game)
    clock.now += 10
    game.pause("secret-token")
    clock.now += 50
    game.resume("secret-token")
    assert game.seconds_left() == pytest.approx(20) and game.turn == 1


def test_reset_keeps_players_and_restarts_model(clock: Clock) -> None:
    game = make_game(clock)
    two_players(game)
    for _ in range(2):
        game.force("secret-token")
    assert game.turn == 3 and game.model.steps == 2
    game.reset("secret-token")
    assert game.turn == 1 and game.model.steps == 0 and game.phase == LOBBY
    assert not game.news and game.player("s1").state == "GBR"


def test_remove_player(clock: Clock) -> None:
    game = make_game(clock)
    two_players(game)
    game.remove("secret-token", "s2")
    assert game.player("s2") is None and game.team_sizes()["JPN"] == 0
    with pytest.raises(AccessDenied, match="removed"):
        game.join("AB12CD", "Ben", "s2")
    game.submit("s1", Choice())  # the only active player: resolves
    assert game.turn == 2


def test_game_finishes(clock: Clock) -> None:
    game = make_game(clock, turns=2)
    two_players(game)
    game.force("secret-token")
    game.force("secret-token")
    assert game.phase == FINISHED
    with pytest.raises(GameError, match="over"):
        game.submit("s1", Choice())


def test_team_majority() -> None:
    a = Choice(upgrade=frozenset({"JPN", "AUS"}), china="distance", doctrine="balance")
    b = Choice(upgrade=frozenset({"JPN"}), china="distance")
    c = Choice(downgrade=frozenset({"PHL"}), china="engage", doctrine="balance")
    team = combine([a, b, c])
    assert team.upgrade == {"JPN"} and team.downgrade == frozenset()
    assert team.china == "distance" and team.doctrine == "balance"
    assert combine([a, c]).china == "neutral"  # a tie
    assert combine([a]) is a and combine([]) == Choice()
    assert Choice.from_dict(a.to_dict()) == a


def test_team_plays_majority(clock: Clock) -> None:
    game = make_game(clock)
    for pid in ("s1", "s2", "s3"):
        game.join("AB12CD", pid, pid)
        game.claim(pid, "GBR")
    game.start("secret-token")
    game.submit("s1", Choice(upgrade=frozenset({"JPN"})))
    game.submit("s2", Choice(upgrade=frozenset({"JPN"})))
    assert game.turn == 1
    game.submit("s3", Choice(china="engage"))
    assert game.history[-1].outcome.played["GBR"] == Choice(upgrade=frozenset({"JPN"}))


def scripted(game: Game, turns: int) -> None:
    script = [
        {"s1": Choice(upgrade=frozenset({"JPN"})), "s2": Choice(upgrade=frozenset({"GBR"}))},
        {"s1": Choice(downgrade=frozenset({"AUS"}), china="engage")},
        {"s2": Choice(upgrade=frozenset({"PHL"}), doctrine="hedge")},
    ]
    for t in range(turns):
        for pid, choice in script[t % len(script)].items():
            game.submit(pid, choice)
        if game.turn == t + 1:
            game.force("secret-token")


def test_scripted_game_is_reproducible_from_seed_and_log(clock: Clock) -> None:
    game = make_game(clock)
    two_players(game)
    scripted(game, 5)
    log = game_log(game)
    model, outcomes = replay(log, model_factory=FakeModel)
    np.testing.assert_array_equal(model.ties, game.model.ties)
    assert [o.to_dict() for o in outcomes] == [t.outcome.to_dict() for t in game.history]
    twin = make_game(Clock())
    two_players(twin)
    scripted(twin, 5)
    np.testing.assert_array_equal(twin.model.ties, game.model.ties)


def test_thirty_students_in_teams_resolve_once(clock: Clock) -> None:
    game = make_game(clock)
    for k in range(30):
        game.join("AB12CD", f"student {k}", f"s{k}")
    game.auto_assign("secret-token")
    assert sorted(game.team_sizes().values()) == [7, 7, 8, 8]
    game.start("secret-token")
    for k in range(29):
        game.submit(f"s{k}", Choice(china="distance"))
    assert game.turn == 1 and game.submitted() == (29, 30)
    game.submit("s29", Choice())
    assert game.turn == 2 and len(game.history) == 1
    assert set(game.history[0].outcome.played) == {"GBR", "JPN", "AUS", "PHL"}
    assert all(c.china == "distance" for c in game.history[0].outcome.played.values())
