"""Downloads from providers: into the user's download folder, under a safe and unique name, with a notice."""

from __future__ import annotations

import logging
import pathlib
import re
import unicodedata
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QStandardPaths, Signal, Slot
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEngineProfile

log = logging.getLogger("portico.downloads")

#: Longest file name kept (most file systems allow 255 bytes; leave room for " (n)").
MAX_NAME_CHARS: Final = 150
_UNSAFE: Final = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
#: Names Windows reserves whatever the extension (kept out everywhere: files travel).
_RESERVED: Final = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})
_State = QWebEngineDownloadRequest.DownloadState


def default_download_dir() -> pathlib.Path:
    """The user's download folder (``QStandardPaths.DownloadLocation``), else the home folder."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return pathlib.Path(location) if location else pathlib.Path.home()


def safe_file_name(suggested: str) -> str:
    """A plain file name from what the site suggested: no directories, no traversal, no control
    characters, no hidden or reserved names; ``download`` if nothing usable is left."""
    name = unicodedata.normalize("NFC", suggested or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # only the last path component
    name = _UNSAFE.sub("_", name).strip(" .")  # also no leading dots: no hidden files, no ".."
    if name.split(".", 1)[0].lower() in _RESERVED:
        name = "_" + name
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            name = stem[:MAX_NAME_CHARS - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name or "download"


def unique_path(directory: pathlib.Path, name: str) -> pathlib.Path:
    """``directory/name``, or ``name (2).ext`` … if that exists already (never overwrites)."""
    path = directory / name
    stem, dot, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    n = 2
    while path.exists() or path.is_symlink():
        path = directory / (f"{stem} ({n}){dot}{ext}")
        n += 1
    return path


class DownloadManager(QObject):
    """Accepts every profile's downloads into its provider's folder and reports how they ended.

    Signals:
        started(str, str): provider id, the file's path.
        finished(str, str): provider id, the path of the completed file.
        failed(str, str, str): provider id, file name, why (for people).
    """

    started = Signal(str, str)
    finished = Signal(str, str)
    failed = Signal(str, str, str)

    def __init__(self, directory: Callable[[str], pathlib.Path] = lambda _pid: default_download_dir(),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: A provider id -> the folder its downloads go to.
        self.directory = directory
        self._active: dict[QWebEngineDownloadRequest, str] = {}

    def attach(self, provider_id: str, profile: QWebEngineProfile) -> None:
        profile.downloadRequested.connect(lambda request, pid=provider_id: self._on_requested(pid, request))

    def _on_requested(self, provider_id: str, request: QWebEngineDownloadRequest) -> None:
        directory = self.directory(provider_id)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            request.cancel()
            self.failed.emit(provider_id, safe_file_name(request.suggestedFileName()),
                             f"the download folder {directory} cannot be created ({exc.strerror})")
            return
        path = unique_path(directory, safe_file_name(request.suggestedFileName()))
        request.setDownloadDirectory(str(directory))
        request.setDownloadFileName(path.name)
        self._active[request] = provider_id
        request.isFinishedChanged.connect(lambda r=request: self._on_finished(r))
        request.accept()
        log.info("provider %s: downloading to %s", provider_id, path)
        self.started.emit(provider_id, str(path))

    def _on_finished(self, request: QWebEngineDownloadRequest) -> None:
        provider_id = self._active.pop(request, None)
        if provider_id is None or not request.isFinished():
            return
        path = str(pathlib.Path(request.downloadDirectory()) / request.downloadFileName())
        if request.state() == _State.DownloadCompleted:
            self.finished.emit(provider_id, path)
        else:
            reason = request.interruptReasonString() or request.state().name.removeprefix("Download").lower()
            log.warning("provider %s: download of %s ended: %s", provider_id, request.downloadFileName(), reason)
            self.failed.emit(provider_id, request.downloadFileName(), reason)

    @Slot()
    def cancel_all(self) -> None:
        for request in list(self._active):
            request.cancel()
        self._active.clear()
