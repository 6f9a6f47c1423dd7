"""Helpers for a plugin's or kind's own tests: a provider of a kind, built through Portico's real config parser."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomlkit

from desktop.config import parse_config
from desktop.kinds import KINDS, KindSpec, load_installed
from desktop.providers.base import Provider
from desktop.providers.registry import provider_class


def make_provider(spec: KindSpec, options: Mapping[str, Any], provider_id: str = "test", **kwargs: Any) -> Provider:
    """A provider of ``spec``'s kind whose options are validated exactly as a config file's are
    (a wrong option raises the same located ``ConfigError``). The kind is registered if it is not
    yet (as if its package were installed); ``kwargs`` go to the provider class."""
    load_installed()  # first, or its first scan would forget a kind registered here
    if KINDS.get(spec.kind) is not spec:
        if spec.kind in KINDS:
            raise ValueError(f"a different kind named {spec.kind!r} is registered already")
        KINDS[spec.kind] = spec
    table = tomlkit.table()
    table.update({"id": provider_id, "kind": spec.kind, **options})
    doc = tomlkit.document()
    doc["provider"] = tomlkit.aot()
    doc["provider"].append(table)
    config = parse_config(tomlkit.dumps(doc), f"<{spec.kind} test>").providers[0]
    return provider_class(spec.kind)(config, **kwargs)
