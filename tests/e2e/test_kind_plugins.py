"""Provider kinds from outside the core: a kind installed from a package (examples/portico-jitsi,
through a real dist-info and its ``portico.kinds`` entry point), the declarative ``postmessage``
kind, and a broken kind package."""

from __future__ import annotations

import pathlib
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from desktop import credentials, kinds
from desktop.config import load_config
from desktop.instance.single_instance import Request
from desktop.secret import Secret
from tests.helpers.fixtures import frame_eval, read_event_log, wait_ready, write_config
from tests.helpers.leak_scan import watch
from tests.helpers.packages import EXAMPLES, installed, write_dist_info

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

ROOM_PASSWORD = "kind-plugin-room-pw-4711"
watch([ROOM_PASSWORD])


@pytest.fixture(scope="module")
def jitsi_installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """portico-jitsi installed as pip lays it out; Portico's kinds scanned again around it."""
    with installed(EXAMPLES / "portico-jitsi", tmp_path_factory.mktemp("site")):
        kinds.load_installed(rescan=True)
        import portico_jitsi.simulator  # noqa: PLC0415 - importable only once installed
        yield portico_jitsi.simulator
    kinds.load_installed(rescan=True)


@pytest.fixture
def meet_server(jitsi_installed: Any) -> Iterator[Any]:
    from desktop.demo.server import LoopbackServer, Response  # noqa: PLC0415
    server = LoopbackServer(lambda request: Response.html(jitsi_installed.page(ROOM_PASSWORD))).start()
    yield server
    server.stop()


def jitsi_toml(origin: str, pid: str = "meet") -> str:
    return textwrap.dedent(f'''
        [[provider]]
        id = "{pid}"
        kind = "jitsi"
        title = "Standup"
        server = "{origin}"
        room = "PorticoStandup"
        display_name = "Ada"
    ''')


def state(qtbot: Any, view: Any) -> dict[str, Any]:
    return frame_eval(qtbot, view, "JSON.stringify(window.jitsiState || null)")


def remote(shell: Any, command: str, *args: str) -> tuple[bool, str, Any]:
    return shell._answer_remote(Request("send", "meet", command, tuple(args)))


def test_an_installed_kind_is_registered_from_its_entry_point(jitsi_installed):
    found = kinds.INSTALLED["jitsi"]
    assert found.active and found.origin == "portico-jitsi 1.0.0"
    assert kinds.KINDS["jitsi"].title == "Jitsi Meet" and "jitsi" not in kinds.BUILTIN_KINDS
    assert kinds.secret_fields("jitsi") == ("room_password",)


