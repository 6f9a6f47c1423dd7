"""Notifications: the freedesktop service over a private D-Bus (a fake server records what it gets), else the banner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtDBus import QDBusConnection

from desktop.contract import Notification
from desktop.shell.notifications import Banner, BannerAdapter, DBusAdapter, NotificationPresenter
from tests.helpers.fixtures import spatialchat_toml, write_config
from tests.helpers.sites import probe_url

#: org.freedesktop.Notifications played with jeepney (already installed: secretstorage uses it). It
#: checks Notify's D-Bus signature as GLib and Qt servers do, prints every call, and clicks a
#: notification whose summary is "click me".
FAKE_SERVER = textwrap.dedent('''
    import sys
    from jeepney import DBusAddress, MessageType, new_error, new_method_return, new_signal
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.low_level import HeaderFields
    XML = """<node><interface name="org.freedesktop.Notifications">
    <method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
     <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
     <arg type="as" direction="in"/><arg type="a{sv}" direction="in"/>
     <annotation name="org.qtproject.QtDBus.QtTypeName.In6" value="QVariantMap"/>
     <arg type="i" direction="in"/><arg type="u" direction="out"/></method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    </interface></node>"""
    ME = DBusAddress("/org/freedesktop/Notifications", interface="org.freedesktop.Notifications")
    conn = open_dbus_connection(bus=sys.argv[1])
    conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.Notifications"))
    print("ready", flush=True)
    last = 0
    while True:
        msg = conn.receive()
        if msg.header.message_type != MessageType.method_call:
            continue
        member = msg.header.fields[HeaderFields.member]
        signature = msg.header.fields.get(HeaderFields.signature, "")
        print(member, signature, repr(msg.body), flush=True)
        if member == "Introspect":
            conn.send(new_method_return(msg, "s", (XML,)))
        elif member == "GetCapabilities":
            conn.send(new_method_return(msg, "as", (["actions", "body", "body-markup"],)))
        elif member == "Notify":
            if signature != "susssasa{sv}i":
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs", "s", (signature,)))
                continue
            last = msg.body[1] or last + 1
            conn.send(new_method_return(msg, "u", (last,)))
            if msg.body[3] == "click me":
                conn.send(new_signal(ME, "ActionInvoked", "us", (last, "default")))
        elif member == "CloseNotification":
            conn.send(new_method_return(msg))
            conn.send(new_signal(ME, "NotificationClosed", "uu", (msg.body[0], 3)))
        else:
            conn.send(new_method_return(msg))
''')


@pytest.fixture(scope="module")
def private_bus() -> Iterator[str]:
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, text=True)
    address = daemon.stdout.readline().strip() if daemon.stdout else ""
    yield address
    daemon.terminate()
    daemon.wait(10)


class FakeServer:
    def __init__(self, address: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", FAKE_SERVER, address], stdout=subprocess.PIPE,
                                     text=True, env=dict(os.environ))
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"
        self.calls: list[str] = []

    def read_until(self, qtbot: Any, prefix: str) -> str:
        """The next call line starting with ``prefix`` (reading blocks only this fake's pipe)."""
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            assert line, "the fake notification server ended"
            self.calls.append(line)
            if line.startswith(prefix):
                return line

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(10)


@pytest.fixture
def bus(private_bus) -> Iterator[tuple[Any, FakeServer]]:
    server = FakeServer(private_bus)
    connection = QDBusConnection.connectToBus(private_bus, f"portico-test-{id(server)}")
    assert connection.isConnected()
    yield connection, server
    server.stop()
    QDBusConnection.disconnectFromBus(f"portico-test-{id(server)}")


def test_dbus_service_is_used_with_typed_arguments_escaped_body_and_clicks(bus, qtbot):
    connection, server = bus
    banner = Banner()
    presenter = NotificationPresenter(banner, adapters=[DBusAdapter(connection), BannerAdapter(banner)])
    presenter.present("work", Notification("Ada", "<b>hi</b> & bye", tag="room-1"))
    assert presenter.adapter is not None and presenter.adapter.name == "dbus"
    line = server.read_until(qtbot, "Notify")
    assert line.startswith("Notify susssasa{sv}i ('Portico', 0, '', 'Ada', '&lt;b&gt;hi&lt;/b&gt; &amp; bye'")
    assert "'im.received'" in line and not banner.isVisible()
    # The same tag replaces the earlier bubble (replaces_id = its id).
    presenter.present("work", Notification("Ada", "again", tag="room-1"))
    assert server.read_until(qtbot, "Notify").startswith("Notify susssasa{sv}i ('Portico', 1, ")
    with qtbot.waitSignal(presenter.activated, timeout=5000) as activated:
        presenter.present("work", Notification("click me", "", action={"room": "general"}))
    assert activated.args == ["work", {"room": "general"}]
    # Read in Portico: its bubbles are taken back.
    presenter.withdraw("work")
    assert server.read_until(qtbot, "CloseNotification").startswith("CloseNotification u (")


def test_without_a_service_the_banner_shows_it_and_clicks_activate(private_bus, qtbot):
    connection = QDBusConnection.connectToBus(private_bus, "portico-test-empty")  # no notification service
    banner = Banner()
    presenter = NotificationPresenter(banner, adapters=[DBusAdapter(connection), BannerAdapter(banner)])
    presenter.present("board", Notification("New message", "from Ada", action=7))
    assert presenter.adapter is not None and presenter.adapter.name == "banner"
    assert not banner.isHidden() and banner.label.text() == "New message: from Ada"
    with qtbot.waitSignal(presenter.activated) as activated:
        banner.open_button.click()
    assert activated.args == ["board", 7]
    presenter.present("board", Notification("Second", ""))
    presenter.withdraw("board")
    assert banner.isHidden()
    QDBusConnection.disconnectFromBus("portico-test-empty")


def test_the_banner_goes_when_its_provider_is_opened_and_desktop_bubbles_stay(bus, qtbot):
    """"Open" is the banner's only offer: once the user shows that provider, the banner goes. The
    desktop's own bubbles stay until the messages are read (they are the notification record)."""
    connection, server = bus
    banner = Banner()
    presenter = NotificationPresenter(banner, adapters=[BannerAdapter(banner)])
    presenter.present("board", Notification("New message", "from Ada"))
    presenter.provider_opened("chat")  # another provider: the offer stands
    assert not banner.isHidden()
    presenter.provider_opened("board")
    assert banner.isHidden()
    # Through D-Bus: opening the provider closes nothing (the next call the service gets is the
    # next Notify), and reading its messages does.
    bubbles = NotificationPresenter(Banner(), adapters=[DBusAdapter(connection), BannerAdapter(Banner())])
    bubbles.present("board", Notification("Ada", "hi"))
    server.read_until(qtbot, "Notify")
    bubbles.provider_opened("board")
    bubbles.present("chat", Notification("Grace", "hello"))
    server.read_until(qtbot, "Notify")
    assert not any(call.startswith("CloseNotification") for call in server.calls)
    bubbles.withdraw("board")
    assert server.read_until(qtbot, "CloseNotification").startswith("CloseNotification u (")


@pytest.mark.skipif(bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")),
                    reason="a real session bus here (scripts/test runs without one)")
def test_a_shell_without_a_session_bus_falls_back_to_the_banner(run_shell, probe_server, tmp_path, qtbot):
    url = probe_url(probe_server)
    shell = run_shell(write_config(tmp_path, spatialchat_toml(url) + spatialchat_toml(url, "other")))
    shell.complete()
    # The provider on screen: its page shows the message, the banner says nothing.
    shell.hub.notification_requested.emit("room", Notification("Seen", "already"))
    assert shell.presenter.adapter is not None and shell.presenter.adapter.name == "banner"
    assert shell.window.banner.isHidden() and shell.presenter.history[-1].notification.title == "Seen"
    shell.window.select("other")
    shell.hub.notification_requested.emit("room", Notification("Hello", "there"))
    assert shell.window.banner.label.text() == "Hello: there" and not shell.window.banner.isHidden()
    # Read while the window is hidden (say, on another workspace): the banner is still taken back.
    shell.providers["room"].set_unread(3)
    shell.window.hide()
    shell.providers["room"].set_unread(0)
    assert shell.window.banner.isHidden()


@pytest.mark.skipif(bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")),
                    reason="a real session bus here (scripts/test runs without one)")
def test_showing_the_provider_in_the_window_dismisses_its_banner(run_shell, probe_server, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))
                                   + spatialchat_toml(probe_url(probe_server), pid="other")))
    assert shell.window.current_id() == "room"
    shell.hub.notification_requested.emit("other", Notification("Grace", "hello"))
    assert shell.presenter.adapter is not None and shell.presenter.adapter.name == "banner"
    assert not shell.window.banner.isHidden()
    shell.window.select("room")  # already shown: nothing changes
    assert not shell.window.banner.isHidden()
    shell.window.select("other")
    assert shell.window.banner.isHidden()


def test_tray_icon_shows_the_unread_total_and_asks_for_the_window(qtbot):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from desktop.plugins.builtin.tray import TrayAdapter, TrayIcon
    tray = TrayIcon(QIcon())
    tray.set_unread(4)
    assert tray.toolTip() == "Portico – 4 unread"
    with qtbot.waitSignal(tray.toggle_requested):
        tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    tray.set_providers([("work", "Work chat"), ("sp", "WhatsApp")])
    assert [a.text() for a in tray.providers_menu.actions()] == ["Work chat", "WhatsApp"]
    with qtbot.waitSignal(tray.provider_requested) as chosen:
        tray.providers_menu.actions()[1].trigger()
    assert chosen.args == ["sp"]
    with qtbot.waitSignal(tray.quit_requested):
        tray.menu.actions()[-1].trigger()
    banner = Banner()
    presenter = NotificationPresenter(banner)
    presenter.add_adapter(TrayAdapter(tray, presenter))
    assert [a.name for a in presenter._chain()] == ["dbus", "tray", "banner"]
