"""portico:// links (the .desktop entry's MIME handler) → command lines, and what the CLI does with a bad one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.links import LinkError, is_link, link_argv


@pytest.mark.parametrize("link, argv", [
    ("portico://open/work", ["open", "work"]),
    ("PORTICO://OPEN/demo-room/", ["open", "demo-room"]),
    ("portico:", []),
    ("portico://", []),
])
def test_links_become_command_lines(link, argv):
    assert is_link(link)
    assert link_argv(link) == argv


@pytest.mark.parametrize("link, error", [
    ("portico://send/work/go", "portico://open/ID"),
    ("portico://open/", "portico://open/ID"),
    ("portico://open/work?x=1", "portico://open/ID"),
    ("portico://open/work#x", "portico://open/ID"),
    ("portico://open/../etc", "provider id"),
    ("portico://open/Work%20Room", "provider id"),
    ("portico://app/host.html", "portico://open/ID"),
])
def test_other_links_are_refused(link, error):
    with pytest.raises(LinkError, match=error):
        link_argv(link)


@pytest.mark.parametrize("arg", ["run", "--version", "https://example.com", "porticox:", ""])
def test_commands_are_not_links(arg):
    assert not is_link(arg)


def test_cli_refuses_a_bad_link_with_exit_2():
    result = subprocess.run([sys.executable, "-m", "desktop", "portico://delete/everything"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "unsupported link 'portico://delete/everything'" in result.stderr
