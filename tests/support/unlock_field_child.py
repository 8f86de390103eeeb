"""The unlock page alone, in a process of its own: the passphrase is typed key by key, taken
from the field as the main window takes it, overwritten, and the process waits to be read
(tests/ui/test_memory_after_lock.py).

usage: python -m tests.support.unlock_field_child; the passphrase arrives on stdin.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.vault.memory import wipe_str
from ui.unlock_page import UnlockPage


def main() -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    typed = bytearray(512)
    del typed[os.readv(0, [typed]):]
    del typed[typed.index(b"\n"):]
    app = QApplication([])
    page = UnlockPage("Tresor")
    page.show()
    for byte in typed:  # single characters: no string of the whole passphrase here
        QTest.keyClick(page.passphrase, chr(byte))
    typed[:] = bytes(len(typed))
    wipe_str(page.take_passphrase())  # what MainWindow does once the key derivation is done
    app.processEvents()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    time.sleep(120)


if __name__ == "__main__":
    main()
