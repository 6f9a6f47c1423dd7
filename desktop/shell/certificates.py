"""What Portico does with a certificate Chromium could not verify: accept the exact one the user trusted, else refuse it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWebEngineCore import QWebEngineCertificateError

from desktop.bridge.envelope import is_origin
from desktop.contract import CertificateProblem
from desktop.providers.pinning import describe, fingerprint

log = logging.getLogger("portico.policy")


def decide(error: QWebEngineCertificateError, provider_origin: str, pins: Callable[[], frozenset[str]],
           where: str) -> CertificateProblem | None:
    """Accept the certificate when its leaf is pinned for this provider and the error is for the
    provider's own origin and one Chromium lets a user override (None); otherwise reject it and
    return what to show. Never a blanket "ignore errors": another certificate, another origin or
    another provider's pin is refused. ``where`` names the page, for the log."""
    chain = error.certificateChain()
    leaf = chain[0] if chain else None
    own = is_origin(error.url().toString(), provider_origin)
    trusted = pins() if own else frozenset()
    if leaf is not None and own and error.isOverridable() and fingerprint(leaf) in trusted:
        error.acceptCertificate()
        log.info("%s accepted the pinned certificate of %s (%s)", where, error.url().host(), error.description())
        return None
    error.rejectCertificate()
    problem = describe(leaf, error.url(), error.description(), trusted, can_trust=own and error.isOverridable())
    log.warning("%s refused the certificate of %s: %s%s", where, problem.host, problem.what,
                " (not the trusted one)" if problem.changed else "")
    return problem
