"""``lotse --self-test``: every check of the installed program, a report, an exit code.

The checks run in order and each is reported, whatever the others did. The report goes to
standard output in English; without a terminal (the windowed program) a dialog shows it in
German as well. On the offscreen or minimal platform no dialog opens: it must never block.
Exit code 0 only when every check held, 1 otherwise (and 1 for a usage error).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.process_guard import harden_process
from app.selftest.document import PAGES, check_pdfa, render_sample
from app.selftest.qr import check_qr
from app.selftest.report import Check, Outcome, exit_code, report_lines, run_all
from app.selftest.share import NOT_SET, check_share
from app.selftest.vault import check_vault
from ui.selftest_checks import check_fonts, check_qtpdf, check_translations

FLAG = "--self-test"
HEADLESS_PLATFORMS = {"offscreen", "minimal"}
TITLE_DE = "Lotse – Selbsttest"
LABELS_DE = {
    "vault": "Tresor anlegen, sperren, öffnen und durchsuchen",
    "fonts": "Schriften (DejaVu Sans)",
    "translations": "Deutsche Qt-Übersetzungen",
    "pdfa": "PDF/A-Dokument erzeugen",
    "qtpdf": "PDF-Anzeige (QtPdf)",
    "qr": "QR-Code erzeugen und lesen",
    "share": "Austauschordner beschreibbar",
}


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lotse --self-test",
                                     description="check the installed program and exit")
    parser.add_argument(FLAG, dest="self_test", action="store_true", required=True)
    parser.add_argument("--share", type=Path, metavar="FOLDER",
                        help="also check that this share folder is writable")
    return parser.parse_args(list(argv))


def checks(share: Path | None) -> list[tuple[str, Check]]:
    document = cache(render_sample)  # one rendering for both the PDF/A and the QtPdf check
    return [
        ("vault", check_vault),
        ("fonts", check_fonts),
        ("translations", check_translations),
        ("pdfa", lambda: check_pdfa(document())),
        ("qtpdf", lambda: check_qtpdf(document, PAGES)),
        ("qr", check_qr),
        ("share", lambda: check_share(share)),
    ]


def run(argv: Sequence[str]) -> int:
    harden_process()  # as the desktop: no core dumps (the test vault's key is in memory)
    try:
        args = parse(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; Lotse's contract says 1
        return 1 if exc.code else 0
    _application()
    started = time.perf_counter()
    outcomes = run_all(checks(args.share))
    lines = report_lines(outcomes, time.perf_counter() - started)
    if sys.stdout is not None:  # the windowed program on Windows has none
        print("\n".join(lines), flush=True)
    if wants_dialog():
        message_box(outcomes, lines).exec()
    return exit_code(outcomes)


def _application() -> QApplication:
    """The program's own application object: German Qt texts in the dialog (its "Details"
    button too), the icon and the settings' names, as when Lotse starts."""
    from ui.desktop import create_app  # the desktop's modules only on this path

    return create_app()


def wants_dialog() -> bool:
    if QGuiApplication.platformName() in HEADLESS_PLATFORMS:
        return False
    return sys.stdout is None or not sys.stdout.isatty()


def _state_de(outcome: Outcome) -> str:
    if not outcome.ok:
        return "FEHLGESCHLAGEN"
    return "nicht eingerichtet" if outcome.detail == NOT_SET else "in Ordnung"


def message_box(outcomes: Sequence[Outcome], lines: Sequence[str]) -> QMessageBox:
    failed = sum(not o.ok for o in outcomes)
    summary = ("Alle Prüfungen bestanden." if not failed else
               f"{failed} von {len(outcomes)} Prüfungen fehlgeschlagen.")
    icon = QMessageBox.Icon.Information if not failed else QMessageBox.Icon.Critical
    box = QMessageBox(icon, TITLE_DE, summary)
    box.setObjectName("selftest")
    box.setInformativeText("\n".join(f"{LABELS_DE.get(o.name, o.name)}: {_state_de(o)}"
                                     for o in outcomes))
    box.setDetailedText("\n".join(lines))  # the technical report, English as on the console
    box.addButton("&Schließen", QMessageBox.ButtonRole.AcceptRole)
    return box
