"""Spell check in a provider's textarea with real dictionaries (Debian's hunspell, converted): marks and suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.bridge.scripts import FRAME_ID
from desktop.demo.server import LoopbackServer, Response
from desktop.shell import spelling
from tests.helpers.fixtures import frame_eval, run_in_frame, wait_ready, write_config

pytestmark = pytest.mark.skipif(not {"en-US", "it-IT"} <= spelling.available_languages(),
                                reason="no dictionaries: bash scripts/setup-dictionaries")

PAGE = """<!doctype html><meta charset="utf-8"><style>
body { margin: 0; padding: 10px } textarea { font: 20px monospace; width: 600px; height: 120px; padding: 4px }
</style>
<textarea id="ta" spellcheck="true">helo wrold ciao mondo ciaoo qxzvkjq</textarea>
<script>
// The middle of a word in the textarea, in the frame's coordinates (a mirror of its text).
function wordPos(word) {
  const ta = document.getElementById("ta"), at = ta.value.indexOf(word), style = getComputedStyle(ta);
  const mirror = document.createElement("div");
  for (const p of ["font", "padding", "border", "boxSizing", "width", "lineHeight", "letterSpacing"])
    mirror.style[p] = style[p];
  Object.assign(mirror.style, {position: "absolute", visibility: "hidden", whiteSpace: "pre-wrap", left: 0, top: 0});
  mirror.textContent = ta.value.substring(0, at);
  const span = document.createElement("span");
  span.textContent = word;
  mirror.appendChild(span);
  document.body.appendChild(mirror);
  const m = mirror.getBoundingClientRect(), s = span.getBoundingClientRect(), t = ta.getBoundingClientRect();
  mirror.remove();
  return JSON.stringify({x: t.left + s.left - m.left + s.width / 2, y: t.top + s.top - m.top + s.height / 2});
}
</script>
"""


@pytest.fixture
def editor_site() -> Iterator[LoopbackServer]:
    server = LoopbackServer(lambda request: Response.html(PAGE)).start()
    yield server
    server.stop()


def editor_toml(origin: str, languages: str | None, pid: str = "notes") -> str:
    """A provider of the editor page (``languages``: its ``spellcheck`` value; None: none of its own)."""
    own = f"spellcheck = {languages}\n" if languages is not None else ""
    return f'[[provider]]\nid = "{pid}"\nkind = "postmessage"\nurl = "{origin}/"\nevents = ["hello"]\n{own}\n'



def menu_at(qtbot: Any, view: Any, word: str, misspelt: bool = True, timeout: float = 10.0) -> Any:
    """Right-click ``word`` until Portico's menu says it is misspelt (the check is asynchronous)."""
    offset = run_in_frame(qtbot, view.page.mainFrame(), f"""JSON.stringify((() => {{
        const r = document.getElementById({FRAME_ID!r}).getBoundingClientRect(); return {{x: r.left, y: r.top}};
    }})())""")
    target = view.web_view.focusProxy()
    result: list[Any] = []

    def click() -> bool:
        if view.web_view.context_menu is not None:
            view.web_view.context_menu.close()
            view.web_view.context_menu = None
        spot = frame_eval(qtbot, view, f"wordPos({word!r})")
        QTest.mouseClick(target, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(int(offset["x"] + spot["x"]), int(offset["y"] + spot["y"])))
        qtbot.waitUntil(lambda: view.web_view.context_menu is not None, timeout=3000)
        request = view.web_view.lastContextMenuRequest()
        result[:] = [view.web_view.context_menu, request.misspelledWord()]
        return bool(request.misspelledWord()) == misspelt
    qtbot.waitUntil(click, timeout=int(timeout * 1000))
    return result[0]


def suggestions(menu: Any) -> list[str]:
    return [a.text() for a in menu.actions() if a.objectName() == "spelling-suggestion"]


