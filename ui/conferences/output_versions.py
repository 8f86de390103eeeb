"""The copies of the minutes one conference can hand out: the full minutes for the file, and per
participant the version the consent gate allows them (with the reason when pseudonymised)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.services.conferences.records import FULL, PSEUDONYMISED, MinutesRecipient

VERSION_LABELS = {FULL: "vollständige Ausfertigung", PSEUDONYMISED: "pseudonymisierte Ausfertigung"}
ENTRY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class OutputVersion:
    """One copy: what the list shows, and what the services need to produce and record it."""

    label: str
    version: str  # FULL or PSEUDONYMISED
    recipient_uuid: str | None  # the participant; None = the full minutes for the file
    reason: str | None = None  # German: why this recipient gets the pseudonymised copy
    # German disclosure warnings (foreigners' authority, confided information) to confirm before
    # this copy is handed out
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str | None]:
        return self.version, self.recipient_uuid


@dataclass(frozen=True)
class OutputPlan:
    scheduled_at: datetime  # for the suggested file name
    versions: tuple[OutputVersion, ...]


FULL_MINUTES = OutputVersion("Vollständiges Protokoll (für die Akte)", FULL, None)

PSEUDONYMISED_REASON = ("Pseudonymisiert (nur Fallnummern und Initialen), weil nicht für jeden "
                        "Fall der Tagesordnung eine Einwilligung oder Rechtsgrundlage für diese "
                        "Stelle vorliegt; Fälle ohne Freigabe fehlen ganz.")


def recipient_version(recipient: MinutesRecipient, recipient_uuid: str,
                      reason: str | None, warnings: tuple[str, ...] = ()) -> OutputVersion:
    """"Jobcenter Dortmund – Frau Schulz: pseudonymisierte Ausfertigung"."""
    who = " – ".join(x for x in (recipient.institution, recipient.name) if x)
    label = f"{who}: {VERSION_LABELS.get(recipient.version, recipient.version)}"
    if recipient.version != PSEUDONYMISED:
        reason = None
    elif not reason:
        reason = PSEUDONYMISED_REASON
    return OutputVersion(label, recipient.version, recipient_uuid, reason, warnings)


def versions_model(plan: OutputPlan, model: QStandardItemModel) -> None:
    """Fill ``model``: one row per copy; a screen reader hears the reason as the description."""
    model.clear()
    for entry in plan.versions:
        item = QStandardItem(entry.label)
        item.setEditable(False)
        item.setData(entry, ENTRY_ROLE)
        if entry.reason:
            item.setToolTip(entry.reason)
            item.setData(entry.reason, Qt.ItemDataRole.AccessibleDescriptionRole)
        model.appendRow(item)
