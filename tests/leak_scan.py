"""The session's leak scan: no file written during the test run, and no log record, holds a test secret.

Everything Portico writes under test lands below pytest's base temp dir (configs, event logs,
profile dirs, the keyring daemon's HOME) or the private XDG dirs of ``tests/conftest.py``; every
``portico`` log record of the run is appended to a file below the base temp dir. When the session
ends, all of them are searched for every test secret: the simulators' fixed passwords and keys and
whatever a test module registered with :func:`watch`. A hit is an error at teardown (the run fails).
"""

from __future__ import annotations

import logging
import pathlib
from collections.abc import Collection, Iterable, Iterator

import pytest

from desktop.demo.rocketchat import ADMIN_PASSWORD, DEMO_PASSWORD
from desktop.demo.spoki import DEMO_API_KEY, DEMO_PRIVATE_KEY

#: Collections of test secrets (lists may still grow while the tests run).
_WATCHED: list[Collection[str]] = [(DEMO_PASSWORD, ADMIN_PASSWORD, DEMO_API_KEY, DEMO_PRIVATE_KEY)]
#: Files bigger than this are Chromium caches of no interest (and slow to read).
_MAX_BYTES = 50_000_000


def watch(secrets: Collection[str]) -> None:
    """Scan for these values too at the end of the session (the collection is read then, not now)."""
    _WATCHED.append(secrets)


def find_leaks(roots: Iterable[pathlib.Path], secrets: Iterable[str]) -> list[tuple[pathlib.Path, str]]:
    """Every (file, secret prefix) where a secret occurs in a file below ``roots``."""
    needles = [(s.encode(), s[:6] + "…") for s in set(secrets) if s]
    hits: list[tuple[pathlib.Path, str]] = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            try:
                if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
                    continue
                data = path.read_bytes()
            except OSError:  # a socket, or a file removed while we look
                continue
            hits.extend((path, shown) for needle, shown in needles if needle in data)
    return hits


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
    secrets = [s for collection in _WATCHED for s in collection]
    hits = find_leaks([base, xdg_root], secrets)
    if hits:
        listing = "\n".join(f"  {shown} in {path}" for path, shown in hits)
        pytest.fail(f"test secrets were written during the run:\n{listing}", pytrace=False)
