"""What providers that sign in over REST before their frame loads share: secrets, requests, focus, retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication

from desktop.contract import ProviderError, ProviderState
from desktop.providers.base import Provider
from desktop.redact import scrub_text
from desktop.secret import Secret

log = logging.getLogger("portico.providers")

#: Automatic retry delays (seconds) after network failures and 5xx answers; the last one repeats.
RETRY_DELAYS: Final = (2.0, 5.0, 15.0, 30.0, 60.0, 120.0)

#: ``get_secret(provider_id, field)``: the stored secret, or None / an empty Secret when there is none.
GetSecret = Callable[[str, str], "Secret | None"]


def keyring_secret(provider_id: str, field: str) -> Secret | None:
    """The default ``get_secret``: the credentials module (keyring is imported when first needed)."""
    from desktop import credentials  # noqa: PLC0415 - keyring only when no Shell hands a getter

    return credentials.get_secret(provider_id, field)


def keyring_failure(exc: BaseException, what: str, fields: tuple[str, ...] = ()) -> ProviderError:
    """The view's error for a keyring that could not be read: the typed error's own words and what to do.

    A :class:`desktop.credentials.CredentialError` (no usable keyring, locked and not unlocked …)
    carries a secret-free message and a hint naming the fix; anything else gets a generic one.
    With ``fields``, the view also offers a sign-in form for this session only.
    """
    from desktop import credentials  # noqa: PLC0415 - keyring is loaded already: it just raised

    session = " Or sign in below for this session only." if fields else ""
    if isinstance(exc, credentials.CredentialError):
        return ProviderError(f"Portico could not read {what} from the system keyring: {exc}",
                             (f"{exc.hint} Then press Retry." if exc.hint else "Press Retry.") + session,
                             needs_fields=fields, can_remember=False)
    return ProviderError(f"Portico could not read {what} from the system keyring.",
                         "Unlock the keyring (or check `portico doctor`), then press Retry." + session,
                         needs_fields=fields, can_remember=False)


def application_active() -> bool:
    return QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive


def seconds_text(delay: float) -> str:
    """A delay for people: "12 seconds", or "a moment" below 1.5 s."""
    return f"{delay:.0f} seconds" if delay >= 1.5 else "a moment"


class SignInProvider(Provider):
    """A provider that signs in over REST (in :meth:`prepare`) and retries by itself with backoff.

    Attributes:
        get_secret: ``(provider_id, field) -> Secret | None`` (the Shell's, or the keyring).
        prefetch_secrets: ``(provider_id) -> request | None`` (the Shell's): reads the secrets off
            the Qt thread before each sign-in; the request's ``finished``/``failed`` say when
            ``get_secret`` can serve them. None: ``get_secret`` is called directly.
        is_app_active: ``() -> bool``; whether Portico's window has focus.
        retry_delays: automatic retry delays in seconds after network failures and 5xx answers.

    Signals:
        retry_scheduled(float): an automatic retry runs after this many seconds.
    """

    retry_scheduled = Signal(float)

    def __init__(self, config: Any, parent: QObject | None = None, *, get_secret: GetSecret | None = None,
                 is_app_active: Callable[[], bool] | None = None) -> None:
        super().__init__(config, parent)
        self.get_secret: GetSecret = get_secret or keyring_secret
        self.is_app_active: Callable[[], bool] = is_app_active or application_active
        self.retry_delays: tuple[float, ...] = RETRY_DELAYS
        #: The secrets of the sign-in request in flight: never echoed back from the server's answer.
        self._echo_guard: tuple[str, ...] = ()
        self.prefetch_secrets: Callable[[str], Any] | None = None
        self._secrets_request: Any = None  # the prefetch this sign-in waits for
        self._failures = 0  # failed sign-ins since the last success (the backoff step)
        self._retry_timer = QTimer(self, singleShot=True)
        self._retry_timer.timeout.connect(self._auto_retry)

    def start(self) -> None:
        self._retry_timer.stop()
        request = self.prefetch_secrets(self.id) if self.prefetch_secrets is not None else None
        self._secrets_request = request
        if request is None:
            super().start()
            return
        self.set_state(ProviderState.PREPARING)
        # Bound slots (not lambdas): Qt drops them with the provider.
        request.finished.connect(self._on_secrets_read)
        request.failed.connect(self._on_secrets_read)

    @Slot(object)
    def _on_secrets_read(self, _answer: object) -> None:
        """The keyring answered (the Shell keeps what it read, or the error): sign in now."""
        if self.sender() is not self._secrets_request:
            return  # an older start's request (Retry was pressed meanwhile), or after shutdown
        self._secrets_request = None
        super().start()

    @Slot()
    def _auto_retry(self) -> None:
        log.info("provider %s: retrying the %s sign-in", self.id, self.kind)
        self.start()

    def stored_secrets(self, fields: tuple[str, ...], what: str) -> dict[str, Secret] | None:
        """The ``fields`` the keyring holds for this provider, stripped (a blank or missing one is
        left out); None once a keyring that could not be read has failed the provider, naming ``what``."""
        found: dict[str, Secret] = {}
        for field in fields:
            try:
                value = self.get_secret(self.id, field)
            except (LookupError, ValueError):  # none stored (CredentialMissing is a LookupError)
                continue
            except Exception as exc:  # noqa: BLE001 - any keyring failure becomes a visible error
                log.warning("provider %s: the keyring could not be read (%s)", self.id, type(exc).__name__)
                self.fail(keyring_failure(exc, what, fields))
                return None
            text = value.reveal().strip() if isinstance(value, Secret) else ""
            if text:
                found[field] = Secret(text)
        return found

    def _safe(self, text: str) -> str:
        """Server-provided text for the user: live secrets scrubbed, the request's own never echoed."""
        text = scrub_text(text)
        for value in self._echo_guard:
            if len(value) >= 4:
                text = text.replace(value, "***")
        return text

    def _next_delay(self) -> float:
        delays = self.retry_delays or RETRY_DELAYS
        delay = delays[min(self._failures, len(delays) - 1)]
        self._failures += 1
        return float(delay)

    def _schedule_retry(self, delay: float) -> None:
        self._retry_timer.start(max(0, int(delay * 1000)))
        self.retry_scheduled.emit(delay)

    def _retry_later(self, message: str) -> None:
        """Show ``message`` with when Portico tries again, and try again then."""
        delay = self._next_delay()
        self.fail(ProviderError(message, f"Portico tries again in {seconds_text(delay)}, or press Retry now.",
                                retry_after=delay))
        self._schedule_retry(delay)

    def shutdown(self) -> None:
        self._retry_timer.stop()
        self._secrets_request = None
        super().shutdown()
