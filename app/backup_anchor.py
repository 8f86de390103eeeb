"""The audit anchor a backup carries, and the refusal to back up while an alarm stands.

A restore checks the backup's store against its anchor, so a backup taken while store and anchor
disagree could never be restored, and one taken while the failure record's alarm stands would
carry that alarm into every restore. Both are refused, before anything is written
(``refuse_under_alarm``) and again on what was actually copied (``anchor_for_copy``).

No write lock is held during the copy (it would keep every other writer out for the whole
backup): the store copy is one consistent snapshot (SQLite's backup API), and the anchor, read
afterwards, is judged against that snapshot by the rules every unlock applies
(``anchoring.judge``). Records of entries committed after the snapshot are cut off; entries the
anchor still lacks (a crash, or an append that failed after its commit) are added from the copy,
as the next unlock would add them.
"""

from __future__ import annotations

from typing import Any

from app import anchoring
from app.anchoring import AnchorStatus
from app.errors import IntegrityFailure
from app.vault.anchor import AnchorFile, AnchorHead, pack
from app.vault.record_alarm import standing_alarm

NOT_RESTORABLE_EN = ("a backup made now could not be restored; resolve the alarm first "
                     "(`lotse audit --reanchor`, in the desktop: Details … in the red bar)")
NOT_RESTORABLE_DE = ("Eine jetzt erstellte Sicherung ließe sich nicht wiederherstellen. Bitte "
                     "klären Sie zuerst den Prüfanker-Alarm (rote Leiste, „Details …“).")
CARRIES_ALARM_EN = ("a backup made now would carry this alarm into every restore; resolve the "
                    "alarm first (`lotse audit --reanchor`, in the desktop: Details … in the "
                    "red bar)")
CARRIES_ALARM_DE = ("Eine jetzt erstellte Sicherung trüge diesen Alarm in jede Wiederherstellung. "
                    "Bitte klären Sie zuerst den Prüfanker-Alarm (rote Leiste, „Details …“).")


def refused(problem_en: str, problem_de: str, *, failure_record: bool) -> IntegrityFailure:
    en, de = ((CARRIES_ALARM_EN, CARRIES_ALARM_DE) if failure_record
              else (NOT_RESTORABLE_EN, NOT_RESTORABLE_DE))
    return IntegrityFailure(f"{problem_de} {de}", f"{problem_en}; {en}")


def refuse_under_alarm(status: AnchorStatus) -> None:
    """Before anything is written: the alarm the person sees (``anchor_status``) refuses."""
    if status.problem_en is not None:
        raise refused(status.problem_en, status.problem_de or "",
                      failure_record=status.failure_record)


def anchor_for_copy(anchor: AnchorFile, copy: Any) -> bytes:
    """The anchor records for the copied store (a DB-API connection to the copy): exactly its
    entries 1..n. Refused when the anchor disagrees with the copy or an alarm stands in it."""
    def run(sql: str, params: tuple[Any, ...]) -> list[Any]:
        return list(copy.execute(sql, params).fetchall())

    store_last = int(run("SELECT coalesce(max(seq), 0) FROM audit_log", ())[0][0])
    records = anchor.read()[:store_last]

    def hash_at(seq: int) -> str | None:
        rows = run("SELECT hash FROM audit_log WHERE seq = ?", (seq,))
        return str(rows[0][0]) if rows else None

    head = AnchorHead(len(records), records[-1] if records else None)
    status = anchoring.judge(head, store_last, hash_at, anchoring.anchored_through(run))
    if status.problem_en is not None:
        raise refused(status.problem_en, status.problem_de or "", failure_record=False)
    alarm = standing_alarm(run)
    if alarm is not None:
        raise refused(alarm.problem_en, alarm.problem_de, failure_record=True)
    tail = run("SELECT seq, hash FROM audit_log WHERE seq > ? ORDER BY seq", (len(records),))
    return pack(records + [(int(seq), str(digest)) for seq, digest in tail])
