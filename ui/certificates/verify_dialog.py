""""Bescheinigung prüfen": a PDF or a scanned image (chosen, typed or dropped) or a check code
read over the phone, checked against the keys and revocation lists this vault trusts. The
answer is one of four, in large words, colour and a symbol (never colour alone), with the
reason in a plain sentence; screen readers get the same text as the result's name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.seal.records import ALTERED, REVOKED, UNKNOWN_ISSUER, VALID
from app.services.certificates.records import KIND_LABELS
from app.services.verification.read import verify_code, verify_file
from app.services.verification.records import Verdict
from ui.casefile._form import fmt_date, fmt_datetime, run_guarded
from ui.context import AppContext, german_message

if TYPE_CHECKING:
    from app.vault.store import Vault

# outcome -> (symbol and word as shown, text colour, background)
LOOKS = {
    VALID: ("✓ gültig", "#1b5e20", "#e4f4e6"),
    REVOKED: ("✗ widerrufen", "#8e1a1a", "#fde7e7"),
    ALTERED: ("✗ verändert oder nicht lesbar", "#8e1a1a", "#fde7e7"),
    UNKNOWN_ISSUER: ("? unbekannter Aussteller", "#6b4a00", "#fff3cd"),
}
CHECKING = "Wird geprüft …"
INTRO = ("Öffnen Sie die Bescheinigung als PDF oder als gescanntes Bild (oder ziehen Sie die "
         "Datei hierher), oder geben Sie die Prüfnummer ein, die auf der Bescheinigung steht.")
FILE_FILTER = "Bescheinigungen (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;Alle Dateien (*)"
NO_FILE = "Bitte wählen Sie eine Datei aus oder geben Sie ihren Pfad ein."
NOT_A_FILE = "Diese Datei gibt es nicht."
NO_CODE = "Bitte geben Sie die Prüfnummer ein, z. B. K7QM2-XHD9R."


def detail_lines(verdict: Verdict) -> list[str]:
    """What the seal says, for a certificate whose seal could be read and checked."""
    p = verdict.payload
    lines: list[str] = []
    said = verdict.message_de
    if verdict.outcome == REVOKED:  # each fact once: what the reason line says is not repeated
        if verdict.revoked_on is not None and fmt_date(verdict.revoked_on) not in said:
            lines.append(f"Widerrufen am {fmt_date(verdict.revoked_on)}")
        if verdict.revoke_reason and verdict.revoke_reason not in said:
            lines.append(f"Grund: {verdict.revoke_reason}")
        if verdict.list_as_of is not None and "Stand der Widerrufsliste" not in said:
            lines.append(f"Stand der Widerrufsliste: {fmt_datetime(verdict.list_as_of)}")
    if p is None or verdict.outcome not in (VALID, REVOKED):
        return lines  # an altered or foreign seal proves nothing: its content is not shown
    lines.append("Laut Siegel:")
    lines.append(f"{KIND_LABELS.get(p.kind, p.kind)} Nr. {p.serial}")
    lines.append(f"Ausgestellt von {verdict.issuer or p.office} am {fmt_date(p.issued_on)}")
    born = f" (geboren am {fmt_date(p.birth_date)})" if p.birth_date else ""
    lines.append(f"Für {p.holder}{born}")
    if p.subject:
        lines.append(f"Bescheinigt: {p.subject}")
    if p.period_from or p.period_until:
        lines.append(f"Zeitraum: {fmt_date(p.period_from) or '…'} bis "
                     f"{fmt_date(p.period_until) or '…'}")
    if p.copy:
        when = f" vom {fmt_date(p.copy_on)}" if p.copy_on else ""
        lines.append(f"Zweitschrift{when} ({p.copy}. Zweitschrift)")
    return lines


class VerifyDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0  # a late answer to an earlier check is dropped
        self.verdict: Verdict | None = None
        self.setObjectName("verifyDialog")
        self.setWindowTitle("Bescheinigung prüfen")
        self.setAcceptDrops(True)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("verifyPath")
        self.path.setPlaceholderText("Pfad der PDF-Datei oder des Bildes")
        path_label = QLabel("&Datei:")
        path_label.setBuddy(self.path)
        self.browse = QPushButton("Ö&ffnen …")
        self.browse.setToolTip("PDF-Datei oder gescanntes Bild auswählen")
        self.check_file_button = QPushButton("Datei p&rüfen")
        self.code = QLineEdit()
        self.code.setObjectName("verifyCode")
        self.code.setMaxLength(40)
        self.code.setPlaceholderText("z. B. K7QM2-XHD9R")
        code_label = QLabel("Prüf&nummer:")
        code_label.setBuddy(self.code)
        self.check_code_button = QPushButton("&Nummer prüfen")
        grid = QGridLayout()
        grid.addWidget(path_label, 0, 0)
        grid.addWidget(self.path, 0, 1)
        grid.addWidget(self.browse, 0, 2)
        grid.addWidget(self.check_file_button, 0, 3)
        grid.addWidget(code_label, 1, 0)
        grid.addWidget(self.code, 1, 1)
        grid.addWidget(self.check_code_button, 1, 3)

        self.answer_box = QFrame()
        self.answer_box.setObjectName("verifyResult")
        self.answer_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.outcome = QLabel()
        self.outcome.setObjectName("verifyOutcome")
        font = self.outcome.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.outcome.setFont(font)
        self.reason = QLabel()
        self.reason.setObjectName("verifyReason")
        self.reason.setWordWrap(True)
        reason_font = self.reason.font()
        reason_font.setPointSizeF(reason_font.pointSizeF() * 1.15)
        self.reason.setFont(reason_font)
        self.details = QLabel()
        self.details.setObjectName("verifyDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        box = QVBoxLayout(self.answer_box)
        for label in (self.outcome, self.reason, self.details):
            label.setTextFormat(Qt.TextFormat.PlainText)
            box.addWidget(label)
        box.addStretch(1)  # the answer reads top down, not spread over the frame
        self.answer_box.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("&Schließen")
        # Enter in the path or code field checks; as a default button "Schließen" took it.
        close.setAutoDefault(False)
        close.setDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.answer_box, 1)
        layout.addStretch(0)
        layout.addWidget(buttons)
        for button in (self.browse, self.check_file_button, self.check_code_button):
            button.setAutoDefault(False)

        self.browse.clicked.connect(self.choose_file)
        self.check_file_button.clicked.connect(self.check_path)
        self.path.returnPressed.connect(self.check_path)
        self.check_code_button.clicked.connect(self.check_code)
        self.code.returnPressed.connect(self.check_code)
        ctx.locked.connect(self.close)  # the answer names a person: gone at lock
        self.resize(680, 460)

    # --- asking ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Bescheinigung öffnen", "",
                                                    FILE_FILTER)
        if name:
            self.check_file(Path(name))

    def check_path(self) -> None:
        text = self.path.text().strip()
        if not text:
            self._say(None, NO_FILE)
            self.path.setFocus()
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self._say(None, NOT_A_FILE)
            self.path.setFocus()
            return
        self.check_file(path)

    def check_file(self, path: Path) -> None:
        self.path.setText(str(path))
        self._start(lambda vault: verify_file(vault, path))

    def check_code(self) -> None:
        code = self.code.text().strip()
        if not code:
            self._say(None, NO_CODE)
            self.code.setFocus()
            return
        self._start(lambda vault: verify_code(vault, code))

    def _start(self, fn: Callable[[Vault], Verdict]) -> None:
        self._generation += 1
        generation = self._generation
        self.verdict = None
        self._say(None, CHECKING)

        def done(verdict: Verdict) -> None:
            if generation == self._generation:
                self.show_verdict(verdict)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._say(None, german_message(exc))

        run_guarded(self, self.ctx, fn, done, failed)

    # --- the answer --------------------------------------------------------------------------

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict = verdict
        self._say(verdict.outcome, verdict.message_de, detail_lines(verdict))

    def _say(self, outcome: str | None, reason: str, details: list[str] | None = None) -> None:
        word, colour, background = LOOKS.get(outcome or "", ("", "palette(text)",
                                                             "palette(window)"))
        self.outcome.setText(word)
        self.outcome.setVisible(bool(word))
        self.reason.setText(reason)
        self.details.setText("\n".join(details or []))
        self.details.setVisible(bool(details))
        self.answer_box.setStyleSheet(
            f"QFrame#verifyResult {{ background: {background}; border: 2px solid {colour}; }}"
            f" QLabel {{ color: {colour}; background: transparent; }}")
        # Read out as one: what the answer is, and why.
        spoken = " – ".join(t for t in (word.lstrip("✓✗? "), reason) if t)
        self.answer_box.setAccessibleName(f"Ergebnis der Prüfung: {spoken}" if word else reason)
        self.answer_box.setAccessibleDescription(self.details.text())
        self.outcome.setAccessibleName(word.lstrip("✓✗? "))
        self.reason.setAccessibleName(reason)
        self.details.setAccessibleName(self.details.text())
        self.answer_box.show()

    def answer_text(self) -> str:
        """Everything the dialog says now, as a person reads it."""
        return "\n".join(t for t in (self.outcome.text(), self.reason.text(),
                                     self.details.text()) if t)

    # --- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.path.setText(urls[0].toLocalFile())
            self.check_path()


def open_verify_dialog(ctx: AppContext, parent: QWidget | None) -> VerifyDialog:
    """A window of its own beside the work (not modal): deleted when closed."""
    dialog = VerifyDialog(ctx, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.path.setFocus()
    return dialog
