"""Web policy end to end: links, pop-ups, load failures with Retry, certificates, permissions."""

from __future__ import annotations

import http.server
import ssl
import threading

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePermission

from desktop.demo.tls import self_signed
from desktop.shell.page import permission_allowed
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url, start_probe_server

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

Perm = QWebEnginePermission.PermissionType


def click(qtbot, view, y_fraction: float) -> None:
    target = view.web_view.focusProxy()
    qtbot.waitUntil(lambda: target is not None and target.width() > 100)
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(target.width() // 2, int(target.height() * y_fraction)))


@pytest.fixture
def room(run_shell, probe_server, tmp_path, qtbot):
    url = probe_url(probe_server, link="https://example.org/docs?a=1")
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url)))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    qtbot.wait(300)  # let the frame paint so clicks land on it
    return shell, view


@pytest.mark.parametrize("y", [0.25, 0.75], ids=["target-top", "target-blank"])
def test_clicked_links_open_in_the_system_browser(room, qtbot, y):
    shell, view = room
    with qtbot.waitSignal(shell.external_url_opened, timeout=10_000) as blocker:
        click(qtbot, view, y)
    assert blocker.args[0] == QUrl("https://example.org/docs?a=1")
    assert view.page.url().toString().startswith("portico://app/provider/room")
    qtbot.wait(500)  # the refused navigation's stopped load arrives after the link went out
    assert not view.showing_error(), "a refused top-level navigation looked like a failed host page"


def test_a_clicked_link_to_another_providers_origin_opens_in_that_provider(run_shell, probe_server, other_server,
                                                                          tmp_path, qtbot):
    board = probe_url(other_server)
    url = probe_url(probe_server, link=f"{board}?room=R9")
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url) + spatialchat_toml(board, "board")))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    qtbot.wait(300)  # let the frame paint so clicks land on it
    with qtbot.assertNotEmitted(shell.external_url_opened, wait=1500):
        click(qtbot, view, 0.25)
        qtbot.waitUntil(lambda: shell.window.current_id() == "board", timeout=10_000)
    frame_poll(qtbot, shell.views["board"], "new URLSearchParams(location.search).get('room')", "R9")
    assert not view.showing_error()


def test_window_open_from_a_click_opens_in_the_system_browser(room, qtbot):
    shell, view = room
    frame_eval(qtbot, view, "document.getElementById('top-link').addEventListener('click', e => {"
                            " e.preventDefault(); window.open('https://example.org/opened?b=2'); }); 1")
    with qtbot.waitSignal(shell.external_url_opened, timeout=10_000) as blocker:
        click(qtbot, view, 0.25)
    assert blocker.args[0] == QUrl("https://example.org/opened?b=2")
    assert view.page.url().toString() == "portico://app/provider/room"


def test_scripted_popups_and_top_navigation_are_refused(room, qtbot):
    shell, view = room
    with qtbot.assertNotEmitted(shell.external_url_opened, wait=800):
        frame_eval(qtbot, view, "window.open('https://example.org/popup'); 1")
        frame_eval(qtbot, view, "try { top.location = 'https://example.org/hijack' } catch (e) {}; 1")
    assert view.page.url().toString() == "portico://app/provider/room"


def test_unreachable_provider_shows_error_then_retry_recovers(run_shell, tmp_path, qtbot):
    server = start_probe_server()
    port = server.port
    server.stop()  # now nothing listens there
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"http://127.0.0.1:{port}/probe")))
    view = shell.views["room"]
    qtbot.waitUntil(view.showing_error, timeout=15_000)
    assert "could not be loaded" in view.panel.message.text()
    assert view.panel.retry_button.isVisible()
    assert view.panel.hint.text()
    revived = None
    try:
        revived = http.server.ThreadingHTTPServer(("127.0.0.1", port), _probe_handler())
        threading.Thread(target=revived.serve_forever, daemon=True).start()
        with qtbot.waitSignal(view.frame_ready, timeout=15_000):
            view.panel.retry_button.click()
        assert not view.showing_error()
    finally:
        if revived is not None:
            revived.shutdown()
            revived.server_close()


