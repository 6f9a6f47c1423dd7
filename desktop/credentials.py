"""Secrets in the OS keyring: one worker thread, typed errors, and never a plaintext fallback."""

from __future__ import annotations

import logging
import os
import re
import threading
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final, TypeVar

from desktop.config import is_provider_id
from desktop.kinds import secret_fields
from desktop.redact import register_secret
from desktop.secret import Secret

if TYPE_CHECKING:
    import concurrent.futures

    import keyring.backend

log = logging.getLogger("portico.credentials")

#: The keyring service of every Portico secret (fixed: renaming it would orphan users' entries).
SERVICE: Final = "portico"
#: How long one synchronous keyring call may take before Portico says the keyring is not answering.
CALL_TIMEOUT_S: Final = 30.0
#: Backends that keep no secrets or keep them readable; refused whatever chose them.
_REFUSED_BACKENDS: Final = {
    "keyring.backends.fail.Keyring": "means no keyring is available",
    "keyring.backends.null.Keyring": "discards every secret (keyring was disabled)",
    "keyring.backends.chainer.ChainerBackend": "has no usable keyring to chain",
}
#: keyrings.alt backends that encrypt with a master password: allowed only when chosen in keyring's config.
_ENCRYPTED_FILE_BACKENDS: Final = frozenset(
    {"keyrings.alt.file.EncryptedKeyring", "keyrings.alt.pyfs.EncryptedKeyring"}
)
#: The operating systems' own keyrings: used whenever keyring picks them. Any other backend
#: (keyrings.cryptfile, a vendor's plugin …) only when chosen in keyring's config.
_SYSTEM_BACKENDS: Final = frozenset({
    "keyring.backends.SecretService.Keyring", "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring", "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring", "keyring.backends.Windows.WinVaultKeyring",
})
_FIELD_RE: Final = re.compile(r"[a-z0-9_]{1,40}")

T = TypeVar("T")


class CredentialError(Exception):
    """A keyring problem: ``str()`` says what happened, ``hint`` what to do. Never holds a secret."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def user_message(self) -> str:
        """The message and what to do, for a dialog or the command line."""
        return f"{self}\n→ {self.hint}" if self.hint else str(self)


class KeyringUnavailable(CredentialError):
    """No usable keyring: none reachable, or only a plaintext/null one (refused)."""


class KeyringLocked(CredentialError):
    """The keyring is locked and was not unlocked (the user declined, or nobody answered)."""


class CredentialMissing(CredentialError, LookupError):
    """No entry is stored for this provider and field."""


class UnknownField(CredentialError, ValueError):
    """The field is not a secret field of the provider's kind (or not a valid name at all)."""


_worker_ident: int | None = None


def _mark_worker() -> None:
    global _worker_ident
    _worker_ident = threading.get_ident()


#: The one thread that talks to the keyring (gnome-keyring-daemon 42 crashes under concurrent
#: calls); made on the first call (every `portico` start imports this module for its CLI).
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock: Final = threading.Lock()


def _keyring_thread() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            import concurrent.futures  # noqa: PLC0415
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="portico-keyring", initializer=_mark_worker)
        return _executor


# --- names and checks ---------------------------------------------------------------------


def username(provider_id: str, field: str) -> str:
    """The keyring user name of one secret: ``<provider-id>/<field>``."""
    if not is_provider_id(provider_id):
        raise UnknownField(f"{provider_id!r} is not a provider id (lowercase letters, digits and '-').")
    if not _FIELD_RE.fullmatch(field):
        raise UnknownField(f"{field!r} is not a secret field name.")
    return f"{provider_id}/{field}"


def check_field(kind: str, field: str, provider_id: str = "") -> None:
    """Raise :class:`UnknownField` unless ``field`` is one of the kind's declared secret fields."""
    fields = secret_fields(kind)
    if field not in fields:
        listed = ", ".join(fields) or "none"
        where = f"provider {provider_id!r} ({kind})" if provider_id else f"a {kind} provider"
        raise UnknownField(f"{field!r} is not a secret field of {where}; its fields: {listed}.",
                           f"Use one of: {listed}." if fields else "This kind of provider keeps no secrets.")


