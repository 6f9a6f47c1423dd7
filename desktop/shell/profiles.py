"""One QWebEngineProfile per provider instance: in memory, or on disk for a remembered session."""

from __future__ import annotations

import logging
import pathlib
import shutil

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings

from desktop import paths

log = logging.getLogger("portico.profiles")


def create_profile(provider_id: str, parent: QObject | None = None,
                   storage: pathlib.Path | None = None, in_memory: bool = False) -> QWebEngineProfile:
    """The browser profile of one provider.

    With ``in_memory`` (the default for every provider, and the fallback when the disk cannot be
    written) it is off the record: cookies, storage, HTTP cache and history live in memory and
    are gone when Portico closes. Otherwise (``remember_session``) it is a named profile under
    the data dir's ``profiles/<id>`` (0700), cookies forced persistent so that the provider stays
    signed in across restarts. Raises OSError when the folder cannot be made.
    """
    if in_memory:
        profile = QWebEngineProfile(parent)
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    else:
        root = storage if storage is not None else paths.profile_dir(provider_id)
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        root.chmod(0o700)
        profile = QWebEngineProfile(provider_id, parent)
        profile.setPersistentStoragePath(str(root / "storage"))
        profile.setCachePath(str(root / "cache"))
        profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies)
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.DiskHttpCache)
    profile.setSpellCheckEnabled(False)
    # Every permission request reaches the page's policy, which asks the user or applies the answer
    # Portico remembers (Settings can forget it); Chromium's own store would keep a grant out of reach.
    profile.setPersistentPermissionsPolicy(QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime)
    settings = profile.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanAccessClipboard, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.AllowRunningInsecureContent, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.FullScreenSupportEnabled, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.ScreenCaptureEnabled, True)
    return profile


def provider_profile(provider_id: str, keep_data: bool,
                     storage: pathlib.Path | None = None) -> tuple[QWebEngineProfile, str]:
    """The profile a provider runs in, and "" or why its browser data cannot be stored: a
    provider that keeps no data first loses what an earlier run stored; a disk that is full,
    read-only or not ours makes it run from memory."""
    try:
        if not keep_data:
            discard_stored_profile(provider_id, storage)
        return create_profile(provider_id, storage=storage, in_memory=not keep_data), ""
    except OSError as exc:
        where = exc.filename or storage or "the data folder"
        why = f"{where}: {exc.strerror or exc}"
        log.error("provider %s: cannot store browser data (%s); it runs off the record", provider_id, why)
        return create_profile(provider_id, in_memory=True), why


def discard_stored_profile(provider_id: str, storage: pathlib.Path | None = None) -> bool:
    """Delete what an earlier run stored on disk for a provider that now runs in memory (a
    release that kept profiles, or ``remember_session`` turned off): it may hold a session token.
    Returns whether there was a folder. Raises OSError when it cannot be deleted."""
    root = storage if storage is not None else paths.data_dir() / "profiles" / provider_id
    if not root.is_dir():
        return False
    shutil.rmtree(root)
    log.info("provider %s: deleted its stored browser profile (it runs in memory now)", provider_id)
    return True
