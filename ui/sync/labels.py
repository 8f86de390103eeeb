"""German words for what the sync services return as codes, and the status bar's line."""

from __future__ import annotations

from datetime import date, datetime

from app import catalogues
from app.services.devices.records import DeviceRow
from app.services.handover.records import GrantRow
from app.services.sync.records import SyncReport, SyncStatus
from ui.date_field import today as vault_today

ROLES = {"casework": "Fallmanagement", "steering": "Steuerungsgremium",
         "coordination": "Koordinierungsstelle"}
TRUST = {"unknown": "nicht bestätigt", "trusted": "vertraut", "distrusted": "entzogen"}
TRUSTED_HOW = {"fingerprint": "Fingerabdruck verglichen",
               "coordination": "von der Koordinierungsstelle bestätigt"}
KINDS = {"deputy": "Vertretung", "transfer": "Fallübergabe",
         "transfer_answer": "Antwort auf Fallübergabe", "directory": "Verzeichnis des Teams",
         "steering": "Bericht für das Steuerungsgremium", "catalogue": "Katalog-Aktualisierung"}
INBOX_STATES = {"waiting": "wartet", "rejected": "abgewiesen", "discarded": "verworfen"}
GRANT_STATES = {"active": "aktiv", "ended": "beendet", "offered": "angeboten",
                "accepted": "angenommen", "declined": "abgelehnt"}
DIRECTIONS = {"out": "von mir", "in": "an mich"}

NO_SHARE_DE = "Kein Austauschordner eingerichtet"
NEVER_DE = "Noch nie abgeglichen"


def in_rows(display: str, per_row: int = 4) -> str:
    """The grouped fingerprint, four groups a line: read out on the phone line by line, and
    narrow enough for a table column."""
    groups = display.split()
    return "\n".join(" ".join(groups[i:i + per_row]) for i in range(0, len(groups), per_row))


def day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return f"{value.astimezone():%d.%m.%Y}"
    return f"{value:%d.%m.%Y}"


def moment(value: datetime | None) -> str:
    return f"{value.astimezone():%d.%m.%Y, %H:%M} Uhr" if value is not None else "–"


def municipality(code: str | None) -> str:
    return catalogues.label_or_code(catalogues.municipalities(), code) or "–"


def trust_text(row: DeviceRow) -> str:
    if row.own:
        return "eigener Tresor"
    text = TRUST.get(row.trust, row.trust)
    how = TRUSTED_HOW.get(row.trusted_how or "") if row.trust == "trusted" else None
    return f"{text} ({how})" if how else text


def grant_kind(row: GrantRow) -> str:
    if row.kind == "deputy":
        return "Vertretung" + (f" bis {day(row.until)}" if row.until else "")
    return KINDS.get(row.kind, row.kind)


def status_line(status: SyncStatus, *, steering: bool = False) -> str:
    """ "Zuletzt abgeglichen 10:42 · Ausgang 2 · wartet 1 · abgewiesen 0 · Konflikte 3".

    A steering committee's vault (``steering``) holds no case rows, so it never has a conflict
    and sends nothing of its own: its line names only the last sync and the reports waiting for
    trust or refused (and an outbox only should one ever hold something)."""
    if status.share_folder is None:
        line = NO_SHARE_DE
        return line + (f" · Konflikte {status.conflicts}" if status.conflicts and not steering
                       else "")
    outbox = f"Ausgang {status.outbox}" if status.outbox or not steering else ""
    if not status.share_reachable:
        return "Austauschordner nicht erreichbar" + (f" – {outbox}" if outbox else "")
    when = status.last_sync_at
    if when is None:
        head = NEVER_DE
    else:
        local = when.astimezone()
        head = (f"Zuletzt abgeglichen {local:%H:%M}" if local.date() == vault_today()
                else f"Zuletzt abgeglichen {local:%d.%m. %H:%M}")
    parts = [head, outbox, f"wartet {status.waiting}", f"abgewiesen {status.rejected}",
             "" if steering else f"Konflikte {status.conflicts}",
             f"abgelehnt von Empfängern {status.refused}" if status.refused else ""]
    return " · ".join(part for part in parts if part)


def report_is_news(report: SyncReport) -> bool:
    """A background run that moved nothing need not say so every few minutes."""
    return bool(report.applied or report.waiting or report.rejected or report.sent
                or report.refused or report.cancelled or not report.share_reachable)


def report_line(report: SyncReport, *, steering: bool = False) -> str:
    """One German sentence for the status bar after a run. A steering committee's vault sends
    nothing of its own: it hears of its outbox only should something be in it."""
    if not report.share_reachable:
        return "Abgleich: Der Austauschordner ist nicht erreichbar." + (
            "" if steering else " Ausgehende Bündel warten im Tresor und gehen beim nächsten "
            "Abgleich hinaus.")
    conflicts = sum(o.conflicts for o in report.applied)
    waiting = len(report.waiting)
    parts = [f"{len(report.applied)} übernommen",
             f"{waiting} wartet" if waiting == 1 else f"{waiting} warten",
             f"{len(report.rejected)} abgewiesen"]
    if report.sent or not steering:
        parts.append(f"{len(report.sent)} gesendet")
    if conflicts:
        parts.append(f"{conflicts} neue Konflikte")
    if report.refused:  # own bundles a recipient rejected: Abgleich → Eingang says why
        parts.append(f"{len(report.refused)} eigene von Empfängern abgelehnt")
    head = "Abgleich abgebrochen" if report.cancelled else "Abgleich beendet"
    return f"{head}: " + ", ".join(parts) + "."
