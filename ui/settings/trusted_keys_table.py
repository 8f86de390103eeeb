"""The table of trusted keys on the Schlüssel tab: one row per key, the fingerprint in
monospace and read out whole by a screen reader."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.services.keys.records import TrustedKeyRow
from ui.settings.key_files import two_lines
from ui.settings.key_import import monospace

FINGERPRINT_COLUMN = 5


def _cell(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def fill_trusted_keys(table: QTableWidget, rows: list[TrustedKeyRow]) -> None:
    table.setRowCount(0)
    for r in rows:
        row = table.rowCount()
        table.insertRow(row)
        lists = (f"Stand {r.revocations_as_of.astimezone():%d.%m.%Y}\n"
                 f"{r.revoked_count} widerrufen" if r.revocations_as_of else "keine")
        texts = (r.issuer_office, r.holder_name,
                 " ".join(p for p in (r.municipality, r.vault_code) if p),
                 f"{r.valid_until:%d.%m.%Y}",
                 f"{r.withdrawn_on:%d.%m.%Y}" if r.withdrawn_on else "–",
                 two_lines(r.fingerprint_display), lists, "ja" if r.own else "")
        for col, text in enumerate(texts):
            item = _cell(text)
            if col == FINGERPRINT_COLUMN:
                item.setFont(monospace())
                item.setData(Qt.ItemDataRole.AccessibleTextRole, r.fingerprint_display)
            table.setItem(row, col, item)
