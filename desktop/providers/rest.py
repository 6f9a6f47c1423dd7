"""The REST calls of providers that sign in: one at a time, JSON, no cache, no cookies, no redirects, bounded."""

from __future__ import annotations

import dataclasses
import email.utils
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from PySide6.QtCore import QByteArray, QObject, QUrl, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest, QSslError

from desktop.contract import CertificateProblem
from desktop.providers.pinning import describe, fingerprint

#: Milliseconds before an unanswered request counts as a network failure.
REQUEST_TIMEOUT_MS: Final = 20_000
#: Largest answer read; a longer one is cut off and counts as too large.
MAX_BODY: Final = 256 * 1024
#: Longest wait honoured from a server's rate-limit headers.
MAX_WAIT: Final = 3600.0


@dataclasses.dataclass(frozen=True)
class RestAnswer:
    """What a server answered.

    Attributes:
        status: the HTTP status (None: no answer; ``error`` says why).
        body: the parsed JSON (None when empty or not JSON).
        headers: lower-cased names.
        error: Qt's network error (``NoError`` for any HTTP answer, even a 500).
        too_large: the answer was longer than the client's limit and was cut off.
        certificate: the server's certificate was refused (not valid and not trusted for the
            provider); what it was.
    """

    status: int | None
    body: Any
    headers: Mapping[str, str]
    error: QNetworkReply.NetworkError
    too_large: bool = False
    certificate: CertificateProblem | None = None

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


def json_request(url: str, timeout_ms: int = REQUEST_TIMEOUT_MS) -> QNetworkRequest:
    """A request that asks for JSON, never uses the HTTP cache, sends and keeps no cookies (the token
    is all a provider needs; a session cookie from Spoki's auth endpoint would make Django REST
    framework demand a CSRF token on the next sign-in), follows no redirect (a secret is sent only
    to the configured server), and gives up after ``timeout_ms``."""
    request = QNetworkRequest(QUrl(url))
    request.setRawHeader(b"Accept", b"application/json")
    request.setAttribute(QNetworkRequest.Attribute.CacheLoadControlAttribute,
                         QNetworkRequest.CacheLoadControl.AlwaysNetwork)
    request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)
    request.setAttribute(QNetworkRequest.Attribute.CookieLoadControlAttribute, QNetworkRequest.LoadControl.Manual)
    request.setAttribute(QNetworkRequest.Attribute.CookieSaveControlAttribute, QNetworkRequest.LoadControl.Manual)
    request.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                         QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
    request.setTransferTimeout(timeout_ms)
    return request


def short_text(text: str, limit: int = 200) -> str:
    """Server text for an error message: whitespace folded, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_text(body: Any, keys: tuple[str, ...] = ("message", "error")) -> str:
    """The first of ``keys`` that is a string in a JSON error body, shortened; "" if none."""
    if isinstance(body, dict):
        for key in keys:
            if isinstance(body.get(key), str):
                return short_text(body[key])
    return ""


def retry_after_seconds(header: str, now: float | None = None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds; None if absent or unreadable."""
    header = header.strip()
    if not header:
        return None
    if header.isdigit():
        return min(float(header), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(delta, 0.0), MAX_WAIT)


