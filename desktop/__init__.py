"""Portico: team web apps in one native window, made programmable."""

from typing import Any


def __getattr__(name: str) -> Any:
    # ``__version__`` is read from the package metadata on first use: Portico's start-up does not
    # need importlib.metadata, which is slow to import (docs/startup.md).
    if name == "__version__":
        from importlib import metadata
        try:
            return metadata.version("portico")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
