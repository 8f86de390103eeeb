"""The self-test's Qt checks: the DejaVu fonts, Qt's German translations, and QtPdf opening the
PDF/A document the printing check made. Each returns a short English detail or raises."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files as resource_files

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLibraryInfo, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtPdf import QPdfDocument

FONT_PACKAGE = "resources.fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
FONT_FAMILY = "DejaVu Sans"
TRANSLATIONS = "qtbase_de"  # as ui.desktop.install_german loads them
# A string every German qtbase catalogue translates: an empty or foreign file fails here.
PROBE_CONTEXT, PROBE_SOURCE, PROBE_GERMAN = "QPlatformTheme", "Cancel", "Abbrechen"


class QtCheckFailed(Exception):
    pass


def check_fonts() -> str:
    """Found through importlib.resources (as printing finds them, frozen or not) and loadable."""
    for name in FONT_FILES:
        try:
            data = resource_files(FONT_PACKAGE).joinpath(name).read_bytes()
        except OSError as exc:  # a build that left the fonts out: say which file, and where
            raise QtCheckFailed(f"{name} not found in {FONT_PACKAGE}: {exc.strerror}") from exc
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        if font_id < 0:
            raise QtCheckFailed(f"Qt could not load {name}")
        try:
            families = QFontDatabase.applicationFontFamilies(font_id)
        finally:
            QFontDatabase.removeApplicationFont(font_id)  # the self-test leaves no trace
        if FONT_FAMILY not in families:
            raise QtCheckFailed(f"{name} holds {families}, not {FONT_FAMILY}")
    return f"{len(FONT_FILES)} {FONT_FAMILY} faces found and loaded"


def check_translations() -> str:
    translator = QTranslator()
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(TRANSLATIONS, path):
        raise QtCheckFailed(f"{TRANSLATIONS}.qm not found in Qt's translations folder")
    if translator.translate(PROBE_CONTEXT, PROBE_SOURCE) != PROBE_GERMAN:
        raise QtCheckFailed(f"{TRANSLATIONS}.qm loaded but does not translate {PROBE_SOURCE!r}")
    return f"{TRANSLATIONS}.qm loaded ({translator.language()})"


def check_qtpdf(document: Callable[[], bytes], pages: int) -> str:
    """QtPdf (the desktop's viewer) opens the document with the expected page count."""
    data = document()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    pdf = QPdfDocument()
    try:
        pdf.load(buffer)
        if pdf.status() != QPdfDocument.Status.Ready:
            raise QtCheckFailed(f"QPdfDocument: {pdf.error().name}")
        if pdf.pageCount() != pages:
            raise QtCheckFailed(f"QPdfDocument sees {pdf.pageCount()} pages, expected {pages}")
    finally:
        pdf.close()
        buffer.close()
    return f"QPdfDocument opened it: {pages} page"