def test_an_installed_kind_signs_in_from_the_keyring_and_takes_commands(jitsi_installed, gnome_keyring, meet_server,
                                                                        run_shell, tmp_path, qtbot):
    credentials.set_secret("meet", "room_password", Secret(ROOM_PASSWORD), kind="jitsi")
    try:
        shell = run_shell(write_config(tmp_path, jitsi_toml(meet_server.origin)))
        provider, view = shell.providers["meet"], shell.views["meet"]
        provider.is_app_active = lambda: False
        events: list[Any] = []
        shell.hub.event_received.connect(lambda pid, kind, event: events.append(event))
        wait_ready(qtbot, view)
        # The room was locked: the password came from the real keyring, once, and it joined.
        qtbot.waitUntil(lambda: (state(qtbot, view) or {}).get("joined") is True, timeout=15_000)
        assert state(qtbot, view)["passwordTries"] == 1 and state(qtbot, view)["name"] == "Ada"
        qtbot.waitUntil(lambda: provider.joined)
        names = [e.name for e in events]
        assert names[:2] == ["passwordRequired", "videoConferenceJoined"] and "ready" not in names
        # Typed events through the real bridge.
        frame_eval(qtbot, view, "window.simulate.participantJoins('Grace')")
        qtbot.waitUntil(lambda: len(provider.participants) == 1)
        frame_eval(qtbot, view, "window.simulate.message('Grace', 'Can you hear me?')")
        qtbot.waitUntil(lambda: shell.hub.unread("meet") == 1)
        message = next(e for e in events if e.name == "incomingMessage")
        assert (message.nick, message.message, message.private) == ("Grace", "Can you hear me?", False)
        assert [(n.notification.title, n.notification.body) for n in shell.presenter.history] == [
            ("Grace in Standup", "Can you hear me?")]

        # Commands: listed with Portico's own, run through the same remote-control path.
        ok, _, listed = shell._answer_remote(Request("commands", "meet"))
        assert ok and [c["name"] for c in listed] == ["reload", "toggle_audio", "toggle_video", "hangup",
                                                      "send_chat_message", "display_name"]
        assert remote(shell, "toggle_audio")[0]
        qtbot.waitUntil(lambda: provider.muted["audio"] is True)
        assert state(qtbot, view)["audioMuted"] is True
        assert remote(shell, "send_chat_message", "on my way")[0]
        qtbot.waitUntil(lambda: "send-chat-message" in state(qtbot, view)["received"])
        assert remote(shell, "send_chat_message", "  ") == (False, "send_chat_message: the message is empty", None)
        assert remote(shell, "send_chat_message")[1] == "usage: send_chat_message MESSAGE"
        ok, error, _ = remote(shell, "go", "/x")
        assert not ok and "has no command 'go'" in error and "toggle_audio" in error
        assert "unknown command 'shutdown'" in remote(shell, "shutdown")[1]
        assert remote(shell, "hangup")[0]
        qtbot.waitUntil(lambda: not provider.joined)
        assert any(e.name == "readyToClose" for e in events)

        # The event log has the kind's events and commands; the password only as ***.
        log = read_event_log(shell.event_log.path)
        assert {"videoConferenceJoined", "incomingMessage", "toggle-audio"} <= {line["name"] for line in log}
        sent = next(line for line in log if line["name"] == "password")
        assert sent["direction"] == "out" and sent["data"]["params"]["data"] == "***"
        assert all(line["kind"] == "jitsi" for line in log if line["provider"] == "meet")
    finally:
        credentials.delete_secret("meet", "room_password")


def test_an_installed_kind_without_its_secret_asks_for_it(jitsi_installed, meet_server, run_shell, tmp_path, qtbot):
    from desktop.contract import ProviderState  # noqa: PLC0415
    shell = run_shell(write_config(tmp_path, jitsi_toml(meet_server.origin)), start=False)
    shell.secrets.source = lambda pid, field: None  # nothing stored (this test has no keyring)
    shell.start(show=True)
    provider, view = shell.providers["meet"], shell.views["meet"]
    qtbot.waitUntil(lambda: provider.state is ProviderState.NEEDS_INPUT, timeout=15_000)
    assert view.panel.isVisible() and "locked with a password" in view.panel.message.text()
    shell.sign_in("meet", {"room_password": Secret(ROOM_PASSWORD)}, remember=False)
    qtbot.waitUntil(lambda: provider.joined, timeout=15_000)


def test_a_password_asked_before_the_page_loaded_keeps_its_form(jitsi_installed, run_shell, tmp_path, qtbot):
    """The room asks at once, and a slow image holds the page's load: the form shown when the load
    finishes must not be covered by the page (the view shows the page before the provider's load
    reaction, which fails here)."""
    import time  # noqa: PLC0415

    from desktop.contract import ProviderState  # noqa: PLC0415
    from desktop.demo.server import LoopbackServer, Response  # noqa: PLC0415

    def route(request: Any) -> Any:
        if request.path == "/slow.png":
            time.sleep(1.5)
            return Response(404, b"", "image/png")
        return Response.html(jitsi_installed.page(ROOM_PASSWORD) + '<img src="/slow.png">')
    server = LoopbackServer(route).start()
    try:
        shell = run_shell(write_config(tmp_path, jitsi_toml(server.origin)), start=False)
        shell.secrets.source = lambda pid, field: None
        shell.start(show=True)
        provider, view = shell.providers["meet"], shell.views["meet"]
        qtbot.waitUntil(lambda: provider.state is ProviderState.NEEDS_INPUT, timeout=15_000)
        qtbot.wait(300)
        assert view.panel.isVisible() and view.signin_form is not None
    finally:
        server.stop()


