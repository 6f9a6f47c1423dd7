"""The sign-in form: missing secrets ask the user, "remember" writes the real keyring, else nothing."""

from __future__ import annotations

import pytest

from desktop import credentials
from desktop.demo.spoki import DEMO_API_KEY, DEMO_PRIVATE_KEY, start_app
from tests.helpers.fixtures import wait_ready, write_config
from tests.helpers.spoki import spoki_toml

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


@pytest.fixture(scope="module")
def spoki_server():
    server, _simulator = start_app()
    yield server
    server.stop()


def fill(qtbot, view, remember: bool) -> None:
    qtbot.waitUntil(lambda: view.signin_form is not None and view.showing_error(), timeout=15_000)
    form = view.signin_form
    assert set(form.edits) == {"api_key", "private_key"}
    assert all(e.echoMode() == e.EchoMode.Password for e in form.edits.values())
    assert not form.button.isEnabled()
    form.edits["api_key"].setText(DEMO_API_KEY)
    form.edits["private_key"].setText(DEMO_PRIVATE_KEY)
    form.remember.setChecked(remember)
    form.button.click()
    assert all(e.text() == "" for e in form.edits.values())  # typed text not kept in the widget


@pytest.mark.parametrize("remember", [True, False], ids=["remember", "session-only"])
def test_missing_keys_ask_then_sign_in(run_shell, tmp_path, qtbot, gnome_keyring, spoki_server, remember):
    pid = f"form-{'r' if remember else 's'}"
    shell = run_shell(write_config(tmp_path, spoki_toml(spoki_server.origin, pid=pid)))
    view = shell.views[pid]
    qtbot.waitUntil(lambda: view.panel.title.text() == "Sign-in needed", timeout=15_000)
    assert not view.panel.retry_button.isVisible()  # the form's button is the way on
    fill(qtbot, view, remember)
    wait_ready(qtbot, view)
    assert not view.showing_error()
    if remember:
        qtbot.waitUntil(lambda: gnome_keyring.lookup(pid, "private_key") == DEMO_PRIVATE_KEY, timeout=10_000)
        assert gnome_keyring.lookup(pid, "api_key") == DEMO_API_KEY
        credentials.delete_provider_secrets(pid, "spoki")
    else:
        gnome_keyring.settled(qtbot)
        assert gnome_keyring.lookup(pid, "api_key") is None
        assert gnome_keyring.lookup(pid, "private_key") is None
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert DEMO_PRIVATE_KEY.encode() not in path.read_bytes(), path


def test_removing_a_provider_can_delete_its_secrets_and_profile(gnome_keyring, tmp_path, qtbot):
    from desktop import paths
    from desktop.config import load_config
    from desktop.secret import Secret
    from desktop.shell import provider_removal
    from desktop.shell.settings_dialog import SettingsDialog

    path = tmp_path / "config.toml"
    path.write_text(spoki_toml("https://api.example.com", "https://app.example.com", pid="gone")
                    + spoki_toml("https://api.example.com", "https://app.example.com", pid="kept"))
    for pid in ("gone", "kept"):
        credentials.set_secret(pid, "api_key", Secret(f"key-of-{pid}-123"))
    profile = paths.profile_dir("gone")
    (profile / "cookie").write_text("x")
    dialog = SettingsDialog(load_config(path))
    qtbot.addWidget(dialog)
    assert dialog.remove_provider("gone", delete_secrets=True, delete_profile=True)
    assert [p.id for p in load_config(path).providers] == ["kept"]
    qtbot.waitUntil(lambda: gnome_keyring.lookup("gone", "api_key") is None, timeout=10_000)  # keyring thread
    assert gnome_keyring.lookup("kept", "api_key") == "key-of-kept-123"  # the other provider untouched
    assert provider_removal.scheduled_profiles() == {"gone"} and profile.exists()  # in use until exit
    provider_removal.remove_scheduled_profiles()
    assert not profile.exists() and paths.profile_dir("kept").exists()
    credentials.delete_provider_secrets("kept", "spoki")


