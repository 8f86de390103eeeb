"""The failure record's alarm: an unlock found ``unlock.throttle`` missing or replaced.

The evidence is the audit log itself (``vault.throttle_damaged`` with problem ``missing`` or
``replaced``, written by ``app.vault.throttle_record``): it is hash-chained and anchored like
every entry, so the alarm stands at every later unlock, in every CLI command and in ``lotse
check`` until a person begins a new anchor; the ``vault.anchor_restarted`` entry acknowledges
every alarm entry before it. Reads use the ``kind`` index: cheap at every unlock.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.audit import Kind
from app.vault.throttle_record import ALARMS, MISSING
from db.write_lock import Run


@dataclass(frozen=True)
class RecordAlarm:
    seq: int  # the audit entry of the unlock that found it
    problem: str  # MISSING or REPLACED
    problem_en: str
    problem_de: str


_FIRST_UNACKNOWLEDGED = (
    "SELECT seq, value FROM audit_log, json_each(audit_log.detail, '$.problems') "
    "WHERE kind = ? AND seq > (SELECT coalesce(max(seq), 0) FROM audit_log WHERE kind = ?) "
    f"AND value IN ({', '.join('?' for _ in ALARMS)}) ORDER BY seq LIMIT 1")


def texts(problem: str, seq: int) -> tuple[str, str]:
    """English and German: what was found, and what it may mean."""
    if problem == MISSING:
        found_en = "was missing"
        found_de = "fehlte"
    else:
        found_en = "carried an id this database never gave it"
        found_de = "trug eine Kennung, die diese Datenbank nicht kennt"
    return (f"the failure record beside the vault (unlock.throttle) {found_en} when the vault "
            f"was unlocked (audit entry {seq}): it does not belong to this database. An older "
            "copy of the database may have been put back, or the record was replaced or "
            "deleted",
            f"Die Datei mit den Fehlversuchen beim Entsperren (neben der Datenbank) {found_de}, "
            f"als der Tresor entsperrt wurde (Protokolleintrag {seq}). Sie gehört nicht zu "
            "dieser Datenbank: Vielleicht wurde eine ältere Kopie der Datenbank "
            "zurückgespielt, oder die Datei wurde ersetzt oder gelöscht.")


def standing_alarm(run: Run) -> RecordAlarm | None:
    """The first alarm of the failure record that no new anchor has acknowledged yet."""
    rows = run(_FIRST_UNACKNOWLEDGED, (Kind.THROTTLE_DAMAGED, Kind.ANCHOR_RESTARTED, *ALARMS))
    if not rows:
        return None
    seq, problem = int(rows[0][0]), str(rows[0][1])
    return RecordAlarm(seq, problem, *texts(problem, seq))
