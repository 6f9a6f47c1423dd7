"""The window state kept between runs (geometry, selected provider, sidebar order) in a small JSON file."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import logging
import pathlib
from typing import Any, Final

from desktop import paths
from desktop.config import atomic_write, is_provider_id

log = logging.getLogger("portico.state")

#: Bumped when the file's shape changes; a file of another version is ignored, not misread.
STATE_VERSION: Final = 1
#: A state file larger than this is not read (it is ours and tiny; anything bigger is not).
MAX_STATE_BYTES: Final = 64 * 1024


def default_state_path() -> pathlib.Path:
    """``<data dir>/state.json``: next to the profiles, never in the user's config."""
    return paths.data_dir() / "state.json"


@dataclasses.dataclass(frozen=True)
class WindowState:
    """What Portico restores on start.

    Attributes:
        geometry: ``QWidget.saveGeometry()`` bytes (empty: let the window choose).
        selected: the provider id that was visible.
        order: provider ids in sidebar order (ids no longer configured are ignored on restore).
    """

    geometry: bytes = b""
    selected: str = ""
    order: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION,
                           "geometry": base64.b64encode(self.geometry).decode("ascii"),
                           "selected": self.selected, "order": list(self.order)}, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> WindowState:
        """Parse the file; anything malformed is dropped field by field (never raises)."""
        try:
            data: Any = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        geometry = b""
        if isinstance(data.get("geometry"), str):
            try:
                geometry = base64.b64decode(data["geometry"], validate=True)
            except (binascii.Error, ValueError):
                geometry = b""
        selected = data.get("selected")
        order = data.get("order")
        return cls(
            geometry=geometry,
            selected=selected if is_provider_id(selected) else "",
            order=tuple(dict.fromkeys(i for i in order if is_provider_id(i)))
            if isinstance(order, list) else (),
        )


def load_state(path: pathlib.Path) -> WindowState:
    """Read the state file; a missing, unreadable or foreign file gives the empty state."""
    try:
        if path.stat().st_size > MAX_STATE_BYTES:
            log.warning("ignoring %s: larger than %d bytes", path, MAX_STATE_BYTES)
            return WindowState()
        return WindowState.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WindowState()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("ignoring %s: %s", path, exc)
        return WindowState()


def save_state(path: pathlib.Path, state: WindowState) -> bool:
    """Write the state atomically (a crash leaves the old file); False if it could not be written."""
    try:
        atomic_write(path, state.to_json())
    except OSError as exc:
        log.warning("could not save the window state to %s: %s", path, exc)
        return False
    return True


def restored_order(saved: tuple[str, ...], configured: list[str]) -> list[str]:
    """Saved ids that are still configured, in saved order, then new ones in config order."""
    known = [i for i in saved if i in configured]
    return known + [i for i in configured if i not in known]
