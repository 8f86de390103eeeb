"""Desktop entry: QApplication with German Qt translations, unlock or create, then the home page."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app.paths import DEMO_PASSPHRASE, default_vault_dir, demo_vault_dir
from app.private_temp import cleanup_private_temp
from app.process_guard import harden_process
from ui.garbage import GuiThreadCollector
from ui.main_window import MainWindow
from ui.session_end import SessionEnd


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lotse")
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--demo", action="store_true", help="open (or create) the demo vault")
    return parser.parse_args(list(argv))


def install_german(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_de", path):
        app.installTranslator(translator)


def app_icon() -> QIcon:
    """The vector icon scales crisply at 125–150 % (high-DPI laptops)."""
    renderer = QSvgRenderer(resources.files("resources.icons").joinpath("lotse.svg").read_bytes())
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def create_app(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0], *argv])
    app.setApplicationName("Lotse")
    app.setOrganizationName("Lotse")
    app.setWindowIcon(app_icon())
    install_german(app)
    GuiThreadCollector(app)
    return app


def run(argv: Sequence[str]) -> int:
    harden_process()  # before any secret exists: no core dumps, no reading of our memory
    args = parse(argv)
    app = create_app()
    if args.demo:
        folder, demo = demo_vault_dir(), DEMO_PASSPHRASE
    else:
        folder, demo = (args.vault or default_vault_dir()), None
    cleanup_private_temp()  # leftovers of a crash: plaintext copies never outlive a session
    window = MainWindow(folder, demo_passphrase=demo)
    SessionEnd(app).ending.connect(window.end_session)
    window.show()
    if os.environ.get("LOTSE_EXIT_AFTER_SHOW"):  # start-up benchmark hook
        return 0
    return app.exec()
