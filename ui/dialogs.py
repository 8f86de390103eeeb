"""Questions the desktop asks before a step that is hard to undo (deleting, ending, escalating),
shared by the case file, the directory and the gap register."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, title: str, text: str, action: str,
            on_confirmed: Callable[[], None]) -> QMessageBox:
    """Ask before deleting (or another step that is hard to undo), with German buttons whether
    or not Qt's translations are loaded; "Abbrechen" is the default and Esc.

    The box opens window-modal without blocking (``open``, not ``exec``): the answer arrives
    through ``on_confirmed``, and tests can press the buttons as a user would.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                      parent)
    box.setObjectName("confirmation")
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("&Abbrechen", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)

    def answered(button: object) -> None:
        box.deleteLater()
        if button == yes:
            on_confirmed()

    box.buttonClicked.connect(answered)
    box.open()
    return box
