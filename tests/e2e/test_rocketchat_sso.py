"""SSO sign-in: the web client's OAuth pop-up in a Portico window of the provider's profile, an
identity provider on a second loopback origin, and the login token handed back to the frame."""

from __future__ import annotations

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from desktop.demo.idp import IdentityProvider
from desktop.demo.rocketchat import INTEGRATION_SETTINGS, start_server
from desktop.providers.rocketchat.events import CustomOauthCallback
from tests.helpers import leak_scan
from tests.helpers.fixtures import frame_eval, frame_poll, wait_ready, write_config
from tests.helpers.rocketchat import Recorder

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

IDP_PASSWORD = "corp-sso-password-8d21"
leak_scan.watch((IDP_PASSWORD,))


@pytest.fixture
def sso():
    server, sim = start_server(settings=INTEGRATION_SETTINGS, poll_ms=100)
    idp = IdentityProvider()
    idp.start()
    idp.users["ada"] = IDP_PASSWORD
    sim.add_oauth_service("corp", idp, server.origin)
    yield server, sim, idp
    server.stop()
    idp.server.stop()


def sso_shell(run_shell, tmp_path, origin: str):
    toml = (f'[[provider]]\nid = "rc"\nkind = "rocketchat"\ntitle = "Chat"\nserver = "{origin}"\n'
            'channel = "general"\nsign_in = "oauth:corp"\n')
    shell = run_shell(write_config(tmp_path, toml), start=False)
    provider = shell.providers["rc"]
    recorder = Recorder(provider)
    shell.start(show=True)
    return shell, provider, shell.views["rc"], recorder


def popup_eval(qtbot, popup, js: str):
    box: list = []
    popup.page.runJavaScript(js, QWebEngineScript.ScriptWorldId.MainWorld, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def sign_in_at_idp(qtbot, popup, idp, password: str = IDP_PASSWORD) -> None:
    qtbot.waitUntil(lambda: popup.page.url().toString().startswith(idp.origin + "/authorize")
                    and popup_eval(qtbot, popup, "!!document.getElementById('idp-submit')"), timeout=15_000)
    popup_eval(qtbot, popup, f"document.getElementById('idp-user').value = 'ada';"
                             f"document.getElementById('idp-password').value = {password!r};"
                             "document.getElementById('idp-submit').click(); true")


def test_the_sso_popup_signs_the_frame_in_and_closes(sso, run_shell, tmp_path, qtbot):
    server, sim, idp = sso
    shell, provider, view, r = sso_shell(run_shell, tmp_path, server.origin)
    # Portico asks the client for its OAuth sign-in; the client's pop-up opens in a Portico window.
    qtbot.waitUntil(lambda: len(view.popups) == 1, timeout=20_000)
    popup = view.popups[0]
    assert popup.page.profile() is view.page.profile()  # the provider's cookies and storage
    assert popup.isWindow() and popup.isVisible()
    shown: list[tuple[str, str]] = []  # (address bar, connection state) at each page of the flow
    popup.page.urlChanged.connect(lambda _url: shown.append((popup.address.text(), popup.security.text())))
    sign_in_at_idp(qtbot, popup, idp)
    # The callback page hands the token to window.opener (the frame), which signs in; the pop-up closes.
    qtbot.waitUntil(lambda: provider.signed_in, timeout=20_000)
    qtbot.waitUntil(lambda: view.popups == [], timeout=10_000)
    # The identity provider's address and its connection's state were shown.
    host = idp.origin.split("//", 1)[1].split(":", 1)[0]
    assert any(a.startswith(idp.origin + "/authorize") and s == f"Not encrypted: {host} is reached over plain http"
               for a, s in shown), shown
    assert idp.signed_in == ["ada"]
    qtbot.waitUntil(lambda: bool(r.of(CustomOauthCallback)))  # the client answers after its sign-in
    assert r.of(CustomOauthCallback)[-1].ok
    state = frame_eval(qtbot, view, "JSON.stringify(window.rcSim.state())")
    assert state["loggedIn"] and state["username"] == "ada"
    assert not view.showing_error()
    assert provider._token is None  # no token of Portico's own: the web client holds its session


def test_a_closed_sso_popup_says_so_and_retry_opens_it_again(sso, run_shell, tmp_path, qtbot):
    server, sim, idp = sso
    shell, provider, view, r = sso_shell(run_shell, tmp_path, server.origin)
    qtbot.waitUntil(lambda: len(view.popups) == 1, timeout=20_000)
    provider.sso_after_close_ms = 500
    view.popups[0].close()  # the user gives up
    qtbot.waitUntil(view.showing_error, timeout=10_000)
    assert "sign-in with corp was not finished" in view.panel.message.text()
    view.panel.retry_button.click()
    qtbot.waitUntil(lambda: len(view.popups) == 1, timeout=20_000)
    sign_in_at_idp(qtbot, view.popups[0], idp)
    qtbot.waitUntil(lambda: provider.signed_in, timeout=20_000)
    assert not view.showing_error()


def test_an_unknown_service_is_reported(sso, run_shell, tmp_path, qtbot):
    server, sim, idp = sso
    sim.oauth_services.clear()
    shell, provider, view, r = sso_shell(run_shell, tmp_path, server.origin)
    qtbot.waitUntil(view.showing_error, timeout=20_000)
    assert view.panel.message.text() == "Signing in with corp failed: OAuth service not found: corp."
    assert "Check sign_in in the config" in view.panel.hint.text()
    assert view.popups == []


def test_other_popups_still_go_elsewhere(sso, run_shell, tmp_path, qtbot, other_server):
    """Without a click and without Portico's own request, no pop-up opens; a pop-up of another
    origin never opens in Portico."""
    server, sim, idp = sso
    shell, provider, view, r = sso_shell(run_shell, tmp_path, server.origin)
    qtbot.waitUntil(lambda: len(view.popups) == 1, timeout=20_000)
    sign_in_at_idp(qtbot, view.popups[0], idp)
    qtbot.waitUntil(lambda: provider.signed_in and view.popups == [], timeout=20_000)
    wait_ready(qtbot, view)
    opened: list = []
    shell.external_url_opened.connect(opened.append)
    for url in (f"{server.origin}/oauth/corp", f"{other_server.origin}/probe"):
        frame_eval(qtbot, view, f"String(window.open({url!r}, 'x', 'popup=yes,width=300,height=300'))")
    # The page's own message round trip shows both requests were handled before it.
    frame_poll(qtbot, view, "window.rcSim.state().loggedIn", True)
    assert view.popups == [] and opened == []


def test_the_popup_refuses_an_invalid_certificate_and_says_so(run_shell, tmp_path, qtbot):
    """An identity provider behind a self-signed certificate: the pop-up refuses it, shows why,
    and never sends it the user's password."""
    from desktop.demo.tls import self_signed
    server, sim = start_server(settings=INTEGRATION_SETTINGS, poll_ms=100)
    idp = IdentityProvider()
    idp.start(tls=self_signed(tmp_path))
    try:
        idp.users["ada"] = IDP_PASSWORD
        sim.add_oauth_service("corp", idp, server.origin)
        shell, provider, view, r = sso_shell(run_shell, tmp_path, server.origin)
        qtbot.waitUntil(lambda: len(view.popups) == 1, timeout=20_000)
        popup = view.popups[0]
        qtbot.waitUntil(lambda: popup.security.text().startswith("Certificate refused: 127.0.0.1"), timeout=15_000)
        assert popup.certificate_problem and idp.signed_in == [] and not provider.signed_in
    finally:
        server.stop()
        idp.server.stop()
