"""``indopacsim app``: what the server is started with (no server is started here)."""

from __future__ import annotations

import pytest

from indopacsim import cli
from indopacsim.classroom import server
from indopacsim.classroom.server import ServerConfig, banner, server_command, server_env


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[ServerConfig]:
    calls: list[ServerConfig] = []
    monkeypatch.setattr(server, "serve", lambda cfg: calls.append(cfg) or 0)
    return calls


def test_app_defaults_to_localhost(started: list[ServerConfig]) -> None:
    assert cli.main(["app"]) == 0
    (cfg,) = started
    assert cfg.host == "127.0.0.1" and not cfg.classroom and cfg.scenario == "classroom_small"
    cmd = server_command(cfg)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert "--production" in cmd and cmd[cmd.index("--workers") + 1] == "1"


def test_app_lan_host_and_classroom_options(started: list[ServerConfig]) -> None:
    cli.main(
        [
            "app",
            "classroom_indopacific",
            "--classroom",
            "--lan",
            "--turns",
            "8",
            "--deadline",
            "90",
            "--seed",
            "4",
            "--port",
            "9000",
        ]
    )
    cli.main(["app", "--host", "10.0.0.5"])
    lan, host = started
    assert lan.host == "0.0.0.0" and lan.classroom and lan.turns == 8 and lan.deadline == 90
    assert (lan.seed, lan.port, lan.scenario) == (4, 9000, "classroom_indopacific")
    assert host.host == "10.0.0.5"


def test_app_bad_scenario_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["app", "no_such_scenario"]) == 2
    assert "no_such_scenario" in capsys.readouterr().err


def test_server_environment_and_banner() -> None:
    cfg = ServerConfig("classroom_small", classroom=True, port=8123, seed=2, deadline=60)
    env = server_env(cfg, "ABCDEF", "tok")
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["INDOPACSIM_APP_MODE"] == "classroom" and env["INDOPACSIM_APP_DEADLINE"] == "60"
    assert env["INDOPACSIM_APP_URL"] == "http://localhost:8123/"
    text = banner(cfg, "ABCDEF", "tok")
    assert "ABCDEF" in text and "?token=tok" in text
    assert "token" not in banner(ServerConfig(), "ABCDEF", "tok")  # live view: no secrets
