"""Key card files: reading one (size-capped before anything parses it), the name suggested for
saving one, the save dialog, and the fingerprint laid out for reading aloud."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.errors import ValidationFailed
from app.fsutil import read_limited
from app.services.keys.records import TrustedKeyRow

CARD_SUFFIX = ".lotsekey"
CARD_MAX_BYTES = 1024 * 1024  # a card and its revocation list; anything larger is not a card
TOO_BIG_DE = "Die Datei ist zu groß für eine Schlüsselkarte und wurde nicht gelesen."
GONE_DE = "Die Datei gibt es nicht (mehr)."


def read_card(path: Path) -> bytes:
    """The card file's bytes, size-capped before anything parses them."""
    data = read_limited(path, CARD_MAX_BYTES)
    if data is None:
        raise ValidationFailed(GONE_DE, "card file missing", field="file")
    if len(data) > CARD_MAX_BYTES:
        raise ValidationFailed(TOO_BIG_DE, "card file too large", field="file")
    return data


def card_file_name(row: TrustedKeyRow, today: date) -> str:
    """No personal name in the file name: office code and vault code identify the card."""
    code = "_".join(p for p in (row.municipality, row.vault_code) if p) or "Lotse"
    return f"Schluesselkarte_{code}_{today.isoformat()}{CARD_SUFFIX}"


def two_lines(display: str) -> str:
    """The grouped fingerprint in two lines of groups: read out line by line on the phone."""
    groups = display.split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def ask_card_save_path(parent: QWidget, suggested: str, suffix: str = CARD_SUFFIX) -> str:
    """The chosen path, "" when cancelled; Lotse asks itself before replacing a file.
    ``suffix``: certificate key cards (``CARD_SUFFIX``) or the share's vault cards."""
    dialog = QFileDialog(parent, "Schlüsselkarte speichern")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(f"Lotse-Schlüsselkarten (*{suffix})")
    dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    dialog.setDirectory(str(Path.home()))
    dialog.selectFile(suggested)
    accepted = dialog.exec()
    chosen = dialog.selectedFiles()
    dialog.setParent(None)  # answered: gone now, not with the tab
    return chosen[0] if accepted and chosen else ""


def ask_card_open_path(parent: QWidget, title: str, suffix: str = CARD_SUFFIX) -> str:
    """The chosen card file, "" when cancelled."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, title, str(Path.home()), f"Lotse-Schlüsselkarten (*{suffix});;Alle Dateien (*)")
    return chosen
