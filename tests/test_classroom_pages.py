"""The pages without a browser: rendered with ``solara.render``, widgets found by type."""

from __future__ import annotations

from pathlib import Path

import ipyvuetify as v
import pytest

pytest.importorskip("solara")
import solara
from mesa.experimental.scenarios import Scenario as MesaScenario

from indopacsim import load_scenario
from indopacsim.classroom import Game
from indopacsim.classroom.console import TeacherConsole
from indopacsim.classroom.live import LiveModel, model_params
from indopacsim.classroom.pages import StudentPage


@pytest.fixture
def game() -> Game:
    return Game("classroom_small", seed=1, join_code="ABCDEF", teacher_token="tok")


def buttons(rc: solara.RenderContext, label: str) -> list[v.Btn]:  # type: ignore[name-defined]
    return [b for b in rc.find(v.Btn).widgets if label in " ".join(map(str, b.children))]


def test_student_joins_claims_and_submits(game: Game) -> None:
    _, rc = solara.render(StudentPage(game, "s1", 0), handle_error=False)
    code, name = rc.find(v.TextField).widgets
    code.v_model, name.v_model = "abcdef", "Ana"
    buttons(rc, "Join")[0].click()
    assert game.player("s1").name == "Ana"
    rc.render(StudentPage(game, "s1", game.version))
    buttons(rc, "Japan (JPN)")[0].click()
    assert game.player("s1").state == "JPN"
    game.start("tok")
    rc.render(StudentPage(game, "s1", game.version))
    buttons(rc, "Submit my moves")[0].click()
    assert game.turn == 2  # the only player submitted: the turn resolved
    rc.close()


def test_wrong_code_is_shown(game: Game) -> None:
    _, rc = solara.render(StudentPage(game, "s1", 0), handle_error=False)
    code, name = rc.find(v.TextField).widgets
    code.v_model, name.v_model = "nope", "Eve"
    buttons(rc, "Join")[0].click()
    rc.find(v.Alert, children=["wrong join code"]).assert_single()
    assert game.player("s1") is None
    rc.close()


def test_teacher_console_controls(
    game: Game, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INDOPACSIM_APP_EXPORT", str(tmp_path))
    game.join("ABCDEF", "Ana", "s1")
    game.claim("s1", "GBR")
    _, rc = solara.render(TeacherConsole(game, "tok", game.version), handle_error=False)
    buttons(rc, "Start")[0].click()
    assert game.phase == "playing"
    rc.render(TeacherConsole(game, "tok", game.version))
    buttons(rc, "Force turn")[0].click()
    assert game.turn == 2 and game.history[-1].reason == "forced"
    rc.render(TeacherConsole(game, "tok", game.version))
    buttons(rc, "Export")[0].click()
    (run,) = tmp_path.iterdir()
    assert run.name.startswith("classroom_classroom_small_seed1_")
    assert (run / "manifest.json").is_file() and (run / "players.csv").is_file()
    buttons(rc, "Remove")[0].click()
    assert game.player("s1") is None
    rc.close()


def test_live_model_survives_solaraviz_reset() -> None:
    # SolaraViz's Reset passes Mesa's own Scenario: the scenario name is used instead
    model = LiveModel(MesaScenario(), scenario_name="classroom_small", seed=3, us_reliability=0.2)
    assert model.config.name == "classroom_small" and model.config.us.reliability == 0.2
    base = load_scenario("classroom_small")
    params = model_params(base, "classroom_small")
    assert {
        "us_reliability",
        "china_coercion",
        "china_retaliation",
        "costs_distance",
        "russia_threat",
        "seed",
        "scenario_name",
    } == set(params)
    assert params["us_reliability"].value == pytest.approx(base.us.reliability)


def test_the_uk_is_not_offered_to_downgrade_its_nato_ally(game: Game) -> None:
    """A treaty tie within NATO is not on the downgrade list (docs/model.md section 7.8);
    a player's other ties are."""
    _, rc = solara.render(StudentPage(game, "s1", 0), handle_error=False)
    code, name = rc.find(v.TextField).widgets
    code.v_model, name.v_model = "abcdef", "Ana"
    buttons(rc, "Join")[0].click()
    rc.render(StudentPage(game, "s1", game.version))
    buttons(rc, "(GBR)")[0].click()
    game.start("tok")
    rc.render(StudentPage(game, "s1", game.version))
    down = [s for s in rc.find(v.Select).widgets if str(s.label).startswith("Downgrade")]
    assert len(down) == 1
    offered = set(down[0].items)
    assert "USA" not in offered  # GBR-USA: a NATO treaty tie
    assert {"JPN", "AUS"} <= offered
    rc.close()
