"""Leak scans: no file written during a test, and no log record, holds a test secret in any form.

Everything Portico writes under test lands below pytest's base temp dir (configs, event logs,
the keyring daemon's HOME) or the private HOME of ``tests/conftest.py`` (its XDG config, data,
cache, state and runtime dirs, where the browser profiles go); every ``portico`` log record of the
run is appended to a file below the base temp dir. The secrets are the simulators' fixed passwords
and keys and whatever was registered with :func:`watch` (the simulators' fixtures register the
tokens they hand out). Each is looked for plain, URL-encoded, JSON-escaped, as UTF-16LE (how
Chromium's Local Storage keeps strings) and base64-encoded at every alignment, both alphabets.

* :func:`no_secret_on_disk`, a fixture for every end-to-end test that signs in, scans the whole
  HOME and the test's temp dir after the test's Shell has closed, and fails the test on a hit.
* The session's scan repeats it over everything when the run ends.
"""

from __future__ import annotations

import base64
import json
import logging
import pathlib
import urllib.parse
from collections.abc import Collection, Iterable, Iterator
from typing import Any

import ahocorasick
import pytest

from desktop.demo.rocketchat import ADMIN_PASSWORD, DEMO_PASSWORD, RocketChatSimulator
from desktop.demo.spoki import DEMO_API_KEY, DEMO_PRIVATE_KEY, SpokiSimulator

#: Collections of test secrets (lists may still grow while the tests run).
_WATCHED: list[Collection[str]] = [(DEMO_PASSWORD, ADMIN_PASSWORD, DEMO_API_KEY, DEMO_PRIVATE_KEY)]
#: Files bigger than this are Chromium caches of no interest (and slow to read).
_MAX_BYTES = 50_000_000


def watch(secrets: Collection[str]) -> None:
    """Scan for these values too at the end of the session (the collection is read then, not now)."""
    _WATCHED.append(secrets)


def _watch_what_simulators_issue() -> None:
    """Every simulator made during the run has the tokens it hands out (``issued``) watched."""
    for cls in (RocketChatSimulator, SpokiSimulator):
        def init(self: Any, *args: Any, _original: Any = cls.__init__, **kwargs: Any) -> None:
            _original(self, *args, **kwargs)
            watch(self.issued)
        cls.__init__ = init  # type: ignore[method-assign]


_watch_what_simulators_issue()


def watched() -> list[str]:
    """Every secret watched so far."""
    return [s for collection in _WATCHED for s in collection]


def encodings(secret: str) -> dict[bytes, str]:
    """The byte strings that give ``secret`` away, each with the name of its form."""
    raw = secret.encode("utf-8")
    forms: dict[bytes, str] = {}
    for needle, name in ((raw, "plain"), (urllib.parse.quote(secret, safe="").encode(), "URL-encoded"),
                         (urllib.parse.quote_plus(secret).encode(), "form-encoded"),
                         (json.dumps(secret)[1:-1].encode(), "JSON-escaped"),
                         (secret.encode("utf-16-le"), "UTF-16LE")):
        forms.setdefault(needle, name)  # the first name of forms that coincide
    for align, skip in ((0, 0), (1, 2), (2, 3)):  # chars that mix the made-up leading bytes in
        whole = (align + len(raw)) // 3 * 4  # chars decided by the secret's bytes alone
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            inner = encode(b"\0" * align + raw)[skip:whole]
            if len(inner) >= 8:
                forms.setdefault(inner, f"{name} (offset {align})")
    return forms


def find_leaks(roots: Iterable[pathlib.Path], secrets: Iterable[str]) -> list[tuple[pathlib.Path, str]]:
    """Every (file, "secret prefix… as form") where a secret occurs, in any of its
    :func:`encodings`, in a file below ``roots``."""
    shown: dict[bytes, str] = {}
    for secret in {s for s in secrets if s}:
        for needle, form in encodings(secret).items():
            shown.setdefault(needle, f"{secret[:6]}… {form}")
    if not shown:
        return []
    # Aho-Corasick finds hundreds of needles in one pass (a regex alternation tries each in turn).
    # The wheel's automaton holds str, so bytes go in and out as Latin-1, one char per byte.
    automaton = ahocorasick.Automaton()
    for needle, what in shown.items():
        automaton.add_word(needle.decode("latin-1"), what)
    automaton.make_automaton()
    hits: list[tuple[pathlib.Path, str]] = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            try:
                if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                    continue
                data = path.read_bytes()
            except OSError:  # a socket, or a file removed while we look
                continue
            found = {what for _end, what in automaton.iter(data.decode("latin-1"))}
            hits.extend((path, what) for what in sorted(found))
    return hits


def _fail_on(hits: list[tuple[pathlib.Path, str]], what: str) -> None:
    if hits:
        listing = "\n".join(f"  {shown} in {path}" for path, shown in hits)
        pytest.fail(f"{what}:\n{listing}", pytrace=False)


@pytest.fixture
def no_secret_on_disk(tmp_path: pathlib.Path, xdg_root: pathlib.Path) -> Iterator[None]:
    """After the test (use it before the fixtures that run a Shell, e.g. through ``pytestmark =
    pytest.mark.usefixtures("no_secret_on_disk")``, so that it tears down last), fail if any
    watched secret is in a file of the test session's HOME or of the test's temp dir."""
    yield
    _fail_on(find_leaks([xdg_root, tmp_path], watched()), "a secret of this test is on disk")


@pytest.fixture(scope="session", autouse=True)
def _leak_scan(tmp_path_factory: pytest.TempPathFactory, xdg_root: pathlib.Path) -> Iterator[None]:
    base = tmp_path_factory.getbasetemp()
    handler = logging.FileHandler(base / "portico-log-records.txt", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("portico")
    logger.addHandler(handler)  # every record any test lets through, whatever handlers a test adds
    try:
        yield
    finally:
        logger.removeHandler(handler)
        handler.close()
    _fail_on(find_leaks([base, xdg_root], watched()), "test secrets were written during the run")
