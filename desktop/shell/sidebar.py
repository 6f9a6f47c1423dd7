"""The sidebar: one entry per provider with its icon, title and unread badge, in an order the user drags."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import (
    Property,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.contract import UNREAD_DOT

_ID_ROLE = Qt.ItemDataRole.UserRole
_UNREAD_ROLE = Qt.ItemDataRole.UserRole + 1
_ERROR_ROLE = Qt.ItemDataRole.UserRole + 2
_ASLEEP_ROLE = Qt.ItemDataRole.UserRole + 3


def kind_icon(kind: str, override: str = "", title: str = "") -> QIcon:
    """The provider's icon: a configured file, else the kind's bundled SVG, else the title's
    first letter on a colour of its own (a kind from a package, or the postmessage kind)."""
    if override:
        icon = QIcon(override)
        if not icon.isNull():
            return icon
    path = resources.files("desktop.resources").joinpath(f"icons/{kind}.svg")
    with resources.as_file(path) as file:
        if file.exists():
            return QIcon(QPixmap(str(file)))
    return letter_icon(title or kind)


#: Letter icons' colours (readable with white text in both themes).
_LETTER_COLOURS = ("#4f46e5", "#0891b2", "#059669", "#d97706", "#dc2626", "#7c3aed", "#2563eb", "#db2777")


def letter_icon(title: str, size: int = 64) -> QIcon:
    """A rounded square with the title's first letter; the colour follows the title, so a
    provider keeps it across restarts."""
    letter = next((c for c in title if c.isalnum()), "?").upper()
    colour = _LETTER_COLOURS[sum(map(ord, title)) % len(_LETTER_COLOURS)]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRect(0, 0, size, size), size * 0.22, size * 0.22)
    font = QFont()
    font.setPixelSize(int(size * 0.55))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, letter)
    painter.end()
    return QIcon(pixmap)


def badge_text(count: int) -> str:
    """What the badge shows: nothing, a dot, the count, or 999+."""
    if count == UNREAD_DOT:
        return "•"
    if count <= 0:
        return ""
    return "999+" if count > 999 else str(count)


class _Delegate(QStyledItemDelegate):
    """Draws an entry: a rounded highlight, the icon, the title, and a badge on the right.

    Colours come from the :class:`Sidebar`'s properties (set by the stylesheet, see theme.py).
    """

    def __init__(self, sidebar: Sidebar) -> None:
        super().__init__(sidebar)
        self._sidebar = sidebar

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        return QSize(200, 44)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        bar = self._sidebar
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(8, 2, -8, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(Qt.PenStyle.NoPen)
        if selected:
            painter.setBrush(bar.selectionColor)
            painter.drawRoundedRect(rect, 8, 8)
            painter.setBrush(bar.accentColor)
            painter.drawRoundedRect(QRect(rect.left(), rect.top() + 10, 3, rect.height() - 20), 1.5, 1.5)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.setBrush(bar.hoverColor)
            painter.drawRoundedRect(rect, 8, 8)
        asleep = bool(index.data(_ASLEEP_ROLE))
        icon: QIcon = index.data(Qt.ItemDataRole.DecorationRole)
        icon_rect = QRect(rect.left() + 12, rect.center().y() - 12, 24, 24)
        if icon is not None and not icon.isNull():
            painter.setOpacity(0.45 if asleep else 1.0)
            icon.paint(painter, icon_rect)
            painter.setOpacity(1.0)
        text_color = bar.selectedTextColor if selected else bar.textColor
        if asleep:
            text_color = bar.mutedColor
        if index.data(_ERROR_ROLE):
            text_color = bar.errorColor
        font = QFont(option.font)
        if selected:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        badge = badge_text(int(index.data(_UNREAD_ROLE) or 0))
        badge_w = 0
        if badge:
            metrics = painter.fontMetrics()
            badge_w = 8 if badge == "•" else max(20, metrics.horizontalAdvance(badge) + 12)
            badge_h = 8 if badge == "•" else 20
            badge_rect = QRect(rect.right() - badge_w - 10, rect.center().y() - badge_h // 2, badge_w, badge_h)
            painter.setBrush(bar.mutedColor if asleep else bar.badgeColor)
            painter.drawRoundedRect(badge_rect, badge_h / 2, badge_h / 2)
            if badge != "•":
                painter.setPen(bar.badgeTextColor)
                small = QFont(font)
                small.setBold(True)
                small.setPointSizeF(font.pointSizeF() * 0.85)
                painter.setFont(small)
                painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)
                painter.setFont(font)
        painter.setPen(text_color)
        text_rect = QRect(icon_rect.right() + 12, rect.top(), rect.right() - icon_rect.right() - 30 - badge_w,
                          rect.height())
        title = painter.fontMetrics().elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "",
                                                 Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
        painter.restore()


def _color_property(name: str, role: QPalette.ColorRole, default: str = "") -> Property:
    """A QColor property the stylesheet sets (``qproperty-<name>``); unset, it follows the palette."""
    attr = "_" + name

    def getter(self: Sidebar) -> QColor:
        color = getattr(self, attr, None)
        if color is not None:
            return color
        return QColor(default) if default else self.palette().color(role)

    def setter(self: Sidebar, color: QColor) -> None:
        setattr(self, attr, QColor(color))
        self.viewport().update()

    return Property(QColor, getter, setter)


class Sidebar(QListWidget):
    """The list of providers; the user reorders it by dragging.

    Its colours are Qt properties so that the stylesheet sets them (``qproperty-selectionColor``).

    Signals:
        provider_selected(str): the user picked a provider (its id).
        order_changed(list): the ids in their new order (after a drag or :meth:`set_order`).
    """

    provider_selected = Signal(str)
    order_changed = Signal(list)

    selectionColor = _color_property("selectionColor", QPalette.ColorRole.Midlight)  # noqa: N815 - Qt property
    accentColor = _color_property("accentColor", QPalette.ColorRole.Highlight)  # noqa: N815
    hoverColor = _color_property("hoverColor", QPalette.ColorRole.AlternateBase)  # noqa: N815
    textColor = _color_property("textColor", QPalette.ColorRole.Text)  # noqa: N815
    selectedTextColor = _color_property("selectedTextColor", QPalette.ColorRole.Text)  # noqa: N815
    mutedColor = _color_property("mutedColor", QPalette.ColorRole.PlaceholderText)  # noqa: N815
    errorColor = _color_property("errorColor", QPalette.ColorRole.Text, "#d9534f")  # noqa: N815
    badgeColor = _color_property("badgeColor", QPalette.ColorRole.Text, "#e0245e")  # noqa: N815
    badgeTextColor = _color_property("badgeTextColor", QPalette.ColorRole.Text, "#ffffff")  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setItemDelegate(_Delegate(self))
        self.setMouseTracking(True)
        self.setFixedWidth(220)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self._order: list[str] = []
        self._order_check = QTimer(self, singleShot=True, interval=0)
        self._order_check.timeout.connect(self._check_order)
        model = self.model()
        model.rowsMoved.connect(self._order_check.start)
        model.rowsInserted.connect(self._order_check.start)
        model.rowsRemoved.connect(self._order_check.start)
        self.currentItemChanged.connect(self._on_current)

    def add_provider(self, provider_id: str, title: str, icon: QIcon) -> None:
        item = QListWidgetItem(icon, title)
        item.setData(_ID_ROLE, provider_id)
        item.setData(_UNREAD_ROLE, 0)
        item.setToolTip(title)
        # Moving is a drag of the whole entry; it is never a drop target itself.
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        self.addItem(item)
        self._order.append(provider_id)

    def _item(self, provider_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(_ID_ROLE) == provider_id:
                return item
        return None

    def ids(self) -> list[str]:
        return [self.item(row).data(_ID_ROLE) for row in range(self.count())]

    def set_order(self, ids: list[str]) -> None:
        """Put the entries in this order (unknown ids are ignored, missing ones go last)."""
        current = self.current_id()
        wanted = [i for i in ids if self._item(i) is not None]
        wanted += [i for i in self.ids() if i not in wanted]
        self.blockSignals(True)
        try:
            items = {i: self.takeItem(self.row(self._item(i))) for i in self.ids()}
            for i in wanted:
                self.addItem(items[i])
        finally:
            self.blockSignals(False)
        if current is not None:
            self.select(current)
        self._check_order()

    def current_id(self) -> str | None:
        item = self.currentItem()
        return item.data(_ID_ROLE) if item is not None else None

    @Slot()
    def _check_order(self) -> None:
        ids = self.ids()
        if ids != self._order and len(ids) == len(self._order):
            self._order = ids
            self.order_changed.emit(ids)

    def set_unread(self, provider_id: str, count: int) -> None:
        item = self._item(provider_id)
        if item is not None:
            item.setData(_UNREAD_ROLE, count)
            self._update_tooltip(item)

    def unread(self, provider_id: str) -> int:
        item = self._item(provider_id)
        return int(item.data(_UNREAD_ROLE)) if item is not None else 0

    def set_error(self, provider_id: str, error: bool) -> None:
        item = self._item(provider_id)
        if item is not None:
            item.setData(_ERROR_ROLE, error)

    def has_error(self, provider_id: str) -> bool:
        item = self._item(provider_id)
        return bool(item is not None and item.data(_ERROR_ROLE))

    def set_asleep(self, provider_id: str, asleep: bool) -> None:
        """Dim a hibernating provider (its badge is the last one it sent before it slept)."""
        item = self._item(provider_id)
        if item is not None:
            item.setData(_ASLEEP_ROLE, asleep)
            self._update_tooltip(item)

    def is_asleep(self, provider_id: str) -> bool:
        item = self._item(provider_id)
        return bool(item is not None and item.data(_ASLEEP_ROLE))

    @staticmethod
    def _update_tooltip(item: QListWidgetItem) -> None:
        text = badge_text(int(item.data(_UNREAD_ROLE) or 0))
        tip = f"{item.text()} ({text} unread)" if text else item.text()
        item.setToolTip(tip + (" – hibernating" if item.data(_ASLEEP_ROLE) else ""))

    def select(self, provider_id: str) -> None:
        item = self._item(provider_id)
        if item is not None:
            self.setCurrentItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.provider_selected.emit(current.data(_ID_ROLE))
