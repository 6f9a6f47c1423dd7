"""A provider page's context menu: spelling suggestions first, then Chromium's actions that make sense in Portico."""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QMenu, QWidget

_Action = QWebEnginePage.WebAction
#: Standard actions left out: they would navigate or open the host page (or a provider's page)
#: outside Portico's policy, or show Portico's own host document.
HIDDEN: Final = (_Action.Back, _Action.Forward, _Action.ViewSource, _Action.SavePage,
                 _Action.OpenLinkInThisWindow, _Action.OpenLinkInNewWindow, _Action.OpenLinkInNewTab,
                 _Action.OpenLinkInNewBackgroundTab, _Action.InspectElement)


class ProviderWebView(QWebEngineView):
    """The web view of one provider, with Portico's context menu.

    Attributes:
        context_menu: the menu last opened (tests look at it; it deletes itself when closed).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context_menu: QMenu | None = None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.build_context_menu()
        self.context_menu = menu
        menu.popup(event.globalPos())

    def build_context_menu(self) -> QMenu:
        """Chromium's menu for what was clicked (a misspelt word's suggestions first), without
        :data:`HIDDEN`."""
        menu = self.createStandardContextMenu()
        from PySide6.QtCore import Qt  # noqa: PLC0415 - only when a menu opens (docs/startup.md)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        page = self.page()
        for action in HIDDEN:
            menu.removeAction(page.action(action))
        self._drop_extra_separators(menu)
        request = self.lastContextMenuRequest()
        word = request.misspelledWord() if request is not None else ""
        if not word:
            return menu
        suggestions = list(request.spellCheckerSuggestions())
        # Qt's own menu (6.x) starts with the first suggestions (clicking one replaces the word):
        # they are marked for tests; a word it has none for gets a line saying so.
        offered = [a for a in menu.actions() if not a.isSeparator() and a.text().replace("&", "") in suggestions]
        for action in offered:
            action.setObjectName("spelling-suggestion")
        if not offered:
            first = menu.actions()[0] if menu.actions() else None
            none = QAction(f"No spelling suggestions for “{word}”", menu)
            none.setEnabled(False)
            menu.insertAction(first, none)
            if first is not None:
                menu.insertSeparator(first)
        return menu

    @staticmethod
    def _drop_extra_separators(menu: QMenu) -> None:
        """No separator first, last, or right after another (left by the removed actions)."""
        previous_separator = True
        for action in menu.actions():
            if action.isSeparator() and previous_separator:
                menu.removeAction(action)
                continue
            previous_separator = action.isSeparator()
        actions = menu.actions()
        if actions and actions[-1].isSeparator():
            menu.removeAction(actions[-1])
