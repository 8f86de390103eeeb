"""Importing bundles: one transaction per bundle, together with the receipt that it was applied.

Order per file: hash known (applied or judged before) → skipped unopened; opened (limits, header,
sender, signature, chunks: ``app.bundle.reader``); bundle already applied → a no-op whose new
file hash is remembered; otherwise the kind's handler, the receipt and the audit entry commit
together. Anything refused rolls back entirely and is recorded (without its data, or, while
waiting for trust, with its still encrypted bytes) so the same file is never judged twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.audit import Kind
from app.bundle.reader import MAX_BUNDLE_SIZE, open_bundle
from app.bundle.records import (
    REASONS,
    STEERING,
    TRANSFER,
    TRANSFER_ANSWER,
    BundleContent,
    BundleRejected,
    OpenedBundle,
)
from app.services.sync.records import BundleOutcome
from app.sync import kinds
from app.sync.keys import own_keys, sender_lookup
from app.vault.store import Vault
from db.models import BundleReceipt, InboxBundle, PeerDevice

APPLIED = "applied"
SKIPPED = "skipped"
WAITING = "waiting"
REJECTED = "rejected"
KNOWN = "known"  # seen before (applied or judged): passed over without a report line
DUPLICATE = "duplicate"  # inbox state/reason for a copy of an applied bundle under a new name


@dataclass(frozen=True)
class Outcome:
    state: str  # APPLIED / SKIPPED / WAITING / REJECTED / KNOWN
    line: BundleOutcome
    bundle_uuid: str | None = None
    sender_fingerprint: str | None = None
    file_hash: str | None = None
    applied: bool = False  # this file's bundle is applied here: the sender may clean it up
    refused: str | None = None  # rejected here for good: the reason code the sender is told


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def known_hash(s: Session, digest: str) -> bool:
    return (s.execute(select(BundleReceipt.id).where(BundleReceipt.file_hash == digest))
            .first() is not None
            or s.execute(select(InboxBundle.id).where(InboxBundle.file_hash == digest))
            .first() is not None)


def sender_label(peer: PeerDevice | None) -> str | None:
    if peer is None:
        return None
    return f"{peer.holder_name} ({peer.municipality})" if peer.municipality else peer.holder_name


def _peer(s: Session, fingerprint: str | None) -> PeerDevice | None:
    if not fingerprint:
        return None
    return s.execute(select(PeerDevice).where(PeerDevice.fingerprint == fingerprint)).scalar()


def import_bytes(vault: Vault, data: bytes, file_name: str, *,
                 retry_of: int | None = None) -> Outcome:
    """Judge and (if it may be) apply one bundle file. ``retry_of``: the ``inbox_bundle`` id of
    a waiting bundle being tried again (its row goes once the bundle is applied or rejected)."""
    digest = file_hash(data)
    with vault.session() as s:
        if retry_of is None and known_hash(s, digest):
            return _known(s, digest, file_name)
        keys = own_keys(s, vault)
    # Verifying and decrypting a large bundle needs no write lock: saves elsewhere go on.
    with vault.read_session() as s:
        rejected: BundleRejected | None = None
        try:
            opened = open_bundle(data, keys, sender_lookup(s), max_size=MAX_BUNDLE_SIZE)
        except BundleRejected as exc:
            rejected = exc
    if rejected is not None:
        return _refuse(vault, rejected, data, digest, file_name, retry_of)
    return _apply(vault, opened, data, digest, file_name, retry_of)


def _apply(vault: Vault, opened: OpenedBundle, data: bytes, digest: str, file_name: str,
           retry_of: int | None) -> Outcome:
    content = opened.content
    fp = content.sender.fingerprint
    try:
        with vault.session() as s:
            peer = _peer(s, fp)
            label = sender_label(peer)
            done = s.execute(select(BundleReceipt).where(
                BundleReceipt.bundle_uuid == content.bundle_uuid)).scalar()
            if done is not None:
                _forget_retry(s, retry_of)
                _remember_duplicate(s, digest, file_name, len(data), content.bundle_uuid,
                                    content.kind, fp, retry_of)
                return Outcome(SKIPPED, BundleOutcome(
                    file_name, content.kind, label, fp, DUPLICATE,
                    "Bereits übernommen; nichts geändert."), content.bundle_uuid, fp, digest,
                    applied=True)
            handler = kinds.handler_for(content.kind)
            if handler is None:
                raise BundleRejected("kind_not_accepted", f"no handler for {content.kind}")
            if peer is None or peer.trust != "trusted":  # open_bundle checked; never rely on it
                raise BundleRejected("sender_untrusted" if peer is None or
                                     peer.trust == "unknown" else "sender_distrusted")
            rows, conflicts = handler.apply(s, vault, content, peer)
            s.add(BundleReceipt(bundle_uuid=content.bundle_uuid, kind=content.kind,
                                applied_at=vault.clock.now(), sender_device=fp,
                                file_hash=digest, rows=rows, conflicts=conflicts))
            _forget_retry(s, retry_of)
            audit.record(s, Kind.BUNDLE_IMPORTED, "bundle_receipt", content.bundle_uuid,
                         bundle_kind=content.kind, sender=fp, rows=rows, conflicts=conflicts,
                         file_hash=digest)
            line = applied_line(content, rows, conflicts)
            return Outcome(APPLIED, BundleOutcome(file_name, content.kind, label, fp, None, line,
                                                  rows, conflicts), content.bundle_uuid, fp,
                           digest, applied=True)
    except BundleRejected as exc:
        exc.sender_fingerprint = exc.sender_fingerprint or fp
        exc.bundle_uuid = exc.bundle_uuid or content.bundle_uuid
        exc.kind = exc.kind or content.kind
        return _refuse(vault, exc, data, digest, file_name, retry_of)
    except (IntegrityError, ValueError, KeyError, TypeError) as exc:
        # A bundle that authenticated but does not fit the store: refused whole, never half.
        rejected = BundleRejected("payload_malformed", type(exc).__name__)
        rejected.sender_fingerprint, rejected.bundle_uuid = fp, content.bundle_uuid
        rejected.kind = content.kind
        return _refuse(vault, rejected, data, digest, file_name, retry_of)


def _known(s: Session, digest: str, file_name: str) -> Outcome:
    """A file judged before: no report line; applied (or a copy of an applied bundle) lets the
    pipeline acknowledge it again, in case the last acknowledgement was lost."""
    receipt = s.execute(select(BundleReceipt.bundle_uuid, BundleReceipt.sender_device).where(
        BundleReceipt.file_hash == digest)).first()
    if receipt is not None:
        return Outcome(KNOWN, BundleOutcome(file_name, None, None, None, None, ""),
                       receipt.bundle_uuid, receipt.sender_device, digest, applied=True)
    row = s.execute(select(InboxBundle.bundle_uuid, InboxBundle.sender_fingerprint,
                           InboxBundle.reason, InboxBundle.state)
                    .where(InboxBundle.file_hash == digest)).first()
    applied = row is not None and row.reason == DUPLICATE
    # Rejected before: the sender is told again, in case the last notice never reached the share.
    refused = row.reason if row is not None and row.state == REJECTED else None
    return Outcome(KNOWN, BundleOutcome(file_name, None, None, None, None, ""),
                   row.bundle_uuid if row else None, row.sender_fingerprint if row else None,
                   digest, applied=applied, refused=refused)


def _forget_retry(s: Session, retry_of: int | None) -> None:
    if retry_of is not None:
        row = s.get(InboxBundle, retry_of)
        if row is not None:
            s.delete(row)
            s.flush()


def _remember_duplicate(s: Session, digest: str, file_name: str, size: int, bundle_uuid: str,
                        kind: str, fp: str, retry_of: int | None) -> None:
    """A copy of an applied bundle (other name, other bytes): its hash is remembered so it is
    passed over unopened next time."""
    exists = s.execute(select(BundleReceipt.id).where(BundleReceipt.file_hash == digest)).first()
    if exists is None and s.execute(select(InboxBundle.id).where(
            InboxBundle.file_hash == digest)).first() is None:
        s.add(InboxBundle(file_hash=digest, file_name=file_name, size=size, state="discarded",
                          reason=DUPLICATE, sender_fingerprint=fp, bundle_uuid=bundle_uuid,
                          kind=kind, data=None))


def _refuse(vault: Vault, exc: BundleRejected, data: bytes, digest: str, file_name: str,
            retry_of: int | None) -> Outcome:
    state = WAITING if exc.waiting else REJECTED
    with vault.session() as s:
        row = s.get(InboxBundle, retry_of) if retry_of is not None else None
        if row is None:
            row = s.execute(select(InboxBundle).where(InboxBundle.file_hash == digest)).scalar()
        if row is None:
            row = InboxBundle(file_hash=digest, file_name=file_name, size=len(data),
                              first_seen_at=vault.clock.now())
            s.add(row)
        changed = row.state != state or row.reason != exc.reason
        row.state, row.reason = state, exc.reason
        row.sender_fingerprint = exc.sender_fingerprint
        row.bundle_uuid, row.kind = exc.bundle_uuid, exc.kind
        row.data = data if state == WAITING else None  # kept encrypted only while waiting
        s.flush()
        if changed:
            audit.record(s, Kind.BUNDLE_REJECTED, "inbox_bundle", exc.bundle_uuid,
                         state=state, reason=exc.reason, bundle_kind=exc.kind,
                         sender=exc.sender_fingerprint, file_hash=digest)
        label = sender_label(_peer(s, exc.sender_fingerprint))
    return Outcome(state, BundleOutcome(file_name, exc.kind, label, exc.sender_fingerprint,
                                        exc.reason, REASONS[exc.reason]), exc.bundle_uuid,
                   exc.sender_fingerprint, digest,
                   refused=exc.reason if state == REJECTED else None)


def too_large(vault: Vault, file_name: str, size: int) -> Outcome:
    """A file over the size limit is refused unread; its record is keyed by name and size (its
    bytes are never read, so there is no hash of them)."""
    pseudo = file_hash(f"too_large:{file_name}:{size}".encode())
    with vault.session() as s:
        if known_hash(s, pseudo):
            return Outcome(KNOWN, BundleOutcome(file_name, None, None, None, None, ""))
    return _refuse(vault, BundleRejected("too_large", f"{size} bytes"), b"", pseudo, file_name,
                   None)


def waiting_ready(vault: Vault) -> list[tuple[int, str, bytes]]:
    """Waiting bundles whose sender is now trusted or distrusted (decided): (id, name, data)."""
    with vault.read_session() as s:
        rows = s.execute(select(InboxBundle.id, InboxBundle.file_name, InboxBundle.data,
                                PeerDevice.trust)
                         .join(PeerDevice, PeerDevice.fingerprint == InboxBundle.sender_fingerprint)
                         .where(InboxBundle.state == WAITING)
                         .order_by(InboxBundle.id)).all()
    return [(r.id, r.file_name, r.data) for r in rows
            if r.trust in ("trusted", "distrusted") and r.data is not None]


def describe_known(vault: Vault, data: bytes, file_name: str) -> Outcome:
    """What became of a file judged before (for an import by hand): skipped when applied,
    otherwise its recorded state and reason."""
    digest = file_hash(data)
    with vault.read_session() as s:
        receipt = s.execute(select(BundleReceipt).where(
            BundleReceipt.file_hash == digest)).scalar()
        if receipt is not None:
            fp = receipt.sender_device
            return Outcome(SKIPPED, BundleOutcome(
                file_name, receipt.kind, sender_label(_peer(s, fp)), fp, DUPLICATE,
                "Bereits übernommen; nichts geändert."), receipt.bundle_uuid, fp)
        row = s.execute(select(InboxBundle).where(InboxBundle.file_hash == digest)).scalar()
        if row is None:  # pragma: no cover - known_hash said it is there
            return Outcome(KNOWN, BundleOutcome(file_name, None, None, None, None, ""))
        sender = row.sender_fingerprint
        state = {"waiting": WAITING, "rejected": REJECTED}.get(row.state, SKIPPED)
        message = REASONS.get(row.reason, "Bereits übernommen; nichts geändert.")
        return Outcome(state, BundleOutcome(file_name, row.kind, sender_label(_peer(s, sender)),
                                            sender, row.reason, message), row.bundle_uuid,
                       sender)


def refresh_waiting(vault: Vault) -> None:
    """A bundle that waited for an unknown sender whose card has arrived since now waits for
    that card's confirmation: say so (the reason people read), without judging it again."""
    with vault.session() as s:
        known = select(PeerDevice.fingerprint).where(PeerDevice.trust == "unknown")
        for row in s.execute(select(InboxBundle).where(
                InboxBundle.state == WAITING, InboxBundle.reason == "sender_unknown",
                InboxBundle.sender_fingerprint.in_(known))).scalars():
            row.reason = "sender_untrusted"


def applied_line(content: BundleContent, rows: int, conflicts: int) -> str:
    """The German line a sync report shows for an applied bundle, in the words of its kind."""
    if content.kind == TRANSFER:
        return "Übergabeangebot erhalten; es wartet im Abgleich (Eingang) auf Ihre Antwort."
    if content.kind == TRANSFER_ANSWER:
        answer = content.body.get("answer")
        return ("Die Übergabe wurde angenommen; der Fall ist hier nur noch lesbar."
                if answer == "accepted" else "Die Übergabe wurde abgelehnt; der Fall bleibt hier.")
    if content.kind == STEERING:
        return "Steuerungsbericht übernommen."
    line = "Übernommen: 1 Datensatz" if rows == 1 else f"Übernommen: {rows} Datensätze"
    if not conflicts:
        return line + "."
    return line + (", 1 Konflikt zu klären." if conflicts == 1
                   else f", {conflicts} Konflikte zu klären.")