def test_misspelt_words_are_marked_with_suggestions_in_english_and_italian(editor_site, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, editor_toml(editor_site.origin, '["en-US", "it-IT"]')))
    view = shell.views["notes"]
    wait_ready(qtbot, view)
    assert shell.profiles["notes"].isSpellCheckEnabled()
    assert list(shell.profiles["notes"].spellCheckLanguages()) == ["en-US", "it-IT"]
    view.web_view.setFocus()
    frame_eval(qtbot, view, "document.getElementById('ta').focus(), 1")
    english = menu_at(qtbot, view, "wrold")
    assert "world" in suggestions(english)
    assert suggestions(english)[0] == english.actions()[0].text()  # suggestions come first
    italian = menu_at(qtbot, view, "ciaoo")
    assert "ciao" in suggestions(italian)
    menu_at(qtbot, view, "mondo", misspelt=False, timeout=2)  # Italian, spelt right
    nothing = menu_at(qtbot, view, "qxzvkjq")
    assert not suggestions(nothing)
    assert nothing.actions()[0].text() == "No spelling suggestions for “qxzvkjq”" and not nothing.actions()[0].isEnabled()
    # Choosing a suggestion replaces the word in the page.
    english = menu_at(qtbot, view, "wrold")
    next(a for a in english.actions() if a.text() == "world").trigger()
    qtbot.waitUntil(lambda: "helo world" in frame_eval(qtbot, view, "document.getElementById('ta').value"))
    # Portico's menu keeps none of the actions that would leave its policy.
    names = {a.text().replace("&", "") for a in english.actions()}
    assert not names & {"View page source", "Back", "Forward", "Open link in new window"}


def test_a_language_without_a_dictionary_is_named_and_the_others_still_check(editor_site, run_shell, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, editor_toml(editor_site.origin, '["xx-XX", "en-US"]')))
    view = shell.views["notes"]
    wait_ready(qtbot, view)
    shell.complete()
    assert shell.spelling_missing == {"notes": ["xx-XX"]}
    assert list(shell.profiles["notes"].spellCheckLanguages()) == ["en-US"]
    assert "xx-XX" in shell.window.notice.label.text() and "no dictionary" in shell.window.notice.label.text()


def test_spell_check_off_for_a_provider_and_from_settings(editor_site, run_shell, tmp_path, qtbot):
    toml = ("[settings]\nspellcheck = [\"it-IT\"]\n\n" + editor_toml(editor_site.origin, "[]")
            + editor_toml(editor_site.origin, None, "inherits"))
    shell = run_shell(write_config(tmp_path, toml))
    shell.complete()
    assert not shell.profiles["notes"].isSpellCheckEnabled()
    assert list(shell.profiles["inherits"].spellCheckLanguages()) == ["it-IT"]


def test_the_settings_picker_chooses_the_default_languages_at_once(editor_site, run_shell, tmp_path, qtbot):
    from PySide6.QtCore import Qt as QtNs  # noqa: PLC0415
    toml = '[settings]\nspellcheck = ["en-US", "fr-FR"]\n\n' + editor_toml(editor_site.origin, None, "inherits")
    shell = run_shell(write_config(tmp_path, toml))
    shell.complete()
    dialog = shell.desktop.show_settings()
    box = dialog.spellcheck
    rows = {box.item(i).data(QtNs.ItemDataRole.UserRole): box.item(i) for i in range(box.count())}
    assert {"en-US", "it-IT", "es-ES", "fr-FR"} <= set(rows)
    assert rows["fr-FR"].text() == "fr-FR (no dictionary)"
    assert rows["en-US"].checkState() == QtNs.CheckState.Checked
    assert rows["it-IT"].checkState() == QtNs.CheckState.Unchecked
    rows["en-US"].setCheckState(QtNs.CheckState.Unchecked)
    rows["fr-FR"].setCheckState(QtNs.CheckState.Unchecked)
    rows["es-ES"].setCheckState(QtNs.CheckState.Checked)
    assert dialog.save_general()
    assert 'spellcheck = ["es-ES"]' in shell.config.path.read_text(encoding="utf-8")
    assert list(shell.profiles["inherits"].spellCheckLanguages()) == ["es-ES"]