def _probe_handler() -> type[http.server.BaseHTTPRequestHandler]:
    from tests.helpers.sites import PROBE

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PROBE.format(nested="", link="https://example.org/", hello="false", hold="").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass
    return Handler


def test_certificate_errors_are_refused_with_a_visible_message(run_shell, tmp_path, qtbot):
    cert, key = self_signed(tmp_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _probe_handler())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/probe"
        shell = run_shell(write_config(tmp_path, spatialchat_toml(url)))
        view = shell.views["room"]
        qtbot.waitUntil(view.showing_error, timeout=15_000)
        assert "secure connection failed" in view.panel.message.text()
        assert "127.0.0.1" in view.panel.message.text()
        assert not view.bridge._frame_ready
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("kind_perms, ptype, origin, granted", [
    (frozenset({"camera", "microphone"}), Perm.MediaAudioVideoCapture, "https://chat.example.com", True),
    (frozenset({"camera"}), Perm.MediaAudioVideoCapture, "https://chat.example.com", False),
    (frozenset({"camera"}), Perm.MediaVideoCapture, "https://chat.example.com:443/", True),
    (frozenset({"camera"}), Perm.MediaVideoCapture, "https://chat.example.com.evil.org", False),
    (frozenset({"camera"}), Perm.MediaVideoCapture, "http://chat.example.com", False),
    (frozenset({"notifications"}), Perm.Notifications, "https://chat.example.com", True),
    (frozenset({"notifications"}), Perm.Notifications, "portico://app", False),
    (frozenset({"clipboard-write"}), Perm.ClipboardReadWrite, "https://chat.example.com", False),
    (frozenset({"camera", "microphone", "notifications"}), Perm.Geolocation, "https://chat.example.com", False),
    (frozenset({"screen-share"}), Perm.DesktopVideoCapture, "https://chat.example.com", True),
])
def test_permission_decisions(kind_perms, ptype, origin, granted):
    assert permission_allowed(kind_perms, "https://chat.example.com", ptype, QUrl(origin)) is granted


def test_host_page_is_served_only_to_the_app(room, qtbot, probe_server):
    shell, view = room
    # A provider frame cannot read Portico's host pages (initiator check + CORS).
    result = frame_eval(qtbot, view, """
        fetch('portico://app/provider/room').then(r => r.status, e => 'refused: ' + e.name)
          .then(v => { window.fetchResult = String(v); });
        'started'""")
    assert result == "started"
    qtbot.waitUntil(lambda: frame_eval(qtbot, view, "window.fetchResult || ''") != "", timeout=5000)
    assert frame_eval(qtbot, view, "window.fetchResult").startswith("refused")




def _ask(qtbot, view, js_promise: str, nested: bool = False) -> str:
    """Run a promise in the (nested) provider frame's main world; its outcome as text."""
    _start(qtbot, view, js_promise, nested)
    return _outcome(qtbot, view, nested)


def _start(qtbot, view, js_promise: str, nested: bool = False) -> None:
    frame_eval(qtbot, view, f"window.asked = ''; ({js_promise}).then(r => {{ window.asked = 'ok:' + r; }},"
                            " e => {{ window.asked = 'err:' + e.name; }}); 1", nested=nested)


def _outcome(qtbot, view, nested: bool = False) -> str:
    qtbot.waitUntil(lambda: frame_eval(qtbot, view, "window.asked", nested=nested) != "", timeout=10_000)
    return frame_eval(qtbot, view, "window.asked", nested=nested)


def _decisions(view) -> list[tuple[str, bool]]:
    """Portico's permission decisions for ``view`` from now on: (permission names, granted)."""
    decided: list[tuple[str, bool]] = []
    view.page.permission_decided.connect(lambda names, granted: decided.append((names, granted)))
    return decided


def _nest(qtbot, view, url: str) -> None:
    """Put a frame of ``url`` inside the provider frame and wait until it runs."""
    frame_eval(qtbot, view, f"const f = document.createElement('iframe'); f.src = {url!r}; document.body.append(f); 1")
    frame_poll(qtbot, view, "typeof window.sendToTop", "function", nested=True)


NOTIFY = "Notification.requestPermission()"