def _missing(provider_id: str, field: str) -> CredentialMissing:
    return CredentialMissing(f"No {field} is stored for provider {provider_id!r}.",
                             f"Run `portico credentials set {provider_id} {field}`, or sign in from the "
                             "provider's view with \"Remember in the system keyring\" checked.")


def _keyring() -> types.ModuleType:
    """:mod:`keyring` (with its errors and platform helpers), imported on first use: every
    ``portico`` start imports this module, and keyring is slow to import (docs/startup.md)."""
    import keyring  # noqa: PLC0415
    import keyring.errors  # noqa: PLC0415
    import keyring.util.platform_  # noqa: PLC0415
    return keyring


# --- the backend policy: no silent plaintext ----------------------------------------------


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _configured_backend() -> str | None:
    """The backend the user chose in keyring's own config (``PYTHON_KEYRING_BACKEND`` or keyringrc.cfg)."""
    chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "").strip()
    if chosen:
        return chosen
    import configparser  # noqa: PLC0415 - only when a keyring is first chosen
    parser = configparser.RawConfigParser()
    try:
        parser.read(_keyring().util.platform_.config_root() / "keyringrc.cfg", encoding="utf-8")
        return parser.get("backend", "default-keyring").strip() or None
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None


def _refusal(backend: keyring.backend.KeyringBackend, configured: str | None) -> str | None:
    """Why ``backend`` must not hold Portico's secrets, or None when it may."""
    name = _backend_name(backend)
    if name in _SYSTEM_BACKENDS:
        return None
    if name in _ENCRYPTED_FILE_BACKENDS:
        return None if configured == name else (
            "is an encrypted file keyring that was not chosen in keyring's config")
    if name.startswith("keyrings.alt."):
        return "stores secrets in a file outside the system keyring (plain text or reversible)"
    if name in _REFUSED_BACKENDS:
        return None if getattr(backend, "backends", None) else _REFUSED_BACKENDS[name]
    return None if configured == name else "is not a system keyring and was not chosen in keyring's config"


def _choose_backend() -> tuple[keyring.backend.KeyringBackend, list[tuple[str, str]]]:
    """The backend Portico will use, and the backends it skipped with the reason.

    A chainer is reduced to its best member that passes the policy, so a plaintext member is
    never read nor written. Raises :class:`KeyringUnavailable` when nothing is left.
    """
    active = _keyring().get_keyring()
    configured = _configured_backend()
    chained = list(getattr(active, "backends", None) or [])
    candidates = chained if chained else [active]
    skipped: list[tuple[str, str]] = []
    for backend in candidates:
        reason = _refusal(backend, configured)
        if reason is None:
            return (active if not chained else backend), skipped
        skipped.append((_backend_name(backend), reason))
    if not skipped:  # an empty chainer
        skipped.append((_backend_name(active), _REFUSED_BACKENDS.get(_backend_name(active), "is not usable")))
    because = "; ".join(f"{name} {reason}" for name, reason in skipped)
    raise KeyringUnavailable(
        f"No secure keyring is available: {because}. Portico never stores secrets in plain text.",
        "Install and start gnome-keyring (or KWallet) in your desktop session; on a headless machine run "
        "`gnome-keyring-daemon --unlock --components=secrets` inside a D-Bus session. If you disabled "
        "keyring, remove the default-keyring line from keyringrc.cfg (see `keyring diagnose`); a file or "
        "third-party keyring is used only when chosen there (or in PYTHON_KEYRING_BACKEND).")


def _usable_backend() -> keyring.backend.KeyringBackend:
    return _choose_backend()[0]


# --- running calls on the keyring thread ---------------------------------------------------


