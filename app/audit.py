"""Append-only, hash-chained audit log. Entries hold ids and event kinds, never personal data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app import anchoring
from app.vault.anchor import AnchorFile, AnchorHead
from db.models import AuditLog
from db.sync import LotseSession

GENESIS = "0" * 64
PENDING = "audit_pending_anchors"
ANCHOR = "audit_anchor"
ACTOR = "audit_actor"
CLOCK = "clock"


class Kind:
    """Audit event kinds (stable strings: they are part of the hash chain)."""

    VAULT_CREATED = "vault.created"
    UNLOCKED = "vault.unlocked"
    UNLOCK_FAILURES = "vault.unlock_failures"
    THROTTLE_DAMAGED = "vault.throttle_damaged"  # failure record damaged, deleted or replaced
    PASSPHRASE_CHANGED = "vault.passphrase_changed"  # noqa: S105 - an event name
    REKEYED = "vault.rekeyed"
    BACKUP = "vault.backup"
    RESTORED = "vault.restored"
    DEMO = "vault.demo_generated"
    DRAFTS_REFUSED = "vault.drafts_refused"  # a drafts file of another vault or an older lock
    CASE_READ = "case.read"
    CASE_CREATED = "case.created"
    CASE_UPDATED = "case.updated"
    CASE_CLOSED = "case.closed"
    CASE_REOPENED = "case.reopened"
    PHASE_CHANGED = "case.phase_changed"
    PHASE_OVERRIDE = "case.phase_override"
    RECORD_CREATED = "record.created"
    RECORD_UPDATED = "record.updated"
    RECORD_DELETED = "record.deleted"
    RECORD_READ = "record.read"
    # Bulk reads, one summary each (app.services.bulk_reads): counts and filter names only.
    CASES_LISTED = "cases.listed"
    CASES_EXPORTED = "cases.exported"
    SEARCH_RUN = "search.run"
    SEARCH_EXPORTED = "search.exported"
    DISCLOSURE = "disclosure"
    EXPORT = "export"
    PRINT = "print"
    ANCHOR_RESTARTED = "vault.anchor_restarted"
    DUPLICATE_CONFIRMED = "case.duplicate_confirmed"  # created although it may be a duplicate
    RECORD_CORRECTED = "record.corrected"  # superseded by a new entry that corrects it
    CASE_HANDED_OVER = "case.handed_over"  # another case manager took the case over
    CONFERENCE_HELD = "conference.held"  # the disclosures of a conference were logged with it
    MINUTES_APPROVED = "conference.minutes_approved"  # from now on immutable
    MINUTES_AMENDED = "conference.minutes_amended"  # a numbered amendment
    MINUTES_SAVED = "conference.minutes_saved"  # the minutes saved as a PDF file
    INVITATION_SAVED = "conference.invitation_saved"  # the .ics invitation saved
    CERTIFICATE_ISSUED = "certificate.issued"
    CERTIFICATE_REPRINTED = "certificate.reprinted"  # a Zweitschrift (same serial)
    CERTIFICATE_REVOKED = "certificate.revoked"
    CERTIFICATE_SAVED = "certificate.saved"  # saved as a PDF file
    CERTIFICATE_VERIFIED = "certificate.verified"  # looked up in the register (check code)
    KEY_CREATED = "key.created"  # a new issuer (signing) key of this vault
    KEY_WITHDRAWN = "key.withdrawn"
    KEY_CARD_EXPORTED = "key.card_exported"
    KEY_TRUSTED = "key.trusted"  # a key card imported after its fingerprint was confirmed
    KEY_DISTRUSTED = "key.distrusted"
    REVOCATIONS_IMPORTED = "key.revocations_imported"
    # Deputy shares and case transfers between vaults (app.sync.deputy / app.sync.transfer):
    # details carry case uuids, grant ids and fingerprints only.
    CASE_SHARED = "case.shared"
    CASE_SHARE_ENDED = "case.share_ended"
    CASE_TRANSFER_OFFERED = "case.transfer_offered"
    CASE_TRANSFERRED = "case.transferred"  # accepted: moved out (stub) or in (taken over)
    CASE_TRANSFER_DECLINED = "case.transfer_declined"
    # Bundles on the shared drive (issue 12): ids, kinds, counts, fingerprints and reason codes.
    BUNDLE_EXPORTED = "bundle.exported"
    BUNDLE_IMPORTED = "bundle.imported"
    BUNDLE_REJECTED = "bundle.rejected"  # also "left waiting" (detail: state)
    BUNDLE_DISCARDED = "bundle.discarded"
    BUNDLE_REFUSED = "bundle.refused"  # one of ours, by a recipient's signed notice
    BUNDLE_REFUSAL_NOTED = "bundle.refusal_noted"  # a person took note of it
    DEVICE_TRUSTED = "device.trusted"
    DEVICE_DISTRUSTED = "device.distrusted"
    DEVICE_COUNTERSIGNED = "device.countersigned"
    SHARE_FOLDER_SET = "sync.share_folder_set"
    CONFLICT_RESOLVED = "conflict.resolved"  # a sync conflict decided (a local edit that syncs)


def entry_hash(prev: str, seq: int, at: datetime, kind: str, actor: str,
               object_type: str | None, object_uuid: str | None, detail: dict[str, Any]) -> str:
    body = json.dumps(
        [seq, at.isoformat(), kind, actor, object_type, object_uuid, detail],
        sort_keys=True, separators=(",", ":"), ensure_ascii=True,
    )
    return hashlib.sha256(f"{prev}|{body}".encode()).hexdigest()


def record(session: Session, kind: str, object_type: str | None = None,
           object_uuid: str | None = None, **detail: Any) -> int:
    """Append one entry in the caller's transaction; the anchor follows after commit
    (app.anchoring, through the session events below)."""
    last = session.execute(
        select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    seq = (last.seq + 1) if last else 1
    prev = last.hash if last else GENESIS
    at = session.info[CLOCK].now()
    actor = str(session.info.get(ACTOR) or "system")
    digest = entry_hash(prev, seq, at, kind, actor, object_type, object_uuid, detail)
    session.add(AuditLog(seq=seq, at=at, kind=kind, actor=actor, object_type=object_type,
                         object_uuid=object_uuid, detail=detail, prev_hash=prev, hash=digest))
    session.info.setdefault(PENDING, []).append((seq, digest))
    return seq


@event.listens_for(LotseSession, "before_commit")
def _anchor_before_commit(session: Session) -> None:
    pending = session.info.get(PENDING)
    anchor: AnchorFile | None = session.info.get(ANCHOR)
    if anchor is not None and pending:
        anchoring.before_commit(session, anchor, pending[0][0])


@event.listens_for(LotseSession, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, [])
    anchor: AnchorFile | None = session.info.get(ANCHOR)
    if anchor is not None and pending:
        anchoring.after_commit(cast(Engine, session.get_bind()), anchor, pending[0][0])


@event.listens_for(LotseSession, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    anchored: int
    first_bad_seq: int | None
    problem: str | None
    anchor_last_seq: int = 0
    problem_de: str | None = None


def verify(session: Session, anchor: AnchorFile) -> ChainReport:
    """Recompute the chain and compare it with the external anchor, entry by entry.

    The walk checks what only a full read can (the hash chain, every anchor record against its
    entry, record i carrying sequence number i); the heads are then judged by the same rules
    every unlock applies (``anchoring.judge``), so the two cannot drift apart. The anchor is
    read as a list in file order (read before the store, see anchoring.assess): a repeated
    sequence number cannot hide behind a later one.
    """
    records = anchor.read()
    last = records[-1][0] if records else 0

    def broken(seq: int, count: int, problem: tuple[str, str]) -> ChainReport:
        return ChainReport(False, count, len(records), seq, problem[0], last, problem[1])

    out_of_order = next(((pos, seq) for pos, (seq, _) in enumerate(records, start=1)
                         if seq != pos), None)
    prev, expected_seq, count = GENESIS, 1, 0
    hashes_at_head: dict[int, str] = {}  # the store's hash where the anchor ends
    rows = session.execute(select(AuditLog).order_by(AuditLog.seq)).scalars()
    for row in rows.yield_per(2000):
        count += 1
        if row.seq != expected_seq:
            return broken(expected_seq, count, (f"entry {expected_seq} is missing",
                                                f"Eintrag {expected_seq} fehlt im Protokoll."))
        recomputed = entry_hash(prev, row.seq, row.at, row.kind, row.actor, row.object_type,
                                row.object_uuid, row.detail or {})
        if row.prev_hash != prev or row.hash != recomputed:
            return broken(row.seq, count, (
                f"entry {row.seq} does not match its hash chain",
                f"Eintrag {row.seq} passt nicht zur Kette der Prüfsummen."))
        if out_of_order is None and row.seq <= len(records):
            if records[row.seq - 1][1] != row.hash:
                return broken(row.seq, count, anchoring.problem_differs(row.seq))
            if row.seq == len(records):
                hashes_at_head[row.seq] = row.hash
        prev, expected_seq = row.hash, expected_seq + 1
    if out_of_order is not None:
        return broken(out_of_order[0], count, anchoring.problem_sequence(*out_of_order))
    head = AnchorHead(len(records), records[-1] if records else None)
    through = anchoring.anchored_through(anchoring.session_runner(session))
    status = anchoring.judge(head, count, hashes_at_head.get, through, later=anchor.head)
    if status.problem_en is not None:
        return broken(status.first_bad_seq or 1, count, (status.problem_en,
                                                          status.problem_de or ""))
    return ChainReport(True, count, len(records), None, None, last)
