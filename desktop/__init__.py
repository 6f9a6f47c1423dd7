"""Portico: team web apps in one native window, made programmable."""

from importlib import metadata

try:
    __version__: str = metadata.version("portico")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
