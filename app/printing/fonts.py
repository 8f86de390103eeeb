"""The fonts of every printed document: DejaVu Sans, embedded as TrueType.

PDF/A allows no font that is not embedded, and reportlab's standard fonts (Helvetica …) never
are. So the family is registered once per process and every document starts with it as the
canvas's initial font: no stray Helvetica for a page number or an empty paragraph.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PACKAGE = "resources.fonts"

REGULAR = "LotseSans"
BOLD = "LotseSans-Bold"
ITALIC = "LotseSans-Oblique"

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}


@cache
def register() -> str:
    """Register the family (once; parsing the font files is the slow part) and return the name
    of the regular face. ``<b>`` and ``<i>`` in paragraph markup map onto the family too."""
    for name, filename in _FILES.items():
        data = resources.files(PACKAGE).joinpath(filename).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)
    # The family mapping reportlab's paragraph parser consults for <b>/<i> inside markup.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR
