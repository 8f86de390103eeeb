"""The seal as printed: the QR code drawn as vector rectangles, and the legend beside it
(how to check, the check code, the key's fingerprint as the key settings show it).

Vector modules stay sharp at any print or scan resolution and need no image (PDF/A would ask for
its colour space). Dark modules of one row that touch are one rectangle, and all of them one
path: a few hundred path segments instead of thousands of separate fills.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table

from app.printing import styles
from app.printing.escaping import text
from app.printing.page_frame import INK
from app.seal.keys import fingerprint_display

QUIET_MODULES = 4  # the quiet zone the QR standard asks for, kept blank on every side
SYMBOL_WIDTH = 38 * mm  # quiet zone included: between 35 and 40 mm on paper
CHECK_LEGEND = "Prüfen: Lotse → Bescheinigung prüfen, oder telefonisch mit der Prüfnummer"


class QrCode(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A QR matrix (without quiet zone) drawn ``SYMBOL_WIDTH`` wide, quiet zone included."""

    def __init__(self, matrix: list[list[bool]], width: float = SYMBOL_WIDTH) -> None:
        super().__init__()
        self.matrix = matrix
        self.width = self.height = width
        self.module = width / (len(matrix) + 2 * QUIET_MODULES)

    def wrap(self, _avail_width: float, _avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size = self.module
        count = len(self.matrix)
        path = canvas.beginPath()
        for row_index, row in enumerate(self.matrix):
            # PDF y grows upwards; the matrix's first row is the top one.
            y = (count - 1 - row_index + QUIET_MODULES) * size
            start: int | None = None
            for column, dark in enumerate([*row, False]):
                if dark and start is None:
                    start = column
                elif not dark and start is not None:
                    path.rect((start + QUIET_MODULES) * size, y, (column - start) * size, size)
                    start = None
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.drawPath(path, fill=1, stroke=0)
        canvas.restoreState()


def seal_block(matrix: list[list[bool]], *, serial: str, check_code: str, fingerprint: str,
               width: float) -> Table:
    """The QR code with its legend to the right: how to check, the check code, the key."""
    legend = seal_legend(serial=serial, check_code=check_code, fingerprint=fingerprint)
    table = Table([[QrCode(matrix), legend]], colWidths=[SYMBOL_WIDTH + 4 * mm,
                                                         width - SYMBOL_WIDTH - 4 * mm],
                  hAlign="LEFT")
    table.setStyle(_seal_table_style())
    return table


def seal_legend(*, serial: str, check_code: str, fingerprint: str) -> list[Paragraph]:
    return [
        Paragraph("<b>Elektronisch gesiegelt.</b> Der QR-Code enthält die wesentlichen Angaben "
                  "dieser Bescheinigung mit einer Signatur der ausstellenden Stelle.",
                  styles.SMALL),
        Paragraph(f"{CHECK_LEGEND} <b>{text(check_code)}</b>", styles.SMALL),
        Paragraph(f"Schlüssel: {text(fingerprint_display(fingerprint))}", styles.SMALL),
        Paragraph(f"Bescheinigung Nr. {text(serial)}", styles.SMALL),
    ]


def _seal_table_style() -> Any:
    style = styles.plain_table()
    style.add("VALIGN", (0, 0), (-1, -1), "MIDDLE")
    style.add("LEFTPADDING", (0, 0), (0, 0), 0)
    return style
