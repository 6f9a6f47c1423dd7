"""Logging setup: named loggers, and a filter that scrubs every live secret from every record."""

from __future__ import annotations

import faulthandler
import logging
import pathlib
import sys
import threading
import traceback
from types import TracebackType

from desktop.redact import scrub_text


class RedactingFilter(logging.Filter):
    """Formats the record's message once and replaces any secret Portico holds in memory."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = str(record.msg)
        record.msg = scrub_text(message)
        record.args = ()
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        return True


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub_text(super().format(record))


def setup(level: int = logging.INFO, log_file: pathlib.Path | None = None) -> None:
    """Configure the ``portico`` loggers: stderr, and optionally a file (0600)."""
    root = logging.getLogger("portico")
    root.setLevel(level)
    formatter = _ScrubbingFormatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        log_file.touch(mode=0o600, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.propagate = False


def _write_scrubbed(text: str) -> None:
    stream = sys.stderr
    if stream is not None:
        stream.write(scrub_text(text))
        stream.flush()


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    _write_scrubbed("".join(traceback.format_exception(exc_type, exc, tb)))


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "unknown"
    _write_scrubbed(f"Exception in thread {name}:\n"
                    + "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))


def _unraisablehook(unraisable: sys.UnraisableHookArgs) -> None:
    where = unraisable.err_msg or "Exception ignored in"
    _write_scrubbed(f"{where}: {unraisable.object!r}\n" + "".join(
        traceback.format_exception(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)))


def install_crash_hooks() -> None:
    """Crash output never shows a live secret: uncaught exceptions (main thread, other threads,
    Qt slots, ``__del__``) print tracebacks scrubbed like log records, and a hard crash (SIGSEGV,
    SIGABRT) dumps only the Python stack's file, line and function names via :mod:`faulthandler`."""
    sys.excepthook = _excepthook
    threading.excepthook = _threading_excepthook
    sys.unraisablehook = _unraisablehook
    if sys.stderr is not None and not faulthandler.is_enabled():
        try:
            faulthandler.enable(all_threads=True)
        except (OSError, ValueError, AttributeError):  # a stderr without a file descriptor (frozen GUI)
            pass