def _keyring_error_shown(qtbot, run_shell, tmp_path, spoki_server, pid: str):
    shell = run_shell(write_config(tmp_path, spoki_toml(spoki_server.origin, pid=pid)))
    view = shell.views[pid]
    qtbot.waitUntil(view.showing_error, timeout=15_000)
    return view


def test_no_usable_keyring_is_named_in_the_view_with_what_to_do(run_shell, tmp_path, qtbot, spoki_server):
    import keyring
    import keyring.backends.fail
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # what keyring picks when nothing is usable
    try:
        view = _keyring_error_shown(qtbot, run_shell, tmp_path, spoki_server, "nokeyring")
        assert "No secure keyring is available" in view.panel.message.text()
        assert "never stores secrets in plain text" in view.panel.message.text()
        assert "Install and start gnome-keyring" in view.panel.hint.text() and "Retry" in view.panel.hint.text()
        assert view.panel.retry_button.isVisibleTo(view.panel), "Retry, for once the keyring is back"
        # Meanwhile the user can sign in for this session; nothing can be remembered.
        assert "for this session only" in view.panel.hint.text()
        form = view.signin_form
        assert form is not None and not form.remember.isChecked() and not form.remember.isEnabled()
        form.edits["api_key"].setText(DEMO_API_KEY)
        form.edits["private_key"].setText(DEMO_PRIVATE_KEY)
        form.button.click()
        wait_ready(qtbot, view)
        assert not view.showing_error()
    finally:
        keyring.set_keyring(previous)


def test_a_locked_keyring_is_named_in_the_view_and_nothing_is_written(run_shell, tmp_path, qtbot, spoki_server):
    import secretstorage

    from tests.helpers.keyring_fixture import keyring_session
    with keyring_session(tmp_path / "locked") as session:
        connection = secretstorage.dbus_init()
        try:
            collection = secretstorage.get_default_collection(connection)
            collection.lock()
            view = _keyring_error_shown(qtbot, run_shell, tmp_path, spoki_server, "locked")
            assert "locked and was not unlocked" in view.panel.message.text()
            assert "Unlock your login keyring" in view.panel.hint.text()
            assert view.signin_form is not None and not view.signin_form.remember.isEnabled()
            assert collection.is_locked() and list(collection.search_items({"service": "portico"})) == []
        finally:
            connection.close()
    assert session.daemon.poll() is not None


@pytest.mark.parametrize("error, words, hint", [
    (credentials.KeyringLocked("The system keyring is locked and was not unlocked.", "Unlock your login keyring."),
     "locked and was not unlocked",
     "Unlock your login keyring. Then press Retry. Or sign in below for this session only."),
    (credentials.KeyringUnavailable("No secure keyring is available.", "Install and start gnome-keyring."),
     "No secure keyring is available",
     "Install and start gnome-keyring. Then press Retry. Or sign in below for this session only."),
], ids=["locked", "unavailable"])
def test_rocketchat_names_the_typed_keyring_error(qtbot, error, words, hint):
    from desktop.config import parse_config
    from desktop.providers.rocketchat.provider import RocketChatProvider

    def refuse(_pid: str, _field: str):
        raise error
    config = parse_config('[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "https://chat.example.com"\n'
                          'username = "ada"\n').providers[0]
    provider = RocketChatProvider(config, get_secret=refuse)
    errors = []
    provider.error_occurred.connect(errors.append)
    provider.prepare()
    assert len(errors) == 1 and words in errors[0].message and "the Rocket.Chat password" in errors[0].message
    assert errors[0].hint == hint
    assert errors[0].needs_fields == ("password",) and not errors[0].can_remember


def _signin_providers(get_secret):
    """One Rocket.Chat and one Spoki provider reading their secrets through ``get_secret``."""
    from desktop.config import parse_config
    from desktop.providers.rocketchat.provider import RocketChatProvider
    from desktop.providers.spoki.provider import SpokiProvider

    config = parse_config(
        '[[provider]]\nid = "rc"\nkind = "rocketchat"\nserver = "https://chat.example.com"\nusername = "ada"\n'
        + spoki_toml("https://api.example.com", "https://app.example.com", pid="sp")).providers
    return [RocketChatProvider(config[0], get_secret=get_secret), SpokiProvider(config[1], get_secret=get_secret)]


