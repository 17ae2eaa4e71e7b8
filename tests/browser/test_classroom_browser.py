"""The live view and the role-play in headless Chromium (see conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import psutil
import pytest
from browser_helpers import (
    CODE,
    DESKTOP,
    NO_CHROMIUM,
    PHONE,
    TOKEN,
    Server,
    external,
    record_requests,
)

pytestmark = NO_CHROMIUM

TIMEOUT = 30_000


def steps_shown(page) -> int:
    text = page.get_by_text(re.compile(r"^Time: ")).first.inner_text()
    return int(float(text.split(":")[1]))


def test_app_listens_on_localhost_only(app_server: Server) -> None:
    listening = {
        c.laddr.ip
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == app_server.port
    }
    assert listening == {"127.0.0.1"}


def test_live_view_tabs_have_their_own_models_and_stay_offline(
    app_server: Server, chromium, shots: Path
) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    requests: list[str] = []
    a, b = context.new_page(), context.new_page()
    for page in (a, b):
        record_requests(page, requests)
        page.goto(app_server.url)
        page.wait_for_selector("text=Time: 0", timeout=60_000)
    for k in range(1, 4):
        a.get_by_role("button", name="Step").click()
        a.wait_for_selector(f"text=Time: {k}", timeout=TIMEOUT)
    assert steps_shown(a) == 3
    assert steps_shown(b) == 0  # tab B has its own model
    a.get_by_role("button", name="Reset").click()  # Mesa's Reset re-creates the model
    a.wait_for_selector("text=Time: 0", timeout=TIMEOUT)
    a.get_by_role("button", name="Step").click()
    a.wait_for_selector("text=Time: 1", timeout=TIMEOUT)
    a.wait_for_timeout(1500)
    a.screenshot(path=str(shots / "live_1280x720.png"))
    a.get_by_role("tab", name="Page 1").click()  # the state panels
    a.wait_for_selector("text=trust", timeout=TIMEOUT)
    a.wait_for_timeout(2500)  # the grid lays the cards out
    a.screenshot(path=str(shots / "live_states_1280x720.png"))
    phone = chromium.new_context(viewport=PHONE).new_page()
    record_requests(phone, requests)
    phone.goto(app_server.url)
    phone.wait_for_selector("text=Time: 0", timeout=60_000)
    phone.wait_for_timeout(1500)
    phone.screenshot(path=str(shots / "live_390x844.png"))  # Mesa's drawer of controls
    assert requests and external(requests) == []
    context.close()
    phone.context.close()


def join(chromium, server: Server, name: str, state: str, viewport=PHONE):
    page = chromium.new_context(viewport=viewport).new_page()  # one browser per student
    page.goto(server.url)
    page.wait_for_selector("text=Join the game", timeout=60_000)
    page.get_by_label("Join code (on the projector)").fill(CODE.lower())
    page.get_by_label("Display name (no surname needed)").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name=re.compile(rf"\({state}\)")).click()
    page.wait_for_selector("text=Waiting for the teacher", timeout=TIMEOUT)
    return page


def test_two_students_and_a_teacher_play_three_turns(
    classroom_server: Server, chromium, shots: Path
) -> None:
    requests: list[str] = []
    teacher = chromium.new_context(viewport=DESKTOP).new_page()
    record_requests(teacher, requests)
    teacher.goto(classroom_server.url + f"?token={TOKEN}")
    teacher.wait_for_selector("text=Force turn", timeout=60_000)
    ana = join(chromium, classroom_server, "Ana", "GBR")
    ben = join(chromium, classroom_server, "Ben", "JPN", viewport=DESKTOP)
    record_requests(ana, requests)
    teacher.wait_for_selector("text=submitted 0/2", timeout=TIMEOUT)
    teacher.get_by_role("button", name="Start").click()
    for turn in range(1, 4):
        for page, stance in ((ana, "distance"), (ben, "engage")):
            page.wait_for_selector(f"text=Turn {turn} of 3", timeout=TIMEOUT)
            page.get_by_role("button", name=stance, exact=False).click()
            if turn == 1 and page is ana:
                page.get_by_text("Show my private briefing").click()
                page.wait_for_selector("text=Private briefing (your team only)", timeout=TIMEOUT)
                page.wait_for_timeout(500)
                page.screenshot(path=str(shots / "student_390x844.png"), full_page=True)
            page.get_by_role("button", name="Submit my moves").click()
            if page is ana:
                teacher.wait_for_selector("text=submitted 1/2", timeout=TIMEOUT)
                if turn == 2:
                    ben.wait_for_timeout(500)
                    ben.screenshot(path=str(shots / "student_1280x720.png"))
        if turn < 3:
            teacher.wait_for_selector(f"text=Turn {turn + 1} of 3", timeout=TIMEOUT)
        if turn == 2:
            teacher.wait_for_timeout(1000)
            teacher.screenshot(path=str(shots / "teacher_1280x720.png"))
    teacher.wait_for_selector("text=finished", timeout=TIMEOUT)
    ana.wait_for_selector("text=Game over", timeout=TIMEOUT)
    assert ana.get_by_text("Turn 3: you").count() == 1
    teacher.get_by_role("tab", name="Debrief").click()
    teacher.wait_for_selector("text=resolved: all submitted", timeout=TIMEOUT)
    teacher.get_by_role("button", name="◀ Previous").click()
    teacher.wait_for_selector("text=Turn 2 (", timeout=TIMEOUT)
    teacher.wait_for_selector("text=doctrine would", timeout=TIMEOUT)
    teacher.wait_for_timeout(1000)
    teacher.screenshot(path=str(shots / "debrief_1280x720.png"), full_page=True)
    wide = chromium.new_context(viewport=DESKTOP).new_page()
    wide.goto(classroom_server.url)
    wide.wait_for_selector("text=Join the game", timeout=60_000)
    wide.wait_for_timeout(1000)
    wide.screenshot(path=str(shots / "student_join_1280x720.png"))
    phone = chromium.new_context(viewport=PHONE).new_page()
    phone.goto(classroom_server.url + f"?token={TOKEN}")
    phone.wait_for_selector("text=Force turn", timeout=60_000)
    phone.wait_for_timeout(1000)
    phone.screenshot(path=str(shots / "teacher_390x844.png"), full_page=True)
    assert external(requests) == []
    for page in (teacher, ana, ben, wide, phone):
        page.context.close()


@pytest.mark.parametrize("path", ["", "?token=guess", "teacher", "console?token=x"])
def test_student_cannot_reach_the_teacher_console(
    classroom_server: Server, chromium, path: str
) -> None:
    page = chromium.new_context(viewport=PHONE).new_page()
    response = page.goto(classroom_server.url + path)
    if response is not None and response.status == 404:  # no such route at all
        page.wait_for_selector("text=Page not found", timeout=TIMEOUT)
    else:
        page.wait_for_selector("text=Join the game", timeout=60_000)
    page.wait_for_timeout(500)
    html = page.content()
    assert "Force turn" not in html and "Debrief" not in html and TOKEN not in html
    assert page.get_by_role("tab").count() == 0  # no tab leads to the console
    page.context.close()
