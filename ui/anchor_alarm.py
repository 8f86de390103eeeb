"""The red bar shown after unlocking while the vault's data and its audit anchor disagree.

It stays until the lock (every unlock shows it again: app.anchoring keeps the disagreement) or
until a new anchor is begun through "Details …", behind a confirmation.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext, german_message
from ui.dialogs import confirm

if TYPE_CHECKING:
    from app.anchoring import AnchorStatus
    from app.services.audit.records import AnchorRestart

BAR_TEXT = ("<b>Prüfanker-Alarm:</b> Die Daten dieses Tresors passen nicht zu seinem Prüfanker. "
            "Vielleicht wurde eine ältere Kopie der Datenbank zurückgespielt oder der Prüfanker "
            "gelöscht. Bitte informieren Sie die Datenschutzbeauftragte oder Ihre Teamleitung.")
RECORD_BAR_TEXT = (
    "<b>Prüfanker-Alarm:</b> Die Daten dieses Tresors passen nicht zu der Datei mit den "
    "Fehlversuchen beim Entsperren. Vielleicht wurde eine ältere Kopie der Datenbank "
    "zurückgespielt. Bitte informieren Sie die Datenschutzbeauftragte oder Ihre Teamleitung.")

DETAILS = (
    "<p>Lotse protokolliert, wer wann eine Fallakte gelesen oder geändert hat. Jeder "
    "Protokolleintrag wird zusätzlich in einer eigenen Datei neben der Datenbank festgehalten, "
    "dem <b>Prüfanker</b>. Auch die Datei mit den Fehlversuchen beim Entsperren erhält bei "
    "jedem Entsperren eine neue Kennung, die sich die Datenbank merkt. Beim Entsperren "
    "vergleicht Lotse die Datenbank mit beiden Dateien.</p>"
    "<p><b>Was nicht passt:</b> {problem}</p>"
    "<p>Das kann bedeuten, dass jemand eine ältere Kopie der Datenbank zurückgespielt, Teile "
    "davon ersetzt oder eine der beiden Dateien gelöscht, gekürzt oder ausgetauscht hat. Dann "
    "fehlen Protokolleinträge und vielleicht auch Eingaben.</p>"
    "<p><b>Was Sie tun sollten:</b></p><ul>"
    "<li>Informieren Sie Ihre Datenschutzbeauftragte bzw. Ihren Datenschutzbeauftragten oder "
    "Ihre Teamleitung, bevor Sie etwas ändern.</li>"
    "<li>Stellen Sie bei Bedarf eine Sicherung wieder her.</li>"
    "<li>Wenn geklärt ist, wie es dazu kam, beginnen Sie einen neuen Prüfanker. Der alte bleibt "
    "als Datei im Tresorordner erhalten, und der Neubeginn wird im Protokoll vermerkt.</li></ul>"
    "<p>Sie können weiterarbeiten. Der Hinweis erscheint bei jedem Entsperren wieder, bis ein "
    "neuer Prüfanker begonnen wurde.</p>")

CONFIRM_TEXT = (
    "Lotse beginnt einen neuen Prüfanker aus dem Protokoll, wie es jetzt in der Datenbank steht. "
    "Was vorher verloren ging, lässt sich danach nicht mehr erkennen. Der alte Prüfanker wird "
    "aufbewahrt und der Neubeginn im Protokoll vermerkt.\n\n"
    "Fahren Sie nur fort, wenn die Datenschutzbeauftragte oder Ihre Teamleitung Bescheid weiß.")

RESTARTED = "Ein neuer Prüfanker wurde begonnen; der alte ist im Tresorordner aufbewahrt."


class AnchorDetails(QDialog):
    """What happened, what to do, and the way to begin a new anchor."""

    def __init__(self, bar: AnchorAlarmBar, problem_de: str) -> None:
        super().__init__(bar.window_)
        self.setObjectName("anchorDetails")
        self.setWindowTitle("Prüfanker-Alarm")
        self.setModal(True)
        self.bar = bar
        self.text = QLabel(DETAILS.format(problem=escape(problem_de)))
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        self.message.setObjectName("anchorRestartMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Meldung")
        self.restart_button = QPushButton("Neuen Prüfanker &beginnen …")
        buttons = QDialogButtonBox()
        buttons.addButton(self.restart_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("&Schließen", QDialogButtonBox.ButtonRole.RejectRole)
        self.restart_button.setAutoDefault(False)
        close.setDefault(True)  # Enter closes; a new anchor needs the button and a confirmation
        buttons.rejected.connect(self.reject)
        self.restart_button.clicked.connect(self._ask)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        close.setFocus()

    def _ask(self) -> None:
        confirm(self, "Neuen Prüfanker beginnen?", CONFIRM_TEXT, "Neuen Prüfanker &beginnen",
                self.bar.restart)

    def show_error(self, text: str) -> None:
        self.restart_button.setEnabled(True)
        self.message.setText(text)


class AnchorAlarmBar(QToolBar):
    """Red, on top of the window, not movable and not hideable through the window's menu."""

    def __init__(self, window: QMainWindow, ctx: AppContext, status: AnchorStatus) -> None:
        super().__init__("Prüfanker-Alarm", window)
        self.setObjectName("anchorAlarm")
        self.window_, self.ctx = window, ctx
        self.problem_de = status.problem_de or ""
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.setStyleSheet("QToolBar#anchorAlarm { background: #b3261e; border: none; }"
                           "QLabel#anchorAlarmText { color: white; }")
        self.label = QLabel(RECORD_BAR_TEXT if status.failure_record else BAR_TEXT)
        self.label.setObjectName("anchorAlarmText")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Prüfanker-Alarm")
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.details_button = QPushButton("&Details …")
        self.details_button.clicked.connect(self.show_details)
        box = QWidget()
        row = self.row = QHBoxLayout(box)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignVCenter)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addWidget(box)
        self.box = box
        self.details: AnchorDetails | None = None
        self._removed = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A tool bar asks a wrapping label for its height at some narrow width (too tall):
        # give the bar the height the text needs at the width it really has.
        super().resizeEvent(event)
        margins = self.row.contentsMargins()
        needed = self.label.heightForWidth(max(self.label.width(), 200))
        self.box.setFixedHeight(max(needed, self.details_button.sizeHint().height())
                                + margins.top() + margins.bottom())

    def show_details(self) -> None:
        if self.details is None:
            self.details = AnchorDetails(self, self.problem_de)
        self.details.open()

    def restart(self) -> None:
        from app.services.audit.write import restart_anchor

        if self.details is not None:
            self.details.restart_button.setEnabled(False)
            self.details.message.setText("Neuer Prüfanker wird begonnen …")
        self.ctx.run(restart_anchor, self._restarted, self._failed)

    def _restarted(self, result: AnchorRestart) -> None:
        if not result.status.ok:  # someone changed the files again meanwhile: say so, keep it
            self.problem_de = result.status.problem_de or ""
            self._failed(None)
            return
        self.ctx.status_message.emit(RESTARTED)
        self.remove()

    def _failed(self, exc: BaseException | None) -> None:
        if self.details is not None:
            self.details.show_error(german_message(exc) if exc is not None else
                                    "Der Prüfanker stimmt weiterhin nicht: " + self.problem_de)

    def remove(self) -> None:
        if self._removed:
            return
        self._removed = True
        if self.details is not None:
            self.details.reject()
            self.details.deleteLater()
            self.details = None
        self.window_.removeToolBar(self)
        self.deleteLater()


def show_anchor_alarm(window: QMainWindow, ctx: AppContext, status: AnchorStatus
                      ) -> AnchorAlarmBar | None:
    """After unlocking: the bar if store and anchor disagree; it goes with the lock."""
    if status.ok:
        return None
    bar = AnchorAlarmBar(window, ctx, status)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    ctx.locked.connect(bar.remove)
    return bar
