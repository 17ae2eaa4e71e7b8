"""Classroom benchmark: 30 students play turns; resolution time and memory per session.

Prints, for the ``classroom_indopacific`` scenario (ten states, seven playable):

* the time from the last student's submission to the resolved turn, engine only and with
  30 student pages rendered and subscribed (``solara.render``, as each browser session
  holds one): the goal is under one second;
* the memory of one game session (the engine: model, players, history; ``tracemalloc``)
  and the growth of this process's resident memory per rendered student page;
* with ``--browsers N``, a real server and N headless Chromium students: the server's
  resident memory before and after they joined, per session.

Run: ``.venv/bin/python benchmarks/bench_classroom.py [--students 30] [--turns 3]
[--browsers 10]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import psutil

from indopacsim.classroom import Choice, Game

TOKEN = "bench-token"
CODE = "BENCH1"


def choices_for(game: Game, k: int, turn: int) -> Choice:
    """A valid, varied choice for the k-th student in a turn."""
    me = game.players[f"s{k}"].state or ""
    others = [c for c in game.codes if c != me]
    stance = ("engage", "neutral", "distance")[(k + turn) % 3]
    return Choice(upgrade=frozenset({others[(k + turn) % len(others)]}), china=stance)


def new_game(students: int) -> Game:
    game = Game("classroom_indopacific", seed=0, join_code=CODE, teacher_token=TOKEN)
    for k in range(students):
        game.join(CODE, f"student {k}", f"s{k}")
    game.auto_assign(TOKEN)
    game.start(TOKEN)
    return game


def play(game: Game, students: int, turns: int) -> list[float]:
    """Play turns; returns the seconds from the last submission to the resolved turn."""
    latencies = []
    for turn in range(turns):
        for k in range(students - 1):
            game.submit(f"s{k}", choices_for(game, k, turn))
        before = game.turn
        start = time.perf_counter()
        game.submit(f"s{students - 1}", choices_for(game, students - 1, turn))
        latencies.append(time.perf_counter() - start)
        assert game.turn == before + 1
    return latencies


def engine(students: int, turns: int) -> None:
    tracemalloc.start()
    game = new_game(students)
    latencies = play(game, students, turns)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"engine: {students} students, {turns} turns: resolution after the last submission "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(f"engine: one game session holds {current / 2**20:.1f} MB (tracemalloc)")


def with_pages(students: int, turns: int) -> None:
    import solara

    from indopacsim.classroom.pages import ClassroomPage

    proc = psutil.Process()
    game = new_game(students)
    rss0 = proc.memory_info().rss
    contexts = []
    for k in range(students):
        with _session(f"s{k}"):
            _, rc = solara.render(ClassroomPage(game), handle_error=False)
        contexts.append(rc)
    rss1 = proc.memory_info().rss
    latencies = play(game, students, turns)
    print(
        f"pages: {students} rendered student pages: resolution and page updates after the "
        f"last submission median {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    print(
        f"pages: resident memory +{(rss1 - rss0) / 2**20:.1f} MB for {students} pages, "
        f"{(rss1 - rss0) / 2**20 / students:.2f} MB per student session"
    )
    for rc in contexts:
        rc.close()


class _session:
    """Make ``solara.get_session_id`` return a given id while a page is first rendered."""

    def __init__(self, sid: str):
        self.sid = sid

    def __enter__(self) -> None:
        import solara

        self._saved = solara.get_session_id
        solara.get_session_id = lambda: self.sid  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        import solara

        solara.get_session_id = self._saved  # type: ignore[assignment]


def browsers(n: int) -> None:
    """A real server and ``n`` Chromium students (one browser context each): the server's
    memory per session, and the time from the last student's click to the turn shown."""
    import os
    import signal

    from playwright.sync_api import sync_playwright

    proc, url = _start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/lib/chromium/chromium")
            teacher = _open(browser, url + f"?token={TOKEN}", "text=Force turn")
            rss0 = psutil.Process(proc.pid).memory_info().rss
            pages = []
            for k in range(n):
                page = _open(browser, url, "text=Join the game")
                page.get_by_label("Join code (on the projector)").fill(CODE)
                page.get_by_label("Display name (no surname needed)").fill(f"student {k}")
                page.get_by_role("button", name="Join").click()
                page.wait_for_selector("text=Your state", timeout=60_000)
                pages.append(page)
            teacher.get_by_role("button", name="Assign states").click()
            teacher.get_by_role("button", name="Start").click()
            rss1 = psutil.Process(proc.pid).memory_info().rss
            for page in pages:
                page.wait_for_selector("text=Submit my moves", timeout=60_000)
            for page in pages[:-1]:
                page.get_by_role("button", name="Submit my moves").click()
            teacher.wait_for_selector(f"text=submitted {n - 1}/{n}", timeout=60_000)
            server = psutil.Process(proc.pid)
            cpu0 = sum(server.cpu_times()[:2])
            start = time.perf_counter()
            pages[-1].get_by_role("button", name="Submit my moves").click()
            teacher.wait_for_selector("text=Turn 2 of", timeout=60_000)
            on_teacher = time.perf_counter() - start
            cpu = sum(server.cpu_times()[:2]) - cpu0
            pages[0].wait_for_selector("text=Turn 2 of", timeout=60_000)
            on_student = time.perf_counter() - start
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    print(
        f"server: {n} Chromium students: the turn showed on the teacher console "
        f"{on_teacher:.2f} s and on the first student's page {on_student:.2f} s after the "
        f"last click (browser round trips included); the server spent {cpu:.2f} s of CPU "
        f"meanwhile (load average now {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} cores)"
    )
    print(
        f"server: resident memory {rss0 / 2**20:.0f} MB with the teacher, "
        f"{rss1 / 2**20:.0f} MB with {n} students: {(rss1 - rss0) / 2**20 / n:.2f} MB per session"
    )


def _start_server():  # type: ignore[no-untyped-def]
    """A classroom server on a free port; returns the process and its address."""
    import socket
    import subprocess
    import tempfile

    from indopacsim.classroom.server import ServerConfig, server_command, server_env

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = ServerConfig("classroom_indopacific", classroom=True, port=port)
    proc = subprocess.Popen(
        server_command(cfg),
        env=server_env(cfg, CODE, TOKEN),
        cwd=tempfile.mkdtemp(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"http://127.0.0.1:{port}/"
        time.sleep(0.2)


def _open(browser, url: str, selector: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(url)
    page.wait_for_selector(selector, timeout=60_000)
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--browsers", type=int, default=0, help="real Chromium students")
    args = parser.parse_args()
    engine(args.students, args.turns)
    with_pages(args.students, args.turns)
    if args.browsers:
        browsers(args.browsers)


if __name__ == "__main__":
    main()
