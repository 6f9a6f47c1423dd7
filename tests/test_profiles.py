"""One persistent browser profile per provider instance, under the data dir, private to the user."""

from __future__ import annotations

from desktop import paths
from desktop.app import Shell
from tests.fixtures import frame_eval, spatialchat_toml, wait_ready, write_config
from tests.sites import probe_url


def test_each_provider_has_its_own_persistent_private_profile(probe_server, tmp_path, qtbot):
    url = probe_url(probe_server)  # both providers embed the same origin
    config = write_config(tmp_path, spatialchat_toml(url, "prof-a") + spatialchat_toml(url, "prof-b"))
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
        assert paths.data_dir().stat().st_mode & 0o777 == 0o700
        assert shell.profiles["prof-a"] is not shell.profiles["prof-b"] and shell.storage_errors == {}
        # Same site, separate profiles: what one provider stores, the other cannot see.
        frame_eval(qtbot, a, "localStorage.setItem('who', 'a'); 1")
        assert frame_eval(qtbot, a, "localStorage.getItem('who')") == "a"
        assert frame_eval(qtbot, b, "JSON.stringify(localStorage.getItem('who'))") is None
    finally:
        shell.close()
