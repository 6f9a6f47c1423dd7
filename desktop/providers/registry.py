"""Which Provider class serves each configured ``kind``."""

from __future__ import annotations

import importlib
from typing import Final

from desktop.providers.base import Provider

#: kind -> "module:Class"; imported lazily so a broken provider module fails only its own kind.
_CLASSES: Final[dict[str, str]] = {
    "rocketchat": "desktop.providers.rocketchat:RocketChatProvider",
    "spatialchat": "desktop.providers.spatialchat:SpatialChatProvider",
    "spoki": "desktop.providers.spoki:SpokiProvider",
}


def provider_class(kind: str) -> type[Provider]:
    """Return the Provider subclass for a kind; KeyError if no class is registered."""
    module_name, _, class_name = _CLASSES[kind].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(cls, Provider)
    return cls


def registered_kinds() -> tuple[str, ...]:
    return tuple(_CLASSES)