def test_an_installed_kind_is_added_and_edited_in_settings(jitsi_installed, meet_server, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, jitsi_toml(meet_server.origin)))
    wait_ready(qtbot, shell.views["meet"])
    dialog = shell.desktop.show_settings()
    assert "jitsi" in [dialog.add_kind.itemData(i) for i in range(dialog.add_kind.count())]
    editor = dialog.edit_provider("meet", "jitsi")
    assert {"server", "room", "display_name", "start_audio_muted"} <= set(editor.inputs)
    assert "remember_session" not in editor.inputs  # it signs in from the keyring
    editor.inputs["room"].setText("no spaces allowed")
    editor.save()
    assert "provider[0].room" in editor.error.text() and "room name" in editor.error.text()
    editor.inputs["room"].setText("Retro")
    editor.inputs["start_audio_muted"].setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        editor.save()
    edited = load_config(shell.config.path).provider("meet")
    assert edited.option("room") == "Retro" and edited.option("start_audio_muted") is True
    assert edited.url.startswith(f"{meet_server.origin}/Retro#jitsi_meet_external_api_id=0&")
    assert "config.startWithAudioMuted=true" in edited.url

    # The declarative kind's lists are edited as comma-separated text.
    adder = dialog.edit_provider(None, "postmessage")
    adder.inputs["id"].setText("board")
    adder.inputs["url"].setText("https://board.example.org/")
    adder.inputs["events"].setText("presence, chat ,")
    adder.inputs["commands"].setText("open-room")
    with qtbot.waitSignal(dialog.saved):
        adder.save()
    board = load_config(shell.config.path).provider("board")
    assert board.option("events") == ("presence", "chat") and board.option("commands") == ("open-room",)
    again = dialog.edit_provider("board", "postmessage")
    assert again.inputs["events"].text() == "presence, chat"


# --- a broken kind package ---------------------------------------------------------------------


