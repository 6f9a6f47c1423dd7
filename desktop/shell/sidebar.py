"""The sidebar: one entry per provider with its icon, title and unread badge."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.providers.base import UNREAD_DOT

_ID_ROLE = Qt.ItemDataRole.UserRole
_UNREAD_ROLE = Qt.ItemDataRole.UserRole + 1
_ERROR_ROLE = Qt.ItemDataRole.UserRole + 2


def kind_icon(kind: str, override: str = "") -> QIcon:
    """The provider's icon: a configured file, else the kind's bundled SVG."""
    if override:
        icon = QIcon(override)
        if not icon.isNull():
            return icon
    path = resources.files("desktop.resources").joinpath(f"icons/{kind}.svg")
    with resources.as_file(path) as file:
        return QIcon(QPixmap(str(file))) if file.exists() else QIcon()


def badge_text(count: int) -> str:
    """What the badge shows: nothing, a dot, the count, or 999+."""
    if count == UNREAD_DOT:
        return "•"
    if count <= 0:
        return ""
    return "999+" if count > 999 else str(count)


class _Delegate(QStyledItemDelegate):
    """Draws an entry: icon, title, and a red badge on the right."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return QSize(200, 48)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
        icon: QIcon = index.data(Qt.ItemDataRole.DecorationRole)
        icon_rect = QRect(rect.left() + 12, rect.top() + 10, 28, 28)
        if icon is not None and not icon.isNull():
            icon.paint(painter, icon_rect)
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        if index.data(_ERROR_ROLE):
            text_color = QColor("#d9534f") if not selected else text_color
        painter.setPen(text_color)
        font = QFont(option.font)
        font.setPointSizeF(font.pointSizeF() * 1.05)
        painter.setFont(font)
        badge = badge_text(int(index.data(_UNREAD_ROLE) or 0))
        badge_w = 0
        if badge:
            metrics = painter.fontMetrics()
            badge_w = max(20, metrics.horizontalAdvance(badge) + 12)
            badge_rect = QRect(rect.right() - badge_w - 10, rect.center().y() - 10, badge_w, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e0245e"))
            painter.drawRoundedRect(badge_rect, 10, 10)
            painter.setPen(QColor("white"))
            bold = QFont(font)
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
            painter.setFont(font)
            painter.setPen(text_color)
        text_rect = QRect(icon_rect.right() + 12, rect.top(), rect.width() - 64 - badge_w, rect.height())
        title = painter.fontMetrics().elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                                 Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        painter.restore()


class Sidebar(QListWidget):
    """The list of providers.

    Signals:
        provider_selected(str): the user picked a provider (its id).
    """

    provider_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setItemDelegate(_Delegate(self))
        self.setMouseTracking(True)
        self.setFixedWidth(220)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.currentItemChanged.connect(self._on_current)

    def add_provider(self, provider_id: str, title: str, icon: QIcon) -> None:
        item = QListWidgetItem(icon, title)
        item.setData(_ID_ROLE, provider_id)
        item.setData(_UNREAD_ROLE, 0)
        item.setToolTip(title)
        self.addItem(item)

    def _item(self, provider_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(_ID_ROLE) == provider_id:
                return item
        return None

    def ids(self) -> list[str]:
        return [self.item(row).data(_ID_ROLE) for row in range(self.count())]

    def set_unread(self, provider_id: str, count: int) -> None:
        item = self._item(provider_id)
        if item is not None:
            item.setData(_UNREAD_ROLE, count)
            text = badge_text(count)
            item.setToolTip(f"{item.text()} ({text} unread)" if text else item.text())

    def unread(self, provider_id: str) -> int:
        item = self._item(provider_id)
        return int(item.data(_UNREAD_ROLE)) if item is not None else 0

    def set_error(self, provider_id: str, error: bool) -> None:
        item = self._item(provider_id)
        if item is not None:
            item.setData(_ERROR_ROLE, error)

    def select(self, provider_id: str) -> None:
        item = self._item(provider_id)
        if item is not None:
            self.setCurrentItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.provider_selected.emit(current.data(_ID_ROLE))
