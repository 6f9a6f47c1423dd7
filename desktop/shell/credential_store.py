"""Keyring calls for the GUI: run on the keyring thread, answered by Qt signals on the Qt thread."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop import credentials
from desktop.secret import Secret


class CredentialRequest(QObject):
    """One keyring call in flight; its answer arrives as a signal on this object's (the Qt) thread.

    Always asynchronous: even a call that is already done answers from the event loop, so
    connecting right after the request is made never misses it.

    Signals:
        finished(object): the call's result (a Secret, a list of fields, or None).
        failed(object): the :class:`desktop.credentials.CredentialError` it raised.
    """

    finished = Signal(object)
    failed = Signal(object)
    _done = Signal()  # emitted on the keyring thread, delivered queued on ours

    def __init__(self, description: str, future: concurrent.futures.Future[Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.description = description
        self.future = future
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        future.add_done_callback(self._on_done)

    def __repr__(self) -> str:
        state = "done" if self.future.done() else "pending"
        return f"<CredentialRequest {self.description} {state}>"

    def _on_done(self, _future: concurrent.futures.Future[Any]) -> None:
        try:
            self._done.emit()
        except RuntimeError:  # the request was deleted before the keyring answered
            pass

    @Slot()
    def _deliver(self) -> None:
        error = self.future.exception()
        if error is None:
            self.finished.emit(self.future.result())
        elif isinstance(error, credentials.CredentialError):
            self.failed.emit(error)
        else:  # a bug, not a keyring answer: still no backend text
            self.failed.emit(credentials.CredentialError(f"The keyring call failed ({type(error).__name__})."))


class CredentialStore(QObject):
    """The GUI's door to the keyring: every method returns a :class:`CredentialRequest` at once.

    Requests are kept alive here until they have answered.

    Signals:
        request_failed(object): any request's CredentialError (for a single place to show it).
    """

    request_failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: set[CredentialRequest] = set()

    def __repr__(self) -> str:
        return f"<CredentialStore pending={len(self._pending)}>"

    def pending(self) -> int:
        """How many requests have not answered yet."""
        return len(self._pending)

    def _track(self, description: str, future: concurrent.futures.Future[Any]) -> CredentialRequest:
        request = CredentialRequest(description, future, self)
        self._pending.add(request)
        # Bound slots, not lambdas holding the request: a connection that keeps its own sender
        # alive crashes PySide when deleteLater() destroys that sender.
        request.finished.connect(self._on_finished)
        request.failed.connect(self._on_failed)
        return request

    @Slot(object)
    def _on_finished(self, _result: object) -> None:
        self._forget()

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self._forget()
        self.request_failed.emit(error)

    def _forget(self) -> None:
        request = self.sender()
        if isinstance(request, CredentialRequest) and request in self._pending:
            self._pending.discard(request)
            request.deleteLater()

    def get_secret(self, provider_id: str, field: str, kind: str | None = None) -> CredentialRequest:
        """``finished(Secret)``, or ``failed(CredentialMissing | ...)``."""
        return self._track(f"get {provider_id}/{field}", credentials.get_secret_async(provider_id, field, kind))

    def get_secrets(self, provider_id: str, fields: tuple[str, ...], kind: str | None = None) -> CredentialRequest:
        """``finished({field: Secret | CredentialMissing})``, or ``failed(KeyringLocked | ...)``."""
        return self._track(f"get {provider_id}/{','.join(fields)}",
                           credentials.get_secrets_async(provider_id, fields, kind))

    def set_secrets(self, provider_id: str, values: Mapping[str, Secret], kind: str | None = None) -> CredentialRequest:
        """Store several secrets of one provider: ``finished(None)`` once all are stored."""
        names = ",".join(values)
        return self._track(f"set {provider_id}/{names}", credentials.set_secrets_async(provider_id, values, kind))

    def delete_secret(self, provider_id: str, field: str, kind: str | None = None) -> CredentialRequest:
        """``finished(None)``, or ``failed(CredentialMissing | ...)``."""
        return self._track(f"delete {provider_id}/{field}",
                           credentials.delete_secret_async(provider_id, field, kind))

    def delete_provider_secrets(self, provider_id: str, kind: str) -> CredentialRequest:
        """Delete every secret of a provider: ``finished(list[str])``, the fields that were deleted."""
        return self._track(f"delete {provider_id}/*", credentials.delete_provider_secrets_async(provider_id, kind))

    def stored_fields(self, provider_id: str, kind: str) -> CredentialRequest:
        """``finished(list[str])``: which of the kind's fields are stored."""
        return self._track(f"list {provider_id}", credentials.stored_fields_async(provider_id, kind))
