"""Certificates a user trusted for one provider (SHA-256 pins), and how a refused one is described."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QCryptographicHash, QUrl
from PySide6.QtNetwork import QSslCertificate

from desktop.contract import CertificateProblem, ProviderError


def normalize_fingerprint(text: str) -> str:
    """A fingerprint as Portico compares it: lower-case hex, no colons (the config takes any case,
    with or without colons)."""
    return text.replace(":", "").strip().lower()


def display_fingerprint(text: str) -> str:
    """``AB:CD:…``: how the prompt shows a fingerprint and the config stores a trusted one."""
    hexdigits = normalize_fingerprint(text).upper()
    return ":".join(hexdigits[i:i + 2] for i in range(0, len(hexdigits), 2))


def pins_from(values: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize_fingerprint(v) for v in values)


def fingerprint(certificate: QSslCertificate) -> str:
    """The normalized SHA-256 fingerprint of a certificate's DER encoding."""
    return bytes(certificate.digest(QCryptographicHash.Algorithm.Sha256).toHex().data()).decode("ascii")


def host_of(url: QUrl) -> str:
    """``host`` or ``host:port`` (a port other than the scheme's default)."""
    port = url.port()
    return url.host() if port in (-1, 443 if url.scheme() == "https" else 80) else f"{url.host()}:{port}"


def describe(certificate: QSslCertificate | None, url: QUrl, what: str, pins: frozenset[str],
             can_trust: bool) -> CertificateProblem:
    """What the user is shown of a refused certificate (``pins``: what the provider trusts)."""
    if certificate is None or certificate.isNull():
        return CertificateProblem(host=host_of(url), what=what, can_trust=False)
    return CertificateProblem(
        host=host_of(url), what=what,
        subject=certificate.subjectDisplayName(), issuer=certificate.issuerDisplayName(),
        valid_from=certificate.effectiveDate().toString("yyyy-MM-dd"),
        valid_until=certificate.expiryDate().toString("yyyy-MM-dd"),
        fingerprint=display_fingerprint(fingerprint(certificate)),
        changed=bool(pins), can_trust=can_trust)


def certificate_error(problem: CertificateProblem) -> ProviderError:
    """The provider's error for a refused certificate: what was wrong and the certificate's facts
    (in the window's language; ``what`` stays in Chromium's or Qt's words)."""
    translate = QCoreApplication.translate
    if problem.changed:
        message = translate("Certificates", "The certificate of {host} changed: it is not the one you trusted for this "
                                     "provider ({what}).").format(host=problem.host, what=problem.what)
        advice = translate("Certificates", "If the server's administrator renewed it, compare the fingerprint with "
                                    "theirs before trusting the new one.")
    else:
        message = translate("Certificates", "The secure connection failed: the certificate of {host} is not trusted "
                                     "({what}).").format(host=problem.host, what=problem.what)
        advice = translate("Certificates", "If your company uses its own certificate authority, it can be installed in "
                                    "the system store instead (docs/network.md).")
    facts = []
    if problem.fingerprint:
        facts.append(translate("Certificates", "Issued to {subject} by {issuer}, valid {start} to {end}.").format(
            subject=problem.subject or "?", issuer=problem.issuer or "?", start=problem.valid_from,
            end=problem.valid_until))
        facts.append(translate("Certificates", "SHA-256 fingerprint: {fingerprint}").format(
            fingerprint=problem.fingerprint))
    if not problem.can_trust:
        advice = translate("Certificates", "Portico cannot accept this certificate.") + " " + advice
    return ProviderError(message, "\n".join([*facts, advice]), certificate=problem)
