"""Start the Solara server for ``indopacsim app``: the live view or a classroom session.

Runs ``solara run indopacsim.classroom.app`` in production mode with one worker (a
role-play game lives in the server's memory: hot reload or a second worker would lose
it), binds to 127.0.0.1 unless a host is given, switches Solara's telemetry off, and for
a classroom prints the join code and the teacher's link (with its token) in this terminal
only.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass

from indopacsim.classroom.access import new_join_code, new_token

APP = "indopacsim.classroom.app"


@dataclass(frozen=True)
class ServerConfig:
    """What ``indopacsim app`` was asked for."""

    scenario: str = "classroom_small"
    classroom: bool = False
    host: str = "127.0.0.1"
    port: int = 8765
    seed: int = 0
    turns: int | None = None
    deadline: float | None = None


def server_env(cfg: ServerConfig, code: str, token: str) -> dict[str, str]:
    """The environment of the server process."""
    env = dict(os.environ)
    env.update(
        {
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
            "INDOPACSIM_APP_MODE": "classroom" if cfg.classroom else "live",
            "INDOPACSIM_APP_SCENARIO": cfg.scenario,
            "INDOPACSIM_APP_SEED": str(cfg.seed),
            "INDOPACSIM_APP_TURNS": "" if cfg.turns is None else str(cfg.turns),
            "INDOPACSIM_APP_DEADLINE": "" if cfg.deadline is None else str(cfg.deadline),
            "INDOPACSIM_JOIN_CODE": code,
            "INDOPACSIM_TEACHER_TOKEN": token,
            "INDOPACSIM_APP_URL": public_url(cfg),
            "MPLBACKEND": "Agg",
            # Solara warns on every page that plain http cannot set samesite=none cookies
            "PYTHONWARNINGS": "ignore::UserWarning:solara.server.starlette",
        }
    )
    return env


def public_url(cfg: ServerConfig) -> str:
    """The address students type: this machine's LAN address when listening on all."""
    host = cfg.host
    if host in ("0.0.0.0", "::", ""):
        host = lan_address()
    elif host == "127.0.0.1":
        host = "localhost"
    return f"http://{host}:{cfg.port}/"


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def server_command(cfg: ServerConfig) -> list[str]:
    """The ``solara run`` command line."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP,
        "--production",
        "--workers",
        "1",
        "--host",
        cfg.host,
        "--port",
        str(cfg.port),
        "--no-open",
        "--log-level",
        "warning",
    ]


def banner(cfg: ServerConfig, code: str, token: str) -> str:
    """What the teacher's terminal shows."""
    url = public_url(cfg)
    if not cfg.classroom:
        return f"indopacsim live view of {cfg.scenario}: open {url} (Ctrl-C stops)"
    return "\n".join(
        [
            f"indopacsim classroom: {cfg.scenario}, seed {cfg.seed}",
            f"  students open   {url}  and join with code  {code}",
            f"  teacher console {url}?token={token}",
            "  (keep the teacher link private: it is printed only here; Ctrl-C stops)",
        ]
    )


def serve(cfg: ServerConfig) -> int:
    """Run the server until interrupted; returns its exit code."""
    code, token = new_join_code(), new_token()
    print(banner(cfg, code, token), flush=True)
    try:
        proc = subprocess.run(server_command(cfg), env=server_env(cfg, code, token), check=False)
    except KeyboardInterrupt:
        return 0
    return proc.returncode
