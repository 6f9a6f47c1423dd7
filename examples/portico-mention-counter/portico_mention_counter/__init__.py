"""A complete Portico plugin: counts mentions in provider notifications and posts a summary notification."""

from __future__ import annotations

import collections
import dataclasses

from desktop.plugins import API_VERSION, Notification, NotificationRequest, PluginContext, SettingsError, hookimpl


class MentionCounter:
    """Counts notifications that mention you and posts a summary every few mentions."""

    api_version = API_VERSION  # the plugin API this was written for

    @dataclasses.dataclass(frozen=True)
    class Settings:
        """``[plugins.mention-counter]`` in the config."""

        keyword: str = "@here"   # what counts as a mention (case-insensitive)
        every: int = 5           # post a summary after this many mentions

        def validate(self) -> None:
            if not self.keyword.strip():
                raise SettingsError("keyword", "must not be empty")
            if self.every < 1:
                raise SettingsError("every", "must be at least 1")

    def __init__(self) -> None:
        self.context: PluginContext | None = None
        self.counts: collections.Counter[str] = collections.Counter()
        self.since_summary = 0

    @hookimpl
    def portico_activate(self, context: PluginContext) -> None:
        self.context = context
        # Through context.hub, not the hub itself: Portico guards the slot and disconnects it on disable.
        context.hub.notification_requested.connect(self.on_notification)
        context.add_menu_action("Mention summary", self.post_summary)
        context.log.info("counting mentions of %s", context.settings.keyword)

    @hookimpl
    def portico_deactivate(self) -> None:
        self.context = None

    @hookimpl
    def portico_notification(self, request: NotificationRequest) -> None:
        """Mark mentions in the notification's title, so they stand out."""
        if request.provider_id and self.mentions(request.notification):
            request.notification = dataclasses.replace(
                request.notification, title=f"★ {request.notification.title}")

    def mentions(self, notification: Notification) -> bool:
        assert self.context is not None
        keyword = self.context.settings.keyword.lower()
        return keyword in f"{notification.title} {notification.body}".lower()

    def on_notification(self, provider_id: str, notification: Notification) -> None:
        if not self.mentions(notification):
            return
        self.counts[provider_id] += 1
        self.since_summary += 1
        assert self.context is not None
        if self.since_summary >= self.context.settings.every:
            self.post_summary()

    def post_summary(self) -> None:
        assert self.context is not None
        total = sum(self.counts.values())
        parts = [f"{self.context.titles.get(pid, pid)}: {n}" for pid, n in self.counts.most_common()]
        self.context.notify(f"{total} mentions of {self.context.settings.keyword}",
                            ", ".join(parts) or "none yet", tag="mention-summary")
        self.since_summary = 0
