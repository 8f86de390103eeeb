"""Main window: create/unlock pages, then the home page; Ctrl+L locks."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from app.errors import LotseError
from app.services.overview import VaultOverview, overview
from app.session import DesktopSession
from ui import worker
from ui.create_page import CreatePage
from ui.layout import centered_card
from ui.unlock_page import UnlockPage


class HomePage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel()
        self.summary.setObjectName("homeSummary")
        self.summary.setWordWrap(True)
        centered_card(self).addWidget(self.summary)

    def show_overview(self, data: VaultOverview) -> None:
        loc = QLocale()  # German thousands separators: 10.000, not 10000
        rows = "".join(f"<tr><td>{escape(label)}</td><td align='right'>{loc.toString(count)}"
                       "</td></tr>" for label, count in data.by_phase)
        self.summary.setText(
            f"<h2>Tresor geöffnet</h2><p>Der Tresor enthält <b>{loc.toString(data.cases)}</b> "
            f"Fälle.</p><table cellspacing='6'>{rows}</table>"
            "<p><small>Sperren mit Strg+L.</small></p>")


class MainWindow(QMainWindow):
    def __init__(self, folder: Path, demo_passphrase: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Lotse")
        self.resize(1100, 720)
        self.session = DesktopSession(folder, demo_passphrase=demo_passphrase)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock_page = UnlockPage(str(folder), demo_passphrase)
        self.create_page = CreatePage()
        self.home = HomePage()
        self.progress = QProgressBar()
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        for page in (self.unlock_page, self.create_page, self.home):
            self.stack.addWidget(page)
        self.unlock_page.unlock_requested.connect(self._unlock)
        self.create_page.create_requested.connect(self._create)
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        self._task: worker.Task | None = None
        self.stack.setCurrentWidget(self.unlock_page if self.session.exists() or demo_passphrase
                                    else self.create_page)

    def _unlock(self, passphrase: str) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self._task = worker.start(lambda p: self.session.unlock(passphrase, p),
                                  self._unlocked, self._unlock_failed, self._on_progress)

    def _create(self, name: str, municipality: str, passphrase: str) -> None:
        self._task = worker.start(lambda p: self.session.create(name, municipality, passphrase),
                                  self._unlocked, self._create_failed)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.statusBar().showMessage("Demo-Daten werden angelegt …")

    def _unlocked(self, _result: object) -> None:
        self.progress.hide()
        self.statusBar().clearMessage()
        self.home.show_overview(overview(self.session.vault()))
        self.stack.setCurrentWidget(self.home)

    def _unlock_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.unlock_page.show_error(exc.message_de if isinstance(exc, LotseError)
                               else "Der Tresor konnte nicht geöffnet werden.")

    def _create_failed(self, exc: BaseException) -> None:
        self.create_page.show_error(exc.message_de if isinstance(exc, LotseError)
                               else "Der Tresor konnte nicht angelegt werden.")

    def lock(self) -> None:
        self.session.lock()
        self.home.summary.clear()  # nothing personal stays on screen
        self.unlock_page.passphrase.clear()
        self.unlock_page.set_busy(False)
        self.unlock_page.message.setText("Gesperrt.")
        self.stack.setCurrentWidget(self.unlock_page)

    def closeEvent(self, event: object) -> None:
        self.session.lock()
        super().closeEvent(event)  # type: ignore[arg-type]
