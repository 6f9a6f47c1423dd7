"""SpatialChat host end to end: real QtWebEngine, real relay and bridge, real loopback sites."""

from __future__ import annotations

import pytest

from desktop.config import load_config
from desktop.contract import OutboundMessage
from desktop.providers.spatialchat import SpaceIdsRequested, UserInfoRequested
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

SPACE = {"spaceId": "Sp4ce0000000000000001", "roomId": "R00m00000000000000001", "spaceSlug": "the-space"}
USER = {"id": "u1", "name": "Ada", "about": "about me", "pronoun": "she/her",
        "avatarUrl": "https://example.org/a.png"}


@pytest.fixture
def room(run_shell, probe_server, tmp_path, qtbot):
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server)))
    shell = run_shell(config)
    view = shell.views["room"]
    wait_ready(qtbot, view)
    return shell, view


def replies(qtbot, view, count: int, nested: bool = False) -> list[dict]:
    qtbot.waitUntil(lambda: len(received(qtbot, view, nested)) >= count, timeout=10_000)
    return received(qtbot, view, nested)


def test_both_requests_answered_with_request_id_to_exact_origin(room, qtbot, probe_server):
    shell, view = room
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 'a1'})")
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'b2'})")
    got = replies(qtbot, view, 2)
    assert [m["data"] for m in got] == [
        {"name": "space_ids", "requestId": "a1", "data": SPACE},
        {"name": "user_info", "requestId": "b2", "data": USER},
    ]
    assert all(m["origin"] == "portico://app" and m["fromParent"] for m in got)


def test_requests_sent_as_json_strings_and_without_request_id(room, qtbot):
    shell, view = room
    frame_eval(qtbot, view, "sendToParent(JSON.stringify({name: 'get_user_info', requestId: 's1'}))")
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids'})")
    got = replies(qtbot, view, 2)
    assert got[0]["data"] == {"name": "user_info", "requestId": "s1", "data": USER}
    assert got[1]["data"] == {"name": "space_ids", "data": SPACE}  # no requestId invented


@pytest.mark.parametrize("bad_id, reason", [
    ("'x'.repeat(129)", "bad-request-id"),
    ("42", "bad-request-id"),
    ("['a']", "bad-request-id"),
    ("'has space'", "bad-request-id"),
    ("'</script><b>'", None),  # printable ASCII, short: echoed verbatim, it is data, not markup
])
def test_request_id_limits(room, qtbot, bad_id, reason):
    shell, view = room
    frame_eval(qtbot, view, f"sendToParent({{name: 'get_space_ids', requestId: {bad_id}}})")
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 'after'})")
    # The frame's messages are handled in order: once 'after' is answered, the first one was
    # answered before it or not at all.
    got = replies(qtbot, view, 1 if reason else 2)
    if reason is None:
        assert [m["data"]["requestId"] for m in got] == ["</script><b>", "after"]
    else:
        assert [m["data"]["requestId"] for m in got] == ["after"]
        assert view.bridge.dropped[reason] == 1


def test_unknown_and_response_names_are_dropped_and_counted(room, qtbot):
    shell, view = room
    for msg in ("{name: 'space_ids', data: {}}", "{name: 'GET_USER_INFO'}", "{name: 'get_user_info '}",
                "{name: '__proto__'}", "{requestId: 'x'}", "42", "null", "'not json'",
                "JSON.stringify(JSON.stringify({name: 'get_user_info'}))"):
        frame_eval(qtbot, view, f"sendToParent({msg})")
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'ok'})")
    replies(qtbot, view, 1)
    qtbot.waitUntil(lambda: sum(view.bridge.dropped.values()) >= 9)
    assert [m["data"]["requestId"] for m in received(qtbot, view)] == ["ok"]
    assert view.bridge.dropped["unsolicited-response"] == 1
    assert view.bridge.dropped["unknown-name"] == 3
    assert view.bridge.dropped["missing-name"] == 1
    assert view.bridge.dropped["not-an-object"] == 2
    assert view.bridge.dropped["invalid-json"] == 1
    assert view.bridge.dropped["nested-json-string"] == 1


def test_nested_frame_of_another_origin_gets_no_reply(run_shell, probe_server, other_server, tmp_path, qtbot):
    nested = probe_url(other_server)
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server, nested=nested)))
    view = run_shell(config).views["room"]
    wait_ready(qtbot, view)
    frame_poll(qtbot, view, "typeof window.sendToTop", "function", nested=True)
    frame_eval(qtbot, view, "sendToTop({name: 'get_user_info', requestId: 'from-nested'})", nested=True)
    frame_eval(qtbot, view, "window.parent.postMessage({name: 'get_user_info', requestId: 'via-parent'}, '*')",
               nested=True)
    qtbot.waitUntil(lambda: view.bridge.dropped["wrong-source"] >= 1, timeout=5000)
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'own'})")
    replies(qtbot, view, 1)  # handled in order: the nested frame's message came before it
    # The provider page itself heard the nested frame (its own business); Portico answered only it.
    from_host = [m for m in received(qtbot, view) if m["origin"] == "portico://app"]
    assert [m["data"]["requestId"] for m in from_host] == ["own"]
    assert received(qtbot, view, nested=True) == []


