"""Helpers of the browser tests: a real Solara server, Debian's headless Chromium, Playwright.

They skip (with the reason) only when ``/usr/lib/chromium/chromium`` is missing; CI
installs it (``.ci/run``). Set ``INDOPACSIM_SCREENSHOTS=DIR`` to keep the screenshots
(``docs/teaching/img/`` was made that way).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/lib/chromium/chromium"

#: Why a browser test skips: only when Debian's Chromium is missing.
NO_CHROMIUM = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)

CODE, TOKEN = "QW7RTY", "teacher-token-for-tests"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    requests: list[str] = field(default_factory=list)


def start(cmd: list[str], env: dict[str, str], port: int, cwd: Path) -> Server:
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port(port, proc)
    return Server(f"http://127.0.0.1:{port}/", port, proc)


def stop(server: Server) -> None:
    os.killpg(server.proc.pid, signal.SIGTERM)
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, signal.SIGKILL)


def record_requests(page: object, sink: list[str]) -> None:
    """Keep the URL of every request and websocket a page opens."""
    page.on("request", lambda r: sink.append(r.url))  # type: ignore[attr-defined]
    page.on("websocket", lambda w: sink.append(w.url))  # type: ignore[attr-defined]


def external(urls: list[str]) -> list[str]:
    """The URLs that leave this machine's 127.0.0.1."""
    return [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"
    ]
