"""Built-in plugin ``notifications``: desktop notifications from provider events, with do-not-disturb and per-provider mute."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QTimeEdit, QVBoxLayout

from desktop.plugins import (
    API_VERSION,
    Notification,
    NotificationRequest,
    PluginContext,
    SettingsError,
    SettingsPage,
    hookimpl,
)

_HHMM: Final = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


def parse_hhmm(text: str) -> datetime.time:
    """``"22:30"`` -> ``time(22, 30)``; ValueError otherwise."""
    m = _HHMM.fullmatch(text)
    if m is None:
        raise ValueError(f"{text!r} is not a time of day as HH:MM (24-hour)")
    return datetime.time(int(m.group(1)), int(m.group(2)))


def in_quiet_hours(now: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    """Whether ``now`` falls in the daily window [start, end); a window may cross midnight; start == end is empty."""
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


class DoNotDisturbPage(SettingsPage):
    """Do-not-disturb now, a daily schedule, and a mute per provider."""

    title = "Do not disturb (notifications plugin)"

    def __init__(self, settings: Any, providers: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(settings, providers, parent)
        self.dnd = QCheckBox("Do not disturb now", self)
        self.quiet_hours = QCheckBox("Every day from", self)
        self.quiet_from = QTimeEdit(self)
        self.quiet_until = QTimeEdit(self)
        for edit in (self.quiet_from, self.quiet_until):
            edit.setDisplayFormat("HH:mm")
        schedule = QHBoxLayout()
        schedule.addWidget(self.quiet_hours)
        schedule.addWidget(self.quiet_from)
        schedule.addWidget(QLabel("until", self))
        schedule.addWidget(self.quiet_until)
        schedule.addStretch(1)
        self.mute_list = QListWidget(self)
        self.mute_list.setObjectName("mute-list")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dnd)
        layout.addLayout(schedule)
        layout.addWidget(self.mute_list)
        self.dnd.setChecked(settings.do_not_disturb)
        self.quiet_hours.setChecked(settings.quiet_hours)
        self.quiet_from.setTime(QTime.fromString(settings.quiet_from, "HH:mm"))
        self.quiet_until.setTime(QTime.fromString(settings.quiet_until, "HH:mm"))
        for provider_id, title in providers.items():
            item = QListWidgetItem(f"Mute {title}")
            item.setData(Qt.ItemDataRole.UserRole, provider_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if provider_id in settings.muted else Qt.CheckState.Unchecked)
            self.mute_list.addItem(item)

    def values(self) -> dict[str, Any]:
        muted = [self.mute_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.mute_list.count())
                 if self.mute_list.item(i).checkState() == Qt.CheckState.Checked]
        return {"do_not_disturb": self.dnd.isChecked(), "quiet_hours": self.quiet_hours.isChecked(),
                "quiet_from": self.quiet_from.time().toString("HH:mm"),
                "quiet_until": self.quiet_until.time().toString("HH:mm"), "muted": muted}


class NotificationsPlugin:
    """Shows provider notifications on the desktop; do-not-disturb (now or daily) and per-provider mute."""

    api_version = API_VERSION
    settings_page = DoNotDisturbPage

    @dataclasses.dataclass(frozen=True)
    class Settings:
        """``[plugins.notifications]``.

        Attributes:
            do_not_disturb: suppress every notification now.
            quiet_hours: suppress them daily from ``quiet_from`` until ``quiet_until`` (local time, HH:MM).
            muted: provider ids whose notifications are suppressed (badges still count).
        """

        do_not_disturb: bool = False
        quiet_hours: bool = False
        quiet_from: str = "22:00"
        quiet_until: str = "07:00"
        muted: list[str] = dataclasses.field(default_factory=list)

        def validate(self) -> None:
            for key in ("quiet_from", "quiet_until"):
                try:
                    parse_hhmm(getattr(self, key))
                except ValueError as exc:
                    raise SettingsError(key, str(exc)) from None

    def __init__(self) -> None:
        self.context: PluginContext | None = None
        self.settings = self.Settings()
        #: The local time of day (replaceable in tests).
        self.clock: Callable[[], datetime.time] = lambda: datetime.datetime.now().time()
        self.suppressed = 0

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        self.context = context
        self.settings = context.settings or self.Settings()
        context.hub.notification_requested.connect(self._on_requested)
        context.hub.unread_changed.connect(self._on_unread)

    def _on_requested(self, provider_id: str, notification: Notification) -> None:
        assert self.context is not None
        self.context.show_notification(provider_id, notification)

    def _on_unread(self, provider_id: str, count: int) -> None:
        if count == 0 and self.context is not None:  # read in Portico: take its notifications back
            self.context.withdraw_notifications(provider_id)

    def quiet(self) -> bool:
        """Whether do-not-disturb is on now (switched on, or inside the daily quiet hours)."""
        s = self.settings
        return s.do_not_disturb or (s.quiet_hours and in_quiet_hours(
            self.clock(), parse_hhmm(s.quiet_from), parse_hhmm(s.quiet_until)))

    @hookimpl(trylast=True)
    def portico_notification(self, request: NotificationRequest) -> None:
        if request.suppressed:
            return
        if request.provider_id and request.provider_id in self.settings.muted:
            request.suppress(f"provider {request.provider_id} is muted")
        elif self.quiet():
            request.suppress("do not disturb")
        else:
            return
        self.suppressed += 1