def test_frame_cannot_navigate_to_another_origin(room, qtbot, other_server):
    shell, view = room
    # The host page's CSP (frame-src = the provider origin) stops the provider frame from
    # becoming another site: the view shows its error state, and Retry brings the provider back.
    with qtbot.waitSignal(view.frame_failed, timeout=10_000):
        frame_eval(qtbot, view, f"location.href = {probe_url(other_server)!r}")
    assert view.showing_error()
    assert view.panel.retry_button.isVisible()
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        view.panel.retry_button.click()
    assert not view.showing_error()
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 'back'})")
    assert replies(qtbot, view, 1)[0]["data"]["requestId"] == "back"


def test_python_side_rechecks_origin(room, qtbot):
    shell, view = room
    # Defence in depth: even if a relay bug let it through, the bridge refuses a wrong origin.
    for origin in ("http://127.0.0.1", "null", "", "HTTP://127.0.0.1:1", view.provider.origin + "/"):
        view.bridge.from_frame(origin, '{"name": "get_user_info", "requestId": "x"}')
    assert view.bridge.dropped["wrong-origin"] == 5
    assert view.bridge.accepted == 0


def test_bridge_is_invisible_to_page_scripts(room, qtbot):
    shell, view = room
    assert frame_eval(qtbot, view, "typeof qt") == "undefined"
    with qtbot.waitCallback() as cb:
        view.page.runJavaScript("typeof qt", 0, cb)  # the host page's main world
    assert cb.args[0] == "undefined"


def test_event_log_lines(room, qtbot, tmp_path):
    shell, view = room
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'log1'})")
    frame_eval(qtbot, view, "sendToParent({name: 'nope'})")
    replies(qtbot, view, 1)
    qtbot.waitUntil(lambda: len(read_event_log(shell.event_log.path)) >= 3)
    lines = read_event_log(shell.event_log.path)
    for line in lines:
        assert set(line) == {"time", "provider", "kind", "direction", "name", "data"}
        assert line["provider"] == "room" and line["kind"] == "spatialchat"
        assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert lines[0] == {**lines[0], "direction": "in", "name": "get_user_info", "data": {"request_id": "log1"}}
    assert lines[1]["direction"] == "out" and lines[1]["name"] == "user_info"
    assert lines[1]["data"] == {"name": "user_info", "requestId": "log1", "data": USER}
    assert lines[2] == {**lines[2], "direction": "in", "name": "dropped", "data": {"reason": "unknown-name", "count": 1}}


def test_profile_edit_changes_later_answers_and_is_saved(room, qtbot, tmp_path):
    shell, view = room
    dialog = shell.edit_table("room", "user")
    dialog.edits["name"].setText("Grace Hopper")
    dialog.edits["pronoun"].setText("she/her")
    dialog.edits["avatar_url"].setText("javascript:alert(1)")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    dialog.edits["avatar_url"].setText("https://example.org/grace.png")
    dialog.accept()
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'after-edit'})")
    got = replies(qtbot, view, 1)
    assert got[0]["data"]["data"]["name"] == "Grace Hopper"
    assert got[0]["data"]["data"]["avatarUrl"] == "https://example.org/grace.png"
    saved = load_config(tmp_path / "config.toml").provider("room").options["user"]
    assert saved == {"id": "u1", "name": "Grace Hopper", "about": "about me", "pronoun": "she/her",
                     "avatar_url": "https://example.org/grace.png"}


def test_typed_signals_on_the_provider_and_app_wide_on_the_hub(room, qtbot):
    shell, view = room
    provider = shell.providers["room"]
    own: list[tuple[str, str]] = []
    provider.space_ids_requested.connect(lambda rid: own.append(("space_ids_requested", rid)))
    provider.user_info_requested.connect(lambda rid: own.append(("user_info_requested", rid)))
    typed: list[object] = []
    provider.event_received.connect(typed.append)
    hub: list[tuple[str, str, object]] = []
    shell.hub.event_received.connect(lambda pid, kind, event: hub.append((pid, kind, event)))
    sent: list[tuple[str, str, str]] = []
    shell.hub.message_sent.connect(lambda pid, kind, message: sent.append((pid, kind, message.name)))
    dropped: list[tuple[str, str, str, int]] = []
    shell.hub.message_dropped.connect(lambda pid, kind, reason, n: dropped.append((pid, kind, reason, n)))
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 's'})")
    frame_eval(qtbot, view, "sendToParent(JSON.stringify({name: 'get_user_info'}))")
    frame_eval(qtbot, view, "sendToParent({name: 'nope'})")
    replies(qtbot, view, 2)
    qtbot.waitUntil(lambda: len(dropped) >= 1)
    assert own == [("space_ids_requested", "s"), ("user_info_requested", "")]
    assert typed == [SpaceIdsRequested(request_id="s"), UserInfoRequested(request_id=None)]
    assert hub == [("room", "spatialchat", e) for e in typed]
    assert sent == [("room", "spatialchat", "space_ids"), ("room", "spatialchat", "user_info")]
    assert dropped == [("room", "spatialchat", "unknown-name", 1)]


