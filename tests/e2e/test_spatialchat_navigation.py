"""SpatialChat's navigation requests (navigate_room, navigate_parent), answered with navigation_result."""

from __future__ import annotations

import json

import pytest

from desktop.providers import spatialchat
from desktop.providers.spatialchat import openable_url, room_url
from tests.helpers.fixtures import (
    frame_eval,
    frame_poll,
    read_event_log,
    received,
    spatialchat_toml,
    wait_ready,
    write_config,
)
from tests.helpers.sites import probe_url

SPACE_URL = "https://app.spatial.chat/s/portico-demo"


def room_toml(url: str, pid: str = "room", space_url: str = "") -> str:
    toml = spatialchat_toml(url, pid)
    return toml.replace("[provider.user]", f'space_url = "{space_url}"\n[provider.user]') if space_url else toml


@pytest.fixture
def shell_for(run_shell, tmp_path, qtbot):
    def make(toml: str, pid: str = "room"):
        shell = run_shell(write_config(tmp_path, toml))
        opened: list[str] = []
        shell.open_external = lambda url: bool(opened.append(url.toString())) or True
        view = shell.views[pid]
        wait_ready(qtbot, view)
        return shell, view, opened
    return make


def results(qtbot, view, count: int) -> list[dict]:
    """The navigation_result answers the page has received (each from portico://app)."""
    def answers() -> list[dict]:
        return [m for m in received(qtbot, view) if m["data"].get("name") == "navigation_result"]
    qtbot.waitUntil(lambda: len(answers()) >= count, timeout=10_000)
    got = answers()
    assert all(m["origin"] == "portico://app" and m["fromParent"] for m in got)
    return [m["data"] for m in got]


@pytest.mark.parametrize("as_string", [False, True], ids=["object", "json-string"])
def test_navigate_parent_opens_an_https_url_where_a_link_would_go(shell_for, probe_server, qtbot, as_string):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server)))
    msg = {"name": "navigate_parent", "payload": {"url": f"{SPACE_URL}?room=R1"}, "requestId": "parent_1"}
    frame_eval(qtbot, view, f"sendToParent({json.dumps(json.dumps(msg)) if as_string else json.dumps(msg)})")
    assert results(qtbot, view, 1) == [{"name": "navigation_result", "requestId": "parent_1",
                                        "data": {"success": True}}]
    assert opened == [f"{SPACE_URL}?room=R1"]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "file:///etc/passwd", "mailto:ada@example.org", "ftp://example.org/x", "/relative",
    "data:text/html,hi", "https://user:pw@example.org/", "https://example.org/" + "x" * 2100,
    "https://exa mple.org/", "https://example.org/\u0000", "portico://app/provider/room", "",
])
def test_navigate_parent_refuses_what_is_not_an_absolute_http_url(shell_for, probe_server, qtbot, url):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server)))
    msg = {"name": "navigate_parent", "payload": {"url": url}, "requestId": "p"}
    frame_eval(qtbot, view, f"sendToParent({json.dumps(msg)})")
    assert results(qtbot, view, 1)[0]["data"] == {"success": False}
    assert opened == []


def test_navigate_room_without_space_url_says_no_at_once(shell_for, probe_server, qtbot):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server)))
    frame_eval(qtbot, view, "sendToParent(JSON.stringify({name: 'navigate_room', payload: {roomId: 'R1'}, "
                            "requestId: 'room_1'}))")
    assert results(qtbot, view, 1) == [{"name": "navigation_result", "requestId": "room_1",
                                        "data": {"success": False}}]
    assert opened == []


def test_navigate_room_opens_the_room_of_the_configured_space(shell_for, probe_server, qtbot):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server), space_url=SPACE_URL))
    frame_eval(qtbot, view, "sendToParent({name: 'navigate_room', payload: {roomId: 'Hall_2-b'}, requestId: 'r2'})")
    frame_eval(qtbot, view, "sendToParent({name: 'navigate_room', payload: {roomId: 'no/such room'}, "
                            "requestId: 'r3'})")
    got = results(qtbot, view, 2)
    assert [(m["requestId"], m["data"]["success"]) for m in got] == [("r2", True), ("r3", False)]
    assert opened == [f"{SPACE_URL}?room=Hall_2-b"]
    lines = read_event_log(shell.event_log.path)
    assert [(x["direction"], x["name"]) for x in lines if "navigat" in x["name"]] == [
        ("in", "navigate_room"), ("out", "navigation_result"), ("in", "navigate_room"), ("out", "navigation_result")]


