"""Rocket.Chat configs, a recorder of what a provider emitted, and a started Rocket.Chat shell."""

from __future__ import annotations

import pathlib
from typing import Any

from desktop.app import Shell
from desktop.contract import ProviderEvent
from desktop.providers.rocketchat.provider import RocketChatProvider
from desktop.secret import Secret
from tests.helpers.fixtures import wait_ready, write_config


def rc_toml(server: str, pid: str = "rc", channel: str = "general", username: str = "ada", user_id: str = "",
            integration: str = "") -> str:
    lines = [f'[[provider]]\nid = "{pid}"\nkind = "rocketchat"\ntitle = "Chat {pid}"\nserver = "{server}"']
    if integration:
        lines.append(f'integration = "{integration}"')
    if channel:
        lines.append(f'channel = "{channel}"')
    if username:
        lines.append(f'username = "{username}"')
    if user_id:
        lines.append(f'user_id = "{user_id}"')
    return "\n".join(lines) + "\n"


class Recorder:
    """Everything one Rocket.Chat provider emitted."""

    def __init__(self, provider: RocketChatProvider) -> None:
        self.events: list[ProviderEvent] = []
        self.notes: list[Any] = []
        self.urls: list[str] = []
        self.errors: list[Any] = []
        self.fallbacks: list[str] = []
        provider.event_received.connect(self.events.append)
        provider.notification_requested.connect(self.notes.append)
        provider.frame_requested.connect(self.urls.append)
        provider.error_occurred.connect(self.errors.append)
        provider.web_login_fallback.connect(self.fallbacks.append)

    def of(self, cls: type) -> list[Any]:
        return [e for e in self.events if isinstance(e, cls)]


def start_rc(run_shell, tmp_path: pathlib.Path, toml: str, secrets: dict[str, str],
             login_timeout_ms: int = 10_000) -> tuple[Shell, RocketChatProvider, Any, Recorder]:
    shell = run_shell(write_config(tmp_path, toml), start=False)
    # Like `portico demo`: the Shell's secret source is a fixed table; typed secrets still win.
    shell.secrets.source = lambda pid, field: Secret(secrets[field]) if field in secrets else None
    provider = shell.providers["rc"]
    assert isinstance(provider, RocketChatProvider)
    provider.is_app_active = lambda: False
    provider.retry_delays = (0.2,)
    provider.web_login_timeout_ms = login_timeout_ms
    recorder = Recorder(provider)
    shell.start(show=True)
    return shell, provider, shell.views["rc"], recorder


def signed_in(qtbot, view, provider) -> None:
    wait_ready(qtbot, view)
    qtbot.waitUntil(lambda: provider.signed_in, timeout=15_000)
