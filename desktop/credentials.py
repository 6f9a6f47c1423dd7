"""Secrets in the OS keyring: one worker thread, typed errors, and never a plaintext fallback."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Final, TypeVar

import keyring
import keyring.backend
import keyring.errors

from desktop.providers.kinds import secret_fields
from desktop.secret import Secret

log = logging.getLogger("portico.credentials")

SERVICE: Final = "portico"
#: How long one keyring call may take before Portico says the keyring is not answering.
CALL_TIMEOUT_S: Final = 30.0
#: Backends that keep secrets readable on disk or do not keep them at all; never used silently.
_REFUSED_BACKENDS: Final = {
    "keyrings.alt.file.PlaintextKeyring": "stores secrets as plain text in a file",
    "keyrings.alt.file.PlaintextKeyring_": "stores secrets as plain text in a file",
    "keyrings.alt.Gnome.Keyring": "is an unmaintained legacy backend",
    "keyring.backends.fail.Keyring": "means no keyring is available",
    "keyring.backends.null.Keyring": "discards every secret",
}

T = TypeVar("T")


class CredentialError(Exception):
    """A keyring problem; ``str()`` says what happened, ``hint`` what to do. Never holds a secret."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def user_message(self) -> str:
        return f"{self}\n→ {self.hint}" if self.hint else str(self)


class KeyringUnavailable(CredentialError):
    """No usable (non-plaintext) keyring backend."""


class KeyringLocked(CredentialError):
    """The keyring is locked and was not unlocked (or did not answer)."""


class CredentialMissing(CredentialError, LookupError):
    """The entry does not exist."""


class UnknownField(CredentialError, ValueError):
    """The field is not one the provider kind declares."""


_executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="portico-keyring")


def username(provider_id: str, field: str) -> str:
    """The keyring user name of one secret: ``<provider-id>/<field>``."""
    return f"{provider_id}/{field}"


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _usable_backend() -> keyring.backend.KeyringBackend:
    """The active backend, refusing plaintext/null ones (and a chainer that holds only those)."""
    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)
    candidates = list(chained) if chained is not None else [backend]
    usable = [b for b in candidates if _backend_name(b) not in _REFUSED_BACKENDS]
    if not usable:
        names = ", ".join(_backend_name(b) for b in candidates) or "none"
        reason = next((_REFUSED_BACKENDS[_backend_name(b)] for b in candidates
                       if _backend_name(b) in _REFUSED_BACKENDS), "is not usable")
        raise KeyringUnavailable(
            f"No secure keyring is available (backend: {names}, which {reason}).",
            "Install and start a Secret Service keyring (e.g. `apt install gnome-keyring` and log in "
            "to a desktop session), or KWallet; on a headless machine start `gnome-keyring-daemon "
            "--unlock` inside a D-Bus session. Portico never stores secrets in plain text.")
    return backend


def _translate(exc: BaseException) -> CredentialError:
    if isinstance(exc, CredentialError):
        return exc
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringLocked("The keyring is locked and was not unlocked.",
                             "Unlock your login keyring (e.g. in Seahorse / Passwords and Keys), then retry.")
    if isinstance(exc, (keyring.errors.NoKeyringError, keyring.errors.InitError)):
        return KeyringUnavailable("No keyring could be reached.",
                                  "Start gnome-keyring or KWallet (a D-Bus session is needed), then retry.")
    # Whatever else the backend raised (D-Bus errors …): only its type, its text could echo input.
    return KeyringUnavailable(f"The keyring failed ({type(exc).__name__}).",
                              "Check `portico doctor`; restart the keyring daemon if it crashed.")


def _run(fn: Callable[[], T]) -> T:
    """Run one keyring call on the single keyring thread and wait for it."""
    future = _executor.submit(fn)
    try:
        return future.result(timeout=CALL_TIMEOUT_S)
    except concurrent.futures.TimeoutError:
        raise KeyringLocked("The keyring did not answer within 30 seconds.",
                            "It may be waiting for an unlock prompt; unlock it and retry.") from None
    except Exception as exc:  # noqa: BLE001 - every backend failure becomes a typed, secret-free error
        raise _translate(exc) from None


def submit(fn: Callable[[], T]) -> concurrent.futures.Future[T]:
    """Queue a keyring call without waiting (for the GUI); errors come back typed via the future."""
    def wrapped() -> T:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            raise _translate(exc) from None
    return _executor.submit(wrapped)


def set_secrets_async(provider_id: str, values: dict[str, Secret]) -> concurrent.futures.Future[None]:
    """Store several secrets on the keyring thread without waiting (the GUI polls the future)."""
    def call() -> None:
        backend = _usable_backend()
        for field, value in values.items():
            backend.set_password(SERVICE, username(provider_id, field), value.reveal())
    return submit(call)


def check_field(kind: str, field: str) -> None:
    if field not in secret_fields(kind):
        fields = ", ".join(secret_fields(kind)) or "none"
        raise UnknownField(f"{field!r} is not a secret field of a {kind} provider (its fields: {fields}).")


def get_secret(provider_id: str, field: str) -> Secret:
    """The stored secret; raises :class:`CredentialMissing` or another :class:`CredentialError`."""
    def call() -> str | None:
        return _usable_backend().get_password(SERVICE, username(provider_id, field))
    value = _run(call)
    if value is None:
        raise CredentialMissing(f"No {field} is stored for provider {provider_id!r}.",
                                f"Run `portico credentials set {provider_id} {field}`, or sign in from the "
                                "provider's view.")
    return Secret(value)


def set_secret(provider_id: str, field: str, value: Secret) -> None:
    """Store (or replace) a secret."""
    if not isinstance(value, Secret) or not value.reveal():
        raise CredentialError("An empty secret cannot be stored.")
    _run(lambda: _usable_backend().set_password(SERVICE, username(provider_id, field), value.reveal()))


def delete_secret(provider_id: str, field: str) -> None:
    """Delete a secret; :class:`CredentialMissing` when there is none."""
    def call() -> None:
        try:
            _usable_backend().delete_password(SERVICE, username(provider_id, field))
        except keyring.errors.PasswordDeleteError:
            raise CredentialMissing(f"No {field} is stored for provider {provider_id!r}.") from None
    _run(call)


def stored_fields(provider_id: str, kind: str) -> list[str]:
    """Which of the kind's secret fields have a value (never the values)."""
    def call() -> list[str]:
        backend = _usable_backend()
        return [f for f in secret_fields(kind)
                if backend.get_password(SERVICE, username(provider_id, f)) is not None]
    return _run(call)


def delete_provider_secrets(provider_id: str, kind: str) -> list[str]:
    """Delete every secret of one provider (when the provider is removed); returns what was deleted."""
    deleted = []
    for field in secret_fields(kind):
        try:
            delete_secret(provider_id, field)
            deleted.append(field)
        except CredentialMissing:
            pass
    return deleted


def backend_description() -> str:
    """Which backend is in use, for `portico doctor`; raises KeyringUnavailable when none is usable."""
    backend = _run(_usable_backend)
    chained = getattr(backend, "backends", None)
    parts = chained if chained is not None else [backend]
    return ", ".join(f"{_backend_name(b)} (priority {getattr(b, 'priority', '?')})"
                     for b in parts if _backend_name(b) not in _REFUSED_BACKENDS)
