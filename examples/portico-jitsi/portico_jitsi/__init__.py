"""A Portico provider kind for Jitsi Meet rooms, written only against ``desktop.plugins``.

Portico hosts the room as the Jitsi Meet IFrame API's parent (``JitsiMeetExternalAPI``): it
answers the room's readiness handshake, turns its events into typed events (the badge counts chat
messages that came while Portico was in the background; they also raise notifications), sends the
room's password from the keyring when the room asks for one, and takes the API's commands
(``portico send ID toggle_audio``).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from desktop.plugins import REQUIRED, KindCommand, KindSpec, Option, SecretField


def frame_url(o: Mapping[str, Any]) -> str:
    """The room's address as ``JitsiMeetExternalAPI`` builds it: the room in the path, the API id
    and the overrides in the hash (each value JSON, URL-encoded)."""
    hash_params = {"jitsi_meet_external_api_id": 0,
                   "config.startWithAudioMuted": o["start_audio_muted"],
                   "config.startWithVideoMuted": o["start_video_muted"]}
    if o["display_name"]:
        hash_params["userInfo.displayName"] = o["display_name"]
    fragment = "&".join(f"{key}={urllib.parse.quote(json.dumps(value))}" for key, value in hash_params.items())
    return f"{o['server']}/{urllib.parse.quote(o['room'])}#{fragment}"


KIND = KindSpec(
    kind="jitsi",
    title="Jitsi Meet",
    summary="A Jitsi Meet room, through the Jitsi Meet IFrame API; a locked room's password comes from the keyring.",
    options=(
        Option("server", "server", REQUIRED, "Server", "https://meet.jit.si"),
        Option("room", "string", REQUIRED, "Room", "the room's name, e.g. PorticoStandup",
               pattern=r"[A-Za-z0-9_.\-]{1,200}", pattern_help="must be a room name (letters, digits, '.', '_', '-')"),
        Option("display_name", "string", "", "Your name", "what the others see", max_length=100),
        Option("start_audio_muted", "boolean", False, "Join with the microphone muted", "config.startWithAudioMuted"),
        Option("start_video_muted", "boolean", False, "Join with the camera off", "config.startWithVideoMuted"),
    ),
    secrets=(SecretField("room_password", "Room password"),),
    permissions=frozenset({"camera", "microphone", "screen-share", "clipboard-write"}),
    provider_class="portico_jitsi.provider:JitsiProvider",
    frame_url=frame_url,
    signs_in_from_keyring=True,
    commands=(
        KindCommand("toggle_audio", summary="mute or unmute your microphone"),
        KindCommand("toggle_video", summary="turn your camera off or on"),
        KindCommand("hangup", summary="leave the meeting"),
        KindCommand("send_chat_message", ("message",), summary="send a message to the meeting's chat"),
        KindCommand("display_name", ("name",), summary="change the name the others see"),
    ),
)
