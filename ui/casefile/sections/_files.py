"""Reading a chosen file for storage: type by extension, size limit checked before reading.

Runs on the database thread (called inside ``ctx.run``), never on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from app.errors import ValidationFailed

MAX_BYTES = 50 * 1024 * 1024
SCAN_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".png": "image/png", ".tif": "image/tiff", ".tiff": "image/tiff"}
DOCUMENT_TYPES = {**SCAN_TYPES, ".txt": "text/plain"}
SCAN_FILTER = "PDF und Bilder (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"
DOCUMENT_FILTER = "Dokumente (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.txt)"


def read_upload(path: Path, allowed: dict[str, str]) -> tuple[str, bytes]:
    """The media type and bytes of ``path``; refuses unknown types and files over 50 MB."""
    media_type = allowed.get(path.suffix.lower())
    if media_type is None:
        kinds = "PDF oder Bilder" if ".txt" not in allowed else "PDF, Bilder oder Text"
        raise ValidationFailed(f"Dieses Dateiformat wird nicht unterstützt (erlaubt: {kinds}).",
                               f"unsupported suffix {path.suffix!r}", field="file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationFailed("Die Datei ist größer als 50 MB.", "file too large",
                                   field="file")
        with path.open("rb") as fh:
            content = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValidationFailed("Die Datei konnte nicht gelesen werden.",
                               f"cannot read file: {exc.strerror}", field="file") from exc
    if len(content) > MAX_BYTES:
        raise ValidationFailed("Die Datei ist größer als 50 MB.", "file too large", field="file")
    if not content:
        raise ValidationFailed("Die Datei ist leer.", "empty file", field="file")
    return media_type, content