def _translate(exc: BaseException) -> CredentialError:
    """A typed, secret-free error for whatever the backend raised (its own text is never kept)."""
    if isinstance(exc, CredentialError):
        return exc
    if isinstance(exc, _keyring().errors.KeyringLocked):
        return KeyringLocked("The system keyring is locked and was not unlocked.",
                             "Unlock your login keyring (answer the unlock prompt, or open Passwords and Keys / "
                             "Seahorse and unlock \"Login\"), then try again.")
    if isinstance(exc, (_keyring().errors.NoKeyringError, _keyring().errors.InitError)):
        return KeyringUnavailable("The system keyring could not be opened.",
                                  "Install and start gnome-keyring (or KWallet) in a D-Bus session, make sure "
                                  "its login keyring exists, then try again; `portico doctor` shows the backend.")
    return KeyringUnavailable(f"The system keyring failed ({type(exc).__name__}).",
                              "Check `portico doctor`; restart the keyring daemon if it crashed.")


def _guarded(fn: Callable[[], T]) -> Callable[[], T]:
    """Wrap a keyring call so that anything it raises leaves as a typed error with no chained cause."""
    def call() -> T:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - every backend failure becomes a typed, secret-free error
            error = _translate(exc)
        # Raised outside the handler and with no context: the backend's exception (its text, its
        # frames' arguments) may hold the secret.
        error.__context__ = None
        error.__cause__ = None
        raise error
    return call


def submit(fn: Callable[[], T]) -> concurrent.futures.Future[T]:
    """Queue a keyring call on the keyring thread; a :class:`CredentialError` comes back via the future."""
    return _keyring_thread().submit(_guarded(fn))


def _run(fn: Callable[[], T]) -> T:
    """Run one keyring call on the keyring thread and wait for it (at most :data:`CALL_TIMEOUT_S`)."""
    if threading.get_ident() == _worker_ident:
        return _guarded(fn)()  # already on the keyring thread: waiting for it would deadlock
    future = submit(fn)
    try:
        return future.result(timeout=CALL_TIMEOUT_S)
    except TimeoutError:  # concurrent.futures.TimeoutError is this since Python 3.11
        pass
    raise KeyringLocked(f"The system keyring did not answer within {CALL_TIMEOUT_S:.0f} seconds.",
                        "It may be waiting for an unlock prompt: unlock it, then try again.")


# --- the calls (each runs entirely on the keyring thread) ----------------------------------


def _get_call(provider_id: str, field: str, kind: str | None) -> Callable[[], Secret]:
    if kind is not None:
        check_field(kind, field, provider_id)
    user = username(provider_id, field)

    def call() -> Secret:
        value = _usable_backend().get_password(SERVICE, user)
        if value is None:
            raise _missing(provider_id, field)
        register_secret(value)  # scrubbed from logs and crash output should it ever be revealed there
        return Secret(value)
    return call


def _set_call(provider_id: str, values: Mapping[str, Secret], kind: str | None) -> Callable[[], None]:
    entries: list[tuple[str, Secret]] = []
    for field, value in values.items():
        if kind is not None:
            check_field(kind, field, provider_id)
        if not isinstance(value, Secret):
            raise TypeError("secrets are passed as desktop.secret.Secret")
        if not value:
            raise CredentialError(f"An empty {field} cannot be stored.", "Type the value, then try again.")
        entries.append((username(provider_id, field), value))

    def call() -> None:
        backend = _usable_backend()
        for user, value in entries:
            backend.set_password(SERVICE, user, value.reveal())
    return call


def _delete_call(provider_id: str, field: str, kind: str | None) -> Callable[[], None]:
    if kind is not None:
        check_field(kind, field, provider_id)
    user = username(provider_id, field)

    def call() -> None:
        try:
            _usable_backend().delete_password(SERVICE, user)
        except _keyring().errors.PasswordDeleteError:
            raise _missing(provider_id, field) from None
    return call


def _stored_call(provider_id: str, kind: str) -> Callable[[], list[str]]:
    users = [(f, username(provider_id, f)) for f in secret_fields(kind)]

    def call() -> list[str]:
        if not users:
            return []
        backend = _usable_backend()
        return [f for f, user in users if backend.get_password(SERVICE, user) is not None]
    return call


# --- synchronous API (the command line, tests) ----------------------------------------------


