"""The host page of one provider and its web policy: navigation, new windows, permissions, certificates."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineDesktopMediaRequest,
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
)

from desktop.bridge.envelope import is_origin
from desktop.instance.permissions import ASKED
from desktop.shell.certificates import decide
from desktop.shell.scheme import HOST, SCHEME

log = logging.getLogger("portico.policy")
js_log = logging.getLogger("portico.js")

_Type = QWebEnginePermission.PermissionType
#: Chromium permission type -> the names a provider kind declares (all must be declared).
PERMISSION_NEEDS: Final[dict[QWebEnginePermission.PermissionType, frozenset[str]]] = {
    _Type.MediaAudioCapture: frozenset({"microphone"}),
    _Type.MediaVideoCapture: frozenset({"camera"}),
    _Type.MediaAudioVideoCapture: frozenset({"camera", "microphone"}),
    _Type.DesktopVideoCapture: frozenset({"screen-share"}),
    _Type.DesktopAudioVideoCapture: frozenset({"screen-share", "microphone"}),
    _Type.Notifications: frozenset({"notifications"}),
    _Type.ClipboardReadWrite: frozenset({"clipboard-read", "clipboard-write"}),
}
#: Schemes a link may hand to the system (browser, mail client); anything else is refused.
EXTERNAL_SCHEMES: Final = frozenset({"http", "https", "mailto"})


def permission_allowed(kind_permissions: frozenset[str], provider_origin: str,
                       permission_type: QWebEnginePermission.PermissionType, origin: QUrl) -> bool:
    """Grant only to the provider's own origin and only what its kind declares."""
    needs = PERMISSION_NEEDS.get(permission_type)
    if needs is None or not needs <= kind_permissions:
        return False
    return is_origin(origin.toString(), provider_origin)


