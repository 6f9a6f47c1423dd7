"""Self-signed certificates end to end: refused with the facts, trusted by fingerprint for one provider, refused again when changed."""

from __future__ import annotations

import pathlib
import tomllib
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from desktop.config import load_config
from desktop.contract import ProviderState
from desktop.demo.rocketchat import DEMO_PASSWORD, INTEGRATION_SETTINGS, start_server
from desktop.demo.server import LoopbackServer
from desktop.demo.tls import self_signed
from tests.helpers.fixtures import spatialchat_toml, wait_ready, write_config
from tests.helpers.rocketchat import rc_toml, signed_in, start_rc
from tests.helpers.sites import probe_route

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


def certificate(tmp_path: pathlib.Path, name: str) -> tuple[pathlib.Path, pathlib.Path, str]:
    """A fresh self-signed certificate for 127.0.0.1, its key, and its SHA-256 (upper-case, colons)."""
    folder = tmp_path / name
    folder.mkdir()
    cert, key = self_signed(folder)
    digest = x509.load_pem_x509_certificate(cert.read_bytes()).fingerprint(hashes.SHA256())
    return cert, key, ":".join(f"{b:02X}" for b in digest)


def trusted_in_file(path: pathlib.Path, pid: str) -> list[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return next(p for p in data["provider"] if p["id"] == pid).get("trusted_certificates", [])


def refused(qtbot: Any, view: Any) -> None:
    """Wait for the certificate panel, and see that it stays: the frame's failed load that
    follows must not replace it with a generic error and a retry."""
    qtbot.waitUntil(lambda: view.showing_error() and view.panel.trust_button.isVisible(), timeout=20_000)
    qtbot.wait(1500)
    assert view.showing_error() and view.panel.trust_button.isVisible(), view.panel.message.text()
    assert view.panel.title.text().startswith("Certificate"), view.panel.title.text()


def test_refused_then_trusted_by_fingerprint_then_refused_again_when_it_changes(run_shell, tmp_path, qtbot):
    cert_a, key_a, fp_a = certificate(tmp_path, "a")
    server = LoopbackServer(probe_route, tls=(cert_a, key_a)).start()
    port = server.port
    url = f"{server.origin}/probe"
    other = f'\n[[provider]]\nid = "other"\nkind = "spatialchat"\nurl = "{url}"\n'
    config = write_config(tmp_path, spatialchat_toml(url) + other)
    try:
        shell = run_shell(config)
        view = shell.views["room"]
        refused(qtbot, view)
        panel = view.panel
        assert panel.title.text() == "Certificate not trusted"
        assert "127.0.0.1" in panel.message.text()
        assert fp_a in panel.hint.text() and "127.0.0.1" in panel.hint.text()  # subject and issuer
        assert "valid " in panel.hint.text()
        assert panel.trust_button.isVisible() and "Trust this certificate for" in panel.trust_button.text()
        assert not view.bridge._frame_ready

        panel.trust_button.click()
        wait_ready(qtbot, view)
        assert trusted_in_file(config.path, "room") == [fp_a]
        assert trusted_in_file(config.path, "other") == []  # only the provider the user trusted it for
        assert shell.providers["room"].state is ProviderState.READY

        # The other provider on the same server is still refused: a pin is one provider's.
        shell.window.select("other")
        other_view = shell.views["other"]
        refused(qtbot, other_view)
        assert other_view.panel.title.text() == "Certificate not trusted"
    finally:
        server.stop()

    # The server's certificate is replaced (same address): the trusted one is no longer shown.
    cert_b, key_b, fp_b = certificate(tmp_path, "b")
    assert fp_b != fp_a
    server = LoopbackServer(probe_route, port=port, tls=(cert_b, key_b)).start()
    try:
        shell = run_shell(load_config(config.path))
        view = shell.views["room"]
        assert shell.providers["room"].trusted_certificates  # read back from the file
        refused(qtbot, view)
        assert view.panel.title.text() == "Certificate changed"
        assert "changed" in view.panel.message.text() and fp_b in view.panel.hint.text()
        assert "Trust the new certificate" in view.panel.trust_button.text()
        view.panel.trust_button.click()
        wait_ready(qtbot, view)
        assert trusted_in_file(config.path, "room") == [fp_b]  # the new one replaces the old
    finally:
        server.stop()


def test_pins_in_any_case_with_or_without_colons_and_bad_ones_are_located(tmp_path):
    hexdigits = "ab" * 32
    colons = ":".join(["AB"] * 32)
    def toml(pins: str) -> str:
        return f'[[provider]]\nid = "room"\nkind = "spatialchat"\nurl = "https://room.example"\n' \
               f'trusted_certificates = {pins}\n'
    config = write_config(tmp_path, toml(f'["{hexdigits}", "{colons}"]'))
    assert config.providers[0].options["trusted_certificates"] == (hexdigits, colons)
    from desktop.providers.pinning import pins_from  # noqa: PLC0415
    assert pins_from(config.providers[0].options["trusted_certificates"]) == {hexdigits}
    from desktop.config import ConfigError, parse_config  # noqa: PLC0415
    with pytest.raises(ConfigError) as info:
        parse_config(toml('["ab:cd"]'), "c.toml")
    assert "provider[0].trusted_certificates" in str(info.value) and "SHA-256" in str(info.value)


def test_the_rest_sign_in_honours_the_same_pin(run_shell, tmp_path, qtbot):
    cert, key, fp = certificate(tmp_path, "rc")
    server, simulator = start_server(settings=INTEGRATION_SETTINGS, tls=(cert, key), poll_ms=100)
    try:
        shell, provider, _, recorder = start_rc(run_shell, tmp_path, rc_toml(server.origin),
                                                {"password": DEMO_PASSWORD})
        view = shell.views["rc"]
        refused(qtbot, view)
        # The REST sign-in met the certificate first: nothing was signed in, no password was sent.
        assert recorder.errors and recorder.errors[-1].certificate is not None
        assert fp in view.panel.hint.text() and not provider.signed_in
        assert not simulator.requests  # the TLS handshake failed: no request reached the server
        view.panel.trust_button.click()
        signed_in(qtbot, view, provider)
        assert trusted_in_file(shell.config.path, "rc") == [fp]
    finally:
        server.stop()


def test_doctor_reaches_a_pinned_server_and_not_an_unpinned_one(tmp_path):
    from desktop.doctor import check_rocketchat  # noqa: PLC0415
    cert, key, fp = certificate(tmp_path, "rc")
    server, _simulator = start_server(settings=INTEGRATION_SETTINGS, tls=(cert, key))
    try:
        plain = write_config(tmp_path, rc_toml(server.origin))
        refused_check = check_rocketchat(plain.path)
        assert not refused_check.ok and "CERTIFICATE_VERIFY_FAILED" in refused_check.detail
        pinned = tmp_path / "pinned.toml"
        pinned.write_text(rc_toml(server.origin) + f'trusted_certificates = ["{fp}"]\n', encoding="utf-8")
        check = check_rocketchat(pinned)
        assert check.ok and "iframe mode" in check.detail, check.detail
    finally:
        server.stop()
