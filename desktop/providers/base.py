"""The Provider base class: one configured provider's origin, frame URL, parsing and commands."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QObject, Signal

from desktop.contract import (
    Drop,
    Notification,
    OutboundMessage,
    PageNotificationClick,
    ProviderError,
    ProviderEvent,
    ProviderState,
)
from desktop.kinds import KINDS, KindCommand
from desktop.providers.pinning import pins_from

if TYPE_CHECKING:
    from desktop.config import ProviderConfig

log = logging.getLogger("portico.providers")


class Provider(QObject):
    """One configured provider instance: what its frame loads and how its messages parse.

    Subclasses implement :meth:`parse` (raise :class:`Drop` to refuse) and may override
    :meth:`prepare` (asynchronous sign-in before the frame loads), :meth:`handle` (act on a
    typed event; call ``super().handle`` to publish it) and :meth:`on_frame_loaded`.

    Signals:
        event_received(object): a typed :class:`ProviderEvent` was accepted.
        outbound(object): an :class:`OutboundMessage` to post to the frame (the bridge sends it).
        frame_requested(str): load this URL into the provider frame (may carry a short-lived token;
            never log or store it).
        unread_changed(int): the unread count; ``UNREAD_DOT`` for "unread, count unknown".
        notification_requested(object): a :class:`Notification` to show.
        state_changed(object): the new :class:`ProviderState`.
        error_occurred(object): a :class:`ProviderError` to show in the provider's view.
        sign_in_popup_expected(float): the provider asked its frame to sign in through a pop-up
            window of the provider's origin; one may open without a click within this many seconds.
        sign_in_popup_done(): the pop-up sign-in ended (signed in, or failed): close its windows.
    """

    kind: ClassVar[str] = ""
    #: The window CustomEvents the kind's web app fires in its own document, which the relay
    #: hands on (as ``{eventName, data}``) while :attr:`top_level`; empty: always in a frame.
    window_events: ClassVar[tuple[str, ...]] = ()

    event_received = Signal(object)
    outbound = Signal(object)
    frame_requested = Signal(str)
    unread_changed = Signal(int)
    notification_requested = Signal(object)
    state_changed = Signal(object)
    error_occurred = Signal(object)
    sign_in_popup_expected = Signal(float)
    sign_in_popup_done = Signal()

    def __init__(self, config: ProviderConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.state = ProviderState.IDLE
        self.unread = 0
        #: SHA-256 fingerprints (normalized) of the certificates the user trusted for this provider.
        self.trusted_certificates = pins_from(config.options.get("trusted_certificates", ()))

    # --- identity -----------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def title(self) -> str:
        return self.config.title

    @property
    def origin(self) -> str:
        """The exact origin of the provider frame: the only sender accepted, the only target."""
        return self.config.origin

    @property
    def top_level(self) -> bool:
        """Whether the frame URL is loaded as the page's own top-level document instead of into
        the host page's frame (a kind's desktop mode: see :attr:`window_events`)."""
        return False

    @property
    def about(self) -> str:
        """One line on what Portico found out about the provider's server (its version, say), for
        the status panel; empty when nothing is known."""
        return ""

    def option(self, key: str) -> Any:
        """One of the provider's validated config options (its kind's schema fills the defaults)."""
        return self.config.options[key]

    @property
    def keeps_browser_data(self) -> bool:
        """Whether the provider's browser profile (cookies, storage, cache, history) is written to
        disk: only with ``remember_session = true``. Otherwise the profile lives in memory, so
        whatever session token the web app or its server stores is gone when Portico quits."""
        return bool(self.config.options.get("remember_session", False))

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Prepare (sign in …) and then request the frame URL."""
        self.set_state(ProviderState.PREPARING)
        self.prepare()

    def prepare(self) -> None:
        """Do whatever must happen before the frame loads, then call :meth:`load_frame`."""
        self.load_frame(self.config.url)

    def load_frame(self, url: str) -> None:
        self.set_state(ProviderState.LOADING)
        self.frame_requested.emit(url)

    def on_frame_loaded(self) -> None:
        """The provider frame finished loading its document (not an error page)."""
        self.set_state(ProviderState.READY)

    def fail(self, error: ProviderError) -> None:
        log.warning("provider %s: %s", self.id, error.message)
        self.set_state(ProviderState.NEEDS_INPUT if error.needs_fields else ProviderState.ERROR)
        self.error_occurred.emit(error)

    def set_state(self, state: ProviderState) -> None:
        if state is not self.state:
            self.state = state
            self.state_changed.emit(state)

    def end_session(self) -> Any:
        """On quit, before :meth:`shutdown`: start revoking a server session that Portico opened
        and that would outlive it. Returns something with a ``finished`` signal to wait for (the
        Shell waits a bounded time), or None when there is nothing to revoke."""
        return None

    def shutdown(self) -> None:
        """Release network work and in-memory tokens; the view is going away."""

    # --- messages -----------------------------------------------------------------------

    def parse(self, message: Any) -> ProviderEvent:
        """Turn a bounded, parsed JSON value into a typed event or raise :class:`Drop`."""
        raise Drop("unknown-message")

    def handle(self, event: ProviderEvent) -> None:
        """Act on an accepted event; the base publishes it on ``event_received``."""
        self.event_received.emit(event)

    def send(self, message: OutboundMessage) -> None:
        """Post a message to the frame at :attr:`origin` (queued by the bridge until it loaded or talked)."""
        self.outbound.emit(message)

    def kind_commands(self) -> tuple[KindCommand, ...]:
        """The commands of the provider's kind (``portico send``, plugins' ``send_command``);
        a kind whose commands depend on its options overrides this."""
        spec = KINDS.get(self.config.kind)
        return spec.commands if spec is not None else ()

    def run_command(self, name: str, args: tuple[str, ...]) -> None:
        """Carry out one of :meth:`kind_commands` (its argument count is checked already); raise
        ValueError with a message for the user when an argument is wrong."""
        raise ValueError(f"a {self.kind or self.config.kind} provider has no command {name!r}")

    def set_unread(self, count: int) -> None:
        if count != self.unread:
            self.unread = count
            self.unread_changed.emit(count)

    def apply_table(self, key: str, values: dict[str, Any]) -> None:
        """The user edited this provider's ``[provider.<key>]`` table in Portico (one of its kind's
        ``menu_tables``): use the new values from now on (they are also written to the config)."""

    def sign_in_popup_closed(self) -> None:
        """The user closed a sign-in pop-up of this provider before the sign-in ended."""

    def present_web_notification(self, notification: Notification,
                                 present: Callable[[Notification], None]) -> None:
        """One of the provider's pages raised a notification itself (the web Notification API);
        call ``present`` with what to show, now, later or never (a kind whose events already
        announced it shows it once)."""
        present(notification)

    def activate_notification(self, action: Any) -> None:
        """The user clicked a notification this provider raised; ``action`` is its data (a
        page's own notification: its ``onclick`` runs)."""
        if isinstance(action, PageNotificationClick):
            try:
                action.click()
            except RuntimeError:  # the page closed it meanwhile (Qt deleted the notification)
                log.info("provider %s: the page's notification is gone", self.id)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={self.id!r} origin={self.origin!r}>"