@pytest.mark.parametrize("stored", [
    credentials.CredentialMissing("No entry."), credentials.UnknownField("Not a field."), None, "", "  \n\t ",
], ids=["missing", "unknown-field", "none", "empty", "blank"])
def test_every_signin_kind_treats_no_usable_stored_secret_as_missing(qtbot, stored):
    """The keyring rule both sign-in kinds share: nothing usable stored asks for it (and the
    keyring may remember it), it is not reported as a keyring failure."""
    from desktop.secret import Secret

    def read(_pid: str, _field: str):
        if isinstance(stored, Exception):
            raise stored
        return None if stored is None else Secret(stored)
    for provider, fields in zip(_signin_providers(read), [("password",), ("api_key", "private_key")]):
        errors = []
        provider.error_occurred.connect(errors.append)
        provider.prepare()
        assert len(errors) == 1, provider.kind
        assert "the keyring has none" in errors[0].message and "could not read" not in errors[0].message
        assert errors[0].needs_fields == fields and errors[0].can_remember


def test_every_signin_kind_strips_what_the_keyring_holds(qtbot):
    """A secret stored with stray whitespace (pasted with a newline) is used without it."""
    from desktop.secret import Secret

    read_fields = []

    def read(_pid: str, field: str):
        read_fields.append(field)
        return Secret(f"  {field}-value\n")
    rocketchat, spoki = _signin_providers(read)
    assert rocketchat._read_secret("password").reveal() == "password-value"
    assert [s.reveal() for s in spoki._read_secrets()] == ["api_key-value", "private_key-value"]
    assert read_fields == ["password", "api_key", "private_key"]


@pytest.mark.parametrize("secrets, browser_data", [(True, True), (False, False), (True, False), (False, True)],
                         ids=["delete-both", "keep-both", "secrets-only", "browser-data-only"])
def test_the_remove_button_offers_to_delete_secrets_and_browser_data(gnome_keyring, tmp_path, qtbot, secrets,
                                                                    browser_data):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QPushButton

    from desktop import paths
    from desktop.config import load_config
    from desktop.secret import Secret
    from desktop.shell import provider_removal
    from desktop.shell.removal_dialog import RemoveProviderDialog
    from desktop.shell.settings_dialog import SettingsDialog

    pid = f"offer-{int(secrets)}{int(browser_data)}"
    path = tmp_path / "config.toml"
    path.write_text(spoki_toml("https://api.example.com", "https://app.example.com", pid=pid))
    credentials.set_secret(pid, "api_key", Secret(f"key-of-{pid}-456"))
    (paths.profile_dir(pid) / "cookie").write_text("x")
    dialog = SettingsDialog(load_config(path))
    qtbot.addWidget(dialog)
    dialog.provider_list.setCurrentRow(0)
    offered: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, RemoveProviderDialog):
            QTimer.singleShot(20, answer)
            return
        offered.extend([box.secrets.text(), box.browser_data.text()])
        # Deleting data is a choice, never the default; both are offered for a kind with secrets.
        assert not box.secrets.isChecked() and not box.browser_data.isChecked()
        assert box.secrets.isVisible() and box.browser_data.isVisible()
        box.secrets.setChecked(secrets)
        box.browser_data.setChecked(browser_data)
        box.remove_button.click()
    QTimer.singleShot(0, answer)
    remove = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Remove")
    remove.click()  # runs the question's event loop until answer() clicks Remove
    assert "saved secrets (keyring)" in offered[0] and "browser data" in offered[1]
    assert load_config(path).providers == ()
    if secrets:
        qtbot.waitUntil(lambda: gnome_keyring.lookup(pid, "api_key") is None, timeout=10_000)  # keyring thread
    else:
        gnome_keyring.settled(qtbot)
        assert gnome_keyring.lookup(pid, "api_key") == f"key-of-{pid}-456"
    assert (pid in provider_removal.scheduled_profiles()) == browser_data
    provider_removal.remove_scheduled_profiles()
    assert (paths.data_dir() / "profiles" / pid).exists() != browser_data
    credentials.delete_provider_secrets(pid, "spoki")


