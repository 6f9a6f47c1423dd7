"""The window as a user drives it: shortcuts, zoom saved to the config, the event inspector, downloads, theme, settings."""

from __future__ import annotations

import dataclasses
import pathlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from desktop.config import load_config
from desktop.contract import OutboundMessage, ProviderError, ProviderEvent
from desktop.demo.server import LoopbackServer, Request, Response
from desktop.shell.downloads import default_download_dir, safe_file_name, unique_path
from desktop.shell.theme import PALETTES
from desktop.shell.window import next_zoom
from tests.helpers.fixtures import frame_eval, frame_poll, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import PROBE

# Each test that signs in is followed by a scan of the whole HOME for its secrets and tokens.
pytestmark = pytest.mark.usefixtures("no_secret_on_disk")

Ctrl = Qt.KeyboardModifier.ControlModifier


def site_route(request: Request) -> Response:
    if request.path == "/probe":
        return Response.html(PROBE.format(nested="", link="https://example.org/", hello="false", hold=""))
    if request.path == "/file":
        return Response(200, b"report body", "text/plain", {
            "Content-Disposition": 'attachment; filename="../../.. /etc/evil:report.txt"'})
    return Response(404, b"", "text/plain")


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackServer]:
    with LoopbackServer(site_route) as server:
        yield server


@pytest.fixture
def three(run_shell, site, tmp_path, qtbot):
    url = f"{site.origin}/probe"
    config = write_config(tmp_path, "".join(spatialchat_toml(url, pid) for pid in ("one", "two", "three")))
    shell = run_shell(config)
    wait_ready(qtbot, shell.views["one"])
    opened: list[QUrl] = []
    shell.open_external = lambda url: opened.append(url) or True
    shell.opened = opened  # type: ignore[attr-defined]
    return shell


def press(qtbot: Any, shell: Any, key: Qt.Key, modifiers: Any = Ctrl) -> None:
    """A key press where the user's focus is: inside the provider's page."""
    target = shell.views[shell.window.current_id()].web_view.focusProxy() or shell.window
    shell.window.activateWindow()
    QTest.keyClick(target, key, modifiers)


def test_ctrl_number_switches_providers_and_ctrl_r_reloads(three, qtbot):
    shell = three
    press(qtbot, shell, Qt.Key.Key_2)
    assert shell.window.current_id() == "two"
    press(qtbot, shell, Qt.Key.Key_3)
    assert shell.window.current_id() == "three"
    press(qtbot, shell, Qt.Key.Key_9)  # no ninth provider: nothing happens
    assert shell.window.current_id() == "three"
    press(qtbot, shell, Qt.Key.Key_1)
    assert shell.window.current_id() == "one"
    view = shell.views["one"]
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        press(qtbot, shell, Qt.Key.Key_R)


def test_zoom_shortcuts_are_saved_per_provider(three, qtbot):
    shell = three
    path = shell.config.path
    press(qtbot, shell, Qt.Key.Key_Plus)
    press(qtbot, shell, Qt.Key.Key_Equal)
    assert shell.views["one"].page.zoomFactor() == pytest.approx(1.25)
    shell.window.select("two")
    press(qtbot, shell, Qt.Key.Key_Minus)
    assert shell.views["two"].page.zoomFactor() == pytest.approx(0.9)
    shell.desktop.save_zoom()  # what the 1 s debounce does
    saved = load_config(path)
    assert saved.provider("one").option("zoom") == 1.25 and saved.provider("two").option("zoom") == 0.9
    assert saved.provider("three").option("zoom") == 1.0
    assert "zoom = 1.25" in path.read_text() and "[provider.user]" in path.read_text()  # the rest kept
    press(qtbot, shell, Qt.Key.Key_0)
    shell.desktop.save_zoom()
    assert load_config(path).provider("two").option("zoom") == 1.0
    assert next_zoom(5.0, 1) == 5.0 and next_zoom(0.25, -1) == 0.25 and next_zoom(1.05, 1) == 1.1


@dataclasses.dataclass(frozen=True)
class _SignIn(ProviderEvent):
    name: ClassVar[str] = "sign-in"
    user: str = ""
    password: str = ""


