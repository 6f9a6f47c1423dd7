"""A page that plays a Jitsi Meet room's side of the IFrame API, for trying and testing the kind without a server."""

from __future__ import annotations

import importlib.resources
import json


def page(password: str = "") -> str:
    """The simulator's HTML; with ``password``, the room is locked until the parent sends it."""
    text = importlib.resources.files(__package__).joinpath("simulator.html").read_text(encoding="utf-8")
    return text.replace("{{PASSWORD}}", json.dumps(password)[1:-1].replace("</", "<\\/"))