class ProviderPage(QWebEnginePage):
    """The host page ``portico://app/provider/<id>``, which never navigates elsewhere; or, while a
    top-level origin is set (a kind's desktop mode), the provider's own document, which may
    navigate within that exact origin and nowhere else.

    Signals:
        external_url_requested(QUrl): a user-initiated link or window wants the system browser.
        popup_opened(object): a sign-in pop-up (a :class:`~desktop.shell.popup.PopupPage` in this
            page's profile, its ``window.opener`` the frame) was opened; show it.
        certificate_refused(object): a certificate error was refused; the
            :class:`~desktop.contract.CertificateProblem` describes it.
        permission_decided(str, bool): a permission request (its kind names) was granted or denied.
        permission_asked(object, object): a camera or microphone request the user has not
            answered for this provider: the ``QWebEnginePermission`` and the names it needs; answer
            it with :meth:`answer_permission`.
        screen_share_requested(object): the page called getDisplayMedia; the
            ``QWebEngineDesktopMediaRequest`` to answer with a screen, a window or a cancel.
    """

    external_url_requested = Signal(QUrl)
    popup_opened = Signal(object)
    certificate_refused = Signal(object)
    permission_decided = Signal(str, bool)
    permission_asked = Signal(object, object)
    screen_share_requested = Signal(object)

    def __init__(self, profile: QWebEngineProfile, provider_origin: str, permissions: frozenset[str],
                 parent: QObject | None = None, pins: Callable[[], frozenset[str]] = frozenset) -> None:
        super().__init__(profile, parent)
        self._origin = provider_origin
        self._permissions = permissions
        self._pins = pins  # the provider's trusted certificates, read at each error
        #: The user's remembered answer for these names (None: ask); set by the Shell.
        self.remembered: Callable[[frozenset[str]], bool | None] = lambda _names: None
        self.desktopMediaRequested.connect(self._on_desktop_media)
        self._popup_until = 0.0  # until when (monotonic) a pop-up without a click is expected
        self._top_level = False  # the main frame holds the provider's own document
        self.newWindowRequested.connect(self._on_new_window)
        self.permissionRequested.connect(self._on_permission)
        self.certificateError.connect(self._on_certificate_error)

    def set_top_level(self, top_level: bool) -> None:
        """Let the main frame hold documents of exactly the provider's origin (False: the host
        page only)."""
        self._top_level = top_level

    def acceptNavigationRequest(self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType,  # noqa: N802
                                is_main_frame: bool) -> bool:
        # Keep this trivial: an exception raised in this override refuses every navigation.
        if not is_main_frame:
            return True
        url = QUrl(url)
        if self._top_level:
            if is_origin(url.toString(), self._origin):
                return True
        elif url.scheme() == SCHEME.decode() and url.host() == HOST:
            return True
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            self._open_external(url)
        else:
            log.info("refused a top-level navigation to %s", url.scheme() + "://" + url.host())
        return False

    def javaScriptConsoleMessage(self, level: QWebEnginePage.JavaScriptConsoleMessageLevel,  # noqa: N802
                                 message: str, line: int, source: str) -> None:
        # Web apps are chatty: their console goes to the portico.js logger (debug), not stderr.
        js_log.debug("%s:%d: %s", source.split("?", 1)[0], line, message)

    def expect_sign_in_popup(self, seconds: float) -> None:
        """The provider asked its frame to sign in through a pop-up: one pop-up window of the
        provider's origin may open without a click in the next ``seconds``."""
        self._popup_until = time.monotonic() + seconds

    @Slot(QWebEngineNewWindowRequest)
    def _on_new_window(self, request: QWebEngineNewWindowRequest) -> None:
        url = request.requestedUrl()
        if self._is_sign_in_popup(request, url):
            self._popup_until = 0.0  # one pop-up per request
            from desktop.shell.popup import PopupPage  # noqa: PLC0415 - only when a sign-in pop-up opens
            popup = PopupPage(self.profile(), self)  # the same profile: its cookies and storage
            popup.external_url_requested.connect(self._open_external)
            request.openIn(popup)  # keeps window.opener, so the callback reaches the frame
            log.info("opened a sign-in pop-up for %s", url.scheme() + "://" + url.host())
            self.popup_opened.emit(popup)
        elif request.isUserInitiated():
            self._open_external(url)
        else:
            log.info("blocked a pop-up not opened by the user")

    def _is_sign_in_popup(self, request: QWebEngineNewWindowRequest, url: QUrl) -> bool:
        """A ``window.open`` with window features (not a link's new tab) to the provider's own
        origin, after a click or in answer to the provider's own sign-in command."""
        if request.destination() != QWebEngineNewWindowRequest.DestinationType.InNewDialog:
            return False
        return is_origin(url.toString(), self._origin) and (
            request.isUserInitiated() or time.monotonic() < self._popup_until)

    def _open_external(self, url: QUrl) -> None:
        if url.scheme() in EXTERNAL_SCHEMES and url.isValid():
            self.external_url_requested.emit(QUrl(url))

    @Slot(QWebEnginePermission)
    def _on_permission(self, permission: QWebEnginePermission) -> None:
        kind = permission.permissionType()
        needs = PERMISSION_NEEDS.get(kind, frozenset({kind.name}))
        granted = permission_allowed(self._permissions, self._origin, kind, permission.origin())
        asked = needs & ASKED
        if granted and asked:
            decision = self.remembered(asked)
            if decision is None:
                log.info("asking the user for %s for %s", ",".join(sorted(needs)), permission.origin().toString())
                self.permission_asked.emit(permission, needs)
                return
            granted = decision
        self.answer_permission(permission, granted)

    def answer_permission(self, permission: QWebEnginePermission, granted: bool) -> None:
        """Grant or deny a request (Portico's own decision, or the user's answer to one asked)."""
        if granted:
            permission.grant()
        else:
            permission.deny()
        names = ",".join(sorted(PERMISSION_NEEDS.get(permission.permissionType(),
                                                     frozenset({permission.permissionType().name}))))
        log.info("%s %s for %s", "granted" if granted else "denied", names, permission.origin().toString())
        self.permission_decided.emit(names, granted)

    @Slot(QWebEngineDesktopMediaRequest)
    def _on_desktop_media(self, request: QWebEngineDesktopMediaRequest) -> None:
        # Kept or answered here: a request dropped unanswered makes Qt share the first screen itself.
        if "screen-share" not in self._permissions:
            log.info("refused screen sharing: the kind does not declare screen-share")
            request.cancel()
            return
        self.screen_share_requested.emit(request)

    @Slot(QWebEngineCertificateError)
    def _on_certificate_error(self, error: QWebEngineCertificateError) -> None:
        problem = decide(error, self._origin, self._pins, "a provider's page")
        if problem is not None:
            self.certificate_refused.emit(problem)
