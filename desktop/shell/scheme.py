"""The ``portico://app`` scheme: the host page of every provider, served with a strict CSP."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from importlib import resources
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from desktop.bridge.scripts import FRAME_ID

log = logging.getLogger("portico.scheme")

SCHEME: Final = b"portico"
HOST: Final = "app"
#: The host origin. FIXED: every provider's iframe storage is partitioned by it; never change it.
HOST_ORIGIN: Final = "portico://app"

#: Web permission name -> the iframe ``allow`` feature that delegates it to the provider frame.
_ALLOW_FEATURES: Final = {
    "camera": "camera",
    "microphone": "microphone",
    "clipboard-read": "clipboard-read",
    "clipboard-write": "clipboard-write",
    "screen-share": "display-capture",
}


@dataclasses.dataclass(frozen=True)
class HostPage:
    """What the host page of one provider needs to know."""

    provider_id: str
    title: str
    origin: str
    permissions: frozenset[str]


def register_scheme() -> None:
    """Register ``portico:`` with Chromium. Must run once, before QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == QByteArray(SCHEME):
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.CorsEnabled)
    QWebEngineUrlScheme.registerScheme(scheme)


def host_url(provider_id: str) -> QUrl:
    return QUrl(f"{HOST_ORIGIN}/provider/{provider_id}")


def content_security_policy(origin: str) -> str:
    """The host page's CSP: no script at all (the relay runs in an isolated world), one frame origin."""
    return (f"default-src 'none'; frame-src {origin}; style-src {HOST_ORIGIN}; img-src {HOST_ORIGIN}; "
            "script-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")


def permissions_policy(page: HostPage) -> str:
    """The host page's Permissions-Policy: delegable features only to the provider's origin."""
    parts = []
    for name, feature in sorted(_ALLOW_FEATURES.items(), key=lambda kv: kv[1]):
        allowed = f'(self "{page.origin}")' if name in page.permissions else "()"
        parts.append(f"{feature}={allowed}")
    return ", ".join(parts)


#: What ``html.escape(text, quote=True)`` replaces. (The html module loads its entity table at
#: every start, for unescaping, which the host page never does: docs/startup.md.)
_ESCAPES: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def render_host_page(page: HostPage, frame_src: str = "") -> str:
    """The host document; ``frame_src`` (when the provider's address is known already) starts the
    frame's load with the page's, instead of after the relay has connected."""
    # WORKAROUND: with a portico:// parent (Qt 6.11 / Chromium 140), an explicit origin in the
    # allow list ("camera http://host") is not matched and the feature is NOT delegated
    # ("Potential permissions policy violation"). The bare feature name uses the default
    # 'src' allowlist: the origin of the frame's src, which is the provider's own origin.
    allow = "; ".join(_ALLOW_FEATURES[p] for p in sorted(page.permissions) if p in _ALLOW_FEATURES)
    title = _escape(page.title)
    src = f' src="{_escape(frame_src)}"' if frame_src else ""
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\">"
        f"<title>{title}</title><link rel=\"stylesheet\" href=\"{HOST_ORIGIN}/host.css\"></head><body>"
        f"<div class=\"loading\">Loading {title}…</div>"
        f"<iframe id=\"{FRAME_ID}\" name=\"{FRAME_ID}\" title=\"{title}\" allow=\"{_escape(allow)}\"{src}>"
        "</iframe></body></html>"
    )


class HostSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves ``portico://app/provider/<id>`` and its stylesheet; everything else fails.

    Only GET, only known paths, and only for requests the app itself or a ``portico://app``
    page started (a provider frame cannot read host pages).
    """

    def __init__(self, lookup: Callable[[str], HostPage | None],
                 frame_url: Callable[[str], str | None] = lambda _pid: None, parent: QObject | None = None) -> None:
        """``lookup`` finds a provider's page; ``frame_url`` hands over the address its frame is
        waiting to load, if any (see :meth:`desktop.bridge.bridge.Bridge.take_pending_url`)."""
        super().__init__(parent)
        self._lookup = lookup
        self._frame_url = frame_url

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt override
        url = job.requestUrl()
        initiator = job.initiator()
        if initiator.isValid() and initiator.toString() != HOST_ORIGIN:
            log.warning("refused %s requested by %s", url.toString(), initiator.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        if bytes(job.requestMethod().data()) != b"GET" or url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        path = url.path()
        if path == "/host.css":
            body = resources.files("desktop.resources").joinpath("host.css").read_bytes()
            self._reply(job, body, b"text/css", "default-src 'none'")
            return
        if path.startswith("/provider/"):
            provider_id = path.removeprefix("/provider/")
            page = self._lookup(provider_id)
            if page is not None:
                body = render_host_page(page, self._frame_url(provider_id) or "")
                self._reply(job, body.encode("utf-8"), b"text/html",
                            content_security_policy(page.origin), permissions_policy(page))
                return
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    @staticmethod
    def _reply(job: QWebEngineUrlRequestJob, body: bytes, mime: bytes, csp: str, policy: str = "") -> None:
        # PySide6: the header map's values must be lists, or each character becomes a header.
        headers = {
            QByteArray(b"Content-Security-Policy"): [QByteArray(csp.encode())],
            QByteArray(b"X-Content-Type-Options"): [QByteArray(b"nosniff")],
            QByteArray(b"Referrer-Policy"): [QByteArray(b"no-referrer")],
        }
        if policy:
            headers[QByteArray(b"Permissions-Policy")] = [QByteArray(policy.encode())]
        job.setAdditionalResponseHeaders(headers)
        buffer = QBuffer(parent=job)  # Qt does not own the device: keep it alive with the job
        buffer.setData(QByteArray(body))
        job.reply(QByteArray(mime), buffer)
