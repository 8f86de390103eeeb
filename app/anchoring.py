"""Store and anchor compared, and the anchor kept up with the store, in one place.

The comparison runs when a transaction with audit entries commits (and so at every unlock, which
records one) and when ``lotse check`` or the desktop asks. While store and anchor disagree the
anchor is frozen: nothing is appended, so the disagreement stays for every later unlock and
check however many entries follow, until a person starts a new anchor (app.services.audit.write).

Appends happen only while this process holds SQLite's write lock, so two Lotse processes never
interleave their records (the lock works the same way on Windows). A crash between a commit and
its append leaves the store ahead of the anchor by that commit's entries; the next commit or
unlock appends them. To tell that from an anchor whose tail was cut off, every transaction with
audit entries stores in ``vault_meta`` how far the anchor reached when it committed.

The same rules judge the heads at every commit and unlock (``judge``, O(1)) and, after the entry
by entry walk, in ``lotse check`` and ``lotse audit --verify`` (``app.audit.verify``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.vault.anchor import AnchorFile, AnchorHead
from db.write_lock import Run, write_locked

ANCHORED_THROUGH = "audit.anchored_through"


@dataclass(frozen=True)
class AnchorStatus:
    """Store and anchor heads compared; ``problem`` says what a person must be told."""

    anchor_last_seq: int
    anchor_records: int
    store_last_seq: int
    anchored_through: int
    problem_en: str | None = None
    problem_de: str | None = None
    first_bad_seq: int | None = None  # the first entry (or anchor record) the problem concerns
    failure_record: bool = False  # the alarm is the failure record's (app.vault.record_alarm)

    @property
    def ok(self) -> bool:
        return self.problem_en is None


def problem_sequence(position: int, seq: int) -> tuple[str, str]:
    return (f"anchor record {position} carries sequence number {seq}: sequence numbers repeat or "
            "skip, so the anchor was altered",
            "Im Prüfanker wiederholen sich Protokollnummern oder fehlen; er wurde verändert.")


def problem_missing(store_last: int) -> tuple[str, str]:
    return (f"the audit anchor is missing or empty but the store holds {store_last} entries: "
            "it was deleted or emptied",
            "Der Prüfanker fehlt oder ist leer, obwohl das Protokoll Einträge enthält. "
            "Er wurde gelöscht oder geleert.")


def problem_behind(store_last: int, anchor_last: int) -> tuple[str, str]:
    return (f"the store's audit log ends at entry {store_last} but the anchor holds "
            f"{anchor_last} entries: an older copy of the database (or of some of its pages) "
            "was put back and entries are gone",
            f"Das Protokoll in der Datenbank endet bei Eintrag {store_last}, der Prüfanker kennt "
            f"aber {anchor_last} Einträge. Vermutlich wurde eine ältere Kopie der Datenbank "
            "(oder Teile davon) zurückgespielt; Einträge fehlen.")


def problem_differs(seq: int) -> tuple[str, str]:
    return (f"entry {seq} differs from the external anchor: the database was replaced (an older "
            "copy put back and written to since) or its log rewritten",
            f"Eintrag {seq} des Protokolls weicht vom Prüfanker ab. Vermutlich wurde eine ältere "
            "Kopie der Datenbank zurückgespielt und seither weiter benutzt, oder das Protokoll "
            "wurde umgeschrieben.")


def problem_store_behind(store_last: int, through: int) -> tuple[str, str]:
    return (f"the store's audit log ends at entry {store_last} but records that entry {through} "
            "was already anchored: pages of an older copy of the database were put back",
            f"Das Protokoll in der Datenbank endet bei Eintrag {store_last}, obwohl Eintrag "
            f"{through} schon verankert war. Vermutlich wurden Teile einer älteren Kopie der "
            "Datenbank zurückgespielt; Einträge fehlen.")


def problem_shortened(anchor_last: int, through: int) -> tuple[str, str]:
    return (f"the audit anchor holds {anchor_last} entries but already held at least {through}: "
            "it was cut short",
            f"Der Prüfanker enthält nur {anchor_last} Einträge, hatte aber schon mindestens "
            f"{through}. Er wurde gekürzt.")


def judge(head: AnchorHead, store_last: int, hash_at: Callable[[int], str | None],
          through: int, *, first_commit: bool = False,
          later: Callable[[], AnchorHead] | None = None) -> AnchorStatus:
    """The one comparison of heads, O(1): the anchor's last record against the store.

    An empty anchor beside entries is an alarm, except right after the vault's first commit
    (``first_commit``): a crash before that append leaves no key file, so no vault to open.
    ``first_bad_seq`` names the entry the problem begins at (as ``lotse check`` reports it).

    ``later`` reads the anchor again once the store has been read. How far the anchor reached
    (``through``) is stored by a save that first lengthened the anchor; when another process
    saved between our first look at the anchor and our look at the store, only a second look
    shows that length. The anchor only ever grows, so a second look that is still short is a
    cut.
    """
    problem: tuple[str, str] | None = None
    if not head.contiguous:
        problem, bad = problem_sequence(head.records, head.last_seq), head.records
    elif head.last is None:
        if store_last > 0 and not first_commit:
            problem, bad = problem_missing(store_last), 1
    elif head.last_seq > store_last:
        problem, bad = problem_behind(store_last, head.last_seq), store_last + 1
    elif hash_at(head.last_seq) != head.last[1]:
        problem, bad = problem_differs(head.last_seq), head.last_seq
    if problem is None and through > store_last:
        problem, bad = problem_store_behind(store_last, through), store_last + 1
    if problem is None and head.last_seq < through:
        reached = head.last_seq if later is None else later().last_seq
        if reached < through:
            problem, bad = problem_shortened(reached, through), reached + 1
    if problem is None:
        return AnchorStatus(head.last_seq, head.records, store_last, through)
    return AnchorStatus(head.last_seq, head.records, store_last, through, *problem, bad)


def assess(run: Run, anchor: AnchorFile, store_last: int | None = None, *,
           first_commit: bool = False) -> AnchorStatus:
    """Compare heads. The anchor is read first: an entry another process commits and anchors
    meanwhile is then in the store's later view as well, never only in the anchor."""
    head = anchor.head()
    if store_last is None:
        store_last = int(run("SELECT coalesce(max(seq), 0) FROM audit_log", ())[0][0])

    def hash_at(seq: int) -> str | None:
        rows = run("SELECT hash FROM audit_log WHERE seq = ?", (seq,))
        return str(rows[0][0]) if rows else None

    return judge(head, store_last, hash_at, anchored_through(run), first_commit=first_commit,
                 later=anchor.head)


