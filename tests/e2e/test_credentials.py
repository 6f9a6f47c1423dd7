"""Credentials against the real Secret Service (gnome-keyring on a private D-Bus), the refusals, the CLI and the form."""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import credentials, paths
from desktop.commands import credentials as credentials_cmd
from desktop.redact import scrub_text
from desktop.secret import Secret
from tests.helpers import keyring_fixture, leak_scan
from tests.helpers.keyring_fixture import keyring_session

#: Every secret any test here writes or types; the last test looks for each in every written file.
SECRETS: list[str] = ["hunter2-correct-horse", "tok-9f8e7d6c5b4a", "spoki-api-KEY-0042",
                      "-----BEGIN PRIVATE KEY-----\nMIIEv-line-two\n-----END PRIVATE KEY-----",
                      "session-only-pw-5150", "remembered-pw-8086", "form-typed-key-6502"]
leak_scan.watch(SECRETS)  # the session's scan of every written file looks for these too
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


def secret_of(name: str) -> str:
    """A fresh test secret, registered for the final scan."""
    value = f"{name}-{len(SECRETS)}-q7Zp"
    SECRETS.append(value)
    return value


def no_secret_in(text: str) -> bool:
    return not any(s in text for s in SECRETS)


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture
def use_backend() -> Iterator[object]:
    """Make a backend the active keyring for one test, then restore the previous one."""
    previous = keyring.get_keyring()

    def use(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
        keyring.set_keyring(backend)
        return backend
    yield use
    keyring.set_keyring(previous)


def cli(config_file, *argv: str, stdin: io.StringIO | None = None) -> tuple[int, str, str]:
    """`portico credentials ...` in this process, parsed by the lead's real parser."""
    from desktop.cli import build_parser
    args = build_parser().parse_args(["credentials", *argv, "--config", str(config_file)])
    out, err = io.StringIO(), io.StringIO()
    code = credentials_cmd.run(args, stdin=stdin or io.StringIO(""), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# --- the real Secret Service ---------------------------------------------------------------


def test_set_get_delete_really_in_the_secret_service(gnome_keyring):
    credentials.set_secret("work", "password", Secret(SECRETS[0]), kind="rocketchat")
    assert gnome_keyring.lookup("work", "password") == SECRETS[0]  # libsecret sees it, not just Python
    assert credentials.get_secret("work", "password") == Secret(SECRETS[0])
    assert credentials.stored_fields("work", "rocketchat") == ["password"]
    credentials.set_secret("work", "password", Secret(SECRETS[1]))  # replaces
    assert gnome_keyring.lookup("work", "password") == SECRETS[1]
    credentials.delete_secret("work", "password")
    assert gnome_keyring.lookup("work", "password") is None
    assert credentials.stored_fields("work", "rocketchat") == []
    with pytest.raises(credentials.CredentialMissing) as info:
        credentials.get_secret("work", "password")
    assert "portico credentials set work password" in info.value.user_message()
    with pytest.raises(credentials.CredentialMissing):
        credentials.delete_secret("work", "password")


def test_unknown_fields_and_bad_names_are_refused_before_the_keyring(gnome_keyring):
    with pytest.raises(credentials.UnknownField, match="api_key, private_key"):
        credentials.check_field("spoki", "password")
    with pytest.raises(credentials.UnknownField):
        credentials.set_secret("wa", "password", Secret(SECRETS[2]), kind="spoki")
    with pytest.raises(credentials.UnknownField, match="keeps no secrets|its fields: none"):
        credentials.check_field("spatialchat", "password")
    for pid, field in (("../etc", "password"), ("Work", "password"), ("work", "a/b"), ("", "password")):
        with pytest.raises(credentials.UnknownField):
            credentials.set_secret(pid, field, Secret(SECRETS[2]))
    with pytest.raises(credentials.CredentialError, match="empty"):
        credentials.set_secret("wa", "api_key", Secret(""))
    assert gnome_keyring.lookup("wa", "password") is None and gnome_keyring.lookup("wa", "api_key") is None


def test_cli_set_from_a_pipe_as_a_subprocess(gnome_keyring, config_file):
    env = dict(gnome_keyring.env, PYTHONPATH=os.getcwd())

    def portico(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop", "credentials", *args, "--config", str(config_file)],
                              input=stdin, capture_output=True, text=True, env=env, timeout=60)

    result = portico("set", "wa", "private_key", stdin=SECRETS[3] + "\n")  # a multi-line PEM through a pipe
    assert result.returncode == 0, result.stderr
    assert gnome_keyring.lookup("wa", "private_key") == SECRETS[3]  # whole value, one trailing newline dropped
    code, listed, errors = cli(config_file, "list")
    assert code == 0, errors
    assert listed == ("work (rocketchat): password (missing), token (missing)\n"
                      "wa (spoki): api_key (missing), private_key (stored)\n")
    assert no_secret_in(result.stdout + result.stderr + listed + errors)
    credentials.delete_secret("wa", "private_key")


def test_cli_in_process_errors_and_prompt(gnome_keyring, config_file, monkeypatch):
    code, out, _ = cli(config_file, "set", "work", "token", stdin=io.StringIO(SECRETS[1] + "\r\n"))
    assert code == 0 and "Stored token of work" in out
    assert gnome_keyring.lookup("work", "token") == SECRETS[1]
    assert cli(config_file, "list", "work")[1] == "work (rocketchat): password (missing), token (stored)\n"
    code, _, err = cli(config_file, "set", "wa", "password", stdin=io.StringIO("x\n"))
    assert code == 2 and "not a secret field of provider 'wa' (spoki)" in err and "api_key, private_key" in err
    code, _, err = cli(config_file, "set", "nobody", "api_key", stdin=io.StringIO("x\n"))
    assert code == 2 and "no provider 'nobody'" in err and "work, wa" in err
    code, _, err = cli(config_file, "set", "wa", "api_key", stdin=io.StringIO("\n"))
    assert code == 2 and "empty" in err and gnome_keyring.lookup("wa", "api_key") is None
    code, _, err = cli(config_file, "delete", "wa", "api_key")
    assert code == 1 and "portico credentials set wa api_key" in err

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True
    prompts: list[str] = []
    monkeypatch.setattr(credentials_cmd.getpass, "getpass", lambda prompt: prompts.append(prompt) or SECRETS[2])
    code, out, err = cli(config_file, "set", "wa", "api_key", stdin=Terminal())
    assert code == 0 and prompts == ["api_key for wa: "]  # asked without echo, not read from the terminal
    assert gnome_keyring.lookup("wa", "api_key") == SECRETS[2] and no_secret_in(out + err)
    assert cli(config_file, "delete", "wa", "api_key")[0] == 0
    assert cli(config_file, "delete", "work", "token")[0] == 0
    assert gnome_keyring.lookup("wa", "api_key") is None and gnome_keyring.lookup("work", "token") is None


def test_cli_prompts_without_echo_on_a_real_terminal(gnome_keyring, config_file):
    import pty
    import select
    value = secret_of("typed-at-a-tty")
    master, slave = pty.openpty()
    # The child becomes a session leader whose controlling terminal is the pty, as in a shell.
    child = ("import fcntl, os, sys, termios; os.setsid(); fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
             "os.execv(sys.executable, [sys.executable, '-m', 'desktop', *sys.argv[1:]])")
    proc = subprocess.Popen([sys.executable, "-c", child, "credentials", "set", "wa", "api_key",
                             "--config", str(config_file)], stdin=slave, stdout=slave, stderr=slave,
                            env=dict(gnome_keyring.env, PYTHONPATH=os.getcwd()))
    os.close(slave)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while marker not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child closed the terminal
                    return
                if not chunk:
                    return
                seen += chunk
    try:
        read_until(b"api_key for wa: ")
        assert b"api_key for wa: " in seen, seen
        os.write(master, value.encode() + b"\n")
        read_until(b"system keyring.")
        assert proc.wait(60) == 0, seen
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert b"Stored api_key of wa in the system keyring." in seen
    assert value.encode() not in seen  # the terminal did not echo what was typed
    assert gnome_keyring.lookup("wa", "api_key") == value
    credentials.delete_secret("wa", "api_key")


def test_doctor_names_the_backend_in_use_or_why_there_is_none(gnome_keyring, use_backend):
    from desktop import doctor
    check = doctor.check_keyring()
    assert check.ok and check.detail.startswith("keyring.backends.SecretService.Keyring (priority "), check
    use_backend(keyring.backends.fail.Keyring())
    check = doctor.check_keyring()
    assert not check.ok and check.detail.startswith("No secure keyring is available: keyring.backends.fail.Keyring")
    assert "Install and start gnome-keyring" in check.hint


def test_doctor_lists_which_secret_fields_the_keyring_holds(gnome_keyring, config_file):
    from desktop import doctor
    check = doctor.check_secrets(config_file)
    assert not check.ok and check.detail == "stored in the keyring: work: none; wa: none; nothing for work, wa"
    assert check.hint.startswith("`portico credentials set work password` (the kind reads password or token)")
    credentials.set_secret("work", "password", Secret(SECRETS[0]), kind="rocketchat")
    credentials.set_secret("wa", "api_key", Secret(SECRETS[1]), kind="spoki")
    credentials.set_secret("wa", "private_key", Secret(SECRETS[2]), kind="spoki")
    try:
        check = doctor.check_secrets(config_file)
        assert check.ok and check.detail == "stored in the keyring: work: password; wa: api_key, private_key"
        assert no_secret_in(check.detail + check.hint)
    finally:
        credentials.delete_provider_secrets("work", "rocketchat")
        credentials.delete_provider_secrets("wa", "spoki")


def test_cli_parser_standalone_accepts_config(tmp_path):
    parser = argparse.ArgumentParser(prog="portico")
    credentials_cmd.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["credentials", "set", "work", "password", "--config", "x.toml"])
    assert (args.credentials_action, args.provider_id, args.field, args.config) == ("set", "work", "password", "x.toml")
    assert parser.parse_args(["credentials", "list"]).provider_id is None
    code, _, err = cli(tmp_path / "missing.toml", "list")
    assert code == 2 and "config" in err


@given(st.text(max_size=200))
def test_piped_secret_loses_exactly_one_trailing_newline(value):
    expected = value[:-1] if value.endswith("\r") else value
    assert credentials_cmd.read_secret("", io.StringIO(value + "\n")) == Secret(expected)
    assert credentials_cmd.read_secret("", io.StringIO(value)) == Secret(
        value[:-2] if value.endswith("\r\n") else value[:-1] if value.endswith("\n") else value)


def test_locked_collection_gives_the_typed_error_and_writes_nothing(tmp_path):
    import secretstorage
    with keyring_session(tmp_path) as session:
        connection = secretstorage.dbus_init()
        try:
            collection = secretstorage.get_default_collection(connection)
            collection.lock()
            with pytest.raises(credentials.KeyringLocked) as info:
                credentials.set_secret("work", "password", Secret(SECRETS[1]))
            assert "Unlock your login keyring" in info.value.user_message()
            assert info.value.__context__ is None and info.value.__cause__ is None
            with pytest.raises(credentials.KeyringLocked):
                credentials.get_secret("work", "password")
            code, _, err = cli_with_config(tmp_path, "set", "work", "password", stdin=io.StringIO(SECRETS[1]))
            assert code == 1 and "locked" in err
            assert collection.is_locked()  # attributes are searchable while locked: nothing was added
            assert list(collection.search_items({"service": credentials.SERVICE})) == []
        finally:
            connection.close()
    assert session.daemon.poll() is not None  # torn down


def cli_with_config(tmp_path, *argv: str, stdin: io.StringIO) -> tuple[int, str, str]:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    return cli(path, *argv, stdin=stdin)


def test_no_dbus_at_all_is_a_clear_error(tmp_path, config_file):
    env = {k: v for k, v in os.environ.items() if k not in {"DISPLAY", "WAYLAND_DISPLAY", "PYTHON_KEYRING_BACKEND"}}
    env.update(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path}/no-such-bus", HOME=str(tmp_path / "home"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_STATE_HOME=str(tmp_path / "state"), PYTHONPATH=os.getcwd())
    code = ("import sys; from desktop import credentials; from desktop.secret import Secret\n"
            "try:\n    credentials.set_secret('work', 'password', Secret(sys.argv[1]))\n"
            "except credentials.KeyringUnavailable as e:\n    print('UNAVAILABLE', e.user_message())\n"
            "from desktop.cli import main\n"
            "sys.stdin = __import__('io').StringIO(sys.argv[1])\n"
            "print('EXIT', main(['credentials', 'set', 'work', 'password', '--config', sys.argv[2]]))\n")
    result = subprocess.run([sys.executable, "-c", code, SECRETS[0], str(config_file)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.startswith("UNAVAILABLE No secure keyring is available"), result.stdout + result.stderr
    assert "keyring.backends.fail.Keyring" in result.stdout and "Install and start gnome-keyring" in result.stdout
    assert "EXIT 1" in result.stdout and "No secure keyring" in result.stderr
    assert no_secret_in(result.stdout + result.stderr)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != config_file]
    for path in written:  # at most Portico's own log, never a secret nor a keyring file
        assert "keyring" not in path.name and SECRETS[0].encode() not in path.read_bytes(), path


# --- the no-plaintext policy, with stand-in backends ------------------------------------------


class RecordingKeyring(keyring.backend.KeyringBackend):
    """An in-memory backend that records every call and the threads it ran on."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []
        self.threads: set[str] = set()
        self.active = 0
        self.max_active = 0
        self.delay = 0.0

    def _enter(self, what: str) -> None:
        self.calls.append(what)
        self.threads.add(threading.current_thread().name)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        time.sleep(self.delay)
        self.active -= 1

    def get_password(self, service: str, username: str) -> str | None:
        self._enter("get")
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._enter("set")
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._enter("delete")
        if self.data.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("No such password!")


def fake(module: str, name: str) -> type[RecordingKeyring]:
    """A RecordingKeyring that reports itself as ``module.name`` (what the policy looks at)."""
    return type(name, (RecordingKeyring,), {"__module__": module, "__qualname__": name})


class EmptyChainer(keyring.backends.chainer.ChainerBackend):
    backends = []  # type: ignore[assignment]


EmptyChainer.__module__, EmptyChainer.__qualname__ = "keyring.backends.chainer", "ChainerBackend"


@pytest.mark.parametrize("make, reason", [
    (lambda: fake("keyrings.alt.file", "PlaintextKeyring")(), "outside the system keyring"),
    (lambda: fake("keyrings.alt.file", "EncryptedKeyring")(), "not chosen in keyring's config"),
    (keyring.backends.null.Keyring, "discards every secret"),
    (keyring.backends.fail.Keyring, "no keyring is available"),
    (EmptyChainer, "no usable keyring to chain"),
    (lambda: fake("keyrings.cryptfile.cryptfile", "CryptFileKeyring")(), "not a system keyring and was not chosen"),
], ids=["plaintext", "encrypted-unchosen", "null", "fail", "empty-chainer", "third-party-unchosen"])
def test_insecure_backends_are_refused_and_nothing_is_written(use_backend, monkeypatch, tmp_path, make, reason):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.util.platform_, "config_root", lambda: tmp_path)  # no keyringrc.cfg
    backend = use_backend(make())
    with pytest.raises(credentials.KeyringUnavailable, match=reason) as info:
        credentials.set_secret("work", "password", Secret(SECRETS[0]))
    assert "gnome-keyring" in info.value.hint and "plain text" in str(info.value)
    with pytest.raises(credentials.KeyringUnavailable, match=reason):
        credentials.backend_description()
    with pytest.raises(credentials.KeyringUnavailable):
        credentials.get_secret("work", "password")
    assert getattr(backend, "calls", []) == []  # never even read


def test_a_chainer_uses_only_its_secure_member(use_backend, monkeypatch, tmp_path):
    monkeypatch.setattr(keyring.util.platform_, "config_root", lambda: tmp_path)
    secure = fake("keyring.backends.SecretService", "Keyring")()
    plaintext = fake("keyrings.alt.file", "PlaintextKeyring")()
    plaintext.data[(credentials.SERVICE, "work/password")] = "left-in-a-plain-file"

    class Chainer(keyring.backends.chainer.ChainerBackend):
        backends = [plaintext, secure]  # type: ignore[assignment]
    use_backend(Chainer())
    credentials.set_secret("work", "token", Secret(SECRETS[1]))
    assert secure.data == {(credentials.SERVICE, "work/token"): SECRETS[1]}
    with pytest.raises(credentials.CredentialMissing):
        credentials.get_secret("work", "password")  # the plaintext file is not even read
    assert plaintext.calls == []
    described = credentials.backend_description()
    assert described.startswith("keyring.backends.SecretService.Keyring") and "PlaintextKeyring" in described


@pytest.mark.parametrize("name", ["keyrings.alt.file.EncryptedKeyring", "keyrings.cryptfile.cryptfile.CryptFileKeyring"])
@pytest.mark.parametrize("how", ["env", "keyringrc"])
def test_an_encrypted_file_keyring_chosen_in_keyrings_config_is_allowed(use_backend, monkeypatch, tmp_path, how,
                                                                         name):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.util.platform_, "config_root", lambda: tmp_path)
    if how == "env":
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    else:
        (tmp_path / "keyringrc.cfg").write_text(f"[backend]\ndefault-keyring = {name}\n")
    backend = use_backend(fake(*name.rsplit(".", 1))())
    credentials.set_secret("wa", "api_key", Secret(SECRETS[2]))
    assert backend.data == {(credentials.SERVICE, "wa/api_key"): SECRETS[2]}
    assert credentials.backend_description().startswith(name)


# --- one keyring thread; sync and async APIs ----------------------------------------------------


def test_every_call_runs_on_the_one_keyring_thread(use_backend, monkeypatch, tmp_path):
    monkeypatch.setattr(keyring.util.platform_, "config_root", lambda: tmp_path)
    backend = use_backend(fake("keyring.backends.SecretService", "Keyring")())
    backend.delay = 0.002
    values = {f"p{i}": secret_of(f"thread{i}") for i in range(8)}

    def worker(pid: str) -> Secret:
        credentials.set_secret(pid, "password", Secret(values[pid]))
        return credentials.get_secret(pid, "password")
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = dict(zip(values, pool.map(worker, values)))
    futures = [credentials.get_secret_async(pid, "password") for pid in values]
    assert {pid: f.result(5) for pid, f in zip(values, futures)} == got == {p: Secret(v) for p, v in values.items()}
    assert backend.max_active == 1 and backend.threads == {"portico-keyring_0"}
    # A sync call made on the keyring thread itself (inside a submitted job) does not deadlock.
    assert credentials.submit(lambda: credentials.stored_fields("p0", "rocketchat")).result(5) == ["password"]


def test_concurrent_callers_do_not_crash_the_real_daemon(gnome_keyring):
    values = {f"storm-{i}": secret_of(f"storm{i}") for i in range(8)}

    def worker(pid: str) -> bool:
        for _ in range(2):
            credentials.set_secret(pid, "password", Secret(values[pid]))
            if credentials.get_secret(pid, "password") != Secret(values[pid]):
                return False
        return True
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert all(pool.map(worker, values))
    per_call_ms = (time.perf_counter() - started) * 1000 / (8 * 2 * 2)
    assert gnome_keyring.daemon.poll() is None  # gnome-keyring 42 aborts under 4+ concurrent callers
    first = next(iter(values))
    assert gnome_keyring.lookup(first, "password") == values[first]  # libsecret agrees
    for pid in values:
        credentials.delete_secret(pid, "password")
    print(f"keyring call through the worker: {per_call_ms:.1f} ms")


def test_qt_requests_answer_on_the_qt_thread(gnome_keyring, qtbot, qapp):
    from PySide6.QtCore import QThread

    from desktop.shell.credential_store import CredentialRequest, CredentialStore
    store = CredentialStore()
    seen: list[tuple[str, object, bool]] = []

    def record(name: str):
        return lambda value: seen.append((name, value, QThread.currentThread() is qapp.thread()))
    value = secret_of("qt")
    request = store.set_secrets("work", {"password": Secret(value)}, kind="rocketchat")
    assert isinstance(request, CredentialRequest) and no_secret_in(repr(request) + repr(store))
    with qtbot.waitSignal(request.finished, timeout=5000):
        request.finished.connect(record("set"))
    assert gnome_keyring.lookup("work", "password") == value
    got = store.get_secret("work", "password")
    got.finished.connect(record("get"))
    missing = store.get_secret("work", "token")
    missing.failed.connect(record("missing"))
    with qtbot.waitSignal(store.request_failed, timeout=5000):
        pass
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen[0] == ("set", None, True) and seen[1] == ("get", Secret(value), True)
    assert seen[2][0] == "missing" and isinstance(seen[2][1], credentials.CredentialMissing) and seen[2][2]
    assert store.pending() == 0
    done = store.delete_secret("work", "password")
    with qtbot.waitSignal(done.finished, timeout=5000):
        pass
    assert gnome_keyring.lookup("work", "password") is None


# --- the sign-in form -------------------------------------------------------------------------


def test_signin_form_emits_what_was_typed_and_only_remembered_values_reach_the_keyring(gnome_keyring, qtbot):
    from PySide6.QtWidgets import QLineEdit

    from desktop.shell.credential_store import CredentialStore
    from desktop.shell.signin_form import SignInForm
    store = CredentialStore()

    def shell_sign_in(form: SignInForm, values: dict[str, Secret], remember: bool) -> None:
        """What the Shell does: the values serve this session; only with remember are they stored."""
        storable = {f: v for f, v in values.items() if form.storable(f)}
        if remember and storable:
            store.set_secrets("work", storable, kind="rocketchat")

    for remember, typed in ((False, SECRETS[4]), (True, SECRETS[5])):
        form = SignInForm("rocketchat", ("password", "totp"))
        qtbot.addWidget(form)
        form.submitted.connect(lambda values, keep, f=form: shell_sign_in(f, values, keep))
        assert all(e.echoMode() == QLineEdit.EchoMode.Password for e in form.edits.values())
        assert form.remember.isChecked() and not form.button.isEnabled() and not form.error.isVisibleTo(form)
        form.show_error("The server rejected the password.")
        assert form.error.isVisibleTo(form) and form.error.text() == "The server rejected the password."
        qtbot.keyClicks(form.edits["password"], typed)
        assert not form.button.isEnabled()  # every field is needed
        qtbot.keyClicks(form.edits["totp"], "123456")
        form.remember.setChecked(remember)
        assert no_secret_in(repr(form) + repr(form.edits["password"]))
        with qtbot.waitSignal(form.submitted, timeout=1000) as signal:
            form.button.click()
        values, keep = signal.args
        assert scrub_text(f"log: {typed}") == "log: ***"  # typed values are scrubbed from now on
        assert values == {"password": Secret(typed), "totp": Secret("123456")} and keep is remember
        assert all(e.text() == "" for e in form.edits.values()) and not form.error.isVisibleTo(form)
        qtbot.waitUntil(lambda: store.pending() == 0, timeout=5000)
        assert gnome_keyring.lookup("work", "password") == (typed if remember else None)
        assert gnome_keyring.lookup("work", "totp") is None  # a one-time code is never stored
    credentials.delete_secret("work", "password")


# --- removing a provider's data ----------------------------------------------------------------


def test_delete_provider_data_removes_what_was_asked(gnome_keyring):
    from desktop.shell import provider_removal
    for pid in ("gone-a", "gone-b"):
        credentials.set_secret(pid, "api_key", Secret(secret_of(pid)))
        (paths.profile_dir(pid) / "Cookies").write_text("x")
    assert provider_removal.delete_provider_data("gone-a", "spoki", remove_secrets=True, remove_profile=False) == ["api_key"]
    assert gnome_keyring.lookup("gone-a", "api_key") is None and (paths.data_dir() / "profiles/gone-a").is_dir()
    assert provider_removal.delete_provider_data("gone-a", "spoki", remove_secrets=False, remove_profile=True) == []
    assert not (paths.data_dir() / "profiles/gone-a").exists()
    assert provider_removal.delete_provider_data("gone-b", "spoki", True, True, profile_in_use=True) == ["api_key"]
    assert gnome_keyring.lookup("gone-b", "api_key") is None
    assert "gone-b" in provider_removal.scheduled_profiles() and (paths.data_dir() / "profiles/gone-b").is_dir()
    provider_removal.remove_scheduled_profiles()
    assert not (paths.data_dir() / "profiles/gone-b").exists()
    with pytest.raises(credentials.UnknownField):
        provider_removal.delete_provider_data("..", "spoki", remove_secrets=False, remove_profile=True)


# --- the fixture itself, the Secret type, and the leak scans ------------------------------------


def test_fixture_fails_in_ci_and_skips_elsewhere_when_the_daemon_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(keyring_fixture.shutil, "which", lambda exe: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="missing in CI"):
        with keyring_session(tmp_path / "a"):
            pass
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        with keyring_session(tmp_path / "b"):
            pass


def test_secret_type_never_shows_its_value():
    s = Secret(SECRETS[3])
    for text in (repr(s), str(s), f"{s}", f"{s!r}", "%s" % s, "{}".format(s), repr([s]), repr({"k": s})):
        assert SECRETS[3] not in text
    assert s.reveal() == SECRETS[3] and s == Secret(SECRETS[3]) and s != SECRETS[3] and not Secret("")
    with pytest.raises(TypeError):
        pickle.dumps(s)
    with pytest.raises(TypeError):
        Secret(b"bytes")  # type: ignore[arg-type]


def test_no_public_object_or_error_shows_a_secret(gnome_keyring, use_backend, tmp_path, monkeypatch):
    errors: list[BaseException] = []
    value = secret_of("repr")
    credentials.set_secret("wa", "api_key", Secret(value))
    future = credentials.get_secret_async("wa", "api_key")
    assert future.result(5) == Secret(value)
    objects: list[object] = [future, credentials, credentials._executor, Secret(value)]
    for call in (lambda: credentials.get_secret("wa", "private_key"),
                 lambda: credentials.set_secret("wa", "password", Secret(value), kind="spoki"),
                 lambda: credentials.set_secret("wa/..", "api_key", Secret(value))):
        try:
            call()
        except credentials.CredentialError as exc:
            errors.append(exc)
    credentials.delete_secret("wa", "api_key")
    monkeypatch.setattr(keyring.util.platform_, "config_root", lambda: tmp_path)
    use_backend(fake("keyrings.alt.file", "PlaintextKeyring")())
    try:
        credentials.set_secret("wa", "api_key", Secret(value))
    except credentials.CredentialError as exc:
        errors.append(exc)

    class Leaky(RecordingKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.PasswordSetError(f"D-Bus said no to {password}")
    Leaky.__module__, Leaky.__qualname__ = "keyring.backends.SecretService", "Keyring"  # passes the policy
    use_backend(Leaky())
    try:
        credentials.set_secret("wa", "api_key", Secret(value))
    except credentials.CredentialError as exc:
        errors.append(exc)
    assert [type(e).__name__ for e in errors] == ["CredentialMissing", "UnknownField", "UnknownField",
                                                  "KeyringUnavailable", "KeyringUnavailable"]
    for error in errors:
        text = "".join(traceback.format_exception(error)) + repr(error) + error.user_message() + repr(error.args)
        assert value not in text and error.__context__ is None
    for obj in objects:
        assert value not in repr(obj) + str(obj)


CRASHING = """
import gc, sys, threading
from PySide6.QtCore import QCoreApplication, QTimer
from desktop import credentials
from desktop.cli import main
main(["credentials", "list", "--config", sys.argv[1]])  # the real entry point installs the hooks
value = credentials.get_secret("wa", "api_key").reveal()  # read from the real keyring
if sys.argv[2] == "segfault":
    import faulthandler
    held = value  # a local on the crashing stack
    faulthandler._sigsegv()
thread = threading.Thread(target=lambda: (_ for _ in ()).throw(RuntimeError("thread saw " + value)))
thread.start(); thread.join()
class Leaky:
    def __del__(self):
        raise OSError("finaliser saw " + value)
Leaky(); gc.collect()
app = QCoreApplication([])
def slot():
    raise KeyError("slot saw " + value)
QTimer.singleShot(0, slot)
QTimer.singleShot(100, app.quit)
app.exec()
raise ValueError("main saw " + value)
"""


@pytest.mark.parametrize("how", ["exceptions", "segfault"])
def test_crash_output_never_shows_a_secret(gnome_keyring, tmp_path, how):
    config = tmp_path / "config.toml"
    config.write_text('[[provider]]\nid = "room"\nkind = "spatialchat"\nurl = "https://site.example/"\n')
    value = secret_of("crash")
    credentials.set_secret("wa", "api_key", Secret(value))
    try:
        env = dict(gnome_keyring.env, PYTHONPATH=os.getcwd(), QT_QPA_PLATFORM="offscreen")
        result = subprocess.run([sys.executable, "-c", CRASHING, str(config), how], capture_output=True,
                                text=True, env=env, timeout=60)
    finally:
        credentials.delete_secret("wa", "api_key")
    err = result.stderr
    assert value not in err + result.stdout
    if how == "segfault":
        assert result.returncode < 0 and "Fatal Python error: Segmentation fault" in err and "<string>" in err
    else:
        assert result.returncode == 1
        for seen in ("RuntimeError: thread saw ***", "OSError: finaliser saw ***", "KeyError: 'slot saw ***'",
                     "ValueError: main saw ***"):
            assert seen in err, err  # each crash path printed its traceback, scrubbed


def test_the_session_leak_scan_finds_a_secret_in_any_written_file(tmp_path):
    planted = "planted-not-watched-" + "x7" * 4  # not a watched secret: the session scan must stay clean
    (tmp_path / "profile/Local Storage").mkdir(parents=True)
    (tmp_path / "profile/Local Storage/000003.log").write_bytes(b"\x00key\x01" + planted.encode() + b"\xff")
    (tmp_path / "events.jsonl").write_text('{"data": "***"}\n')
    assert leak_scan.find_leaks([tmp_path], [planted, "absent-value"]) == [
        (tmp_path / "profile/Local Storage/000003.log", planted[:6] + "… plain")]
    assert leak_scan.find_leaks([tmp_path], ["absent-value"]) == []


def test_nothing_written_holds_a_test_secret(gnome_keyring, xdg_root):
    # Runs last in this module: every file the keyring daemon and Portico wrote (the daemon's
    # login.keyring is encrypted, the logs and config are Portico's).
    scanned = 0
    for root in (gnome_keyring.home, xdg_root):
        for path in root.rglob("*"):
            if path.is_file() and path.stat().st_size < 5_000_000:
                data = path.read_bytes()
                scanned += 1
                for secret in SECRETS:
                    assert secret.encode() not in data, f"a test secret was found in {path}"
    assert scanned > 0 and (gnome_keyring.home / ".local/share/keyrings/login.keyring").is_file()
