"""`portico demo` as a newcomer meets it: the window, the sidebar, the SpatialChat demo page answered."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.demo.run import demo_config
from desktop.shell.sidebar import badge_text
from tests.helpers.demo_process import run_demo_until
from tests.helpers.fixtures import frame_eval, frame_poll, read_event_log, wait_ready

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

ROOM = "demo-room"
SHOWN = "JSON.stringify(['spaceId', 'roomId', 'spaceSlug', 'name', 'pronoun', 'about']" \
        ".map(id => document.getElementById(id).textContent))"


def test_demo_window_sidebar_and_the_spatialchat_page_shows_the_answers(run_shell, tmp_path, qtbot):
    with demo_config(tmp_path / "demo") as demo:
        shell = run_shell(demo.config, start=False)
        shell.secrets.source = demo.get_secret
        shell.start(show=True)
        assert shell.window.isVisible()
        # One sidebar entry per provider: its title and an icon; the badge follows the unread count.
        sidebar = shell.window.sidebar
        assert sidebar.ids() == [p.id for p in demo.config.providers] and ROOM in sidebar.ids()
        for row, pc in enumerate(demo.config.providers):
            item = sidebar.item(row)
            assert item.text() == pc.title and not item.icon().isNull()
        view = shell.views[ROOM]
        wait_ready(qtbot, view, timeout=30_000)
        shell.window.select(ROOM)
        assert shell.window.current_id() == ROOM
        shell.providers[ROOM].set_unread(4)
        assert badge_text(sidebar.unread(ROOM)) == "4"
        shell.providers[ROOM].set_unread(0)
        # The demo page asks for both on its own and shows the config's answers.
        config = demo.config.provider(ROOM).options
        user = config["user"]
        expected = [config["space_id"], config["room_id"], config["space_slug"], user["name"], user["pronoun"],
                    user["about"]]
        frame_poll(qtbot, view, SHOWN, expected, timeout=15_000)
        answered: list[str] = []
        shell.hub.event_received.connect(lambda pid, _kind, event: pid == ROOM and answered.append(event.name))
        sent: list[str] = []
        shell.hub.message_sent.connect(lambda pid, _kind, message: pid == ROOM and sent.append(message.name))
        # "Ask again", clicked as a user does (the frame fills the host page). Offscreen, a click that
        # arrives while Chromium is still settling the freshly shown view can be lost (the Spoki
        # banner may also move it then): click again until one lands, at most five times.
        target = view.web_view.focusProxy()
        for _attempt in range(5):
            rect = frame_eval(qtbot, view, "JSON.stringify(document.getElementById('again').getBoundingClientRect())")
            QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(int(rect["x"] + rect["width"] / 2), int(rect["y"] + rect["height"] / 2)))
            try:
                qtbot.waitUntil(lambda: len(sent) >= 2, timeout=3_000)
                break
            except qtbot.TimeoutError:
                continue
        assert len(sent) >= 2, "a click on Ask again was answered"
        assert set(answered) == {"get_space_ids", "get_user_info"}
        assert set(sent) == {"space_ids", "user_info"}
        # The page shows the answers it got: the two of its start, and those of the click.
        frame_poll(qtbot, view, "document.getElementById('log').textContent.split('←').length - 1 >= 4", True)


def test_the_demo_boards_room_cards_open_rooms_in_the_demo_space(run_shell, tmp_path, qtbot):
    with demo_config(tmp_path / "demo") as demo:
        shell = run_shell(demo.config)
        view, space = shell.views[ROOM], shell.views["demo-space"]
        wait_ready(qtbot, view, timeout=30_000)
        shell.window.select(ROOM)
        frame_eval(qtbot, view, "document.querySelector('[data-room=Expo]').click(); 1")
        qtbot.waitUntil(lambda: shell.window.current_id() == "demo-space", timeout=10_000)
        frame_poll(qtbot, space, "document.title", "room:Expo")
        frame_poll(qtbot, view, "document.getElementById('room-status').textContent", "The host opened the room.")


def test_portico_demo_headless_answers_the_demo_page(tmp_path):
    """The console script as the README runs it: the demo page's own requests are answered and logged;
    SIGTERM then ends it cleanly (--quit-after is only the safety net)."""
    log = tmp_path / "events.jsonl"

    def answered() -> dict[str, dict]:
        return {line["name"]: line["data"] for line in read_event_log(log)
                if line["provider"] == ROOM and line["direction"] == "out"}

    returncode, stderr = run_demo_until(lambda: not {"space_ids", "user_info"} - set(answered()),
                                        "--event-log", str(log))
    assert returncode == 0, stderr[-2000:]
    requests = [line["name"] for line in read_event_log(log) if line["provider"] == ROOM and line["direction"] == "in"]
    assert requests[:2] == ["get_space_ids", "get_user_info"]
    answers = answered()
    assert answers["space_ids"]["data"] == {"spaceId": "Xq2AbcDeFgHiJkLmNoPq", "roomId": "Rm7ZyXwVuTsRqPoNmLkJ",
                                            "spaceSlug": "portico-demo"}
    assert set(answers["user_info"]["data"]) == {"id", "name", "about", "pronoun", "avatarUrl"}
    assert answers["space_ids"]["requestId"].startswith("req_") and answers["user_info"]["requestId"].startswith("req_")


def test_a_client_gone_mid_request_prints_no_traceback_and_the_server_goes_on(capfd):
    # A page closed or a Portico killed mid-request (the bench kills processes all the time) reset
    # the connection under http.server, which printed a full traceback for it.
    import socket
    import struct
    import urllib.request

    from desktop.demo.server import LoopbackServer, Response
    with LoopbackServer(lambda request: Response.html("fine")) as server:
        client = socket.create_connection((server.host, server.port))
        client.sendall(b"GET / HTT")  # the server waits in readline() for the rest
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # linger 0: a reset, not a clean end of stream
        deadline = time.monotonic() + 5
        while server._httpd._connections and time.monotonic() < deadline:  # its handler finished
            time.sleep(0.01)
        assert not server._httpd._connections
        with urllib.request.urlopen(f"{server.origin}/", timeout=5) as reply:
            assert reply.read() == b"fine"
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("name, placeholder", [("rocketchat", "__RC_BOOT__"), ("spoki", "__SPOKI_BOOT__")])
def test_a_simulator_page_carries_its_boot_data_safely_inside_its_script(name, placeholder):
    """Text from the simulator's state (a chat name, an account) cannot end the page's <script>."""
    import json
    import re

    from desktop.demo.server import boot_page

    hostile = {"chat": "</script><script>alert(1)</script><!--", "line": "a\u2028b\u2029c", "amp": "&lt;"}
    page = boot_page(name, placeholder, hostile)
    assert placeholder not in page and "alert(1)</script>" not in page and "\u2028" not in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    carrying = [s for s in scripts if "u003c/script" in s]
    assert len(carrying) == 1
    # The JSON literal as the page holds it parses back to exactly what was put in.
    literal = re.search(r"\{\"chat\".*?\}", carrying[0], re.S).group(0)
    assert json.loads(literal) == hostile
