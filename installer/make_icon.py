"""Regenerate resources/icons/lotse.ico from lotse.svg: `python installer/make_icon.py`.

Qt renders the SVG at each size (small sizes rendered, not scaled down from 256, so they stay
crisp); Pillow writes the multi-size .ico that Lotse.exe, the Start-menu shortcut and the
installers show. Run with QT_QPA_PLATFORM=offscreen where there is no display.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "lotse.svg"))
    if not renderer.isValid():
        print("lotse.svg does not render", file=sys.stderr)
        return 1
    images = [render(renderer, size) for size in SIZES]
    largest = images[-1]
    largest.save(ICONS / "lotse.ico", format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=images[:-1])
    print(f"wrote {ICONS / 'lotse.ico'} ({', '.join(map(str, SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
