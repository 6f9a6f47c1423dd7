"""Removing a provider's data: its keyring entries now, its browser profile once Portico has let go of it."""

from __future__ import annotations

import atexit
import logging
import shutil

from desktop import credentials, paths

log = logging.getLogger("portico.removal")

_profiles_to_remove: set[str] = set()


def remove_provider_data(provider_id: str, kind: str) -> list[str]:
    """Delete the provider's secrets from the keyring and schedule its profile folder for removal.

    The profile is in use while Portico runs (Chromium holds files in it), so the folder is
    removed when the process exits. Returns the secret fields that were deleted.
    """
    deleted = credentials.delete_provider_secrets(provider_id, kind)
    if not _profiles_to_remove:
        atexit.register(remove_scheduled_profiles)
    _profiles_to_remove.add(provider_id)
    return deleted


def scheduled_profiles() -> frozenset[str]:
    return frozenset(_profiles_to_remove)


def remove_scheduled_profiles() -> None:
    """Remove the profile folders scheduled by :func:`remove_provider_data` (runs at exit)."""
    root = paths.data_dir() / "profiles"
    for provider_id in sorted(_profiles_to_remove):
        target = root / provider_id
        if target.parent == root and target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            log.info("removed the browser profile of %s", provider_id)
    _profiles_to_remove.clear()
