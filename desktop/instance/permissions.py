"""The answers a user gave to a provider's camera and microphone requests, kept between runs."""

from __future__ import annotations

import dataclasses
import json
import logging
import pathlib
from collections.abc import Iterable
from typing import Any, Final

from desktop import paths
from desktop.config import atomic_write, is_provider_id

log = logging.getLogger("portico.permissions")

#: The permissions Portico asks the user about (the others follow the kind's declaration alone).
ASKED: Final = frozenset({"camera", "microphone"})
#: Bumped when the file's shape changes; a file of another version is ignored, not misread.
VERSION: Final = 1
MAX_BYTES: Final = 64 * 1024


def default_path() -> pathlib.Path:
    """``<data dir>/permissions.json``, next to the window state."""
    return paths.data_dir() / "permissions.json"


@dataclasses.dataclass(frozen=True)
class Answer:
    """One remembered answer: ``provider`` allowed (or refused) ``origin`` the ``permission``."""

    provider: str
    origin: str
    permission: str
    allowed: bool


class PermissionAnswers:
    """What the user answered, per (provider, origin, permission); written at each change.

    A file that cannot be read, or that holds anything unexpected, is ignored (every request is
    asked again): it never grants more than the user said.
    """

    def __init__(self, path: pathlib.Path | None = None) -> None:
        self.path = path
        self._answers: dict[tuple[str, str, str], bool] = {}
        if path is not None:
            self._answers = _read(path)

    def decision(self, provider: str, origin: str, names: Iterable[str]) -> bool | None:
        """True when every one of ``names`` was allowed, False when any was refused, else None (ask)."""
        answers = [self._answers.get((provider, origin, name)) for name in names]
        if any(a is False for a in answers):
            return False
        return True if answers and all(a is True for a in answers) else None

    def answer(self, provider: str, origin: str, names: Iterable[str], allowed: bool) -> None:
        """Remember the answer for those of ``names`` Portico asks about (:data:`ASKED`; a screen
        and microphone request is remembered for the microphone, the screen is picked each time)."""
        for name in names:
            if name in ASKED:
                self._answers[(provider, origin, name)] = allowed
        self._save()

    def forget(self, provider: str, origin: str | None = None, permission: str | None = None) -> None:
        """Forget answers (all of a provider's, of one origin, or one): the next request asks again."""
        self._answers = {key: value for key, value in self._answers.items()
                         if not (key[0] == provider and origin in (None, key[1]) and permission in (None, key[2]))}
        self._save()

    def all(self) -> list[Answer]:
        return [Answer(p, o, n, allowed) for (p, o, n), allowed in sorted(self._answers.items())]

    def _save(self) -> None:
        if self.path is None:
            return
        data: dict[str, Any] = {"version": VERSION, "answers": [dataclasses.asdict(a) for a in self.all()]}
        try:
            atomic_write(self.path, json.dumps(data, indent=1) + "\n")
        except OSError as exc:
            log.error("cannot save the permission answers to %s: %s", self.path, exc)


def _read(path: pathlib.Path) -> dict[tuple[str, str, str], bool]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("answers"), list):
            raise ValueError("not a permissions file of this version")
        answers = {}
        for item in data["answers"]:
            answer = Answer(**item)
            if not (is_provider_id(answer.provider) and isinstance(answer.origin, str) and answer.permission in ASKED
                    and isinstance(answer.allowed, bool)):
                raise ValueError(f"an unexpected entry: {item!r}")
            answers[(answer.provider, answer.origin, answer.permission)] = answer.allowed
        return answers
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, TypeError) as exc:
        log.warning("ignoring %s (%s): camera and microphone requests are asked again", path, exc)
        return {}
