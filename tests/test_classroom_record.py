"""A game on the real model: export as a run directory, replay from the log, briefings."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from indopacsim.classroom import Choice, Game, replay_directory
from indopacsim.classroom.briefing import briefing
from indopacsim.classroom.record import debrief_rows
from indopacsim.cli import main

TOKEN = "tok"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Game, Path]:
    game = Game("classroom_small", seed=3, turns=4, join_code="ABCDEF", teacher_token=TOKEN)
    game.join("ABCDEF", "Ana", "s1")
    game.join("ABCDEF", "Ben", "s2")
    game.claim("s1", "GBR")
    game.claim("s2", "JPN")
    game.start(TOKEN)
    game.submit("s1", Choice(upgrade=frozenset({"JPN"}), china="distance"))
    game.submit("s2", Choice(upgrade=frozenset({"GBR"})))
    game.submit("s1", Choice(downgrade=frozenset({"RUS"}), doctrine="hedge"))
    game.force(TOKEN)
    game.force(TOKEN)
    game.submit("s1", Choice(china="engage"))
    game.submit("s2", Choice())
    out = game.export(tmp_path_factory.mktemp("game") / "run")
    return game, out


def test_game_runs_on_the_real_model(played: tuple[Game, Path]) -> None:
    game, _ = played
    assert game.phase == "finished" and len(game.history) == 4
    assert game.model.steps == 4
    assert set(game.playable) == {"GBR", "JPN", "AUS"}
    assert all(t.outcome.news for t in game.history)


def test_export_is_a_run_directory(played: tuple[Game, Path]) -> None:
    _, out = played
    for name in ("manifest.json", "model.parquet", "states.parquet", "ties.parquet"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "run" and manifest["root_seed"] == 3
    assert manifest["classroom"]["turns_played"] == 4
    model = pd.read_parquet(out / "model.parquet")
    assert list(model["step"]) == [0, 1, 2, 3, 4]
    rows = list(csv.DictReader((out / "players.csv").open()))
    assert len(rows) == 8 and rows[0]["player"] == "P01" and rows[0]["state"] == "GBR"
    assert rows[0]["choice"].startswith("up JPN")
    log = json.loads((out / "game.json").read_text())
    assert log["seed"] == 3 and len(log["turns"]) == 4
    assert log["turns"][1]["played"] == {
        "GBR": Choice(downgrade=frozenset({"RUS"}), doctrine="hedge").to_dict()
    }


def test_replay_reproduces_the_game(played: tuple[Game, Path]) -> None:
    game, out = played
    model, outcomes = replay_directory(out)
    pd.testing.assert_frame_equal(model.ties_frame(), game.model.ties_frame())
    pd.testing.assert_frame_equal(model.states_frame(), game.model.states_frame())
    assert [o.news for o in outcomes] == [t.outcome.news for t in game.history]


def test_plot_reads_the_export(played: tuple[Game, Path]) -> None:
    _, out = played
    assert main(["plot", str(out), "--kind", "map", "--quiet"]) == 0
    assert (out / "figures" / "map.png").is_file()


def test_debrief_rows(played: tuple[Game, Path]) -> None:
    game, _ = played
    rows = debrief_rows(game, 2)
    assert [r["state"] for r in rows] == ["GBR", "JPN"]
    assert rows[1]["chose"] == "(no moves: doctrine)"
    assert debrief_rows(game, 99) == []


def test_briefing_is_about_the_state(played: tuple[Game, Path]) -> None:
    game, _ = played
    text = " ".join(briefing(game.model, "AUS"))
    assert "Australia (AUS)" in text and "trust in the United States" in text


def test_players_moves_reach_the_model() -> None:
    game = Game("classroom_small", seed=5, join_code="ABCDEF", teacher_token=TOKEN)
    game.join("ABCDEF", "Ana", "s1")
    game.claim("s1", "GBR")
    game.start(TOKEN)
    before = game.model.level("GBR", "AUS")
    assert before > 0
    game.submit("s1", Choice(downgrade=frozenset({"AUS"})))  # unilateral: it must happen
    assert game.model.level("GBR", "AUS") == before - 1
    turn = game.history[-1]
    assert turn.outcome.applied and game.moves_supported
    assert turn.players[0]["doctrine_would"] is not None
    assert any("GBR and AUS downgrade" in n for n in turn.outcome.news)