def test_outbound_waits_for_the_frame_and_is_delivered_once(run_shell, probe_server, tmp_path, qtbot):
    """A message for the frame sent before it loaded is held by the bridge (nothing reaches the
    relay) and posted once the provider's document is there, exactly once."""
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))), start=False)
    view, provider = shell.views["room"], shell.providers["room"]
    loaded: list[bool] = []  # the relay saw the frame's load event
    view.bridge.frame_load_finished.connect(lambda: loaded.append(True))
    handed: list[bool] = []  # for each message handed to the relay: had the frame loaded?
    view.bridge.to_frame.connect(lambda _text: handed.append(bool(loaded)))
    shell.start(show=True)
    provider.send(OutboundMessage("user_info", {"name": "user_info", "requestId": "early", "data": USER}))
    assert handed == []
    wait_ready(qtbot, view)
    got = replies(qtbot, view, 1)
    # A second message, sent now, is handed over in order: nothing was handed twice before it.
    provider.send(OutboundMessage("user_info", {"name": "user_info", "requestId": "later", "data": USER}))
    replies(qtbot, view, 2)
    assert handed == [True, True]
    assert [m["data"]["requestId"] for m in received(qtbot, view)] == ["early", "later"]
    assert got[0]["origin"] == "portico://app" and got[0]["fromParent"]


def test_a_frame_that_talks_gets_its_answer_before_its_load_event(run_shell, probe_server, tmp_path, qtbot):
    """A chat client's load event can come seconds after its scripts start talking (images,
    bundles). Its first valid message proves the frame holds the provider's document, so the
    answer goes out at once instead of after the load event and the view's frame check."""
    url = probe_url(probe_server, hello="1", hold="4000")  # an image holds `load` back 4 s
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url)), start=False)
    view = shell.views["room"]
    loaded: list[bool] = []
    view.bridge.frame_load_finished.connect(lambda: loaded.append(True))
    shell.start(show=True)
    qtbot.waitUntil(lambda: view.provider_frame() is not None
                    and frame_eval(qtbot, view, "(window.received || []).length") == 1, timeout=3_500)
    assert frame_eval(qtbot, view, "document.readyState") != "complete" and loaded == []
    got = received(qtbot, view)
    assert [m["data"]["name"] for m in got] == ["space_ids"] and got[0]["data"]["requestId"] == "hello"
    # The load event and the view's check still come (the view shows the page, frame_ready), and
    # nothing is sent twice.
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        pass
    view.bridge.send(OutboundMessage("note", {"name": "note"}))  # sent in order after anything else
    qtbot.waitUntil(lambda: len(received(qtbot, view)) >= 2)
    assert loaded == [True] and [m["data"]["name"] for m in received(qtbot, view)] == ["space_ids", "note"]


def test_a_message_the_old_document_posts_while_the_frame_navigates_does_not_take_the_new_ones_mail(
        run_shell, probe_server, tmp_path, qtbot):
    """Navigating an iframe leaves its old document running, posting from the same window, until
    the new one commits. A message it posts then must not pass for the new document talking: what
    Python sends meanwhile is for the new document and must reach it, and what the old document
    posted before the switch gets no answer there."""
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    frame_eval(qtbot, view, "setInterval(() => { for (let i = 0; i < 20; i++) window.sendToParent({name: 'get_space_ids', requestId: 'old'}); }, 2);"
                            " 'ok'")
    seen: list[str] = []
    shell.providers["room"].space_ids_requested.connect(seen.append)
    qtbot.waitUntil(lambda: "old" in seen)
    shell.providers["room"].load_frame(probe_url(probe_server, delay="800", marker="new"))
    view.bridge.send(OutboundMessage("note", {"name": "note", "for": "the new document"}))
    qtbot.wait(500)  # the new document is still on its way; the old one would have posted ~50 times
    count = len(seen)
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        pass
    assert frame_eval(qtbot, view, "location.search") == "?delay=800&marker=new"
    # Only the note: no answer to a request of the old document's that was still on its way.
    assert [m["data"] for m in received(qtbot, view)] == [{"name": "note", "for": "the new document"}]
    assert count == len(seen), "the old document ended with the navigation"
    # Counted: what reached Python after the switch, and what the removed frame had posted still.
    assert set(view.bridge.dropped) <= {"old-document", "wrong-source"}, view.bridge.dropped


def test_a_panel_from_before_gives_way_as_soon_as_a_new_document_talks(run_shell, probe_server, tmp_path, qtbot):
    """An automatic retry that gets past a failed sign-in navigates the frame while the panel still
    says what failed; the new document talking (before its load event) shows the page again."""
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    view.show_status("Room is unavailable", "The server had a problem (HTTP 500).")
    shell.providers["room"].load_frame(probe_url(probe_server, hello="1", hold="4000"))
    qtbot.waitUntil(lambda: view.bridge._frame_ready, timeout=3_500)
    assert frame_eval(qtbot, view, "document.readyState") != "complete"
    assert not view.showing_error()
