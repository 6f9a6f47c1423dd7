"""Spoki end to end: real QtWebEngine, relay and bridge, against the loopback Spoki simulator."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import pathlib
import signal
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from desktop.app import Shell
from desktop.contract import UNREAD_DOT, ProviderEvent
from desktop.demo.server import LoopbackServer
from desktop.demo.spoki import DEMO_API_KEY, DEMO_EMAIL, DEMO_PRIVATE_KEY, SpokiSimulator, start_app
from desktop.providers.spoki.events import ChatMessagesChanged, ChatsChanged, UnreadChatsChanged
from desktop.providers.spoki.provider import SpokiProvider
from desktop.redact import scrub_text
from desktop.secret import Secret
from desktop.shell.notifications import BannerAdapter
from desktop.shell.sidebar import badge_text
from tests.helpers.fixtures import frame_eval, frame_poll, read_event_log, spatialchat_toml, wait_ready, write_config
from tests.helpers.leak_scan import find_leaks
from tests.helpers.sites import probe_url
from tests.helpers.spoki import spoki_toml

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

SECOND_EMAIL = "second.user@demo.spoki.test"
SECOND_KEY = "second-private-key-93b0"
KEYS = {"api_key": DEMO_API_KEY}
PRIVATE = {"sp": DEMO_PRIVATE_KEY, "a": DEMO_PRIVATE_KEY, "b": SECOND_KEY}


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[LoopbackServer, SpokiSimulator]]:
    server, simulator = start_app(accounts={DEMO_EMAIL: DEMO_PRIVATE_KEY, SECOND_EMAIL: SECOND_KEY})
    yield server, simulator
    server.stop()


def get_secret(pid: str, field: str) -> Secret:
    return Secret(PRIVATE[pid] if field == "private_key" else KEYS[field])


class Recorder:
    """Everything one Spoki provider emitted."""

    def __init__(self, provider: SpokiProvider) -> None:
        self.events: list[ProviderEvent] = []
        self.notes: list[Any] = []
        self.urls: list[str] = []
        provider.event_received.connect(self.events.append)
        provider.notification_requested.connect(self.notes.append)
        provider.frame_requested.connect(self.urls.append)
        #: What the typed signals carried, in order: (signal name, argument).
        self.typed: list[tuple[str, Any]] = []
        provider.unread_chats_changed.connect(lambda flag: self.typed.append(("unread_chats_changed", flag)))
        provider.chats_changed.connect(lambda event: self.typed.append(("chats_changed", event)))
        provider.chat_messages_changed.connect(lambda event: self.typed.append(("chat_messages_changed", event)))

    def of(self, cls: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, cls)]


def start_spoki(run_shell, tmp_path: pathlib.Path, toml: str, active: bool = False
                ) -> tuple[Shell, dict[str, Recorder]]:
    shell = run_shell(write_config(tmp_path, toml), start=False)
    recorders = {}
    for pid, provider in shell.providers.items():
        assert isinstance(provider, SpokiProvider)
        provider.get_secret = get_secret
        provider.is_app_active = lambda: active
        recorders[pid] = Recorder(provider)
    shell.start(show=True)
    return shell, recorders


def app_ready(qtbot, view) -> None:
    wait_ready(qtbot, view)
    frame_poll(qtbot, view, "typeof window.spokiSim", "object")


def sim_call(qtbot, view, js: str) -> Any:
    return frame_eval(qtbot, view, f"JSON.stringify((function () {{ return {js}; }})() ?? null)")


@pytest.fixture
def fresh(sim):
    server, simulator = sim
    simulator.auth_mode, simulator.approved = "ok", True
    simulator.auth_requests.clear()
    return server, simulator


def test_events_end_to_end_with_dot_notification_and_event_log(fresh, run_shell, tmp_path, qtbot, caplog):
    caplog.set_level(logging.DEBUG)
    server, simulator = fresh
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin))
    view, r = shell.views["sp"], rec["sp"]
    app_ready(qtbot, view)
    # On load: three chats are unread, and the first page of the list is shown.
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 1)
    assert r.of(UnreadChatsChanged) == [UnreadChatsChanged(has_unread_chats=True)]
    first = r.of(ChatsChanged)[0]
    assert (first.page, first.has_filters, len(first.chats)) == (1, False, 20)
    assert shell.hub.unread("sp") == UNREAD_DOT and len(r.notes) == 1
    # Paging and filters, as the user clicks them.
    frame_eval(qtbot, view, "document.getElementById('next').click()")
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 2)
    assert r.of(ChatsChanged)[1].page == 2 and len(r.of(ChatsChanged)[1].chats) == 20
    frame_eval(qtbot, view, "document.getElementById('filter-unread').click()")
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 3)
    assert (r.of(ChatsChanged)[2].page, r.of(ChatsChanged)[2].has_filters, len(r.of(ChatsChanged)[2].chats)) == \
        (1, True, 3)
    # Everything read: the dot goes away; a new message brings it back, with a notification.
    sim_call(qtbot, view, "spokiSim.markAllRead()")
    qtbot.waitUntil(lambda: shell.hub.unread("sp") == 0)
    sim_call(qtbot, view, "spokiSim.incoming(7, 'Hello <b>there</b>')")
    qtbot.waitUntil(lambda: shell.hub.unread("sp") == UNREAD_DOT)
    assert len(r.notes) == 2 and r.notes[1].title == "Spoki sp"
    # Open that chat: its messages arrive, it is read; a reply from the customer arrives live.
    uuid = sim_call(qtbot, view, "spokiSim.chats[0].uuid")
    frame_eval(qtbot, view, f"spokiSim.openChat({json.dumps(uuid)})")
    qtbot.waitUntil(lambda: len(r.of(ChatMessagesChanged)) == 1)
    opened = r.of(ChatMessagesChanged)[0]
    assert opened.chat["uuid"] == uuid and opened.page == 1
    assert opened.messages[-1]["text"] == "Hello <b>there</b>"
    qtbot.waitUntil(lambda: shell.hub.unread("sp") == 0)
    sim_call(qtbot, view, "spokiSim.incoming(0, 'second')")
    qtbot.waitUntil(lambda: len(r.of(ChatMessagesChanged)) == 2)
    assert [m["text"] for m in r.of(ChatMessagesChanged)[1].messages][-2:] == ["Hello <b>there</b>", "second"]
    assert frame_eval(qtbot, view, "document.querySelectorAll('#messages b').length") == 0  # text, not markup
    assert view.bridge.dropped == {}
    # Each accepted event also came out of its typed Qt signal, in the same order.
    assert r.typed == [("unread_chats_changed", e.has_unread_chats) if isinstance(e, UnreadChatsChanged)
                       else ("chats_changed", e) if isinstance(e, ChatsChanged) else ("chat_messages_changed", e)
                       for e in r.events]
    assert [flag for name, flag in r.typed if name == "unread_chats_changed"] == [True, False, True, False]
    # The event log: one line per accepted event, contents summarised, no secret anywhere.
    names = [e.name for e in r.events]
    qtbot.waitUntil(lambda: len(read_event_log(shell.event_log.path)) == len(names))
    lines = read_event_log(shell.event_log.path)
    assert [line["name"] for line in lines] == names
    assert all(line["provider"] == "sp" and line["kind"] == "spoki" and line["direction"] == "in" for line in lines)
    assert lines[0]["data"] == {"has_unread_chats": True} or lines[1]["data"] == {"has_unread_chats": True}
    assert {"page": 2, "has_filters": False, "chats": 20} in [line["data"] for line in lines]
    token = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.urls[0]).query))
    # The simulator's access log (portico.demo) is the server side: it shows the token, and the
    # log handlers' scrub (desktop.log) hides it because the provider registered it.
    ours = [rec.getMessage() for rec in caplog.records if rec.name != "portico.demo"]
    theirs = [scrub_text(rec.getMessage()) for rec in caplog.records if rec.name == "portico.demo"]
    everything = shell.event_log.path.read_text() + "\n".join(ours + theirs)
    assert "provider sp" in everything
    for secret in (DEMO_API_KEY, DEMO_PRIVATE_KEY, token["auth_token"], token["auth_uid"]):
        assert secret not in everything
    # … nor in the host page or the provider's page.
    with qtbot.waitCallback() as cb:
        view.page.toHtml(cb)
    page_text = cb.args[0] + frame_eval(qtbot, view, "document.documentElement.outerHTML + location.href")
    for secret in (DEMO_API_KEY, DEMO_PRIVATE_KEY):
        assert secret not in page_text


def test_flags_reach_the_app_and_two_panels_never_see_each_others_events(fresh, run_shell, tmp_path, qtbot):
    server, simulator = fresh
    chat = simulator.chats()[4]["uuid"]
    toml = (spoki_toml(server.origin, pid="a", page=f"chats/{chat}", language="it", can_view_chat_list=False,
                       can_reply_in_chat=False, can_send_paypal_in_chat=False)
            + spoki_toml(server.origin, pid="b", email=SECOND_EMAIL, page=f"chats/{chat}", language="es",
                         can_view_chat_list=True, can_reply_in_chat=True, can_send_paypal_in_chat=True))
    shell, rec = start_spoki(run_shell, tmp_path, toml, active=True)
    a, b = shell.views["a"], shell.views["b"]
    app_ready(qtbot, a)
    app_ready(qtbot, b)
    hidden = "JSON.stringify(['back', 'footer', 'paypal-tab'].map(id => document.getElementById(id).hidden))"
    assert frame_eval(qtbot, a, hidden) == [True, True, True]
    assert frame_eval(qtbot, b, hidden) == [False, False, False]
    assert frame_eval(qtbot, a, "document.documentElement.lang + ' ' + document.getElementById('account').textContent") \
        == f"it {DEMO_EMAIL}"
    assert frame_eval(qtbot, b, "document.documentElement.lang + ' ' + document.getElementById('account').textContent") \
        == f"es {SECOND_EMAIL}"
    emails = [req["body"]["email"] for req in simulator.auth_requests]
    assert sorted(emails) == sorted([DEMO_EMAIL, SECOND_EMAIL])
    # Same app origin, two accounts: each panel hears only its own frame.
    qtbot.waitUntil(lambda: len(rec["a"].of(ChatMessagesChanged)) == 1 and len(rec["b"].of(ChatMessagesChanged)) == 1)
    before_b = list(rec["b"].events)
    unread_b = shell.hub.unread("b")
    for n in range(3):
        sim_call(qtbot, a, f"spokiSim.incoming(20, 'for a {n}')")
    qtbot.waitUntil(lambda: shell.hub.unread("a") == UNREAD_DOT)
    frame_eval(qtbot, b, "document.getElementById('composer-text').value = 'from b'")
    frame_eval(qtbot, b, "document.getElementById('send').click()")
    qtbot.waitUntil(lambda: len(rec["b"].of(ChatMessagesChanged)) == 2)
    qtbot.wait(200)  # an event leaking to the other provider has no signal of its own
    assert rec["b"].events[:len(before_b)] == before_b
    assert all(e.messages[-1]["text"] != "from b" for e in rec["a"].of(ChatMessagesChanged))
    assert rec["b"].of(ChatMessagesChanged)[1].messages[-1]["text"] == "from b"
    assert [type(e) for e in rec["b"].events[len(before_b):]] == [ChatMessagesChanged]  # only its own send
    assert len(rec["a"].of(ChatMessagesChanged)) == 1  # a's incoming messages went to other chats
    assert shell.hub.unread("b") == unread_b
    assert rec["a"].notes == [] and rec["b"].notes == []  # the window is focused
    assert a.bridge.dropped == {} and b.bridge.dropped == {}


def test_look_alike_origins_and_nested_frames_are_dropped(fresh, run_shell, tmp_path, qtbot, other_server):
    server, simulator = fresh
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin))
    view, r = shell.views["sp"], rec["sp"]
    app_ready(qtbot, view)
    qtbot.waitUntil(lambda: len(r.events) == 2)
    # A frame of another origin inside the Spoki frame posts to the top window: wrong source.
    frame_eval(qtbot, view, f"""(function () {{ const f = document.createElement('iframe');
        f.src = {json.dumps(probe_url(other_server))}; document.body.append(f); return 1; }})()""")
    frame_poll(qtbot, view, "typeof window.sendToTop", "function", nested=True)
    frame_eval(qtbot, view, "sendToTop({eventType: 'hasUnreadChatsChanged', data: {hasUnreadChats: false}})",
               nested=True)
    qtbot.waitUntil(lambda: view.bridge.dropped["wrong-source"] >= 1, timeout=5000)
    # The frame sent to a look-alike Spoki (same host, another port: a genuine Spoki app that
    # would post real events on load): the host page's CSP refuses it and the view shows its
    # error state; nothing from it reaches the provider. Retry signs in again.
    look_alike, other = start_app()
    try:
        token, uid = other.issue_token()
        url = f"{look_alike.origin}/chats?auth_token={token}&auth_uid={uid}"
        with qtbot.waitSignal(view.frame_failed, timeout=10_000):
            frame_eval(qtbot, view, f"location.href = {json.dumps(url)}")
        assert view.showing_error() and other.page_loads == []
    finally:
        look_alike.stop()
    assert len(r.events) == 2 and len(r.urls) == 1
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        view.panel.retry_button.click()
    qtbot.waitUntil(lambda: len(r.events) == 4)
    assert len(r.urls) == 2 and not view.showing_error()
    # Defence in depth: the bridge itself refuses look-alike origins even if a relay let them by.
    port = urllib.parse.urlsplit(server.origin).port
    for origin in (f"http://127.0.0.1:{port + 1}", f"http://127.0.0.2:{port}", f"http://localhost:{port}",
                   f"https://127.0.0.1:{port}", f"http://127.0.0.1:{port}.evil.com", server.origin + "/", "null"):
        view.bridge.from_frame(origin, json.dumps({"eventType": "hasUnreadChatsChanged",
                                                   "data": {"hasUnreadChats": False}}))
    assert len(r.events) == 4 and view.bridge.dropped["wrong-origin"] == 7
    qtbot.waitUntil(lambda: any(line["name"] == "dropped" for line in read_event_log(shell.event_log.path)))
    lines = read_event_log(shell.event_log.path)
    assert {line["data"]["reason"] for line in lines if line["name"] == "dropped"} == {"wrong-source", "wrong-origin"}


def test_reload_fetches_a_fresh_token_and_a_reused_token_is_refused(fresh, run_shell, tmp_path, qtbot):
    server, simulator = fresh
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin, page="templates"))
    view, r = shell.views["sp"], rec["sp"]
    app_ready(qtbot, view)
    assert frame_eval(qtbot, view, "document.querySelectorAll('#template-list li').length") == 4
    assert [type(e) for e in r.events] == [UnreadChatsChanged]  # the templates page sends only this
    frame_eval(qtbot, view, f"location.href = {json.dumps(r.urls[0] + '&again=1')}")  # not the cached copy
    frame_poll(qtbot, view, "document.getElementById('spoki-error')?.dataset.problem ?? ''", "expired")
    # … so Reload signs in again.
    view.reload()
    qtbot.waitUntil(lambda: len(r.urls) == 2)
    frame_poll(qtbot, view, "typeof window.spokiSim", "object")
    assert len(simulator.auth_requests) == 2 and r.urls[0] != r.urls[1]
    # Switching page from the menu: a third token, the chat list.
    dict(shell.providers["sp"].menu_actions())["Chat list"]()
    qtbot.waitUntil(lambda: len(r.urls) == 3)
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 1)
    assert urllib.parse.urlsplit(r.urls[2]).path == "/chats" and len(simulator.auth_requests) == 3


def test_sign_in_errors_show_in_the_view_and_retry_recovers(fresh, run_shell, tmp_path, qtbot):
    server, simulator = fresh
    simulator.auth_mode = "403"
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin))
    view = shell.views["sp"]
    qtbot.waitUntil(view.showing_error)
    assert view.panel.title.text() == "Sign-in needed"
    assert "not approved yet" in view.panel.message.text() and "48 hours" in view.panel.hint.text()
    simulator.auth_mode = "500"
    shell.providers["sp"].retry_delays = (0.05,)
    view.panel.retry_button.click()
    qtbot.waitUntil(lambda: "HTTP 500" in view.panel.message.text())
    assert view.showing_error() and "tries again" in view.panel.hint.text()
    simulator.auth_mode = "ok"  # the automatic retry gets through
    app_ready(qtbot, view)
    assert not view.showing_error() and len(simulator.auth_requests) >= 3


def token_of(url: str) -> str:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["auth_token"]


def test_desktop_notification_only_when_unread_turns_true_while_unfocused(fresh, run_shell, tmp_path, qtbot,
                                                                           probe_server):
    """The dot is the sidebar's; the notification goes through the notifications plugin to the desktop
    (the D-Bus service, else the window's banner) and its click shows the Spoki panel."""
    server, simulator = fresh
    focused = [False]
    toml = spatialchat_toml(probe_url(probe_server)) + spoki_toml(server.origin)
    shell = run_shell(write_config(tmp_path, toml), start=False)
    provider = shell.providers["sp"]
    assert isinstance(provider, SpokiProvider)
    provider.get_secret = get_secret
    provider.is_app_active = lambda: focused[0]  # the offscreen platform always reports the app active
    r = Recorder(provider)
    shell.start(show=True)
    view = shell.views["sp"]
    assert shell.window.current_id() == "room"  # the first entry is shown; Spoki loads behind it

    def shown() -> list[Any]:
        return [s.notification for s in shell.presenter.history if s.provider_id == "sp"]

    app_ready(qtbot, view)
    # Unread chats on load, window unfocused: the dot and one desktop notification.
    qtbot.waitUntil(lambda: len(shown()) == 1)
    assert shell.window.sidebar.unread("sp") == UNREAD_DOT and badge_text(shell.window.sidebar.unread("sp")) == "•"
    assert (shown()[0].title, shown()[0].tag) == ("Spoki sp", "spoki:sp:unread")
    # Focused: read everything, a message arrives: the dot, but no notification.
    focused[0] = True
    sim_call(qtbot, view, "spokiSim.markAllRead()")
    qtbot.waitUntil(lambda: shell.window.sidebar.unread("sp") == 0)
    sim_call(qtbot, view, "spokiSim.incoming(3, 'while you look')")
    qtbot.waitUntil(lambda: shell.window.sidebar.unread("sp") == UNREAD_DOT)
    # Unfocused: another message while unread is already true: still one notification …
    focused[0] = False
    sim_call(qtbot, view, "spokiSim.incoming(5, 'more')")
    qtbot.waitUntil(lambda: len([e for e in r.events if isinstance(e, ChatsChanged)]) == 4)
    qtbot.wait(200)  # a second notification would be a later event: give it time
    assert len(shown()) == 1 and len(r.notes) == 1
    # … read, then a new one: it turns true again while unfocused, so a second notification.
    sim_call(qtbot, view, "spokiSim.markAllRead()")
    qtbot.waitUntil(lambda: shell.window.sidebar.unread("sp") == 0)
    sim_call(qtbot, view, "spokiSim.incoming(9, 'are you there?')")
    qtbot.waitUntil(lambda: len(shown()) == 2)
    assert [flag for name, flag in r.typed if name == "unread_chats_changed"] == [True, False, True, False, True]
    # Clicking it shows the Spoki panel.
    with qtbot.waitSignal(shell.window.provider_selected, timeout=5000) as selected:
        if isinstance(shell.presenter.adapter, BannerAdapter):
            assert shell.window.banner.label.text() == "Spoki sp: New WhatsApp messages are waiting."
            shell.window.banner.open_button.click()
        else:  # a real desktop notification service: activate it as its click would
            shell.presenter.activated.emit("sp", None)
    assert selected.args == ["sp"] and shell.window.current_id() == "sp"


class DialogAnswerer:
    """Answers the modal dialogs a menu entry opens: types ``text`` into an input dialog and
    accepts it; records and closes message boxes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: list[tuple[str, str]] = []
        self._timer = QTimer(interval=20)
        self._timer.timeout.connect(self._answer)
        self._timer.start()

    def _answer(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible():
                continue
            if isinstance(widget, QInputDialog):
                self.seen.append(("input", widget.labelText()))
                widget.setTextValue(self.text)
                widget.accept()
            elif isinstance(widget, QMessageBox):
                self.seen.append((widget.windowTitle(), widget.text()))
                widget.accept()

    def stop(self) -> None:
        self._timer.stop()


def test_the_provider_menu_switches_page_reloads_and_opens_chat_links(fresh, run_shell, tmp_path, qtbot):
    server, simulator = fresh
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin), active=True)
    view, r = shell.views["sp"], rec["sp"]
    app_ready(qtbot, view)
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 1)
    menu = shell.window.provider_menu

    def entries() -> dict[str, Any]:
        menu.aboutToShow.emit()  # what opening the menu does
        return {a.text(): a for a in menu.actions() if not a.isSeparator()}

    assert list(entries()) == ["&Reload", "Chat list", "Templates", "Open chat link…"]
    entries()["Templates"].trigger()
    qtbot.waitUntil(lambda: len(r.urls) == 2)
    frame_poll(qtbot, view, "document.querySelectorAll('#template-list li').length", 4)
    # Reload (the menu entry and Ctrl+R): the same page with a new token.
    entries()["&Reload"].trigger()
    qtbot.waitUntil(lambda: len(r.urls) == 3)
    frame_poll(qtbot, view, "document.querySelectorAll('#template-list li').length", 4)
    assert [urllib.parse.urlsplit(u).path for u in r.urls] == ["/chats", "/templates", "/templates"]
    assert len({token_of(u) for u in r.urls}) == 3 and len(simulator.auth_requests) == 3
    # Open chat link…: the link typed in the dialog opens that chat.
    chat = simulator.chats()[11]["uuid"]
    answerer = DialogAnswerer(f"{server.origin}/chats/{chat.upper()}")
    try:
        entries()["Open chat link…"].trigger()
    finally:
        answerer.stop()
    assert answerer.seen == [("input", f"Chat link ({server.origin}/chats/…):")]
    qtbot.waitUntil(lambda: len(r.of(ChatMessagesChanged)) == 1)
    assert r.of(ChatMessagesChanged)[0].chat["uuid"] == chat
    assert urllib.parse.urlsplit(r.urls[-1]).path == f"/chats/{chat}" and len(simulator.auth_requests) == 4
    # A look-alike link is explained and nothing is loaded.
    answerer = DialogAnswerer(f"http://127.0.0.1.evil.com:{urllib.parse.urlsplit(server.origin).port}/chats/{chat}")
    try:
        entries()["Open chat link…"].trigger()
    finally:
        answerer.stop()
    assert [title for title, _ in answerer.seen] == ["input", "Not a Spoki chat link"]
    assert answerer.seen[1][1] == f"Portico did not open it: the chat link is not on {server.origin}."
    qtbot.wait(200)  # a sign-in started by mistake reaches the simulator a little later
    assert len(r.urls) == 4 and len(simulator.auth_requests) == 4 and shell.providers["sp"].page == f"chats/{chat}"
    # Back to the chat list.
    entries()["Chat list"].trigger()
    qtbot.waitUntil(lambda: len(r.of(ChatsChanged)) == 2)
    assert urllib.parse.urlsplit(r.urls[-1]).path == "/chats" and len(simulator.auth_requests) == 5


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="kills the renderer by its pid")
def test_a_restarted_renderer_signs_in_again_with_a_fresh_token(fresh, run_shell, tmp_path, qtbot):
    server, simulator = fresh
    shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin, page="templates"), active=True)
    view, r = shell.views["sp"], rec["sp"]
    app_ready(qtbot, view)
    watchdog = shell.desktop.watchdogs["sp"]
    watchdog.delays = (0.2, 0.2, 0.2)
    pid = view.page.renderProcessPid()
    with qtbot.waitSignal(watchdog.crashed, timeout=5000):
        os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: len(r.urls) == 2, timeout=15_000)
    # Tokens are single use: only a new one signs the restarted frame in.
    frame_poll(qtbot, view, "typeof window.spokiSim", "object", timeout=15_000)
    assert frame_eval(qtbot, view, "document.querySelectorAll('#template-list li').length") == 4
    assert token_of(r.urls[0]) != token_of(r.urls[1]) and len(simulator.auth_requests) == 2
    assert not view.showing_error()


def test_no_key_token_or_uid_is_stored_on_disk(run_shell, tmp_path, qtbot, xdg_root):
    """After two sign-ins and a close, nothing Portico or Chromium wrote holds a secret. The app is
    served as a careless real one might be: cacheable, the token left in its address."""
    simulator = SpokiSimulator()
    marker = "portico-disk-scan-marker-5e1f"

    def careless(request: Any) -> Any:
        answer = simulator.route(request)
        if answer.status == 200 and answer.content_type.startswith("text/html"):
            keep_token = b'history.replaceState(null, "", location.pathname);'
            assert answer.body.count(keep_token) == 1
            answer = dataclasses.replace(answer, body=answer.body.replace(keep_token, b""), headers={
                "Cache-Control": "private, max-age=600", "Last-Modified": "Wed, 21 Oct 2015 07:28:00 GMT"})
        return answer

    server = LoopbackServer(careless).start()
    try:
        shell, rec = start_spoki(run_shell, tmp_path, spoki_toml(server.origin), active=True)
        view, r = shell.views["sp"], rec["sp"]
        app_ready(qtbot, view)
        assert frame_eval(qtbot, view, "location.search").startswith("?auth_token=")
        frame_eval(qtbot, view, f"localStorage.setItem('scan', {json.dumps(marker)}); 1")
        assert shell.profiles["sp"].isOffTheRecord()
        view.reload()
        qtbot.waitUntil(lambda: len(r.urls) == 2)
        app_ready(qtbot, view)
        frame_poll(qtbot, view, "localStorage.getItem('scan')", marker)
        run_shell.close()
        run_shell.shells.clear()
    finally:
        server.stop()
    secrets = {"api key": DEMO_API_KEY, "private key": DEMO_PRIVATE_KEY}
    for n, url in enumerate(r.urls):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        secrets[f"token {n}"], secrets[f"uid {n}"] = query["auth_token"], query["auth_uid"]
    # The profile lived in memory: nothing of it reached the disk (that the scan finds what a
    # remembered profile writes is tests/e2e/test_leak_scan.py's control).
    assert not (tmp_path / "profiles0" / "sp").exists()
    assert find_leaks([tmp_path, xdg_root], list(secrets.values())) == []


def test_an_unreachable_sign_in_server_is_shown_and_retried_with_backoff_until_it_is_back(run_shell, tmp_path,
                                                                                            qtbot):
    from tests.helpers.net import free_port
    port = free_port()
    shell = run_shell(write_config(tmp_path, spoki_toml(f"http://127.0.0.1:{port}")), start=False)
    provider, view = shell.providers["sp"], shell.views["sp"]
    assert isinstance(provider, SpokiProvider)
    provider.get_secret = get_secret
    provider.retry_delays = (0.2, 0.4)
    errors: list[Any] = []
    provider.error_occurred.connect(errors.append)
    shell.start(show=True)
    qtbot.waitUntil(lambda: len(errors) >= 3, timeout=10_000)  # the first try and two automatic retries
    assert [e.retry_after for e in errors[:3]] == [0.2, 0.4, 0.4]
    # What the user sees meanwhile: the panel says what is wrong and that Portico keeps trying.
    assert view.showing_error() and shell.window.sidebar.has_error("sp")
    assert view.panel.title.text() == "Spoki sp is unavailable"
    assert f"127.0.0.1:{port} could not be reached" in view.panel.message.text()
    assert "tries again in a moment, or press Retry now" in view.panel.hint.text()
    server, simulator = start_app(port=port)
    try:
        app_ready(qtbot, view)
        assert not view.showing_error() and len(simulator.auth_requests) == 1
        qtbot.waitUntil(lambda: not shell.window.sidebar.has_error("sp"))
    finally:
        server.stop()
