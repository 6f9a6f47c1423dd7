"""A sign-in pop-up in the provider's own profile: the page an SSO flow opens, with its address and certificate shown."""

from __future__ import annotations

import logging
from typing import Final

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWebEngineCore import (
    QWebEngineCertificateError,
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.shell.certificates import decide

log = logging.getLogger("portico.popup")

#: Schemes a sign-in pop-up may show; an identity provider's page is http(s), nothing else.
POPUP_SCHEMES: Final = frozenset({"http", "https"})


class PopupPage(QWebEnginePage):
    """The page of a sign-in pop-up (``window.opener`` stays the provider's frame).

    It may go to any http(s) page (an identity provider redirects across origins); anything else,
    a permission request, an invalid certificate or a pop-up of its own is refused (a user's click
    on a link that opens a window goes to the system browser).

    Signals:
        certificate_refused(str): an invalid certificate was refused; what was wrong with it.
        external_url_requested(QUrl): a window the user opened from the pop-up, for the system browser.
    """

    certificate_refused = Signal(str)
    external_url_requested = Signal(QUrl)

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.certificateError.connect(self._on_certificate_error)
        self.permissionRequested.connect(self._on_permission)
        self.newWindowRequested.connect(self._on_new_window)

    def acceptNavigationRequest(self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType,  # noqa: N802
                                is_main_frame: bool) -> bool:
        # Keep this trivial: an exception raised in this override refuses every navigation.
        allowed = QUrl(url).scheme() in POPUP_SCHEMES
        if not allowed:
            log.info("a sign-in pop-up was refused a navigation to a %s: URL", QUrl(url).scheme())
        return allowed

    @Slot(QWebEngineCertificateError)
    def _on_certificate_error(self, error: QWebEngineCertificateError) -> None:
        # A pop-up trusts nothing a user pinned: its pages are an identity provider's, not the provider's.
        problem = decide(error, "", frozenset, "a sign-in pop-up")
        if problem is not None:
            self.certificate_refused.emit(f"{problem.host}: {problem.what}")

    @Slot(QWebEnginePermission)
    def _on_permission(self, permission: QWebEnginePermission) -> None:
        permission.deny()

    @Slot(QWebEngineNewWindowRequest)
    def _on_new_window(self, request: QWebEngineNewWindowRequest) -> None:
        url = request.requestedUrl()
        if request.isUserInitiated() and url.scheme() in POPUP_SCHEMES:
            self.external_url_requested.emit(QUrl(url))


class PopupWindow(QWidget):
    """A window around a :class:`PopupPage`: its address (read-only) and its connection's state above it.

    It closes when the page calls ``window.close()`` (an OAuth callback does), when the provider
    says the sign-in is done, or when the user closes it.

    Signals:
        closed_by_user(): the user closed the window before the page or the provider did.
    """

    closed_by_user = Signal()

    def __init__(self, page: PopupPage, title: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415 - this module loads only when a pop-up opens
        super().__init__(parent, Qt.WindowType.Window)  # its own window, gone with the provider's view
        self.setWindowTitle(f"Sign in: {title}")
        self.page = page
        self.address = QLineEdit(self)
        self.address.setObjectName("popup-address")
        self.address.setReadOnly(True)
        self.security = QLabel(self)
        self.security.setObjectName("popup-security")
        self.certificate_problem = ""
        self.view = QWebEngineView(self)
        self.view.setPage(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.address)
        layout.addWidget(self.security)
        layout.addWidget(self.view, 1)
        self._closing_by_code = False
        page.urlChanged.connect(self._on_url)
        page.certificate_refused.connect(self._on_certificate_refused)
        page.windowCloseRequested.connect(self.close_by_code)
        self.resize(520, 720)

    @Slot(QUrl)
    def _on_url(self, url: QUrl) -> None:
        shown = QUrl(url)
        shown.setUserInfo(None)  # type: ignore[arg-type]  # never show a password someone put in a URL
        self.address.setText(shown.toDisplayString())
        self.address.setCursorPosition(0)  # the host first: that is what a user checks
        self._show_security(url)

    def _show_security(self, url: QUrl) -> None:
        if self.certificate_problem:
            text, colour = f"Certificate refused: {self.certificate_problem}", "#c0392b"
        elif url.scheme() == "https":
            text, colour = f"Secure connection to {url.host()} (the certificate was verified)", "#1e8449"
        else:
            text, colour = f"Not encrypted: {url.host()} is reached over plain http", "#b9770e"
        self.security.setText(text)
        self.security.setStyleSheet(f"color: {colour}; font-weight: 600")

    @Slot(str)
    def _on_certificate_refused(self, text: str) -> None:
        self.certificate_problem = text
        self._show_security(self.page.url())

    @Slot()
    def close_by_code(self) -> None:
        """Close without telling the provider that the user gave up (the flow ended)."""
        self._closing_by_code = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._closing_by_code:
            self.closed_by_user.emit()
        super().closeEvent(event)
        self.view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()  # its renderer ends with it
        self.deleteLater()