def test_inspector_shows_live_traffic_with_secrets_redacted(three, qtbot):
    shell = three
    view = shell.views["one"]
    press(qtbot, shell, Qt.Key.Key_I, Ctrl | Qt.KeyboardModifier.ShiftModifier)
    inspector = shell.desktop.inspector
    assert inspector is not None and inspector.isVisible()
    assert "Room one" in inspector.heading.text()
    frame_eval(qtbot, view, "sendToParent({name: 'get_user_info', requestId: 'r1'})")
    frame_eval(qtbot, view, "sendToParent({name: 'make_coffee'})")
    qtbot.waitUntil(lambda: len(inspector.rows()) >= 3)
    rows = inspector.rows()
    assert rows[0][:2] == ("in", "get_user_info") and '"request_id":"r1"' in rows[0][2]
    assert rows[1][:2] == ("out", "user_info") and '"name":"Ada"' in rows[1][2]
    assert rows[2][:2] == ("dropped", "unknown-name")
    # Secrets never reach the window: by the message's own secret keys, and by well-known names.
    shell.hub.message_sent.emit("one", "spatialchat", OutboundMessage(
        "login-with-token", {"externalCommand": "login-with-token", "loginToken": "tok-SECRET-1"},
        frozenset({"loginToken"})))
    shell.hub.event_received.emit("one", "spatialchat", _SignIn(user="ada", password="pw-SECRET-2"))
    rows = inspector.rows()
    assert "SECRET" not in repr(rows) and '"loginToken":"***"' in rows[3][2] and '"password":"***"' in rows[4][2]
    # Another provider's traffic is kept apart and shown when it is selected.
    shell.window.select("two")
    assert inspector.rows() == [] and "Room two" in inspector.heading.text()
    shell.window.select("one")
    assert len(inspector.rows()) == 5
    inspector.pause_button.click()
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 'paused'})")
    # Answered, so it went through the hub the inspector listens to; paused, it shows nothing new.
    frame_poll(qtbot, view, "window.received.filter(m => m.data.requestId === 'paused').length", 1)
    assert len(inspector.rows()) == 5
    inspector.pause_button.click()
    inspector.clear_button.click()
    assert inspector.rows() == []


def test_download_lands_in_the_download_folder_under_a_safe_unique_name(three, qtbot, tmp_path):
    shell = three
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "evil_report.txt").write_text("already here")
    shell.desktop.downloads.directory = lambda _pid: folder
    view = shell.views["one"]
    with qtbot.waitSignal(shell.desktop.downloads.finished, timeout=10_000) as done:
        frame_eval(qtbot, view, "location.href = '/file'; 1")
    path = pathlib.Path(done.args[1])
    assert done.args[0] == "one" and path == folder / "evil_report (2).txt"
    assert path.read_bytes() == b"report body" and (folder / "evil_report.txt").read_text() == "already here"
    assert sorted(p.name for p in folder.iterdir()) == ["evil_report (2).txt", "evil_report.txt"]
    notice = shell.window.notice
    assert notice.isVisible() and "evil_report (2).txt" in notice.label.text() and "Room one" in notice.label.text()
    notice.open_button.click()
    assert shell.opened == [QUrl.fromLocalFile(str(folder))]


def test_a_providers_download_folder_and_open_folder(run_shell, site, tmp_path, qtbot):
    folder = tmp_path / "Work files"  # made on the first download
    url = f"{site.origin}/probe"
    toml = spatialchat_toml(url, "one").replace('kind = "spatialchat"\n',
                                               f'kind = "spatialchat"\ndownload_folder = "{folder}"\n', 1)
    shell = run_shell(write_config(tmp_path, toml + spatialchat_toml(url, "two")))
    opened: list[QUrl] = []
    shell.open_external = lambda url: opened.append(url) or True
    view = shell.views["one"]
    wait_ready(qtbot, view)
    shell.complete()
    with qtbot.waitSignal(shell.desktop.downloads.finished, timeout=10_000) as done:
        frame_eval(qtbot, view, "location.href = '/file'; 1")
    assert pathlib.Path(done.args[1]) == folder / "evil_report.txt"
    notice = shell.window.notice
    assert notice.open_button.text() == "Open folder"
    notice.open_button.click()
    assert opened == [QUrl.fromLocalFile(str(folder))]
    # The menu's "Open Downloads Folder" opens the shown provider's; the other has the default one.
    shell.window.downloads_requested.emit()
    assert opened[-1] == QUrl.fromLocalFile(str(folder))
    assert shell.desktop.download_folder("two") == default_download_dir()


def test_a_relative_download_folder_is_a_located_config_error(tmp_path):
    from desktop.config import ConfigError, parse_config  # noqa: PLC0415
    with pytest.raises(ConfigError) as info:
        parse_config('[[provider]]\nid = "x"\nkind = "spatialchat"\nurl = "https://a.example"\n'
                     'download_folder = "Downloads/work"\n', "c.toml")
    assert "c.toml:5: provider[0].download_folder" in str(info.value) and "absolute" in str(info.value)


@pytest.mark.parametrize("suggested, safe", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\win.ini", "win.ini"),
    ("/abs/path/x.pdf", "x.pdf"),
    ("..", "download"),
    ("", "download"),
    (".bashrc", "bashrc"),
    ("a\x00b\nc.txt", "a_b_c.txt"),
    ("con.txt", "_con.txt"),
    ("report<1>.txt", "report_1_.txt"),
    ("x" * 300 + ".gz", None),  # cut to 150 characters, the extension kept
])
def test_safe_file_names(suggested, safe):
    name = safe_file_name(suggested)
    if safe is None:
        assert len(name) == 150 and name.endswith(".gz")
    else:
        assert name == safe
    assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_unique_path(tmp_path):
    assert unique_path(tmp_path, "a.txt") == tmp_path / "a.txt"
    (tmp_path / "a.txt").touch()
    (tmp_path / "a (2).txt").touch()
    assert unique_path(tmp_path, "a.txt") == tmp_path / "a (3).txt"
    (tmp_path / "noext").touch()
    assert unique_path(tmp_path, "noext") == tmp_path / "noext (2)"


