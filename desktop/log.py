"""Logging setup: named loggers, and a filter that scrubs every live secret from every record."""

from __future__ import annotations

import logging
import pathlib

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