def anchored_through(run: Run) -> int:
    rows = run("SELECT value FROM vault_meta WHERE key = ?", (ANCHORED_THROUGH,))
    return int(rows[0][0]) if rows else 0


def set_anchored_through(run: Run, seq: int) -> None:
    run("INSERT INTO vault_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (ANCHORED_THROUGH, str(seq)))


def anchor_committed(run: Run, anchor: AnchorFile, committed: int | None = None, *,
                     first_commit: bool = False) -> AnchorStatus:
    """Append the committed entries the anchor lacks, unless store and anchor disagree.

    The caller holds the write lock. ``committed``: the last committed entry (None: the store's
    last, when no uncommitted entries of our own are visible).
    """
    status = assess(run, anchor, committed, first_commit=first_commit)
    if status.ok and status.store_last_seq > status.anchor_last_seq:
        rows = run("SELECT seq, hash FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq",
                   (status.anchor_last_seq, status.store_last_seq))
        anchor.append([(int(seq), str(digest)) for seq, digest in rows])
    return status


def session_runner(session: Session) -> Run:
    def run(sql: str, params: tuple[Any, ...]) -> list[Any]:
        result = session.connection().exec_driver_sql(sql, params)
        return list(result.all()) if result.returns_rows else []
    return run


def before_commit(session: Session, anchor: AnchorFile, first_new: int) -> None:
    """In a transaction that adds audit entries from ``first_new`` on: anchor what was committed
    before, and store how far the anchor reaches (both only while store and anchor agree)."""
    session.flush()  # our entries are written: this connection now holds the write lock
    run = session_runner(session)
    status = anchor_committed(run, anchor, first_new - 1)
    if status.ok:
        set_anchored_through(run, first_new - 1)


def after_commit(engine: Engine, anchor: AnchorFile, first_new: int) -> None:
    """Right after a commit of entries from ``first_new`` on: anchor them. Never raises: the
    unit of work is committed, and reporting it as failed would make a person enter it again.

    When the append fails (another writer holds the lock, the anchor's disk is full or
    read-only, an I/O error), the store stays ahead of the anchor exactly as after a crash at
    this point, and the next commit or unlock appends the tail (``before_commit``).
    """
    try:
        with write_locked(engine) as run:
            anchor_committed(run, anchor, first_commit=first_new == 1)
    except Exception:  # noqa: S110 - see above: after a commit nothing may look failed
        pass
