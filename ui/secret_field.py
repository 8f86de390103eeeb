"""Take a passphrase out of a QLineEdit without leaving Qt's copy behind.

QLineEdit.clear() empties the text but keeps its buffer, passphrase and all, for the field's
lifetime; setText("") frees it unwiped. Deleting from the end instead overwrites the buffer in
place: each removal writes Qt's terminating zero over the removed character. setText("") then
drops the undo history of the typing (in password mode it holds the characters one by one).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from app.vault.memory import wipe_str


def take_secret(field: QLineEdit) -> str:
    """The field's text, handed over once; the field is empty afterwards. The caller
    overwrites the returned string when done (app.vault.memory.wipe_str)."""
    text = field.text()
    blocked = field.blockSignals(True)  # no textChanged: its str argument would be a copy
    try:
        field.end(False)
        for _ in range(2 * len(text)):  # UTF-16 units: a character beyond the BMP takes two
            field.backspace()
        field.setText("")
    finally:
        field.blockSignals(blocked)
    return text


def scrub_secret_fields(fields: list[QLineEdit]) -> None:
    """Empty every password-mode field the same way (their text is not needed any more)."""
    for field in fields:
        if field.echoMode() != QLineEdit.EchoMode.Normal and field.displayText():
            wipe_str(take_secret(field))
