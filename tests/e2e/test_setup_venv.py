"""scripts/setup-venv repairs what an interrupted set-up left, and installs again only when pyproject.toml changed."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT

PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny-portico-check"
version = "{version}"

[project.optional-dependencies]
test = []
bench = []

[tool.setuptools]
py-modules = []
"""

pytestmark = pytest.mark.slow


def setup(project: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHON=sys.executable)
    return subprocess.run(["bash", "scripts/setup-venv"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def test_a_half_made_venv_is_made_again_and_a_changed_pyproject_reinstalls(tmp_path):
    project = tmp_path / "checkout"
    (project / "scripts").mkdir(parents=True)
    for script in ("setup-venv", "setup-dictionaries", "setup-translations"):
        shutil.copy(ROOT / "scripts" / script, project / "scripts" / script)
    (project / "pyproject.toml").write_text(PYPROJECT.format(version="1.0"))
    # What a failed `python3 -m venv` (no ensurepip) leaves: an interpreter and no pip.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(project / ".venv")], check=True)
    assert subprocess.run([str(project / ".venv/bin/python"), "-m", "pip", "--version"],
                          capture_output=True).returncode != 0
    done = setup(project)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "no working pip" in done.stderr
    pip = [str(project / ".venv/bin/python"), "-m", "pip"]
    show = subprocess.run([*pip, "show", "tiny-portico-check"], capture_output=True, text=True).stdout
    assert "Version: 1.0" in show
    # The spell-check dictionaries were converted (where Debian's hunspell files are installed).
    english = project / ".venv/share/portico/dictionaries/en-US.bdic"
    converted = pathlib.Path("/usr/share/hunspell/en_US.dic").exists()
    assert english.exists() == converted
    made = english.stat().st_mtime_ns if converted else 0
    # Nothing changed: nothing is installed (the stamp holds pyproject.toml's hash), nothing converted.
    stamp = (project / ".venv/.portico-pyproject").read_text()
    done = setup(project)
    assert done.returncode == 0 and done.stderr == "" and (project / ".venv/.portico-pyproject").read_text() == stamp
    assert (english.stat().st_mtime_ns if converted else 0) == made
    # pyproject.toml changed: installed again.
    (project / "pyproject.toml").write_text(PYPROJECT.format(version="1.1"))
    done = setup(project)
    assert done.returncode == 0, done.stderr[-3000:]
    show = subprocess.run([*pip, "show", "tiny-portico-check"], capture_output=True, text=True).stdout
    assert "Version: 1.1" in show


def test_a_python_without_venv_is_named_with_the_package_to_install(tmp_path):
    project = tmp_path / "checkout"
    (project / "scripts").mkdir(parents=True)
    for script in ("setup-venv", "setup-dictionaries", "setup-translations"):
        shutil.copy(ROOT / "scripts" / script, project / "scripts" / script)
    (project / "pyproject.toml").write_text(PYPROJECT.format(version="1.0"))
    fake = tmp_path / "python3"  # a python3 whose venv module fails as Debian's does without python3-venv
    fake.write_text("#!/bin/sh\nmkdir -p .venv/bin && ln -sf /bin/false .venv/bin/python\n"
                    "echo 'The virtual environment was not created successfully because ensurepip is not "
                    "available.' >&2\nexit 1\n")
    fake.chmod(0o755)
    done = subprocess.run(["bash", "scripts/setup-venv"], cwd=project, env=dict(os.environ, PYTHON=str(fake)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "apt-get install python3-venv" in done.stderr
    assert not (project / ".venv").exists(), "a half-made .venv was left behind"


def test_setup_system_does_nothing_when_everything_is_installed():
    """The README's commands on a machine that has every package (this one, after CI's first run):
    no output, no apt-get, success."""
    done = subprocess.run(["bash", "scripts/setup-system"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to act as another user")
def test_setup_system_names_the_exact_install_line_for_a_user(tmp_path):
    import tempfile  # noqa: PLC0415
    shared = pathlib.Path(tempfile.mkdtemp(prefix="portico-setup-"))  # readable by the unprivileged user
    try:
        (shared / "scripts").mkdir()
        shutil.copy(ROOT / "scripts" / "setup-system", shared / "scripts" / "setup-system")
        listing = shared / "packages.txt"
        listing.write_text("# a comment line\nbash portico-no-such-package-7f3\ncoreutils\n")
        for path in (shared, shared / "scripts"):
            path.chmod(0o755)
        for path in (listing, shared / "scripts" / "setup-system"):
            path.chmod(0o644)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "bash",
                               str(shared / "scripts" / "setup-system")], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PORTICO_APT_PACKAGES=str(listing)))
        assert done.returncode == 1
        assert "  sudo apt-get install --no-install-recommends portico-no-such-package-7f3\n" in done.stderr
    finally:
        shutil.rmtree(shared)