def get_secret(provider_id: str, field: str, kind: str | None = None) -> Secret:
    """The stored secret; :class:`CredentialMissing` when there is none. ``kind`` also checks the field."""
    return _run(_get_call(provider_id, field, kind))


def set_secret(provider_id: str, field: str, value: Secret, kind: str | None = None) -> None:
    """Store (or replace) one secret."""
    _run(_set_call(provider_id, {field: value}, kind))


def delete_secret(provider_id: str, field: str, kind: str | None = None) -> None:
    """Delete one secret; :class:`CredentialMissing` when there is none."""
    _run(_delete_call(provider_id, field, kind))


def stored_fields(provider_id: str, kind: str) -> list[str]:
    """Which of the kind's secret fields have a value (never the values)."""
    return _run(_stored_call(provider_id, kind))


def delete_provider_secrets(provider_id: str, kind: str) -> list[str]:
    """Delete every secret of one provider (when it is removed); returns the fields that were deleted."""
    return _run(_delete_all_call(provider_id, kind))


def _delete_all_call(provider_id: str, kind: str) -> Callable[[], list[str]]:
    users = [(f, username(provider_id, f)) for f in secret_fields(kind)]

    def call() -> list[str]:
        if not users:
            return []
        backend = _usable_backend()
        deleted = []
        for field, user in users:
            try:
                backend.delete_password(SERVICE, user)
                deleted.append(field)
            except _keyring().errors.PasswordDeleteError:
                pass
        return deleted
    return call


# --- non-blocking API (the GUI: see desktop.shell.credential_store for Qt signals) -----------


def get_secret_async(provider_id: str, field: str, kind: str | None = None) -> concurrent.futures.Future[Secret]:
    """Like :func:`get_secret`, without waiting. Argument errors are raised at once."""
    return submit(_get_call(provider_id, field, kind))


def delete_provider_secrets_async(provider_id: str, kind: str) -> concurrent.futures.Future[list[str]]:
    """Like :func:`delete_provider_secrets`, without waiting."""
    return submit(_delete_all_call(provider_id, kind))


def get_secrets_async(provider_id: str, fields: tuple[str, ...], kind: str | None = None
                      ) -> concurrent.futures.Future[dict[str, Secret | CredentialMissing]]:
    """Several secrets of one provider in one call on the keyring thread: each field maps to its
    Secret, or to the :class:`CredentialMissing` it would raise; any other error fails the whole call."""
    calls = {field: _get_call(provider_id, field, kind) for field in fields}

    def call() -> dict[str, Secret | CredentialMissing]:
        values: dict[str, Secret | CredentialMissing] = {}
        for field, get in calls.items():
            try:
                values[field] = get()
            except CredentialMissing as exc:
                values[field] = exc
        return values
    return submit(call)


def set_secrets_async(provider_id: str, values: Mapping[str, Secret],
                      kind: str | None = None) -> concurrent.futures.Future[None]:
    """Store several secrets of one provider without waiting."""
    return submit(_set_call(provider_id, dict(values), kind))


def delete_secret_async(provider_id: str, field: str, kind: str | None = None) -> concurrent.futures.Future[None]:
    """Like :func:`delete_secret`, without waiting."""
    return submit(_delete_call(provider_id, field, kind))


def stored_fields_async(provider_id: str, kind: str) -> concurrent.futures.Future[list[str]]:
    """Like :func:`stored_fields`, without waiting."""
    return submit(_stored_call(provider_id, kind))


# --- for `portico doctor` ------------------------------------------------------------------


def backend_description() -> str:
    """Which keyring backend Portico uses (and what it skipped), for ``portico doctor``.

    Raises :class:`KeyringUnavailable`, whose message says why none is usable.
    """
    def call() -> str:
        backend, skipped = _choose_backend()
        try:
            priority = f"priority {type(backend).priority}"
        except Exception:  # noqa: BLE001 - a backend set explicitly may not report a priority
            priority = "priority unknown"
        text = f"{_backend_name(backend)} ({priority})"
        if skipped:
            text += "; skipped " + "; ".join(f"{name}, which {reason}" for name, reason in skipped)
        return text
    return _run(call)