def test_a_url_of_another_configured_provider_opens_in_it(shell_for, probe_server, other_server, qtbot):
    """The space itself configured as a provider: a room link opens there, not in a browser."""
    space = probe_url(other_server)
    shell, view, opened = shell_for(room_toml(probe_url(probe_server), space_url=space)
                                    + spatialchat_toml(space, "space"))
    wait_ready(qtbot, shell.views["space"])
    frame_eval(qtbot, view, "sendToParent({name: 'navigate_room', payload: {roomId: 'R7'}, requestId: 'in'})")
    assert results(qtbot, view, 1)[0]["data"] == {"success": True}
    assert opened == [] and shell.window.current_id() == "space"
    frame_poll(qtbot, shell.views["space"], "new URLSearchParams(location.search).get('room')", "R7")


def test_navigation_requests_are_rate_limited(shell_for, probe_server, qtbot):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server)))
    for n in range(5):
        msg = {"name": "navigate_parent", "payload": {"url": f"https://example.org/{n}"}, "requestId": f"n{n}"}
        frame_eval(qtbot, view, f"sendToParent({json.dumps(msg)})")
    got = results(qtbot, view, 5)
    assert [m["data"]["success"] for m in got] == [True] * spatialchat.NAVIGATIONS_PER_WINDOW + [False] * 2
    assert len(opened) == spatialchat.NAVIGATIONS_PER_WINDOW


def test_malformed_navigation_requests_are_dropped_and_counted(shell_for, probe_server, qtbot):
    shell, view, opened = shell_for(room_toml(probe_url(probe_server), space_url=SPACE_URL))
    for msg in ("{name: 'navigate_room', requestId: 'a'}", "{name: 'navigate_room', payload: {roomId: 7}}",
                "{name: 'navigate_parent', payload: 'https://example.org/'}",
                "{name: 'navigate_parent', payload: {url: ['https://example.org/']}}",
                "{name: 'navigation_result', data: {success: true}}",
                "{name: 'navigate_room', payload: {roomId: 'R1'}, requestId: 'bad id'}"):
        frame_eval(qtbot, view, f"sendToParent({msg})")
    qtbot.waitUntil(lambda: sum(view.bridge.dropped.values()) >= 6, timeout=5000)
    assert view.bridge.dropped["bad-payload"] == 4
    assert view.bridge.dropped["unsolicited-response"] == 1 and view.bridge.dropped["bad-request-id"] == 1
    assert opened == [] and results(qtbot, view, 0) == []


def test_a_nested_frame_of_another_origin_cannot_navigate(run_shell, probe_server, other_server, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, room_toml(probe_url(probe_server, nested=probe_url(other_server)))))
    opened: list[str] = []
    shell.open_external = lambda url: bool(opened.append(url.toString())) or True
    view = shell.views["room"]
    wait_ready(qtbot, view)
    frame_poll(qtbot, view, "typeof window.sendToTop", "function", nested=True)
    frame_eval(qtbot, view, "window.parent.postMessage({name: 'navigate_parent', payload: {url: "
                            "'https://evil.example/'}, requestId: 'x'}, '*')", nested=True)
    frame_eval(qtbot, view, "sendToTop({name: 'navigate_parent', payload: {url: 'https://evil.example/'}})",
               nested=True)
    # Dropped, not handled: a navigation or an answer would have come from handling it.
    qtbot.waitUntil(lambda: view.bridge.dropped["wrong-source"] >= 1, timeout=5000)
    assert opened == [] and received(qtbot, view, nested=True) == []


@pytest.mark.parametrize("space, room, url", [
    ("https://app.spatial.chat/s/x", "R1", "https://app.spatial.chat/s/x?room=R1"),
    ("https://app.spatial.chat/s/x?room=old&lang=it", "R2", "https://app.spatial.chat/s/x?lang=it&room=R2"),
])
def test_room_url(space, room, url):
    assert room_url(space, room) == url


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1#c", True), ("http://127.0.0.1:8080/", True), ("HTTPS://EXAMPLE.ORG", True),
    ("https://example.org/\n", False), ("https:example.org", False), ("//example.org/", False),
])
def test_openable_url(url, ok):
    assert openable_url(url) is ok
