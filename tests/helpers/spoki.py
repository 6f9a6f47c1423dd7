"""Spoki configs and a signed-in Spoki shell, as several test modules build them."""

from __future__ import annotations

import json
import pathlib
from typing import Any

from desktop.config import ProviderConfig, parse_config
from desktop.demo.spoki import DEMO_API_KEY, DEMO_EMAIL, DEMO_PRIVATE_KEY
from desktop.providers.spoki.provider import SpokiProvider
from desktop.secret import Secret
from tests.helpers.fixtures import write_config

SECRETS = {"api_key": DEMO_API_KEY, "private_key": DEMO_PRIVATE_KEY}


def spoki_toml(api_base: str, app_base: str | None = None, pid: str = "sp", email: str = DEMO_EMAIL,
               **extra: Any) -> str:
    lines = [f'{k} = {json.dumps(v)}' for k, v in extra.items()]
    return "\n".join([
        "[[provider]]", f'id = "{pid}"', 'kind = "spoki"', f'title = "Spoki {pid}"',
        f'api_base = "{api_base}"', f'app_base = "{app_base or api_base}"', f'email = "{email}"', *lines, ""])


def spoki_config(api_base: str, app_base: str | None = None, **extra: Any) -> ProviderConfig:
    return parse_config(spoki_toml(api_base, app_base, **extra)).providers[0]


def secrets_from(values: dict[str, str]) -> Any:
    return lambda pid, field: Secret(values[field]) if field in values else None


def spoki_shell(run_shell: Any, tmp_path: pathlib.Path, origin: str) -> Any:
    """A started Shell with one Spoki provider ``sp`` on ``origin``, its keys given directly."""
    shell = run_shell(write_config(tmp_path, spoki_toml(origin)), start=False)
    provider = shell.providers["sp"]
    assert isinstance(provider, SpokiProvider)
    provider.get_secret = secrets_from(SECRETS)
    provider.is_app_active = lambda: True
    shell.start(show=True)
    return shell
