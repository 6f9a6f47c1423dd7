"""Crash and hang recovery with real renderer processes: killed with SIGKILL, stuck in a busy loop, after a sleep."""

from __future__ import annotations

import os
import signal
import time

import pytest

from desktop.shell.recovery import SleepWatcher
from tests.helpers.fixtures import frame_eval, frame_poll, renderer_pids, spatialchat_toml, wait_ready, write_config
from tests.helpers.sites import probe_url


@pytest.fixture
def room(run_shell, probe_server, tmp_path, qtbot):
    shell = run_shell(write_config(tmp_path, spatialchat_toml(probe_url(probe_server))))
    view = shell.views["room"]
    wait_ready(qtbot, view)
    watchdog = shell.desktop.watchdogs["room"]
    watchdog.delays = (0.2, 0.2, 0.2)
    return shell, view, watchdog


def alive(qtbot, view) -> bool:
    """The provider's page answers again. Polled: after a renderer restart Chromium restores the
    frame's last document and the provider then navigates it once more, so one script can be lost
    with the replaced document (frame_poll fails the test if it never answers)."""
    frame_poll(qtbot, view, "location.pathname", "/probe", timeout=15_000)
    return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds renderers through /proc")
def test_killed_host_renderer_is_shown_then_reloaded_with_backoff(room, qtbot):
    shell, view, watchdog = room
    pid = view.page.renderProcessPid()
    assert pid > 0 and pid in renderer_pids()
    started = time.monotonic()
    with qtbot.waitSignal(watchdog.crashed, timeout=5000) as crashed:
        os.kill(pid, signal.SIGKILL)
    assert crashed.args == ["Its page was killed (exit code 9)."]
    assert view.showing_error() and "stopped unexpectedly" in view.panel.title.text()
    assert "attempt 1 of 3" in view.panel.hint.text()
    assert shell.window.sidebar.has_error("room")
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        pass
    elapsed = time.monotonic() - started
    assert not view.showing_error() and view.page.renderProcessPid() not in (0, pid)
    assert alive(qtbot, view) and not shell.window.sidebar.has_error("room")
    assert watchdog.reloads == 1 and elapsed < 10, elapsed
    # The bridge works again: the site's request is answered.
    frame_eval(qtbot, view, "sendToParent({name: 'get_space_ids', requestId: 'back'})")
    qtbot.waitUntil(lambda: any(m["data"].get("requestId") == "back"
                                for m in frame_eval(qtbot, view, "JSON.stringify(window.received)")))


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds renderers through /proc")
def test_killed_provider_frame_renderer_is_found_by_the_ping_and_reloaded(room, qtbot):
    shell, view, watchdog = room
    host = {v.page.renderProcessPid() for v in shell.views.values()}
    frames = renderer_pids() - host  # with --site-per-process the provider frame has its own renderer
    assert frames, "expected a separate renderer for the provider frame"
    watchdog._ping_timer.setInterval(200)
    watchdog._ping_timer.start()
    with qtbot.waitSignal(watchdog.crashed, timeout=5000) as crashed:
        for pid in frames:
            os.kill(pid, signal.SIGKILL)
    # Qt says nothing when a sub-frame's renderer dies; the ping found it.
    assert crashed.args == ["Its page's renderer process ended."]
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        pass
    assert alive(qtbot, view) and view.page.renderProcessPid() in host


def test_after_the_last_automatic_reload_the_user_gets_retry(room, qtbot):
    shell, view, watchdog = room
    watchdog.delays = (0.1,)
    os.kill(view.page.renderProcessPid(), signal.SIGKILL)
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        pass
    with qtbot.waitSignal(watchdog.crashed, timeout=5000):
        os.kill(view.page.renderProcessPid(), signal.SIGKILL)
    qtbot.waitUntil(view.showing_error, timeout=5000)
    assert not watchdog.reload_pending
    assert "Press Retry" in view.panel.hint.text() and view.panel.retry_button.text() == "Retry"
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        view.panel.retry_button.click()
    assert alive(qtbot, view) and watchdog.attempts == 0


def test_a_hung_frame_is_offered_a_reload_that_does_not_wait_for_it(room, qtbot):
    shell, view, watchdog = room
    watchdog._ping_timer.setInterval(150)
    watchdog._ping_timeout.setInterval(600)
    watchdog._ping_timer.start()
    frame_eval(qtbot, view, "setTimeout(function () { const t = Date.now(); while (Date.now() - t < 30000) {} }, 0); 1")
    with qtbot.waitSignal(watchdog.hung, timeout=5000):
        pass
    assert view.showing_error() and "not responding" in view.panel.title.text()
    assert view.panel.retry_button.text() == "Reload" and view.panel.wait_button.text() == "Keep waiting"
    view.panel.wait_button.click()
    assert not view.showing_error()
    started = time.monotonic()
    with qtbot.waitSignal(view.frame_ready, timeout=10_000):
        view.reload()  # Ctrl+R on a page that does not answer restarts its renderer
    assert time.monotonic() - started < 5, "the reload waited for the busy loop"
    assert alive(qtbot, view) and not watchdog.is_hung


def test_sleep_is_detected_from_a_late_timer():
    wall, mono = [1000.0], [50.0]
    watcher = SleepWatcher(interval_ms=15_000, wall=lambda: wall[0], monotonic=lambda: mono[0])
    woke: list[float] = []
    watcher.woke.connect(woke.append)
    wall[0] += 15
    mono[0] += 15
    watcher.tick()
    assert woke == []
    wall[0] += 3600 + 15  # suspended an hour: the monotonic clock stood still
    mono[0] += 15
    watcher.tick()
    assert woke == [3600.0]
    watcher.stop()


def test_after_sleep_a_dead_frame_is_reloaded_at_once(room, qtbot):
    shell, view, watchdog = room
    watchdog._ping_timer.stop()  # only the wake-up check may notice
    host = {v.page.renderProcessPid() for v in shell.views.values()}
    for pid in renderer_pids() - host:
        os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: view.provider_frame() is None or view.provider_frame().url().isEmpty())
    with qtbot.waitSignal(view.frame_ready, timeout=15_000):
        shell.desktop.sleep_watcher.woke.emit(3600.0)
    assert alive(qtbot, view)
