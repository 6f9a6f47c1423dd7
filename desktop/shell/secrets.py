"""Where providers' secrets come from: typed this session, a demo's, or the OS keyring."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.kinds import secret_fields
from desktop.secret import Secret

if TYPE_CHECKING:
    from desktop import credentials
    from desktop.shell.credential_store import CredentialRequest, CredentialStore

log = logging.getLogger("portico.secrets")

#: ``(provider_id, field) -> Secret or None``: a source that replaces the keyring (the demo's keys).
SecretSource = Callable[[str, str], "Secret | None"]


class SessionSecrets(QObject):
    """Serves providers their secrets without blocking the window on the keyring.

    Attributes:
        source: replaces the keyring when set (the demo passes its simulators' keys).
        typed: secrets typed into a sign-in form, for this session only (never written anywhere).

    Signals:
        store_failed(str, str): provider id and the keyring's message: what the user typed works
            for this session but was not remembered.
    """

    store_failed = Signal(str, str)

    def __init__(self, kind_of: Callable[[str], str], source: SecretSource | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind_of = kind_of
        self.source = source
        self.typed: dict[tuple[str, str], Secret] = {}
        self._store: CredentialStore | None = None
        #: What the last keyring read found per (provider, field): the Secret, or the error to raise.
        self._read: dict[tuple[str, str], Secret | Exception] = {}

    @property
    def store(self) -> CredentialStore:
        """Keyring calls off the Qt thread (an unlock prompt can keep one waiting for minutes);
        made when a provider first needs the keyring."""
        if self._store is None:
            from desktop.shell.credential_store import CredentialStore  # noqa: PLC0415
            self._store = CredentialStore(self)
        return self._store

    def get(self, provider_id: str, field: str) -> Secret:
        """A provider's secret: typed this session, else the source's, else what :meth:`prefetch`
        read from the OS keyring (else the keyring, waiting for it)."""
        from desktop import credentials  # noqa: PLC0415 - the keyring, only for providers that sign in
        stored = field in secret_fields(self._kind_of(provider_id))
        value = self.typed.get((provider_id, field))
        if value is not None:
            if not stored:
                # A one-time value the kind never stores (a two-factor code) serves one sign-in.
                del self.typed[(provider_id, field)]
            return value
        if self.source is not None:
            given = self.source(provider_id, field)
            if given is None:
                raise credentials.CredentialMissing(f"No {field} for {provider_id!r} in the demo.")
            return given
        if not stored:
            raise credentials.CredentialMissing(f"No {field} was entered for {provider_id!r}.")  # never in the keyring
        read = self._read.get((provider_id, field))
        if isinstance(read, Exception):
            raise read
        if read is not None:
            return read
        return credentials.get_secret(provider_id, field)

    def prefetch(self, provider_id: str) -> CredentialRequest | None:
        """Read the provider's keyring fields on the keyring thread, so that its sign-in finds them
        in memory instead of blocking the window. The request answers after :meth:`get` can serve
        them; None when no keyring read is needed."""
        if self.source is not None:
            return None
        kind = self._kind_of(provider_id)
        fields = tuple(f for f in secret_fields(kind) if (provider_id, f) not in self.typed)
        if not fields:
            return None
        request = self.store.get_secrets(provider_id, fields, kind)
        # Connected before the provider's own slot, so these run first.
        request.finished.connect(lambda values, pid=provider_id: self._on_read(pid, values))
        request.failed.connect(lambda error, pid=provider_id, names=fields: self._read.update(
            {(pid, f): error for f in names}))
        return request

    def _on_read(self, provider_id: str, values: dict[str, Secret | Exception]) -> None:
        for field, value in values.items():
            self._read[(provider_id, field)] = value

    def enter(self, provider_id: str, values: dict[str, Secret], remember: bool) -> None:
        """Use what the user typed from now on; with ``remember``, also store the kind's secret
        fields in the keyring (a one-time code never)."""
        kind = self._kind_of(provider_id)
        for field, value in values.items():
            self.typed[(provider_id, field)] = value
        storable = {f: v for f, v in values.items() if f in secret_fields(kind)}
        if remember and storable and self.source is None:
            request = self.store.set_secrets(provider_id, storable, kind)
            request.failed.connect(lambda error, pid=provider_id: self._on_store_failed(pid, error))

    def _on_store_failed(self, provider_id: str, error: credentials.CredentialError) -> None:
        # CredentialRequest.failed always carries a CredentialError (it wraps anything else).
        message = error.user_message()
        log.warning("provider %s: the sign-in was not remembered: %s", provider_id, message)
        self.store_failed.emit(provider_id, message)
