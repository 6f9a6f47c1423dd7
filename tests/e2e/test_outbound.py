"""Outbound safety: Portico posts only to the provider's exact origin, and no message carries a secret."""

from __future__ import annotations

import json
import pathlib
import re
from collections.abc import Iterator
from typing import Any

import pytest

from desktop import redact
from desktop.contract import OutboundMessage
from desktop.demo.run import demo_config
from desktop.demo.server import LoopbackServer
from desktop.kinds import secret_fields
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.paths import ROOT
from tests.helpers.sites import hostile_route

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

#: The one outbound message that is meant to carry a secret (Rocket.Chat's web-session sign-in).
CARRIES_SECRET = {"login-with-token"}


def _sources() -> Iterator[pathlib.Path]:
    for folder in ("desktop", "resources"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".js", ".html"} and "demo" not in path.relative_to(ROOT).parts:
                yield path


def test_no_code_posts_to_any_origin():
    """Every postMessage in Portico's own code (the simulators aside) names a concrete target."""
    calls = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"postMessage\s*\(", text):
            calls += 1
            line = text.count("\n", 0, match.start()) + 1
            tail = text[match.end():match.end() + 200]
            assert not re.match(r"[^;]*?,\s*(['\"`])\*\1", tail), f"{path.relative_to(ROOT)}:{line} posts to '*'"
    assert calls >= 1, "the relay's postMessage was not found: the scan is looking in the wrong place"
    relay = (ROOT / "desktop" / "bridge" / "relay.js").read_text(encoding="utf-8")
    # To the frame, and (desktop mode) to the provider's own window, whose origin is cfg.origin.
    assert re.findall(r"postMessage\(([^)]*)\)", relay) == ["msg, cfg.origin", "msg.post, cfg.origin"]


def test_demo_run_messages_carry_no_secret(run_shell, tmp_path, qtbot):
    """Every provider of the demo, signed in with its (fake) keyring secrets: the exact text of every
    message handed to the relay is searched for every secret the run knows."""
    with demo_config(tmp_path / "demo") as demo:
        shell = run_shell(demo.config, start=False)
        shell.secrets.source = demo.get_secret
        sent: list[tuple[str, str, str]] = []  # provider id, message name, exact JSON text
        texts: dict[str, list[str]] = {}  # the bridge emits to_frame(text), then message_sent(message)
        for pid, view in shell.views.items():
            view.bridge.to_frame.connect(lambda text, pid=pid: texts.setdefault(pid, []).append(text))
            view.bridge.message_sent.connect(lambda m, pid=pid: sent.append((pid, m.name, texts[pid].pop())))
        shell.start(show=True)
        for view in shell.views.values():
            wait_ready(qtbot, view, timeout=30_000)
        # Let the demo pages do what they do on load (SpatialChat asks for the user, Spoki lists chats …).
        spatial = [v for v in shell.views.values() if v.provider.kind == "spatialchat"]
        for view in spatial:
            frame_eval(qtbot, view, "window.parent.postMessage({name: 'get_user_info', requestId: 'spy'}, "
                                    "'*'); 1")
        qtbot.waitUntil(lambda: any(name == "user_info" for _, name, _ in sent), timeout=10_000)
        qtbot.wait(1000)  # more traffic, more chances for a secret to slip out
        secrets = {}
        for pc in demo.config.providers:
            for field in secret_fields(pc.kind):
                value = demo.get_secret(pc.id, field)
                if value is not None:
                    secrets[f"{pc.id}/{field}"] = value.reveal()
        secrets.update({f"live secret {n}": s for n, s in enumerate(redact._known_secrets)})
        assert secrets, "the demo has no secret: this test would prove nothing"
        assert sent, "nothing was sent"
        for pid, name, text in sent:
            json.loads(text)
            if name in CARRIES_SECRET:
                continue
            for what, value in secrets.items():
                assert value not in text, f"{what} in {name} to {pid}"


@pytest.fixture()
def hostile_site() -> Iterator[LoopbackServer]:
    server = LoopbackServer(hostile_route).start()
    yield server
    server.stop()


def test_relay_posts_nothing_to_a_document_of_another_origin(run_shell, hostile_site, tmp_path, qtbot):
    """The provider's own URL serves a sandboxed document (origin ``null``). Even with the bridge
    forced open, the relay's targetOrigin keeps Chromium from delivering to it; the provider's real
    document then receives the same message."""
    shell = run_shell(write_config(tmp_path, spatialchat_toml(f"{hostile_site.origin}/probe")))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    message = OutboundMessage("user_info", {"name": "user_info", "requestId": "forced", "data": {}})

    def forced_received() -> Any:
        return frame_eval(qtbot, view, "JSON.stringify((window.received || []).filter(m => m.fromParent"
                                       " && m.data.requestId === 'forced').length)", timeout=2000)

    frame_eval(qtbot, view, f"location.href = {json.dumps(hostile_site.origin + '/sandboxed')}; 1")
    frame_poll(qtbot, view, "JSON.stringify(String(self.origin))", "null")
    view.bridge.set_frame_ready(True)  # pretend the view did not notice the other origin
    view.bridge.send(message)
    qtbot.wait(500)  # a refused postMessage has no signal: give it time to arrive wrongly
    assert forced_received() == 0
    frame_eval(qtbot, view, f"location.href = {json.dumps(hostile_site.origin + '/probe')}; 1")
    frame_poll(qtbot, view, "JSON.stringify(String(self.origin))", hostile_site.origin)
    view.bridge.set_frame_ready(True)
    view.bridge.send(message)
    qtbot.waitUntil(lambda: forced_received() >= 1, timeout=5000)
    qtbot.wait(300)  # as above: a late delivery would show only after a while
    assert forced_received() == 1, "the message posted to the sandboxed document arrived later"
