"""Removing a provider's data: its keyring entries now, its browser profile once Portico has let go of it."""

from __future__ import annotations

import atexit
import logging
import pathlib
import shutil

from desktop import credentials, paths

log = logging.getLogger("portico.removal")

_profiles_to_remove: set[str] = set()


def _profile_path(provider_id: str) -> pathlib.Path:
    """The provider's profile folder (not created), refusing ids that would leave the profiles root."""
    credentials.username(provider_id, "profile")  # the same id rule as the keyring names
    root = paths.data_dir() / "profiles"
    target = root / provider_id
    if target.parent != root:
        raise ValueError(f"invalid provider id for a profile path: {provider_id!r}")
    return target


def delete_provider_data(provider_id: str, kind: str, remove_secrets: bool, remove_profile: bool,
                         profile_in_use: bool = False) -> list[str]:
    """Remove what Portico keeps for a provider: its keyring entries and/or its browser profile.

    A profile still in use (Chromium holds files in it while Portico runs) is removed at exit.
    The profile goes first, so a keyring that refuses (a :class:`~desktop.credentials.CredentialError`,
    raised after) does not keep it. Returns the secret fields that were deleted.
    """
    if remove_profile:
        target = _profile_path(provider_id)
        if profile_in_use:
            if not _profiles_to_remove:
                atexit.register(remove_scheduled_profiles)
            _profiles_to_remove.add(provider_id)
        elif target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            log.info("removed the browser profile of %s", provider_id)
    return credentials.delete_provider_secrets(provider_id, kind) if remove_secrets else []


def scheduled_profiles() -> frozenset[str]:
    """The providers whose profile folders are removed at exit."""
    return frozenset(_profiles_to_remove)


def remove_scheduled_profiles() -> None:
    """Remove the profile folders scheduled by :func:`delete_provider_data` (runs at exit)."""
    root = paths.data_dir() / "profiles"
    for provider_id in sorted(_profiles_to_remove):
        target = root / provider_id
        if target.parent == root and target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            log.info("removed the browser profile of %s", provider_id)
    _profiles_to_remove.clear()
