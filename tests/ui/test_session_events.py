"""Lock on screen lock and sleep: the Windows message parser, the sleep detector with injected
clocks, logind's signals over a private D-Bus, and a real main window that locks."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QTimer
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import assert_locked_with_draft_sealed, visible_texts
from ui.main_window import MainWindow
from ui.session_events import (
    LOGIN1,
    MSG,
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionEvents,
    SleepDetector,
    WindowsMessages,
    lock_reason,
    session_path,
)

T = 20000
WTS_SESSION_UNLOCK = 0x8
PBT_APMRESUMEAUTOMATIC = 0x12
WM_PAINT = 0x000F


def reason(message: int, wparam: int, event_type: bytes = b"windows_generic_MSG") -> str | None:
    """Build the MSG in memory and hand over its address, as Qt does on Windows."""
    msg = MSG(hwnd=0x1234, message=message, wParam=wparam, lParam=0, time=42)
    return lock_reason(QByteArray(event_type), ctypes.addressof(msg))


def test_windows_messages_lock_on_screen_lock_and_suspend_only() -> None:
    assert reason(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == "lock"
    assert reason(WM_POWERBROADCAST, PBT_APMSUSPEND) == "suspend"
    assert reason(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK) is None
    assert reason(WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC) is None
    assert reason(WM_PAINT, WTS_SESSION_LOCK) is None
    assert reason(WM_PAINT, PBT_APMSUSPEND) is None
    assert reason(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, b"xcb_generic_event_t") is None
    assert lock_reason(b"windows_generic_MSG", 0) is None

    fired: list[int] = []
    native = WindowsMessages(lambda: fired.append(1))
    lock = MSG(message=WM_WTSSESSION_CHANGE, wParam=WTS_SESSION_LOCK)
    other = MSG(message=WM_POWERBROADCAST, wParam=PBT_APMRESUMEAUTOMATIC)
    assert native.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(other)) == (False, 0)
    assert fired == []
    # Never swallowed: Windows and Qt still see the message.
    assert native.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(lock)) == (False, 0)
    assert fired == [1]


def test_sleep_detector_fires_on_a_wall_clock_jump_only(qtbot: QtBot) -> None:
    wall, awake = [1_700_000_000.0], [500.0]
    detector = SleepDetector(wall=lambda: wall[0], awake=lambda: awake[0])
    fired: list[int] = []
    detector.slept.connect(lambda: fired.append(1))
    detector.start()

    def tick(wall_s: float, awake_s: float) -> None:
        wall[0] += wall_s
        awake[0] += awake_s
        detector.check()

    for _ in range(10):
        tick(15.2, 15.0)  # ordinary ticks with a little jitter
    tick(300.0, 300.0)  # the GUI was busy for five minutes: awake all along, no sleep
    tick(15.0 + 119, 15.0)  # a clock correction under the slack
    assert fired == []
    tick(15.0 + 3600, 15.0)  # an hour passed while the machine was not awake
    assert fired == [1]
    tick(15.0, 15.0)
    tick(15.0, 15.0)
    assert fired == [1]
    detector.stop()


@pytest.fixture
def private_bus() -> Iterator[str]:
    """A D-Bus daemon of our own, standing in for the system bus."""
    daemon = shutil.which("dbus-daemon")
    assert daemon, "dbus-daemon is needed for this test (Debian package dbus-daemon)"
    proc = subprocess.Popen([daemon, "--session", "--nofork", "--print-address=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.kill()
        proc.wait()


def signal(bus: QDBusConnection, path: str, interface: str, name: str, *args: Any) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    message.setArguments(list(args))
    assert bus.send(message)


def delivered(sender: QDBusConnection, listener: QDBusConnection) -> None:
    """Every signal `sender` sent so far has reached `listener`'s slots: a round trip from the
    sender makes the bus route them first, one from the listener receives them first (one
    connection keeps its order), and the event loop then delivers them."""
    for bus in (sender, listener):
        assert bus.interface().isServiceRegistered(LOGIN1).isValid()
    QCoreApplication.processEvents()


def test_logind_session_paths_are_escaped_as_systemd_does() -> None:
    assert session_path("2") == "/org/freedesktop/login1/session/_32"
    assert session_path("c1") == "/org/freedesktop/login1/session/c1"
    assert session_path("c2-x") == "/org/freedesktop/login1/session/c2_2dx"
    assert session_path("ä") == "/org/freedesktop/login1/session/_c3_a4"
    assert session_path(None) == session_path("") == ""  # unknown: every session's Lock


def test_logind_sleep_and_lock_signals_request_a_lock(qtbot: QtBot, private_bus: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_ID", "1")
    listen = QDBusConnection.connectToBus(private_bus, "lotse-test-listen")
    logind = QDBusConnection.connectToBus(private_bus, "lotse-test-logind")
    impostor = QDBusConnection.connectToBus(private_bus, "lotse-test-impostor")
    try:
        assert logind.registerService(LOGIN1)
        window = QWidget()
        qtbot.addWidget(window)
        events = SessionEvents(window, system_bus=listen)
        qtbot.waitUntil(lambda: events.logind, timeout=T)
        fired: list[str] = []
        events.lock_requested.connect(lambda: fired.append("lock"))

        manager = (f"/{LOGIN1.replace('.', '/')}", f"{LOGIN1}.Manager", "PrepareForSleep")
        session = ("/org/freedesktop/login1/session/_31", f"{LOGIN1}.Session")
        other_session = ("/org/freedesktop/login1/session/_32", f"{LOGIN1}.Session")
        # Anyone may send a signal; only logind's count. The round trip to the bus makes sure
        # the impostor's signals would reach us before logind's.
        signal(impostor, *manager, True)
        signal(impostor, *session, "Lock")
        assert impostor.interface().serviceOwner(LOGIN1).value() == logind.baseService()
        signal(logind, *manager, False)  # "woke up": nothing to do
        signal(logind, *manager, True)
        qtbot.waitUntil(lambda: len(fired) >= 1, timeout=T)
        delivered(logind, listen)
        assert fired == ["lock"]

        signal(logind, *other_session, "Lock")  # someone else's session: not ours to lock
        signal(logind, *session, "Unlock")
        signal(logind, *session, "Lock")
        qtbot.waitUntil(lambda: len(fired) >= 2, timeout=T)
        delivered(logind, listen)
        assert fired == ["lock", "lock"]
    finally:
        for name in ("lotse-test-listen", "lotse-test-logind", "lotse-test-impostor"):
            QDBusConnection.disconnectFromBus(name)


def test_without_a_system_bus_nothing_happens(qtbot: QtBot, tmp_path: Path) -> None:
    nowhere = QDBusConnection.connectToBus(f"unix:path={tmp_path / 'no-bus'}", "lotse-test-none")
    try:
        window = QWidget()
        qtbot.addWidget(window)
        events = SessionEvents(window, system_bus=nowhere)
        # The subscription runs from a zero timer; zero timers fire in order, so once this one
        # has fired, the subscription has been tried.
        after: list[bool] = []
        QTimer.singleShot(0, lambda: after.append(True))
        qtbot.waitUntil(lambda: after == [True], timeout=T)
        assert not events.logind
    finally:
        QDBusConnection.disconnectFromBus("lotse-test-none")


def test_lock_request_locks_a_real_main_window_and_keeps_the_draft(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(window.unlock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=T)
    assert window.ctx is not None and window.workspace is not None
    window.ctx.case_open_requested.emit(case_id, "journal")
    qtbot.waitUntil(lambda: getattr(window.workspace.currentWidget(), "case_id", None)
                    == case_id, timeout=T)
    case: Any = window.workspace.currentWidget()
    case.section("journal").text.setPlainText("Rückruf wegen Kita-Platz – noch nicht gespeichert")
    qtbot.waitUntil(lambda: "Öztürk" in visible_texts(window), timeout=T)

    window.session_events.lock_requested.emit()  # e.g. Windows+L or the lid closed
    assert_locked_with_draft_sealed(qtbot, window, "Öztürk", "Kita-Platz", T)
    # A second request while locked (resume after the sleep) changes nothing.
    window.unlock_page.message.setText("Die Passphrase ist falsch.")
    window.session_events.lock_requested.emit()
    assert window.unlock_page.message.text() == "Die Passphrase ist falsch."

    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.mouseClick(window.unlock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=T)
    reopened: Any = window.workspace.currentWidget()
    assert getattr(reopened, "case_id", None) == case_id
    draft = reopened.section("journal").text
    qtbot.waitUntil(lambda: draft.toPlainText().startswith("Rückruf wegen Kita-Platz"),
                    timeout=T)
    window.close()
