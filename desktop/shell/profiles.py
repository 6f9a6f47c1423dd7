"""One persistent QWebEngineProfile per provider instance, and its orderly teardown."""

from __future__ import annotations

import logging
import pathlib

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineSettings

from desktop import paths

log = logging.getLogger("portico.profiles")


def create_profile(provider_id: str, parent: QObject | None = None,
                   storage: pathlib.Path | None = None, in_memory: bool = False) -> QWebEngineProfile:
    """A named, disk-backed profile under the data dir's ``profiles/<id>`` (0700).

    Cookies are forced persistent so that a provider stays signed in across restarts. With
    ``in_memory`` (the disk cannot be written) the profile is off the record: it works, and
    forgets everything when Portico closes. Raises OSError when the folder cannot be made.
    """
    if in_memory:
        profile = QWebEngineProfile(parent)
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    else:
        root = storage if storage is not None else paths.profile_dir(provider_id)
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        profile = QWebEngineProfile(provider_id, parent)
        profile.setPersistentStoragePath(str(root / "storage"))
        profile.setCachePath(str(root / "cache"))
        profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.ForcePersistentCookies)
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.DiskHttpCache)
    profile.setSpellCheckEnabled(False)
    settings = profile.settings()
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptCanAccessClipboard, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.AllowRunningInsecureContent, False)
    settings.setAttribute(QWebEngineSettings.WebAttribute.FullScreenSupportEnabled, True)
    settings.setAttribute(QWebEngineSettings.WebAttribute.ScreenCaptureEnabled, True)
    return profile