def test_real_frames_get_only_their_kinds_permissions_for_their_own_origin(run_shell, probe_server, other_server,
                                                                        tmp_path, qtbot):
    """Permission requests from real frames through Chromium to ProviderPage: Spoki declares
    notifications, so its own frame gets them and a frame of another origin inside it does not;
    SpatialChat does not declare them, so its own frame is refused. (Camera and microphone: the
    next test.)"""
    from desktop.demo.server import LoopbackServer
    from desktop.demo.spoki import SpokiSimulator
    from tests.helpers.spoki import spoki_shell
    spoki = LoopbackServer(SpokiSimulator().route).start()
    try:
        shell = spoki_shell(run_shell, tmp_path, spoki.origin)
        view = shell.views["sp"]
        wait_ready(qtbot, view)
        asked: list[tuple[str, str]] = []
        view.page.permissionRequested.connect(lambda p: asked.append((p.permissionType().name, p.origin().host())))
        decided = _decisions(view)
        assert _ask(qtbot, view, NOTIFY) == "ok:granted"
        assert (asked, decided) == ([("Notifications", "127.0.0.1")], [("notifications", True)])
        _nest(qtbot, view, probe_url(other_server))
        assert _ask(qtbot, view, NOTIFY, nested=True) == "ok:denied"
        assert asked[1:] == [("Notifications", "127.0.0.2")] and decided[1:] == [("notifications", False)]
        assert _ask(qtbot, view, NOTIFY) == "ok:granted"  # the grant to the provider's origin stands
    finally:
        spoki.stop()
    room = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server)))).views["room"]
    wait_ready(qtbot, room)
    refused = _decisions(room)
    assert _ask(qtbot, room, NOTIFY) == "ok:denied"
    assert refused == [("notifications", False)]


MEDIA = ("navigator.mediaDevices.getUserMedia({video: true, audio: true})"
         ".then(s => { const kinds = s.getTracks().map(t => t.kind).sort().join(); s.getTracks().forEach(t => t.stop());"
         " return kinds; })")


def test_camera_and_microphone_reach_only_the_kinds_that_declare_them(run_shell, probe_server, other_server,
                                                                     tmp_path, qtbot):
    """getUserMedia from real frames, with Chromium's fake devices: SpatialChat declares camera and
    microphone, so its own frame gets both tracks; a frame of another origin inside it does not;
    Spoki declares neither, so its frame is refused."""
    from desktop.demo.server import LoopbackServer
    from desktop.demo.spoki import SpokiSimulator
    from tests.helpers.spoki import spoki_shell
    room = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server)))).views["room"]
    wait_ready(qtbot, room)
    decided = _decisions(room)
    _start(qtbot, room, MEDIA)
    qtbot.waitUntil(lambda: room.prompt is not None and room.prompt.isVisible())  # asked once
    room.prompt.allow_button.click()
    assert _outcome(qtbot, room) == "ok:audio,video"
    assert decided == [("camera,microphone", True)]
    _nest(qtbot, room, probe_url(other_server))
    # Refused by Portico (Chromium reports that to this page as an AbortError): no tracks.
    assert _ask(qtbot, room, MEDIA, nested=True).startswith("err:")
    assert decided[1:] == [("camera,microphone", False)]
    spoki = LoopbackServer(SpokiSimulator().route).start()
    try:
        (tmp_path / "spoki").mkdir()
        view = spoki_shell(run_shell, tmp_path / "spoki", spoki.origin).views["sp"]
        wait_ready(qtbot, view)
        refused = _decisions(view)
        assert _ask(qtbot, view, MEDIA).startswith("err:")
        assert refused == [("camera,microphone", False)]
    finally:
        spoki.stop()


