"""A game's record: the run directory, the per-player log, the replay and the debrief.

:func:`export_game` writes a game as an ordinary run directory through the project's own
writer (:func:`indopacsim.runner.write_run`): ``manifest.json`` and the ``model``,
``states``, ``ties`` and ``events`` tables, so that ``indopacsim plot DIR`` and every
reader of run directories work on it. Beside them it writes ``game.json`` (the seed and
every turn's moves: enough to replay the game), ``players.csv`` and ``players.json`` (one
row per player and turn: the choice, the team's moves and what the state's doctrine would
have done). :func:`replay` rebuilds the model from the seed and the log alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from indopacsim.classroom.moves import Choice, playable_states
from indopacsim.classroom.turns import TurnOutcome, advance

if TYPE_CHECKING:
    from indopacsim.classroom.game import Game

LOG_VERSION = 1
PLAYER_COLUMNS = (
    "turn",
    "date",
    "player",
    "name",
    "state",
    "submitted",
    "seconds",
    "choice",
    "team_moves",
    "doctrine_would",
    "agreement",
)


def scenario_source(scenario: Any) -> str:
    """The name or path a game's scenario was given as (a Scenario object: its name)."""
    return str(getattr(scenario, "name", scenario))


def game_log(game: Game) -> dict[str, Any]:
    """Everything needed to replay a game: the scenario, the seed and each turn's moves."""
    return {
        "log_version": LOG_VERSION,
        "scenario": scenario_source(game.scenario),
        "seed": game.seed,
        "turns": [
            {
                "turn": t.outcome.turn,
                "reason": t.reason,
                "played": {k: v.to_dict() for k, v in sorted(t.outcome.played.items())},
            }
            for t in game.history
        ],
    }


def replay(
    log: dict[str, Any],
    model_factory: Callable[[Any, int], Any] | None = None,
    scenario: Any = None,
) -> tuple[Any, list[TurnOutcome]]:
    """Rebuild a game's model from its seed and log.

    Args:
        log: A :func:`game_log` document (``game.json``).
        model_factory: ``(scenario, seed) -> model`` (default: ``IndoPacModel``).
        scenario: The scenario to use instead of the log's name or path.

    Returns:
        The model after the last turn and each turn's outcome.
    """
    if model_factory is None:
        from indopacsim.classroom.players import default_model_factory

        model_factory = default_model_factory
    model = model_factory(scenario if scenario is not None else log["scenario"], int(log["seed"]))
    playable = playable_states(model)
    outcomes = []
    for t in log["turns"]:
        played = {k: Choice.from_dict(v) for k, v in t["played"].items()}
        outcomes.append(advance(model, int(t["turn"]), played, playable))
    return model, outcomes


def agreement(choice: dict[str, Any] | None, doctrine: dict[str, Any] | None) -> float | None:
    """Share of the four parts of a choice (upgrade, downgrade, China, doctrine) that match
    what the doctrine would have done; ``None`` when either is unknown."""
    if choice is None or doctrine is None:
        return None
    same = [
        set(choice["upgrade"]) == set(doctrine["upgrade"]),
        set(choice["downgrade"]) == set(doctrine["downgrade"]),
        choice["china"] == doctrine["china"],
        choice["doctrine"] in (None, doctrine["doctrine"]),
    ]
    return sum(same) / len(same)


def player_rows(game: Game) -> list[dict[str, Any]]:
    """One row per player and turn (the per-player log), with the agreement score."""
    rows = []
    for t in game.history:
        for r in t.players:
            rows.append({**r, "agreement": agreement(r["choice"], r["doctrine_would"])})
    return rows


def debrief_rows(game: Game, turn: int) -> list[dict[str, str]]:
    """The debrief table of one turn: per player, their choice beside the doctrine's."""
    if not 1 <= turn <= len(game.history):
        return []
    out = []
    for r in game.history[turn - 1].players:
        if r["state"] is None:
            continue
        share = agreement(r["choice"], r["doctrine_would"])
        out.append(
            {
                "player": f"{r['name']} ({r['player']})",
                "state": r["state"],
                "chose": _summary(r["choice"]) if r["submitted"] else "(no moves: doctrine)",
                "team played": _summary(r["team_moves"]),
                "doctrine would": _summary(r["doctrine_would"]),
                "agree": "-" if share is None else f"{share:.0%}",
            }
        )
    return out


def _summary(doc: dict[str, Any] | None) -> str:
    return "-" if doc is None else Choice.from_dict(doc).summary()


def players_csv(rows: Sequence[dict[str, Any]]) -> str:
    """The per-player log as CSV (choices flattened to their one-line summaries)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(PLAYER_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        flat = dict(r)
        for key in ("choice", "team_moves", "doctrine_would"):
            flat[key] = _summary(r[key]) if r[key] is not None else ""
        writer.writerow({k: flat.get(k) for k in PLAYER_COLUMNS})
    return buf.getvalue()


def export_game(game: Game, out: Path, command: list[str] | None = None) -> Path:
    """Write a game as a run directory plus ``game.json``, ``players.csv``, ``players.json``.

    Args:
        game: The game (its model must record tables, as ``IndoPacModel`` does by default).
        out: The directory to write.
        command: The command line for the manifest.
    """
    from indopacsim.manifest import write_json
    from indopacsim.runner import RunResult, write_run

    model = game.model
    events = pd.DataFrame(model.event_log, columns=["step", "date", "event", "note"])
    log = game_log(game)
    rows = player_rows(game)
    result = RunResult(
        scenario=model.initial_config,
        seeds=[game.seed],
        model=model.model_frame(),
        states=model.states_frame(),
        ties=model.ties_frame(),
        events=events,
        wall_seconds=0.0,
        root_seed=game.seed,
        source=log["scenario"],
        extra={
            "classroom": {
                "turns_played": len(game.history),
                "players": len(game.players),
                "moves_applied": game.moves_supported,
                "files": ["game.json", "players.csv", "players.json"],
            },
            "reproduce": 'python -c "from indopacsim.classroom import replay_directory; '
            f"replay_directory('{out}')\" (the seed and every turn's moves are in game.json)",
        },
    )
    write_run(result, out, command=command or ["indopacsim", "app", "--classroom"])
    write_json(out / "game.json", log)
    (out / "players.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    (out / "players.csv").write_text(players_csv(rows), encoding="utf-8")
    return out


def replay_directory(directory: str | Path) -> tuple[Any, list[TurnOutcome]]:
    """Replay the game exported to ``directory`` from its ``game.json``."""
    log = json.loads((Path(directory) / "game.json").read_text(encoding="utf-8"))
    return replay(log)