def test_the_removal_question_offers_no_secrets_for_a_kind_without_any(qtbot):
    from desktop.shell.removal_dialog import RemoveProviderDialog
    question = RemoveProviderDialog("board", "spatialchat")
    qtbot.addWidget(question)
    question.show()
    assert not question.secrets.isVisible() and question.browser_data.isVisible()
    question.secrets.setChecked(True)
    assert not question.delete_secrets()


def test_a_busy_keyring_does_not_block_the_window(run_shell, tmp_path, qtbot, gnome_keyring, spoki_server):
    # The keyring thread is held (as by an unlock prompt nobody answers yet): the provider waits for
    # its secrets without blocking the Qt event loop, then signs in once the keyring answers.
    import threading

    from PySide6.QtCore import QTimer

    from desktop.contract import ProviderState
    from desktop.secret import Secret
    pid = "busy"
    credentials.set_secret(pid, "api_key", Secret(DEMO_API_KEY), "spoki")
    credentials.set_secret(pid, "private_key", Secret(DEMO_PRIVATE_KEY), "spoki")
    release = threading.Event()
    held = credentials.submit(lambda: release.wait(20))
    try:
        ticks: list[int] = []
        timer = QTimer(interval=20)
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start()
        shell = run_shell(write_config(tmp_path, spoki_toml(spoki_server.origin, pid=pid)))
        view = shell.views[pid]
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=5000)  # the event loop runs on meanwhile
        timer.stop()
        assert shell.providers[pid].state is ProviderState.PREPARING and not view.showing_error()
    finally:
        release.set()
    held.result(timeout=10)
    wait_ready(qtbot, view)
    assert not view.showing_error()
    credentials.delete_provider_secrets(pid, "spoki")


def test_a_one_time_code_is_never_looked_up_in_the_keyring(run_shell, tmp_path, gnome_keyring):
    # A two-factor code is typed, used once and never stored: asking the Shell for one that was not
    # typed answers "missing" at once, without a keyring call (which would wait behind this one).
    import threading

    from tests.helpers.net import free_port
    from tests.helpers.rocketchat import rc_toml
    release = threading.Event()
    held = credentials.submit(lambda: release.wait(20))
    try:
        # Started (its sign-in waits for the held keyring thread), against a port nobody listens on.
        # WORKAROUND: a never-started Shell closed as the process's first crashed a Chromium thread
        # in about 3 of 8 runs (see the closing note); started ones did not.
        shell = run_shell(write_config(tmp_path, rc_toml(f"http://127.0.0.1:{free_port()}")))
        with pytest.raises(credentials.CredentialMissing):
            shell.secrets.get("rc", "totp")
        assert not held.done()
    finally:
        release.set()
    held.result(timeout=10)


def test_a_signin_request_asks_for_json_and_sends_and_keeps_no_cookie(qtbot):
    """Both sign-in kinds build their REST requests with json_request: a cookie the server sets
    (Spoki's auth endpoint sets a session cookie) is neither kept nor sent with the next one."""
    from PySide6.QtCore import QUrl
    from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply

    from desktop.demo.server import LoopbackServer, Response
    from desktop.providers.rest import json_request

    seen: list[dict[str, str]] = []

    def route(request):
        seen.append(request.headers)
        return Response.json({"ok": True}, headers={"Set-Cookie": "sessionid=abc123; Path=/"})
    manager = QNetworkAccessManager()
    with LoopbackServer(route) as server:
        for _ in range(2):
            request = json_request(server.origin + "/api/v1/login", 4321)
            assert request.transferTimeout() == 4321
            reply = manager.get(request)
            with qtbot.waitSignal(reply.finished, timeout=10_000):
                pass
            assert reply.error() == QNetworkReply.NetworkError.NoError
            assert reply.rawHeader("Set-Cookie").data() == b"sessionid=abc123; Path=/"  # it was offered
    assert [h.get("accept") for h in seen] == ["application/json"] * 2
    assert all("cookie" not in h for h in seen)
    assert manager.cookieJar().cookiesForUrl(QUrl(server.origin + "/")) == []
