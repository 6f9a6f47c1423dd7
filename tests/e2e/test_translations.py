"""The window in Italian and Spanish: every string of the translated surfaces speaks the language (none left in English)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QTabWidget, QWidget

from desktop import i18n
from desktop.config import Config
from desktop.kinds import KINDS
from tests.helpers.fixtures import spatialchat_toml, write_config
from tests.helpers.paths import ROOT

LANGUAGES = ("it", "es")


def catalogue(language: str) -> dict[str, str]:
    """English source -> translation, from the repository's .ts file."""
    root = ET.parse(ROOT / "resources" / "translations" / f"portico_{language}.ts").getroot()
    return {m.findtext("source") or "": m.findtext("translation") or "" for m in root.iter("message")}


def pattern(text: str) -> re.Pattern[str]:
    """A translated text with its {placeholders} matching anything (and & accelerators dropped)."""
    parts = re.split(r"\{\w+\}", text.replace("&", ""))
    return re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL)


@pytest.fixture(params=LANGUAGES)
def language(request: Any) -> Iterator[str]:
    assert (i18n.translations_dir() / f"portico_{request.param}.qm").exists(), "run bash scripts/setup-translations"
    assert i18n.install(request.param) == request.param
    yield request.param
    i18n.install("en")


def texts(root: QWidget) -> list[str]:
    """Every string the user can see (or hover) in ``root`` and its children."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
        if isinstance(widget, QTabWidget):
            found.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QComboBox):
            found.extend(widget.itemText(i) for i in range(widget.count()))
        found.append(widget.toolTip())
        for action in widget.actions():
            found.append(action.text())  # (its tooltip is made from the text)
    return [t.replace("&", "").strip() for t in found if t and t.replace("&", "").strip()]


def untranslated(seen: list[str], language: str, data: set[str]) -> list[str]:
    """What is neither a translation (placeholders filled or not), nor data the user wrote (titles,
    ids), nor a name that is the same in every language."""
    translations = [pattern(t) for t in catalogue(language).values() if t]
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    standard = {QCoreApplication.translate("QPlatformTheme", b) for b in ("OK", "Save", "Cancel", "Close")}
    # A choice's values are what the config file says (`integration = "auto"`): shown as written.
    choices = {c for spec in KINDS.values() for o in spec.all_options() for c in o.choices}
    neutral = {"Portico", "English", "Italiano", "Español", "▲", "▼", "✕", "…", *data, *standard, *choices,
               *(spec.title for spec in KINDS.values())}
    return sorted({t for t in seen if t not in neutral and not any(p.fullmatch(t) for p in translations)
                   and not re.fullmatch(r"[\d\s.,:%()+-]*|[a-z]{2}-[A-Z]{2}.*|Ctrl\+.*", t)})


def test_the_catalogues_are_complete_and_keep_their_placeholders():
    for language in LANGUAGES:
        entries = catalogue(language)
        assert entries and all(entries.values()), [s for s, t in entries.items() if not t]
        for source, translation in entries.items():
            assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", translation)), source


def test_the_first_run_window_speaks_the_language(language, run_shell, tmp_path, qtbot):
    shell = run_shell(Config(path=tmp_path / "config.toml", providers=()))
    qtbot.waitUntil(lambda: shell.is_complete, timeout=10_000)
    window = shell.window
    window.find_in_page()  # no provider: nothing opens, but the bar exists with its texts
    seen = texts(window) + [window.windowTitle()]
    assert untranslated(seen, language, set()) == [], untranslated(seen, language, set())
    assert window.welcome is not None and window.welcome.add_buttons["rocketchat"].text() != "Add a Rocket.Chat server"


def test_settings_and_an_error_panel_speak_the_language(language, run_shell, tmp_path, qtbot):
    url = "http://127.0.0.1:9/nothing-listens-here"
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url, "room")))
    view = shell.views["room"]
    qtbot.waitUntil(view.showing_error, timeout=20_000)
    shell.complete()
    data = {"room", "SpatialChat site", url, "http://127.0.0.1:9"}
    panel = [view.panel.title.text(), view.panel.message.text(), view.panel.hint.text(), view.panel.retry_button.text()]
    assert untranslated([t for t in panel if t], language, data) == [], panel
    dialog = shell.desktop.show_settings()
    general = dialog.tabs.widget(1)
    seen = [dialog.windowTitle(), *(dialog.tabs.tabText(i) for i in range(dialog.tabs.count())),
            *texts(dialog.tabs.widget(0)), *texts(general), *texts(dialog.tabs.widget(3))]
    cards = [dialog.provider_list.item(i).text() for i in range(dialog.provider_list.count())]
    seen += [line for card in cards for line in card.split("\n")[1].split(" · ")]
    assert untranslated(seen, language, data | {"Portico"}) == [], untranslated(seen, language, data)
    # The event inspector, the removal question and a download's notice.
    from desktop.shell.removal_dialog import RemoveProviderDialog  # noqa: PLC0415
    inspector = shell.desktop.show_inspector()
    headers = [inspector.table.horizontalHeaderItem(i).text() for i in range(inspector.table.columnCount())]
    shell.desktop._on_download_finished("room", str(tmp_path / "report.pdf"))
    seen = [*texts(inspector), inspector.windowTitle(), *headers, *texts(RemoveProviderDialog("room", "spatialchat")),
            shell.window.notice.label.text()]
    assert untranslated(seen, language, data | {"room"}) == [], untranslated(seen, language, data)


def test_spokis_frame_follows_the_windows_language(language, run_shell, tmp_path, qtbot):
    from desktop.demo.server import LoopbackServer  # noqa: PLC0415
    from desktop.demo.spoki import SpokiSimulator  # noqa: PLC0415
    from tests.helpers.spoki import spoki_shell  # noqa: PLC0415
    server = LoopbackServer(SpokiSimulator().route).start()
    try:
        shell = spoki_shell(run_shell, tmp_path, server.origin)
        view = shell.views["sp"]
        qtbot.waitUntil(lambda: bool(view._frame_url), timeout=15_000)
        assert f"language={language}" in view._frame_url  # `language` left at "window"
    finally:
        server.stop()


def test_the_provider_editor_speaks_the_language(language, run_shell, tmp_path, qtbot):
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    shell = run_shell(Config(path=tmp_path / "config.toml", providers=()))
    qtbot.waitUntil(lambda: shell.is_complete, timeout=10_000)
    for kind in ("rocketchat", "spoki", "spatialchat", "postmessage"):
        shell.window.welcome.add_buttons[kind].click()
        editor = shell.welcome_editor
        assert untranslated(texts(editor) + [editor.windowTitle()], language, {"Portico"}) == [], kind
        # Qt's own buttons speak it too (qtbase's translation).
        assert editor.save_button.text().replace("&", "") == QCoreApplication.translate("QPlatformTheme", "Save") \
            != "Save"
        editor.reject()


def test_the_certificate_panel_speaks_the_language(language, run_shell, tmp_path, qtbot):
    from desktop.demo.server import LoopbackServer  # noqa: PLC0415
    from desktop.demo.tls import self_signed  # noqa: PLC0415
    from tests.helpers.sites import probe_route  # noqa: PLC0415
    server = LoopbackServer(probe_route, tls=self_signed(tmp_path)).start()
    try:
        shell = run_shell(write_config(tmp_path, spatialchat_toml(f"{server.origin}/probe", "room")))
        view = shell.views["room"]
        qtbot.waitUntil(lambda: view.showing_error() and view.panel.trust_button.isVisible(), timeout=20_000)
        panel = view.panel
        seen = [panel.title.text(), panel.message.text(), *panel.hint.text().split("\n"), panel.trust_button.text(),
                panel.retry_button.text()]
        assert untranslated(seen, language, {"Room room"}) == [], seen
    finally:
        server.stop()
