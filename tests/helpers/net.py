"""A free loopback port, for tests that start a server on it later (or never)."""

from __future__ import annotations

import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it, so parallel runs do not collide)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
