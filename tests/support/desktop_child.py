"""The real desktop in a process of its own, driven as a person drives it, for the tests that need
a whole process: its memory after a lock, and SIGTERM.

usage: python -m tests.support.desktop_child MODE VAULT CASE_ID
MODE: lock    unlock, open the case, type a draft, Ctrl+L; print "locked", then idle until killed
      sigterm unlock, open the case, type a draft; print "ready", then idle (SIGTERM ends it)
      env     started as ``lotse`` starts the desktop (ui.entry, which meets LOTSE_PASSPHRASE and
              LOTSE_NEW_PASSPHRASE in the environment): unlock, open the case, type a draft;
              print "ready", then idle until killed

The passphrase arrives on stdin and is read straight into a buffer that is wiped after typing:
argv, the environment or a Python string would themselves stay in the memory under test.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ui import desktop
from ui.main_window import MainWindow

DRAFT = "Rueckruf wegen Kita Platz"  # as tests/ui/window_helpers.py types it in-process


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def read_secret() -> bytearray:
    buf = bytearray(512)
    size = os.readv(0, [buf])
    del buf[size:]
    while buf and buf[-1] in b"\r\n":
        buf.pop()
    return buf


class Driver:
    """Steps run one after the other, each once its condition holds (polled on the GUI
    thread, as the tests' qtbot.waitUntil does)."""

    def __init__(self, mode: str, case_id: int, secret: bytearray) -> None:
        self.mode, self.case_id, self.secret = mode, case_id, secret
        self.window: MainWindow | None = None
        self.steps: list[tuple[Callable[[], bool], Callable[[], None]]] = [
            (self._window_shown, self._type_passphrase),
            (self._unlocked, self._open_case),
            (self._case_shown, self._type_draft),
            (lambda: True, self._finish),
        ]
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        if os.geteuid() != 0 and sys.platform.startswith("linux"):
            # The desktop made itself non-dumpable at start, so only root could read it; a
            # test run by a normal user reads its memory after this (test code only).
            ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
        if not self.steps:
            self.timer.stop()
            return
        ready, action = self.steps[0]
        if ready():
            self.steps.pop(0)
            action()

    def _window_shown(self) -> bool:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                self.window = widget
                return True
        return False

    def _type_passphrase(self) -> None:
        assert self.window is not None
        field = self.window.unlock_page.passphrase
        field.setFocus()
        for byte in self.secret:  # key by key, one single-character string at a time
            QTest.keyClick(field, chr(byte))
        self.secret[:] = bytes(len(self.secret))
        QTest.keyClick(field, Qt.Key.Key_Return)

    def _unlocked(self) -> bool:
        return self.window is not None and self.window.ctx is not None

    def _open_case(self) -> None:
        assert self.window is not None and self.window.ctx is not None
        self.window.ctx.case_open_requested.emit(self.case_id, "journal")

    def _current_case(self) -> object:
        workspace = self.window.workspace if self.window is not None else None
        return workspace.currentWidget() if workspace is not None else None

    def _case_shown(self) -> bool:
        return getattr(self._current_case(), "case_id", None) == self.case_id

    def _type_draft(self) -> None:
        case = self._current_case()
        text = case.section("journal").text  # type: ignore[attr-defined]
        text.setFocus()
        QTest.keyClicks(text, DRAFT)

    def _finish(self) -> None:
        assert self.window is not None
        if self.mode == "lock":
            self.window.activateWindow()
            QTest.keyClick(self.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
            # Let deleted widgets go and the GUI-thread collector run before reporting.
            QTimer.singleShot(1500, lambda: say("locked" if self.window is not None
                                                and self.window.ctx is None else "not locked"))
        else:
            QTimer.singleShot(300, lambda: say("ready"))


def main() -> int:
    mode, folder, case_id = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    secret = read_secret()
    desktop.create_app()
    driver = Driver(mode, case_id, secret)
    del secret
    if mode == "env":
        from ui import entry

        code = entry.main(["--vault", str(folder)])
    else:
        code = desktop.run(["--vault", str(folder)])
    driver.timer.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