@pytest.fixture
def broken_kinds(tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    """Three installed kind packages that cannot be used: one raises on import, one names a provider
    class that does not exist, one gives something that is not a KindSpec."""
    import sys  # noqa: PLC0415
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken_kind_a.py").write_text("raise RuntimeError('this package is broken')\n")
    (site / "broken_kind_b.py").write_text(textwrap.dedent('''
        from desktop.plugins import KindSpec, Option
        KIND = KindSpec(kind="board-b", title="B", options=(Option("url", "url"),), secrets=(),
                        permissions=frozenset(), provider_class="broken_kind_b:Missing",
                        frame_url=lambda o: o["url"])
    '''))
    (site / "broken_kind_c.py").write_text("KIND = {'kind': 'board-c'}\n")
    write_dist_info(site, {"name": "broken-kinds", "version": "0.1", "entry-points": {"portico.kinds": {
        "board-a": "broken_kind_a:KIND", "board-b": "broken_kind_b:KIND", "board-c": "broken_kind_c:KIND",
        "spoki": "broken_kind_c:KIND"}}}, ["broken_kind_a", "broken_kind_b", "broken_kind_c"])
    sys.path.insert(0, str(site))
    try:
        kinds.load_installed(rescan=True)
        yield site
    finally:
        sys.path.remove(str(site))
        for name in ("broken_kind_a", "broken_kind_b", "broken_kind_c"):
            sys.modules.pop(name, None)
        kinds.load_installed(rescan=True)


def test_a_broken_kind_package_is_reported_and_skipped(broken_kinds, probe_server, run_shell, tmp_path, qtbot):
    found = kinds.INSTALLED
    assert "this package is broken" in found["board-a"].error
    assert "Missing" in found["board-b"].error
    assert "not a KindSpec" in found["board-c"].error
    assert "taken by the built-in" in found["spoki"].error and kinds.KINDS["spoki"] is kinds.BUILTIN_KINDS["spoki"]
    assert not {"board-a", "board-b", "board-c"} & set(kinds.KINDS)
    from tests.helpers.fixtures import spatialchat_toml  # noqa: PLC0415
    from tests.helpers.sites import probe_url  # noqa: PLC0415
    toml = '[[provider]]\nid = "b"\nkind = "board-a"\nurl = "https://b.example/"\n' + spatialchat_toml(
        probe_url(probe_server))
    config = write_config(tmp_path, toml)
    assert [p.id for p in config.providers] == ["room"]
    (skipped,) = config.skipped
    assert skipped.line == 3 and skipped.key == "provider[0].kind"
    assert "broken-kinds 0.1" in skipped.message and "this provider is skipped" in skipped.message
    # Portico starts anyway, with the other provider working.
    shell = run_shell(config)
    wait_ready(qtbot, shell.views["room"])
    assert list(shell.providers) == ["room"]


# --- the declarative postmessage kind ----------------------------------------------------------


def postmessage_toml(url: str) -> str:
    return textwrap.dedent(f'''
        [[provider]]
        id = "app"
        kind = "postmessage"
        title = "Team app"
        url = "{url}"
        unread_events = ["unread"]
        unread_count = "data.count"
        notify_events = ["message"]
        notify_title = "data.from"
        notify_body = "data.text"
        events = ["chat"]
        commands = ["open-room"]
    ''')


def test_the_postmessage_kind_maps_a_pages_messages_to_badges_notifications_and_commands(
        probe_server, run_shell, tmp_path, qtbot):
    from desktop.contract import UNREAD_DOT  # noqa: PLC0415
    from tests.helpers.fixtures import received  # noqa: PLC0415
    from tests.helpers.sites import probe_url  # noqa: PLC0415
    shell = run_shell(write_config(tmp_path, postmessage_toml(probe_url(probe_server))))
    view = shell.views["app"]
    events: list[Any] = []
    shell.hub.event_received.connect(lambda pid, kind, event: events.append(event))
    wait_ready(qtbot, view)

    def page_posts(message: str) -> None:
        frame_eval(qtbot, view, f"window.sendToParent({message}); 1")

    page_posts("{type: 'unread', data: {count: 4}}")
    qtbot.waitUntil(lambda: shell.hub.unread("app") == 4)
    page_posts("{type: 'unread', data: {count: true}}")
    qtbot.waitUntil(lambda: shell.hub.unread("app") == UNREAD_DOT)
    page_posts("{type: 'message', data: {from: 'Grace', text: '  Lunch\\n at one?  '}}")
    qtbot.waitUntil(lambda: len(shell.presenter.history) == 1)
    note = shell.presenter.history[0].notification
    assert (note.title, note.body) == ("Grace", "Lunch at one?")
    page_posts("{type: 'chat', text: 'published only'}")
    # Refused, each with its reason: a name nobody listed, a count that is not one, no name.
    page_posts("{type: 'nope'}")
    page_posts("{type: 'unread', data: {count: 'many'}}")
    page_posts("{type: 'unread', data: {}}")
    page_posts("{kind: 'unread'}")
    qtbot.waitUntil(lambda: sum(view.bridge.dropped.values()) == 4)
    assert dict(view.bridge.dropped) == {"unknown-message": 1, "bad-unread-count": 1, "no-unread-count": 1,
                                         "no-name": 1}
    assert shell.hub.unread("app") == UNREAD_DOT  # the bad counts changed nothing
    assert [(e.message_name, e.message.get("text")) for e in events][-1] == ("chat", "published only")

    # Commands: only the listed names, posted to the page's exact origin.
    ok, _, listed = shell._answer_remote(Request("commands", "app"))
    assert ok and [c["usage"] for c in listed] == ["reload", "open-room [DATA]"]
    assert shell._answer_remote(Request("send", "app", "open-room", ('{"id": "r1"}',)))[0]
    assert shell._answer_remote(Request("send", "app", "open-room", ()))[0]
    assert not shell._answer_remote(Request("send", "app", "delete-everything", ()))[0]
    qtbot.waitUntil(lambda: len([m for m in received(qtbot, view) if m["fromParent"]]) == 2)
    got = [(m["origin"], m["data"]) for m in received(qtbot, view) if m["fromParent"]]
    assert got == [("portico://app", {"type": "open-room", "data": {"id": "r1"}}),
                   ("portico://app", {"type": "open-room"})]
    log = read_event_log(shell.event_log.path)
    assert [line["name"] for line in log if line["direction"] == "out"] == ["open-room", "open-room"]


# --- hostile input reaches kinds from outside the core as it reaches the built-ins -------------


def _generic_rows() -> list[Any]:
    """The hostile rows the relay and the envelope refuse before any kind's parser runs."""
    from tests.e2e.test_hostile import ORIGIN_CASES, PROTO_CASES, SIZE_CASES, TRANSFER_CASES  # noqa: PLC0415
    return [c for c in (*ORIGIN_CASES, *TRANSFER_CASES, *SIZE_CASES, *PROTO_CASES)
            if c.drops and not c.answers and not c.throws and c.where != "action" and "string" not in c.id]


@pytest.mark.parametrize("kind", ["jitsi", "postmessage"])
def test_hostile_input_is_dropped_for_kinds_outside_the_core(kind, request, run_shell, tmp_path, qtbot):
    from tests.e2e.test_hostile import Ledger, build_nested_frames, send_case, started_sites  # noqa: PLC0415
    from tests.helpers.sites import hostile_route  # noqa: PLC0415
    if kind == "jitsi":
        simulator = request.getfixturevalue("jitsi_installed")

        def route(req: Any) -> Any:
            if req.path in ("/probe", "/slow", "/sandboxed"):
                return hostile_route(req)
            from desktop.demo.server import Response  # noqa: PLC0415
            return Response.html(simulator.page())
    else:
        route = hostile_route
    with started_sites(route) as sites:
        toml = jitsi_toml(sites.main.origin) if kind == "jitsi" else postmessage_toml(sites.url(sites.main))
        pid = "meet" if kind == "jitsi" else "app"
        shell = run_shell(write_config(tmp_path, toml))
        view = shell.views[pid]
        seen: list[str] = []

        def on_event(provider_id: str, _kind: str, event: Any) -> None:
            if event.name == "incomingMessage":
                seen.append(event.message)
            elif event.name == "message" and event.message_name == "chat":
                seen.append(event.message["text"])
        shell.hub.event_received.connect(on_event)
        wait_ready(qtbot, view)
        if kind == "jitsi":
            qtbot.waitUntil(lambda: shell.providers[pid].joined, timeout=15_000)
        build_nested_frames(qtbot, view, sites)
        ledger = Ledger(view, shell.event_log.path, pid)
        expected: list[str] = []
        rows = _generic_rows()
        assert len(rows) >= 20
        for n, case in enumerate(rows):
            result = send_case(qtbot, view, case.send, case.where)
            if result != "sent":
                ledger.failures.append(f"{case.id}: the sender got {result!r}")
            ledger.check_drops(qtbot, case)
            ok = f"ok-{n}"  # a valid message right after the row still works
            if kind == "jitsi":
                send_case(qtbot, view, f"window.simulate.message('Eve', '{ok}')")
            else:
                send_case(qtbot, view, f"window.parent.postMessage({{type: 'chat', text: '{ok}'}}, '*')")
            expected.append(ok)
            expected = ledger.check_healthy(qtbot, case, lambda: list(seen), expected)
        ledger.assert_clean(qtbot)
