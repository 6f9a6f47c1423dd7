"""Where Portico keeps its config, data and profiles (platformdirs, 0700 directories)."""

from __future__ import annotations

import os
import pathlib

import platformdirs

APP_NAME = "portico"


def _ensure_private(path: pathlib.Path) -> pathlib.Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except OSError:  # a directory we do not own (e.g. read-only media): leave it as it is
        pass
    return path


def config_dir() -> pathlib.Path:
    """The user's config directory, e.g. ``~/.config/portico``."""
    return pathlib.Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def managed_config_file() -> pathlib.Path | None:
    """The administrator's ``portico/managed.toml``: the first in ``$XDG_CONFIG_DIRS`` (default
    ``/etc/xdg``) that exists, or None."""
    dirs = [d for d in os.environ.get("XDG_CONFIG_DIRS", "").split(":") if d] or ["/etc/xdg"]
    for folder in dirs:
        path = pathlib.Path(folder) / APP_NAME / "managed.toml"
        if path.is_file():
            return path
    return None


def default_config_file() -> pathlib.Path:
    """The config file used when ``--config`` is not given."""
    return config_dir() / "config.toml"


def data_dir() -> pathlib.Path:
    """The user's data directory, created 0700."""
    return _ensure_private(pathlib.Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def profile_dir(provider_id: str) -> pathlib.Path:
    """The persistent browser profile of one provider instance, created 0700."""
    if not provider_id or os.sep in provider_id or provider_id in {".", ".."}:
        raise ValueError(f"invalid provider id for a profile path: {provider_id!r}")
    return _ensure_private(_ensure_private(data_dir() / "profiles") / provider_id)


def plugins_dir() -> pathlib.Path:
    """The folder of the user's own plugins (``*.py``)."""
    return config_dir() / "plugins"


def log_dir() -> pathlib.Path:
    """Where Portico writes its log file, created 0700."""
    return _ensure_private(pathlib.Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))