def test_camera_answers_are_asked_once_remembered_across_restarts_and_revoked(run_shell, probe_server, tmp_path,
                                                                              qtbot):
    from desktop.instance.permissions import PermissionAnswers
    config = write_config(tmp_path, spatialchat_toml(probe_url(probe_server)))
    shell = run_shell(config)
    room = shell.views["room"]
    wait_ready(qtbot, room)
    _start(qtbot, room, MEDIA)
    qtbot.waitUntil(lambda: room.prompt is not None and room.prompt.isVisible())
    assert "camera and microphone" in room.prompt.label.text() and room.provider.origin in room.prompt.label.text()
    room.prompt.deny_button.click()
    assert _outcome(qtbot, room).startswith("err:")
    assert not room.prompt.isVisible()
    assert _ask(qtbot, room, MEDIA).startswith("err:")  # remembered: not asked again
    assert not room.prompt.isVisible()
    stored = PermissionAnswers(tmp_path / "permissions.json").all()
    assert {(a.provider, a.permission, a.allowed) for a in stored} == {("room", "camera", False),
                                                                       ("room", "microphone", False)}
    # Settings lists the answer and forgets it: the next request asks again.
    shell.complete()
    dialog = shell.desktop.show_settings()
    assert dialog.permission_list.count() == 2
    assert "Don't allow" in dialog.permission_list.item(0).text()
    dialog.permission_list.selectAll()
    dialog.forget_permissions()
    assert dialog.permission_list.count() == 0 and not PermissionAnswers(tmp_path / "permissions.json").all()
    dialog.close()
    qtbot.waitUntil(lambda: not room.bridge._frame_ready)  # the page loads again: the old one keeps its "no"
    wait_ready(qtbot, room)
    _start(qtbot, room, MEDIA)
    qtbot.waitUntil(lambda: room.prompt.isVisible())
    room.prompt.allow_button.click()
    assert _outcome(qtbot, room) == "ok:audio,video"
    # A restart remembers the allowed answer.
    again = run_shell(config).views["room"]
    wait_ready(qtbot, again)
    assert _ask(qtbot, again, MEDIA) == "ok:audio,video"
    assert again.prompt is None


@pytest.mark.parametrize("url, served", [
    ("portico://app/provider/room", True),
    ("portico://app/provider/nobody", False),
    ("portico://app/provider/", False),
    ("portico://app/relay.js", False),
    ("portico://app/", False),
    ("portico://other/provider/room", False),
])
def test_host_scheme_answers_only_known_paths(room, qtbot, url, served):
    from PySide6.QtWebEngineCore import QWebEnginePage
    shell, _view = room
    page = QWebEnginePage(shell.profiles["room"])
    try:
        with qtbot.waitSignal(page.loadFinished, timeout=10_000) as blocker:
            page.load(QUrl(url))
        assert blocker.args == [served]
    finally:
        page.deleteLater()


def test_the_first_host_page_carries_the_frame_address(run_shell, probe_server, tmp_path, qtbot):
    """An address the provider already knows when its host page is served goes into that page as
    the iframe's ``src``: the frame loads alongside the relay's start-up instead of after it, and
    the bridge does not navigate it a second time. A later host page (a reload) starts empty and
    is navigated by the bridge as before."""
    from desktop.bridge.scripts import FRAME_ID
    url = probe_url(probe_server, n="1&<2>")
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url)), start=False)
    view = shell.views["room"]
    navigated: list[str] = []
    view.bridge.navigate_frame.connect(navigated.append)
    html: list[str] = []
    served = shell._scheme_handler._frame_url
    shell._scheme_handler._frame_url = lambda pid: html.append(served(pid) or "") or html[-1]
    shell.start(show=True)
    wait_ready(qtbot, view)
    assert html == [url] and navigated == []
    box: list[str] = []
    view.page.runJavaScript(f"document.getElementById({FRAME_ID!r}).getAttribute('src')", 0, box.append)
    qtbot.waitUntil(lambda: bool(box))
    assert box == [url]
    view.reload_host()
    qtbot.waitUntil(lambda: navigated == [url], timeout=10_000)
    wait_ready(qtbot, view)
    assert html == [url, ""]


def test_host_page_escapes_the_frame_address():
    from desktop.shell.scheme import HostPage, render_host_page
    page = HostPage("p", "T", "https://chat.example.com", frozenset())
    text = render_host_page(page, 'https://chat.example.com/a?x="><script>1</script>&y=1')
    assert ' src="https://chat.example.com/a?x=&quot;&gt;&lt;script&gt;1&lt;/script&gt;&amp;y=1"' in text
    assert "<script>" not in text
    assert " src=" not in render_host_page(page)
