"""One provider's view: host page (or the provider's own top-level page), bridge and frame lifecycle."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEnginePage, QWebEngineScript
from PySide6.QtWidgets import QStackedLayout, QWidget

from desktop.bridge.bridge import Bridge
from desktop.bridge.scripts import CHANNEL_OBJECT, FRAME_ID, relay_script
from desktop.contract import CertificateProblem, ProviderError, ProviderState
from desktop.kinds import KINDS
from desktop.providers.base import Provider
from desktop.providers.pinning import certificate_error
from desktop.redact import redact_url
from desktop.shell.context_menu import ProviderWebView
from desktop.shell.page import ProviderPage
from desktop.shell.scheme import host_url

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEngineFrame, QWebEngineProfile

    from desktop.shell.permission_prompt import PermissionPrompt
    from desktop.shell.screen_picker import ScreenPicker
    from desktop.shell.signin_form import SignInForm
    from desktop.shell.status_panel import StatusPanel

log = logging.getLogger("portico.view")

#: How long a provider frame may take to load before the view says it is not answering.
FRAME_LOAD_TIMEOUT_MS: Final = 30_000
_APP_WORLD: Final = QWebEngineScript.ScriptWorldId.ApplicationWorld
LifecycleState = QWebEnginePage.LifecycleState


class ProviderView(QWidget):
    """Hosts one provider: its page, channel, bridge and status panel.

    The page is Portico's host page with the provider's document in a child frame, or, while
    ``provider.top_level`` says so (a kind's desktop mode), the provider's document itself; then
    the relay hears the window events named by ``provider.window_events`` instead of messages.

    Signals:
        frame_ready(): the provider's document loaded in its frame and the bridge is open.
        frame_failed(object): the frame could not load (a :class:`ProviderError`).
        external_url_requested(QUrl): the provider asked to open a link in the system browser.
        credentials_submitted(object, bool): the sign-in form's ``{field: Secret}`` and "remember".
        lifecycle_changed(object): the page's ``QWebEnginePage.LifecycleState`` changed
            (Active, Frozen: no script runs, Discarded: the document is gone; see lifecycle.py).
        certificate_trusted(str, bool): the user trusts the refused certificate (its fingerprint)
            for this provider; True: instead of the one trusted before, which it replaced.
        permission_answered(object, bool): the user answered a camera/microphone question
            (the frozenset of names asked, allowed); the Shell remembers it.
    """

    frame_ready = Signal()
    frame_failed = Signal(object)
    external_url_requested = Signal(QUrl)
    credentials_submitted = Signal(object, bool)
    lifecycle_changed = Signal(object)
    certificate_trusted = Signal(str, bool)
    permission_answered = Signal(object, bool)

    def __init__(self, provider: Provider, profile: QWebEngineProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self.profile = profile
        self.web_view = ProviderWebView(self)
        self.page = ProviderPage(profile, provider.origin, KINDS[provider.config.kind].permissions, self.web_view,
                                 pins=lambda: provider.trusted_certificates)
        self.page.scripts().insert(relay_script(provider.origin, provider.window_events))
        self.bridge = Bridge(provider, self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject(CHANNEL_OBJECT, self.bridge)
        self.page.setWebChannel(self.channel, _APP_WORLD)
        self.web_view.setPage(self.page)
        self.page.setZoomFactor(float(provider.config.option("zoom", 1.0)))
        self._panel: StatusPanel | None = None
        self.signin_form: SignInForm | None = None
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.web_view)
        self._load_timer = QTimer(self, singleShot=True, interval=FRAME_LOAD_TIMEOUT_MS)
        self._load_timer.timeout.connect(self._on_load_timeout)
        self._frame_url = ""
        self._check_serial = 0
        self._closed = False
        self._host_dead = False  # the host page's renderer died; Retry must reload the page itself
        #: The frame stopped answering (set by recovery.ViewWatchdog); Retry then restarts its renderer.
        self.unresponsive = False
        #: The relay stopped a flooding frame and the page was discarded; only Retry wakes it.
        self._flood_held = False
        self._relay_connections = 0
        self._top_level = False  # the page holds the provider's own document (not the host page)
        self._certificate: CertificateProblem | None = None  # what the panel's Trust button trusts
        self._certificate_error: ProviderError | None = None  # a certificate refused since the last navigation

        self.page.loadingChanged.connect(self._on_host_loading)
        self.page.renderProcessTerminated.connect(self._on_renderer_terminated)
        self.page.lifecycleStateChanged.connect(self._on_lifecycle_state)
        self.bridge.relay_connected.connect(self._on_relay_connected)
        self.bridge.flood_stopped.connect(self._on_flood_stopped)
        self.page.external_url_requested.connect(self.external_url_requested)
        self.page.certificate_refused.connect(self._on_certificate_refused)
        self.bridge.frame_load_finished.connect(self._check_frame)
        self.bridge.frame_talking.connect(self.show_page)
        provider.frame_requested.connect(self._navigate)
        provider.error_occurred.connect(self._show_error)
        self.popups: list[Any] = []  # open sign-in pop-up windows (desktop.shell.popup.PopupWindow)
        self.page.popup_opened.connect(self._show_popup)
        self.page.permission_asked.connect(self._ask_permission)
        self.page.screen_share_requested.connect(self._pick_screen)
        self.prompt: PermissionPrompt | None = None  # made at the first question
        self.screen_picker: ScreenPicker | None = None
        provider.sign_in_popup_expected.connect(self.page.expect_sign_in_popup)
        provider.sign_in_popup_done.connect(self.close_popups)

    # --- camera, microphone, screen ---------------------------------------------------------

    @Slot(object, object)
    def _ask_permission(self, permission: Any, needs: frozenset[str]) -> None:
        if self.prompt is None:
            from desktop.shell.permission_prompt import PermissionPrompt  # noqa: PLC0415 - at the first question
            self.prompt = PermissionPrompt(self)
            self.prompt.answered.connect(self._on_permission_answered)
        from desktop.shell.permission_prompt import describe  # noqa: PLC0415
        self.prompt.ask((permission, needs), f"{self.provider.title} ({self.provider.origin}) wants to use your "
                                             f"{describe(needs)}. Portico remembers your answer; Settings can "
                                             "change it.")

    @Slot(object, bool)
    def _on_permission_answered(self, request: Any, allowed: bool) -> None:
        permission, needs = request
        self.page.answer_permission(permission, allowed)
        self.permission_answered.emit(needs, allowed)

    @Slot(object)
    def _pick_screen(self, request: Any) -> None:
        from desktop.shell.screen_picker import ScreenPicker  # noqa: PLC0415 - when a page asks
        if self.screen_picker is not None:
            self.screen_picker.cancel()  # one question at a time: the older request gets nothing
            self.screen_picker.deleteLater()
        self.screen_picker = ScreenPicker(request, self.provider.title, self)
        self.screen_picker.open()

    def _drop_questions(self) -> None:
        """The page's document goes away: its pending questions are answered "no"."""
        if self.prompt is not None:
            self.prompt.clear(lambda request: self.page.answer_permission(request[0], False))
        if self.screen_picker is not None:
            self.screen_picker.cancel()
            self.screen_picker.close()

    # --- sign-in pop-ups ------------------------------------------------------------------

    @Slot(object)
    def _show_popup(self, page: Any) -> None:
        from desktop.shell.popup import PopupWindow  # noqa: PLC0415 - only when a sign-in pop-up opens
        window = PopupWindow(page, self.provider.title, self)
        self.popups.append(window)
        window.closed_by_user.connect(self.provider.sign_in_popup_closed)
        window.destroyed.connect(lambda _obj=None, w=window: self.popups.remove(w) if w in self.popups else None)
        window.show()
        window.raise_()

    @Slot()
    def close_popups(self) -> None:
        for window in list(self.popups):
            window.close_by_code()

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Load the host page and let the provider prepare its frame."""
        self.page.load(host_url(self.provider.id))
        self.provider.start()

    @Slot()
    def retry(self) -> None:
        if self._flood_held:
            # A fresh host document; its relay's connection starts the provider (_on_relay_connected).
            self._flood_held = False
            self._stack.setCurrentWidget(self.web_view)
            self.set_lifecycle_state(LifecycleState.Active)
            return
        if self.unresponsive:
            self.restart_renderer()
            return
        if self._host_dead:
            self.reload_host()
            return
        self._set_signin_form(())
        self._stack.setCurrentWidget(self.web_view)
        self.provider.start()

    def reload_host(self) -> None:
        """Load the host page again (after its renderer died); the provider restarts once the relay
        is back. A top-level provider document is loaded again by the provider itself."""
        if self._closed:
            return
        self._load_timer.stop()
        self.bridge.set_frame_ready(False)
        self._stack.setCurrentWidget(self.web_view)
        if self._top_level:
            self._host_dead = False
            self.provider.start()
            return
        self.page.load(host_url(self.provider.id))

    def restart_renderer(self) -> None:
        """Discard the page and load it again: unlike a reload, this also frees a renderer stuck in a
        busy loop (a reload waits for the loop to end; this took 0.17–0.37 s in the tests)."""
        self.unresponsive = False
        self._stack.setCurrentWidget(self.panel)  # a visible page cannot be discarded
        if self.set_lifecycle_state(LifecycleState.Discarded):
            self.set_lifecycle_state(LifecycleState.Active)
            self._stack.setCurrentWidget(self.web_view)
        else:
            self.reload_host()

    @Slot()
    def _on_relay_connected(self) -> None:
        self._relay_connections += 1
        if self._top_level:
            # Each top-level document has a relay of its own; one Portico did not load (the
            # client reloading itself, a discarded page woken up) signs in from its own storage.
            return
        if self._relay_connections > 1 and not self._closed:
            # A new host document (crash reload, or a discarded page woken up): its frame is empty.
            self.provider.start()

    @Slot(QWebEnginePage.RenderProcessTerminationStatus, int)
    def _on_renderer_terminated(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        if self._closed or status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return  # normal: the page was discarded (hibernation), not a crash
        log.warning("provider %s: the host page's renderer ended (%s, exit code %d)", self.provider.id,
                    status.name, code)
        self._host_dead = True
        self._load_timer.stop()
        self.bridge.set_frame_ready(False)

    @Slot()
    def _on_flood_stopped(self) -> None:
        """The relay removed a flooding frame. Its renderer keeps running and posting even so
        (docs/benchmarks.md has how many), and Chromium queues them without bound; discarding the page ends that process. Retry loads it again."""
        if self._closed:
            return
        self._stack.setCurrentWidget(self.panel)  # a visible page cannot be discarded
        if self.set_lifecycle_state(LifecycleState.Discarded):
            self._flood_held = True
        else:
            log.warning("provider %s: the flooding page could not be discarded", self.provider.id)

    # --- lifecycle state (hibernation) ---------------------------------------------------------

    def lifecycle_state(self) -> QWebEnginePage.LifecycleState:
        return self.page.lifecycleState()

    def set_lifecycle_state(self, state: QWebEnginePage.LifecycleState) -> bool:
        """Freeze, discard or wake the page; False (and no change) for a visible page, which stays
        Active, and for a page discarded after a flood, which only Retry wakes."""
        if self._closed or state == self.page.lifecycleState():
            return False
        if self._flood_held and state != LifecycleState.Discarded:
            return False
        if state != LifecycleState.Active and self.page.isVisible():
            return False
        self.page.setLifecycleState(state)
        return self.page.lifecycleState() == state

    @Slot(QWebEnginePage.LifecycleState)
    def _on_lifecycle_state(self, state: QWebEnginePage.LifecycleState) -> None:
        if state == LifecycleState.Discarded:
            # The document is gone; Chromium loads the host page again when the page is made Active.
            self._load_timer.stop()
            self.bridge.set_frame_ready(False)
            self.provider.set_state(ProviderState.IDLE)
        self.lifecycle_changed.emit(state)

    def reload(self) -> None:
        """Reload the provider (fresh sign-in/token where the provider needs one)."""
        self.retry()

    def showing_error(self) -> bool:
        return self._panel is not None and self._stack.currentWidget() is self._panel

    @property
    def panel(self) -> StatusPanel:
        """What shows instead of the page (errors, sign-in); made the first time it is needed,
        so that a start-up without trouble does not build it."""
        if self._panel is None:
            from desktop.shell.status_panel import StatusPanel  # noqa: PLC0415
            self._panel = StatusPanel(self)
            self._panel.retry_requested.connect(self.retry)
            self._panel.trust_requested.connect(self._on_trust_requested)
            self._stack.addWidget(self._panel)
        return self._panel

    @Slot(str)
    def _navigate(self, url: str) -> None:
        self._drop_questions()  # they were the old document's
        self._certificate_error = None
        self._frame_url = url
        self._check_serial += 1
        self._load_timer.start()
        if self.provider.top_level:
            self._top_level = True
            self.page.set_top_level(True)
            self.bridge.expect_document()
            self.page.load(QUrl(url))
        elif self._top_level:
            # Back to the host page: it takes the URL as its frame's src when it is served.
            self._top_level = False
            self.page.set_top_level(False)
            self.bridge.expect_document(url)
            self.page.load(host_url(self.provider.id))
        else:
            self.bridge.navigate(url)

    @property
    def top_level(self) -> bool:
        """The page holds the provider's own document, not Portico's host page."""
        return self._top_level

    @Slot(QWebEngineLoadingInfo)
    def _on_host_loading(self, info: QWebEngineLoadingInfo) -> None:
        status = info.status()
        if status == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus:
            return
        if self._top_level:
            self._on_top_level_loading(info)
            return
        if not self._is_host_url(info.url()):
            # A top-level navigation the page refused (a target=_top/_parent link, top.location):
            # Chromium reports it as a stopped load of the host page (loadFinished(false), with
            # ERR_ABORTED) though the host document never left. The link went where the policy
            # sends it; the provider stays as it was.
            return
        self._on_host_loaded(status == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus)

    def _on_top_level_loading(self, info: QWebEngineLoadingInfo) -> None:
        """A load of the provider's own document ended: tell it from Chromium's error page (the
        same check as for a frame). A stopped load was replaced by a newer one."""
        if info.status() in (QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus,
                             QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus):
            self._check_frame()

    def _is_host_url(self, url: QUrl) -> bool:
        return url.toString().split("#", 1)[0] == host_url(self.provider.id).toString()

    def _on_host_loaded(self, ok: bool) -> None:
        if ok:
            self._host_dead = False
        elif self._host_dead:
            # The renderer died during a load: the load "fails" too, but the crash is the news
            # (recovery.ViewWatchdog says so and reloads); do not cover it with a load error.
            return
        else:
            self._show_error(ProviderError(self.tr("Portico could not open its own page for this provider."),
                                           self.tr("Reload the provider; if it keeps failing, restart Portico.")))

    @Slot()
    def _check_frame(self, attempt: int = 0) -> None:
        """The frame fired ``load``: tell a real document from Chromium's error page."""
        if self._closed:
            return
        frame = self._provider_frame()
        if frame is None:
            return
        serial = self._check_serial
        frame.runJavaScript("JSON.stringify([location.protocol, location.origin])", _APP_WORLD,
                            lambda result: self._on_frame_checked(serial, attempt, result))

    def provider_frame(self) -> QWebEngineFrame | None:
        """The provider's iframe in the host page (None while the host page has none), or the
        page's main frame while it holds the provider's own document."""
        return None if self._closed else self._provider_frame()

    @property
    def closed(self) -> bool:
        """Whether :meth:`shutdown` ran (the page is gone)."""
        return self._closed

    def _provider_frame(self) -> QWebEngineFrame | None:
        if self._top_level:
            return self.page.mainFrame()
        for frame in self.page.mainFrame().children():
            if frame.htmlName() == FRAME_ID:
                return frame
        return None

    def _on_frame_checked(self, serial: int, attempt: int, result: Any) -> None:
        if self._closed or serial != self._check_serial:
            return  # the frame navigated again meanwhile
        try:
            protocol, origin = json.loads(result) if isinstance(result, str) else ("", "")
        except ValueError:
            protocol, origin = "", ""
        if not protocol and attempt < 5:
            # No answer: the frame was replacing its document while the check ran. Ask again.
            QTimer.singleShot(100, self, lambda: self._check_frame(attempt + 1))
            return
        if protocol == "chrome-error:" or not protocol:
            self._load_timer.stop()
            self.bridge.set_frame_ready(False)
            if self._certificate_error is not None:
                # The refused certificate is why: its panel (and Trust button) stays, with no
                # automatic retry, which would meet the same certificate.
                self.frame_failed.emit(self._certificate_error)
                return
            error = self._diagnose()
            self.provider.fail(error)
            self.frame_failed.emit(error)
            return
        if origin != self.provider.origin:
            # The frame is showing another site (a redirect): the bridge ignores it entirely.
            log.info("provider %s frame is at another origin; the bridge stays closed", self.provider.id)
            return
        self._load_timer.stop()
        self.bridge.set_frame_ready(True)
        # The page first: what the provider does on load may fail and show the panel over it.
        self._stack.setCurrentWidget(self.web_view)
        self.provider.on_frame_loaded()
        self.frame_ready.emit()

    def _diagnose(self) -> ProviderError:
        diagnose = getattr(self.provider, "diagnose_frame_failure", None)
        if callable(diagnose):
            error = diagnose()
            if error is not None:
                return error
        return ProviderError(
            self.tr("{title} could not be loaded from {origin}.").format(title=self.provider.title,
                                                                         origin=self.provider.origin),
            self.tr("Check your network connection and that the server is running, then press Retry."))

    @Slot()
    def _on_load_timeout(self) -> None:
        self.provider.fail(ProviderError(self.tr("{title} is not answering.").format(title=self.provider.title),
                                         self.tr("It did not finish loading in 30 seconds. Press Retry to reload it.")))

    @Slot(str)
    @Slot(object)
    def _on_certificate_refused(self, problem: CertificateProblem) -> None:
        shown = self._certificate_error.certificate if self._certificate_error is not None else None
        if shown is not None and problem.host == shown.host and problem.fingerprint in ("", shown.fingerprint):
            # The same certificate again (a subresource's request, which Chromium reports without
            # the chain or as not overridable): the panel already says it, with its Trust button.
            log.info("provider %s: the certificate of %s was refused again (%s)", self.provider.id, problem.host,
                     problem.what)
            return
        self._certificate_error = certificate_error(problem)
        self.provider.fail(self._certificate_error)

    @Slot(object)
    def _show_error(self, error: ProviderError) -> None:
        self._load_timer.stop()
        asks = error.needs_fields and error.can_remember
        title = self.tr("Sign-in needed") if asks else self.tr("{title} is unavailable").format(
            title=self.provider.title)
        certificate = error.certificate
        self._certificate = certificate if certificate is not None and certificate.can_trust else None
        if certificate is not None:
            title = self.tr("Certificate changed") if certificate.changed else self.tr("Certificate not trusted")
        trust = ""
        if self._certificate is not None:
            trust = (self.tr("Trust the new certificate for {title}") if certificate.changed
                     else self.tr("Trust this certificate for {title}")).format(title=self.provider.title)
        self.show_status(title, error.message, error.hint, can_retry=not asks, trust_text=trust)
        self._set_signin_form(error.needs_fields, error.can_remember)
        log.info("provider %s shows an error: %s (frame %s)", self.provider.id, error.message,
                 redact_url(self._frame_url))

    def show_status(self, title: str, message: str, hint: str = "", can_retry: bool = True,
                    retry_text: str = "", wait_text: str = "", trust_text: str = "") -> None:
        """Show the status panel instead of the page (``wait_text``: a second button, see StatusPanel)."""
        self.panel.show_error(title, message, hint, can_retry, retry_text, wait_text, about=self.provider.about,
                              trust_text=trust_text)
        self._stack.setCurrentWidget(self.panel)

    def _set_signin_form(self, fields: tuple[str, ...], can_remember: bool = True) -> None:
        """Show a sign-in form for ``fields`` in the status panel (or remove it when empty)."""
        if self.signin_form is not None:
            self.signin_form.setParent(None)  # type: ignore[call-overload]
            self.signin_form.deleteLater()
            self.signin_form = None
        if fields:
            from desktop.shell.signin_form import SignInForm  # noqa: PLC0415 - see panel
            self.signin_form = SignInForm(self.provider.config.kind, fields, self.panel, can_remember)
            self.signin_form.submitted.connect(self.credentials_submitted)
            self.panel.extra.addWidget(self.signin_form)

    @Slot()
    def _on_trust_requested(self) -> None:
        certificate, self._certificate = self._certificate, None
        if certificate is not None:
            self.certificate_trusted.emit(certificate.fingerprint, certificate.changed)

    @Slot()
    def show_page(self) -> None:
        """Show the page again (the panel's problem went away by itself, or a new document talks:
        a panel from before, such as a failed sign-in that an automatic retry got past, is stale)."""
        if not self._flood_held:
            self._stack.setCurrentWidget(self.web_view)

    def shutdown(self) -> None:
        """Tear down in Qt's required order: view -> page -> (the caller then deletes the profile)."""
        self._closed = True
        self._drop_questions()
        self.close_popups()  # their pages live in this provider's profile, which goes next
        self._load_timer.stop()
        self.provider.shutdown()
        self.web_view.setPage(None)  # type: ignore[arg-type]
        self.page.deleteLater()
        self.web_view.deleteLater()

