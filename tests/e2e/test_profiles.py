"""One browser profile per provider instance: in memory by default; with remember_session under the
data dir, private to the user from the root down."""

from __future__ import annotations

import pytest

from desktop import paths
from desktop.app import Shell
from tests.helpers.fixtures import frame_eval, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")


def test_each_provider_has_its_own_persistent_private_profile(probe_server, tmp_path, qtbot):
    url = probe_url(probe_server)  # both providers embed the same origin
    config = write_config(tmp_path, spatialchat_toml(url, "prof-a", remember_session=True)
                          + spatialchat_toml(url, "prof-b", remember_session=True))
    shell = Shell(config)  # no profile_root: where a user's profiles go
    shell.open_external = lambda url: True
    try:
        shell.start(show=True)
        a, b = shell.views["prof-a"], shell.views["prof-b"]
        wait_ready(qtbot, a)
        wait_ready(qtbot, b)
        for pid in ("prof-a", "prof-b"):
            profile = shell.profiles[pid]
            folder = paths.data_dir() / "profiles" / pid
            assert not profile.isOffTheRecord() and profile.storageName() == pid
            assert profile.persistentStoragePath() == str(folder / "storage")
            assert folder.stat().st_mode & 0o777 == 0o700
        assert (paths.data_dir() / "profiles").stat().st_mode & 0o777 == 0o700
        assert paths.data_dir().stat().st_mode & 0o777 == 0o700
        assert shell.profiles["prof-a"] is not shell.profiles["prof-b"] and shell.storage_errors == {}
        # Same site, separate profiles: what one provider stores, the other cannot see.
        frame_eval(qtbot, a, "localStorage.setItem('who', 'a'); 1")
        assert frame_eval(qtbot, a, "localStorage.getItem('who')") == "a"
        assert frame_eval(qtbot, b, "JSON.stringify(localStorage.getItem('who'))") is None
    finally:
        shell.close()


def test_by_default_a_provider_runs_in_memory_and_its_old_profile_is_deleted(probe_server, tmp_path, qtbot):
    """A profile an earlier run (or remember_session) left on disk may hold a session token."""
    stale = paths.data_dir() / "profiles" / "mem-a" / "storage" / "Local Storage"
    stale.mkdir(parents=True)
    (stale / "000003.log").write_bytes(b"Meteor.loginToken old-resume-token")
    kept = paths.data_dir() / "profiles" / "mem-b" / "storage"
    kept.mkdir(parents=True)
    url = probe_url(probe_server)
    config = write_config(tmp_path, spatialchat_toml(url, "mem-a")
                          + spatialchat_toml(url, "mem-b", remember_session=True))
    shell = Shell(config)
    shell.open_external = lambda url: True
    try:
        shell.start(show=True)
        wait_ready(qtbot, shell.views["mem-a"])
        assert shell.profiles["mem-a"].isOffTheRecord() and not shell.profiles["mem-b"].isOffTheRecord()
        assert not (paths.data_dir() / "profiles" / "mem-a").exists()
        assert kept.is_dir(), "a remembered session's profile is kept"
        view = shell.views["mem-a"]
        frame_eval(qtbot, view, "localStorage.setItem('who', 'a'); 1")
        assert frame_eval(qtbot, view, "localStorage.getItem('who')") == "a"
    finally:
        shell.close()
    assert not (paths.data_dir() / "profiles" / "mem-a").exists(), "nothing of it was written"
