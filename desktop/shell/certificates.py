"""What Portico does with a certificate Chromium could not verify: refuse it, and say what was wrong."""

from __future__ import annotations

import logging

from PySide6.QtWebEngineCore import QWebEngineCertificateError

log = logging.getLogger("portico.policy")


def refuse(error: QWebEngineCertificateError, where: str) -> str:
    """Reject the certificate (never a blanket "ignore errors") and return ``host: what is wrong``
    for the user; ``where`` says which page refused it, for the log."""
    error.rejectCertificate()
    text = f"{error.url().host()}: {error.description()}"
    log.warning("%s refused the certificate of %s", where, text)
    return text
