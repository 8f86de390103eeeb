"""„Passphrase vorschlagen“: five random words fill both fields and stay readable beside them,
so the person can write them down; typing something else takes the suggestion off the screen."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.passphrase_generator import generate_passphrase
from app.passphrase_strength import preload


def preload_in_background() -> None:
    """The strength check's word lists (~0.1 s) load before the first keystroke needs them."""
    threading.Thread(target=preload, name="passphrase-words", daemon=True).start()


class PassphraseSuggestion(QWidget):
    def __init__(self, first: QLineEdit, second: QLineEdit,
                 context: Callable[[], list[str]]) -> None:
        super().__init__()
        self._first, self._second, self._context = first, second, context
        self._suggested: str | None = None
        self.button = QPushButton("Passphrase &vorschlagen")
        self.button.setToolTip("Fünf zufällige Wörter, die alle Anforderungen erfüllen")
        self.shown = QLabel()
        self.shown.setObjectName("suggestedPassphrase")
        self.shown.setAccessibleName("Vorgeschlagene Passphrase")
        self.shown.setWordWrap(True)
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shown.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.shown)
        self.button.clicked.connect(self.suggest)
        first.textChanged.connect(self._forget_if_changed)

    def suggest(self) -> None:
        text = generate_passphrase(self._context())
        self._suggested = text
        self._first.setText(text)
        self._second.setText(text)
        self.shown.setText(
            f"Vorschlag: <b>{html.escape(text)}</b><br>Schreiben Sie diese Passphrase jetzt auf "
            "und bewahren Sie den Zettel sicher und getrennt vom Laptop auf. Sie wird nicht "
            "noch einmal angezeigt.")
        self.shown.show()

    def forget(self) -> None:
        """Take the suggestion off the screen (after use, or when other text is typed)."""
        self._suggested = None
        self.shown.clear()
        self.shown.hide()

    def _forget_if_changed(self, text: str) -> None:
        if self._suggested is not None and text != self._suggested:
            self.forget()
