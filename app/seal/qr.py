"""The QR code of a seal (segno): error correction Q, at most version 13 (~35 mm printed)."""

from __future__ import annotations

import io

import segno

from app.seal.records import MAX_QR_VERSION


def _make(text: str) -> segno.QRCode:
    # boost_error off: the version is chosen for level Q and must not grow for a higher level.
    code = segno.make_qr(text, error="q", boost_error=False)
    if code.version is None or int(code.version) > MAX_QR_VERSION:
        raise ValueError(f"QR text needs version {code.version}, more than {MAX_QR_VERSION}")
    return code


def qr_matrix(text: str) -> list[list[bool]]:
    """Rows of dark (True) / light modules, without the quiet zone (drawn as vector graphics)."""
    return [[bool(cell) for cell in row] for row in _make(text).matrix]


def qr_png(text: str, scale: int = 4) -> bytes:
    buf = io.BytesIO()
    _make(text).save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()
