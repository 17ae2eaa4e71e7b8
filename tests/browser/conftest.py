"""Fixtures of the browser tests: servers (``indopacsim app`` and a classroom session) and
one headless Chromium; see browser_helpers.py."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, CODE, TOKEN, Server, free_port, start, stop


@pytest.fixture(scope="session")
def classroom_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from indopacsim.classroom.server import ServerConfig, server_command, server_env

    port = free_port()
    cfg = ServerConfig("classroom_small", classroom=True, port=port, turns=3)
    server = start(
        server_command(cfg),
        server_env(cfg, CODE, TOKEN),
        port,
        tmp_path_factory.mktemp("classroom"),
    )
    yield server
    stop(server)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``indopacsim app`` exactly as a teacher types it (plus a free port)."""
    port = free_port()
    cmd = [sys.executable, "-m", "indopacsim.cli", "app", "--port", str(port)]
    server = start(cmd, dict(os.environ), port, tmp_path_factory.mktemp("live"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("INDOPACSIM_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
