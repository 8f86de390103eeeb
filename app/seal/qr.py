"""QR codes of the seal (placeholder of print-cli until engineer seal's module is merged)."""

from __future__ import annotations

import segno

from app.seal.records import MAX_QR_VERSION


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of ``text`` as a QR code (error level Q), without the quiet zone."""
    code = segno.make(text, error="q", micro=False, boost_error=False)
    if int(code.version) > MAX_QR_VERSION:
        raise ValueError(f"QR version {code.version} exceeds {MAX_QR_VERSION}")
    return [[bool(v) for v in row] for row in code.matrix]
