"""Credentials against the real Secret Service (gnome-keyring on a private D-Bus), and the refusals."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys

import keyring
import keyring.backend
import pytest

from desktop import credentials
from desktop.commands import credentials as credentials_cmd
from desktop.secret import Secret
from tests.keyring_fixture import keyring_session

SECRETS = ("hunter2-correct-horse", "tok-9f8e7d6c5b4a", "spoki-api-KEY-0042", "-----BEGIN PRIVATE KEY----- abc")
CONFIG = '''
[[provider]]
id = "work"
kind = "rocketchat"
server = "https://chat.example.com"
username = "ada"

[[provider]]
id = "wa"
kind = "spoki"
email = "ops@example.com"
'''


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


def test_set_get_delete_really_in_the_secret_service(gnome_keyring):
    credentials.set_secret("work", "password", Secret(SECRETS[0]))
    assert gnome_keyring.lookup("work", "password") == SECRETS[0]  # libsecret sees it, not just Python
    assert credentials.get_secret("work", "password") == Secret(SECRETS[0])
    assert credentials.stored_fields("work", "rocketchat") == ["password"]
    credentials.delete_secret("work", "password")
    assert gnome_keyring.lookup("work", "password") is None
    with pytest.raises(credentials.CredentialMissing) as info:
        credentials.get_secret("work", "password")
    assert "portico credentials set work password" in info.value.hint
    with pytest.raises(credentials.CredentialMissing):
        credentials.delete_secret("work", "password")


def test_unknown_field_is_refused():
    with pytest.raises(credentials.UnknownField, match="api_key, private_key"):
        credentials.check_field("spoki", "password")


def test_cli_set_from_stdin_list_and_delete(gnome_keyring, config_file):
    env = dict(gnome_keyring.env, PYTHONPATH=os.getcwd())

    def portico(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", "credentials", *args, "--config", str(config_file)],
                              input=stdin, capture_output=True, text=True, env=env, timeout=60)

    result = portico("set", "wa", "api_key", stdin=SECRETS[2] + "\n")
    assert result.returncode == 0, result.stderr
    assert gnome_keyring.lookup("wa", "api_key") == SECRETS[2]  # one trailing newline stripped
    listed = portico("list")
    assert listed.returncode == 0
    assert "wa (spoki): api_key (stored), private_key (missing)" in listed.stdout
    assert "work (rocketchat): password (missing), token (missing)" in listed.stdout
    assert SECRETS[2] not in listed.stdout + listed.stderr
    bad = portico("set", "wa", "password", stdin="x\n")
    assert bad.returncode == 1 and "not a secret field" in bad.stderr
    nobody = portico("set", "nobody", "api_key", stdin="x\n")
    assert nobody.returncode == 2 and "no provider 'nobody'" in nobody.stderr
    assert portico("delete", "wa", "api_key").returncode == 0
    assert gnome_keyring.lookup("wa", "api_key") is None


def test_cli_refuses_an_empty_secret(gnome_keyring, config_file):
    out = io.StringIO()
    args = credentials_cmd.argparse.Namespace(config=config_file, credentials_action="set", provider_id="wa",
                                              field="private_key")
    assert credentials_cmd.run(args, stdin=io.StringIO("\n"), out=out) == 2
    assert gnome_keyring.lookup("wa", "private_key") is None


def test_locked_collection_gives_the_typed_error_and_writes_nothing(tmp_path):
    import secretstorage
    with keyring_session(tmp_path) as session:
        connection = secretstorage.dbus_init()
        try:
            secretstorage.get_default_collection(connection).lock()
            with pytest.raises(credentials.KeyringLocked) as info:
                credentials.set_secret("work", "password", Secret(SECRETS[1]))
            assert "Unlock" in info.value.hint
            with pytest.raises(credentials.KeyringLocked):
                credentials.get_secret("work", "password")
        finally:
            connection.close()
    assert session.daemon.poll() is not None  # torn down


def test_no_dbus_at_all_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}}
    env.update(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-such-bus", HOME=str(tmp_path / "home"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               PYTHONPATH=os.getcwd())
    code = ("from desktop import credentials; from desktop.secret import Secret\n"
            "try:\n    credentials.set_secret('work', 'password', Secret('hunter2-correct-horse'))\n"
            "except credentials.KeyringUnavailable as e:\n    print('UNAVAILABLE', e.user_message())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.startswith("UNAVAILABLE No secure keyring is available"), result.stdout + result.stderr
    assert "gnome-keyring" in result.stdout and "plain text" in result.stdout
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []  # nothing fell back to a file


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Looks like keyrings.alt's plaintext file backend; records writes instead of making a file."""

    priority = 1  # type: ignore[assignment]
    writes: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append(password)

    def delete_password(self, service: str, username: str) -> None:
        pass


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_plaintext_backend_is_refused(monkeypatch):
    backend = PlaintextKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        with pytest.raises(credentials.KeyringUnavailable, match="plain text"):
            credentials.set_secret("work", "password", Secret(SECRETS[0]))
        with pytest.raises(credentials.KeyringUnavailable):
            credentials.backend_description()
        assert PlaintextKeyring.writes == []
    finally:
        keyring.set_keyring(previous)


def test_backend_description_names_the_secret_service(gnome_keyring):
    assert "SecretService" in credentials.backend_description()


def test_secret_type_never_shows_its_value():
    s = Secret(SECRETS[3])
    for text in (repr(s), str(s), f"{s}", f"{s!r}", "%s" % s, repr([s]), repr({"k": s})):
        assert SECRETS[3] not in text
    assert s.reveal() == SECRETS[3]
    with pytest.raises(TypeError):
        pickle.dumps(s)
    error = credentials.CredentialMissing("No password is stored for provider 'work'.", "run …")
    assert all(secret not in repr(error) + str(error) for secret in SECRETS)


def test_nothing_written_holds_a_test_secret(gnome_keyring, xdg_root):
    # Runs after the others in this module: scan every file the keyring daemon and Portico wrote.
    for root in (gnome_keyring.home, xdg_root):
        for path in root.rglob("*"):
            if path.is_file() and path.stat().st_size < 5_000_000:
                data = path.read_bytes()
                for secret in SECRETS:
                    assert secret.encode() not in data, f"{secret!r} found in {path}"
