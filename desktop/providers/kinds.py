"""What each provider kind declares: config keys, secret fields, permissions (no Qt here)."""

from __future__ import annotations

import dataclasses
from typing import Final


@dataclasses.dataclass(frozen=True)
class KindSpec:
    """The static declaration of one provider kind.

    Attributes:
        kind: the config value of ``kind``.
        secret_fields: keyring fields this kind may read (``<provider-id>/<field>``).
        permissions: web permissions the provider's own origin may be granted
            (names from :data:`PERMISSION_NAMES`); anything else is denied.
        signs_in_from_keyring: Portico signs this kind in from the keyring at every start, so its
            browser profile lives in memory only and ``remember_session`` cannot be set: the web
            app would store a session token on disk that Portico does not need.
    """

    kind: str
    title: str
    secret_fields: tuple[str, ...]
    permissions: frozenset[str]
    signs_in_from_keyring: bool = False


#: The web permissions Portico knows how to decide on, as the config and docs name them.
PERMISSION_NAMES: Final = frozenset(
    {"camera", "microphone", "notifications", "clipboard-read", "clipboard-write", "screen-share"}
)

KINDS: Final[dict[str, KindSpec]] = {
    "rocketchat": KindSpec(
        kind="rocketchat",
        title="Rocket.Chat",
        secret_fields=("password", "token"),
        permissions=frozenset({"notifications", "camera", "microphone", "clipboard-write"}),
        signs_in_from_keyring=True,
    ),
    "spoki": KindSpec(
        kind="spoki",
        title="Spoki",
        secret_fields=("api_key", "private_key"),
        permissions=frozenset({"notifications", "clipboard-write"}),
        signs_in_from_keyring=True,
    ),
    "spatialchat": KindSpec(
        kind="spatialchat",
        title="SpatialChat site",
        secret_fields=(),
        permissions=frozenset({"camera", "microphone", "clipboard-write"}),
    ),
}


def secret_fields(kind: str) -> tuple[str, ...]:
    """Return the keyring fields a provider kind declares (empty for an unknown kind)."""
    spec = KINDS.get(kind)
    return spec.secret_fields if spec else ()
