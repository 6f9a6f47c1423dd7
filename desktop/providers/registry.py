"""Which Provider class serves each configured ``kind`` (the schema in desktop.kinds names it)."""

from __future__ import annotations

import importlib

from desktop.kinds import KINDS
from desktop.providers.base import Provider


def provider_class(kind: str) -> type[Provider]:
    """Return the Provider subclass for a kind; KeyError for an unknown kind. Imported lazily, so
    a broken provider module fails only its own kind."""
    module_name, _, class_name = KINDS[kind].provider_class.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(cls, Provider)
    return cls


def registered_kinds() -> tuple[str, ...]:
    return tuple(KINDS)