def test_theme_follows_the_preference_and_colours_the_sidebar(three, qtbot):
    shell = three
    theme = shell.desktop.theme
    sidebar = shell.window.sidebar
    with qtbot.waitSignal(theme.changed) as changed:
        theme.set_preference("dark")
    assert changed.args == ["dark"] and PALETTES["dark"]["sidebar"] in shell.window.styleSheet()
    sidebar.style().polish(sidebar)
    assert sidebar.selectionColor == QColor(PALETTES["dark"]["selection"])
    theme.set_preference("light")
    sidebar.style().polish(sidebar)
    assert theme.scheme == "light" and sidebar.selectionColor == QColor(PALETTES["light"]["selection"])
    theme.set_preference("system")
    assert theme.scheme in ("light", "dark")


def test_settings_shows_a_card_per_provider_with_icon_kind_and_state(three, qtbot):
    shell = three
    dialog = shell.desktop.show_settings()
    first = dialog.provider_list.item(0)
    title, facts = first.text().split("\n")
    assert title == "Room one" and facts == "SpatialChat site · one · Running"
    assert not first.icon().isNull()
    # A provider that cannot load says so on its card the next time the dialog opens.
    shell.providers["two"].fail(ProviderError("gone"))
    dialog = shell.desktop.show_settings()
    assert dialog.provider_list.item(1).text().split("\n")[1] == "SpatialChat site · two · Has a problem"


def test_a_kind_without_an_icon_gets_its_titles_letter(qtbot):
    from desktop.shell.sidebar import kind_icon, letter_icon  # noqa: PLC0415
    image = kind_icon("postmessage", "", "Notes").pixmap(64, 64).toImage()
    assert not image.isNull() and image.pixelColor(4, 32).alpha() > 0  # painted, not an empty slot
    assert letter_icon("Notes").pixmap(64, 64).toImage() == letter_icon("Notes").pixmap(64, 64).toImage()
    assert letter_icon("Notes").pixmap(64, 64).toImage() != letter_icon("Board").pixmap(64, 64).toImage()


def test_settings_dialog_validates_through_the_config_parser(three, qtbot):
    shell = three
    path = shell.config.path
    before = path.read_text()
    dialog = shell.desktop.show_settings()
    assert dialog.provider_list.count() == 3
    editor = dialog.edit_provider("two", "spatialchat")
    editor.inputs["url"].setText("ftp://nope")
    editor.save()
    assert editor.isVisible() and "provider[1].url" in editor.error.text() and path.read_text() == before
    editor.inputs["url"].setText("https://board.example.org/")
    editor.inputs["title"].setText("Renamed board")
    assert not editor.inputs["remember_session"].isChecked()  # sessions are forgotten by default
    editor.inputs["remember_session"].setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        editor.save()
    config = load_config(path)
    assert config.provider("two").title == "Renamed board" and config.provider("two").url == "https://board.example.org/"
    assert config.provider("two").option("remember_session") is True
    assert dialog.restart_note.isVisible()

    adder = dialog.edit_provider(None, "rocketchat")
    adder.inputs["id"].setText("one")  # taken
    adder.inputs["server"].setText("https://chat.example.com")
    adder.inputs["username"].setText("ada")
    assert "remember_session" not in adder.inputs  # signed in from the keyring: never kept on disk
    adder.save()
    assert "already used" in adder.error.text()
    adder.inputs["id"].setText("work")
    adder.save()
    assert load_config(path).provider("work").option("server") == "https://chat.example.com"
    assert dialog.remove_provider("work") and [p.id for p in load_config(path).providers] == ["one", "two", "three"]

    dialog.hibernate.setValue(30)
    dialog.discard.setValue(10)
    assert not dialog.save_general() and "shorter" in dialog.general_error.text()
    dialog.discard.setValue(120)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert dialog.save_general()
    assert shell.desktop.hibernator.enabled and shell.desktop.hibernator.discard_after == 7200
    assert shell.desktop.theme.scheme == "dark"
    assert load_config(path).settings["hibernate_after_minutes"] == 30
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    dialog.hibernate.setValue(0)
    dialog.discard.setValue(0)
    assert dialog.save_general() and not shell.desktop.hibernator.enabled
    dialog.close()


def test_unread_total_reaches_the_title_and_the_desktop_file_name_is_set(three, qtbot):
    shell = three
    shell.providers["one"].set_unread(2)
    shell.providers["two"].set_unread(1)
    assert shell.window.windowTitle() == "(3) Portico"
    assert shell.window.sidebar.unread("one") == 2
    # setBadgeNumber needs the desktop file name (else Qt logs "Cannot set badge number").
    out = subprocess.run([sys.executable, "-c", "from desktop.qtargs import create_application, APP_ID; "
                          "app = create_application(True); print(app.desktopFileName() == APP_ID)"],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