def rate_limit_reset_seconds(header: str, now: float | None = None) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` (an absolute epoch in **milliseconds**, as Rocket.Chat
    sends it); None if unreadable."""
    text = header.strip()
    if not text.isdigit() or len(text) > 16:
        return None
    delta = int(text) / 1000 - (time.time() if now is None else now)
    return min(max(delta, 1.0), MAX_WAIT)


class RestClient(QObject):
    """One REST request at a time to a sign-in server; a new one aborts the one in flight.

    Attributes:
        requests_made: how many requests were sent (tests, diagnostics).

    ``pins`` gives the SHA-256 fingerprints of the certificates the user trusted for the provider:
    a server presenting exactly one of them is accepted despite its errors (the same rule as the
    provider's page, see :mod:`desktop.shell.certificates`).
    """

    def __init__(self, parent: QObject | None = None, max_body: int = MAX_BODY,
                 timeout_ms: int = REQUEST_TIMEOUT_MS, pins: Callable[[], frozenset[str]] = frozenset) -> None:
        super().__init__(parent)
        self.max_body = max_body
        self.timeout_ms = timeout_ms
        self.requests_made = 0
        self._pins = pins
        self._refused: dict[str, CertificateProblem] = {}  # URL -> the certificate its reply refused
        self._network = QNetworkAccessManager(self)
        self._network.setRedirectPolicy(QNetworkRequest.RedirectPolicy.ManualRedirectPolicy)
        self._reply: QNetworkReply | None = None
        self._then: Callable[[RestAnswer], None] | None = None

    def send(self, method: str, url: str, then: Callable[[RestAnswer], None], body: Any = None,
             headers: Mapping[bytes, bytes] | None = None) -> None:
        """Send ``body`` (JSON, or nothing when None); ``then`` gets the answer on the Qt thread."""
        self.abort()
        self._refused.clear()
        reply = self._start(method, url, body, headers, self.timeout_ms)
        self._reply, self._then = reply, then
        # Bound slots, not lambdas: Qt disconnects them when the client goes away.
        reply.downloadProgress.connect(self._on_progress)
        reply.finished.connect(self._on_finished)

    def send_detached(self, method: str, url: str, body: Any = None, headers: Mapping[bytes, bytes] | None = None,
                      timeout_ms: int | None = None) -> QNetworkReply:
        """Send a request nobody waits on an answer for but its ``finished`` signal (a logout at
        quit); it leaves the request in flight alone and deletes itself when done."""
        reply = self._start(method, url, body, headers, timeout_ms or self.timeout_ms)
        reply.finished.connect(reply.deleteLater)
        return reply

    def _start(self, method: str, url: str, body: Any, headers: Mapping[bytes, bytes] | None,
               timeout_ms: int) -> QNetworkReply:
        request = json_request(url, timeout_ms)
        for name, value in (headers or {}).items():
            request.setRawHeader(name, value)
        self.requests_made += 1
        if body is None and method == "POST":  # an empty body, sent with Content-Length: 0
            reply = self._network.post(request, QByteArray())
        elif body is None:
            reply = self._network.sendCustomRequest(request, method.encode("ascii"))
        else:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            data = QByteArray(json.dumps(body).encode("utf-8"))
            reply = self._network.sendCustomRequest(request, method.encode("ascii"), data)
        reply.sslErrors.connect(self._on_ssl_errors)
        return reply

    @property
    def busy(self) -> bool:
        return self._reply is not None

    def abort(self) -> None:
        """Forget the request in flight: its answer is never handed on."""
        reply, self._reply, self._then = self._reply, None, None
        if reply is not None:
            reply.finished.disconnect(self._on_finished)
            reply.downloadProgress.disconnect(self._on_progress)
            reply.abort()
            reply.deleteLater()

    @Slot(list)
    def _on_ssl_errors(self, errors: list[QSslError]) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        certificate = reply.sslConfiguration().peerCertificate()
        pins = self._pins()
        if not certificate.isNull() and fingerprint(certificate) in pins:
            reply.ignoreSslErrors(errors)  # exactly these errors, of exactly the trusted certificate
            return
        what = "; ".join(dict.fromkeys(e.errorString() for e in errors)) or "not valid"
        self._refused[reply.url().toString()] = describe(certificate, reply.url(), what, pins, can_trust=True)

    @Slot("qint64", "qint64")
    def _on_progress(self, received: int, _total: int) -> None:
        reply = self.sender()
        if received > self.max_body and isinstance(reply, QNetworkReply) and reply is self._reply:
            reply.setProperty("portico_too_large", True)
            reply.abort()

    @Slot()
    def _on_finished(self) -> None:
        reply = self.sender()
        if not isinstance(reply, QNetworkReply):
            return
        reply.deleteLater()
        if reply is not self._reply or self._then is None:
            return
        then, self._reply, self._then = self._then, None, None
        then(self._answer(reply))

    def _answer(self, reply: QNetworkReply) -> RestAnswer:
        refused = self._refused.pop(reply.url().toString(), None)
        if reply.property("portico_too_large"):
            return RestAnswer(None, None, {}, reply.error(), too_large=True)
        if refused is not None and reply.error() == QNetworkReply.NetworkError.SslHandshakeFailedError:
            return RestAnswer(None, None, {}, reply.error(), certificate=refused)
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        raw = bytes(reply.readAll().data()[:self.max_body])
        try:
            body: Any = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            body = None
        headers = {bytes(k.data()).decode("latin-1").lower(): bytes(v.data()).decode("latin-1")
                   for k, v in reply.rawHeaderPairs()}
        return RestAnswer(None if status is None else int(status), body, headers, reply.error())
