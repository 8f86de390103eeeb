"""Lock when the screen locks or the laptop goes to sleep: Windows session and power messages,
systemd-logind signals on Linux, and everywhere a check for time that passed while asleep.

All three only emit ``lock_requested``; the main window decides whether there is anything to
lock. Each source is best effort: where one is unavailable it stays silent, never fails.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    SLOT,
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # QtDBus is optional at run time
    from PySide6.QtDBus import QDBusConnection

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0
WINDOWS_MSG = b"windows_generic_MSG"  # Qt's eventType for a window's MSG

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"

SLEEP_CHECK_MS = 15_000
SLEEP_SLACK_S = 120.0


# Defined here rather than taken from ctypes.wintypes: its DWORD and LONG are C longs, 64 bits
# wide on Linux, so only fixed-width fields give Windows' layout on every platform (and tests).
class POINT(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32)]


class MSG(ctypes.Structure):
    _fields_ = [("hwnd", ctypes.c_void_p), ("message", ctypes.c_uint32),
                ("wParam", ctypes.c_size_t), ("lParam", ctypes.c_ssize_t),
                ("time", ctypes.c_uint32), ("pt", POINT)]


def lock_reason(event_type: QByteArray | bytes | bytearray | memoryview,
                message: int) -> str | None:
    """What a native message means for us: "lock" (screen locked), "suspend", or nothing."""
    raw = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
    if raw != WINDOWS_MSG or not message:
        return None
    msg = MSG.from_address(int(message))
    if msg.message == WM_WTSSESSION_CHANGE and msg.wParam == WTS_SESSION_LOCK:
        return "lock"
    if msg.message == WM_POWERBROADCAST and msg.wParam == PBT_APMSUSPEND:
        return "suspend"
    return None


class WindowsMessages(QAbstractNativeEventFilter):
    """Watches the window's messages; never consumes one."""

    def __init__(self, on_lock: Callable[[], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(self, eventType: QByteArray | bytes | bytearray | memoryview,
                          message: int) -> tuple[bool, int]:
        if lock_reason(eventType, message) is not None:
            self._on_lock()
        return False, 0


def _awake_clock() -> Callable[[], float]:
    """Seconds the machine was awake. Linux' and macOS' monotonic clocks stop during sleep;
    on Windows only the unbiased interrupt time does."""
    if sys.platform == "win32":
        query = ctypes.windll.kernel32.QueryUnbiasedInterruptTime

        def unbiased() -> float:
            ticks = ctypes.c_ulonglong()
            query(ctypes.byref(ticks))
            return ticks.value / 10_000_000  # 100 ns units

        return unbiased
    return time.monotonic


class SleepDetector(QObject):
    """Fires when the wall clock moved on while the machine was not awake: it slept, even if
    nobody announced it (a lid closed on a system without logind, a hibernation)."""

    slept = Signal()

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = SLEEP_CHECK_MS,
                 slack_s: float = SLEEP_SLACK_S, wall: Callable[[], float] = time.time,
                 awake: Callable[[], float] | None = None) -> None:
        super().__init__(parent)
        self.slack_s = slack_s
        self._wall, self._awake = wall, awake or _awake_clock()
        self._last = (self._wall(), self._awake())
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        self._last = (self._wall(), self._awake())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        wall, awake = self._wall(), self._awake()
        asleep = (wall - self._last[0]) - (awake - self._last[1])
        self._last = (wall, awake)
        if asleep > self.slack_s:
            self.slept.emit()


class SessionEvents(QObject):
    """Every source of "lock now" for one main window."""

    lock_requested = Signal()

    def __init__(self, window: QWidget, *, sleep: SleepDetector | None = None,
                 system_bus: QDBusConnection | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._hwnd: int | None = None
        self._native: WindowsMessages | None = None
        self.sleep = sleep or SleepDetector(self)
        self.sleep.slept.connect(self.lock_requested)
        self.sleep.start()
        self.logind = False  # True once logind's signals are subscribed
        self._bus = system_bus  # None: the machine's system bus
        if sys.platform == "win32":
            window.installEventFilter(self)  # register the handle once it exists (first show)
        else:  # once the event loop runs: the unlock window must not wait for the bus
            QTimer.singleShot(0, self, self._listen)

    # --- Windows ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window:
            if event.type() == QEvent.Type.Show:
                self._register_windows()
            elif event.type() == QEvent.Type.Close:
                self._unregister_windows()
        return False

    def _register_windows(self) -> None:
        app = QCoreApplication.instance()
        if self._hwnd is not None or app is None or sys.platform != "win32":
            return
        self._hwnd = int(self._window.winId())
        ctypes.windll.wtsapi32.WTSRegisterSessionNotification(
            ctypes.c_void_p(self._hwnd), NOTIFY_FOR_THIS_SESSION)
        self._native = WindowsMessages(self.lock_requested.emit)
        app.installNativeEventFilter(self._native)

    def _unregister_windows(self) -> None:
        app = QCoreApplication.instance()
        if self._hwnd is None or sys.platform != "win32":
            return
        ctypes.windll.wtsapi32.WTSUnRegisterSessionNotification(ctypes.c_void_p(self._hwnd))
        if app is not None and self._native is not None:
            app.removeNativeEventFilter(self._native)
        self._hwnd, self._native = None, None

    # --- Linux -----------------------------------------------------------------------------
    def _listen(self) -> None:
        self.logind = self._listen_to_logind(self._bus)

    def _listen_to_logind(self, system_bus: QDBusConnection | None) -> bool:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return False
        bus = system_bus or QDBusConnection.systemBus()
        if not bus.isConnected():
            return False
        # Our own session when the environment names it; otherwise any session's Lock (a spare
        # lock is an inconvenience, a missed one shows personal data).
        session = session_path(os.environ.get("XDG_SESSION_ID"))
        # PySide takes the slot only as SLOT()'s str at run time; its stub says bytes.
        sleep_ok = bus.connect(LOGIN1, LOGIN1_PATH, f"{LOGIN1}.Manager", "PrepareForSleep",
                               self, SLOT("_prepare_for_sleep(bool)"))  # type: ignore[call-overload]
        lock_ok = bus.connect(LOGIN1, session, f"{LOGIN1}.Session", "Lock",
                              self, SLOT("_session_locked()"))  # type: ignore[call-overload]
        return bool(sleep_ok or lock_ok)

    @Slot(bool)
    def _prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:  # False arrives after waking up: already locked by then
            self.lock_requested.emit()

    @Slot()
    def _session_locked(self) -> None:
        self.lock_requested.emit()


def session_path(session_id: str | None) -> str:
    """logind's object path for a session id (systemd's bus label escaping); "" if unknown."""
    if not session_id:
        return ""
    label = "".join(chr(b) if chr(b).isascii() and chr(b).isalnum()
                    and not (i == 0 and chr(b).isdigit())
                    else f"_{b:02x}" for i, b in enumerate(session_id.encode()))
    return f"{LOGIN1_PATH}/session/{label}"
