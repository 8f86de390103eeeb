"""What deputy shares and transfers have in common: the peer, the grant as people see it, the
cursor of a case's scope and the removal of a case's rows from this vault."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.bundle.records import BundleRejected
from app.errors import NotFound, Refused
from app.services.handover.records import GrantRow
from app.sync.case_rows import CaseRows, case_images, remove_content, select_case
from db.models import (
    CaseFile,
    InboxBundle,
    PeerDevice,
    Person,
    ShareGrant,
    SyncConflict,
    SyncCursor,
)
from db.row_image import RowImage


def offer_hash(bundle_uuid: str) -> str:
    """``inbox_bundle.file_hash`` of a kept transfer offer: never a real file's hash."""
    return hashlib.sha256(f"lotse-transfer-offer:{bundle_uuid}".encode()).hexdigest()


def scope_of(case_uuid: str) -> str:
    return f"case:{case_uuid}"


def trusted_colleague(s: Session, fingerprint: str) -> PeerDevice:
    """The trusted casework vault with this fingerprint (full, any case, spaces allowed)."""
    wanted = "".join(fingerprint.split()).lower()
    peer = s.execute(select(PeerDevice).where(PeerDevice.fingerprint == wanted)).scalar()
    if peer is None:
        raise NotFound("Diese Schlüsselkarte ist in diesem Tresor nicht bekannt.",
                       f"no peer with fingerprint {wanted[:16]}…")
    if peer.trust != "trusted":
        raise Refused(f"Der Schlüssel von {peer.holder_name} ist noch nicht bestätigt. Bitte "
                      "zuerst den Fingerabdruck vergleichen.", "peer not trusted")
    if peer.role != "casework":
        raise Refused("Fälle können nur mit Fallmanagerinnen und Fallmanagern geteilt oder an "
                      "sie übergeben werden.", f"peer role is {peer.role}")
    return peer


def can_send(s: Session, fingerprint: str) -> bool:
    """Whether bundles may go to this peer now (trusted). A share with a peer that lost the
    trust still ends or is answered here; the peer just gets no bundle about it."""
    trust = s.execute(select(PeerDevice.trust).where(
        PeerDevice.fingerprint == fingerprint)).scalar()
    return trust == "trusted"


def peer_label(peer: PeerDevice | None, fingerprint: str) -> str:
    if peer is None:
        return f"Unbekannt ({fingerprint[:8]})"
    return f"{peer.holder_name} ({peer.municipality})" if peer.municipality else peer.holder_name


def grant_row(s: Session, grant: ShareGrant, last_sent_at: datetime | None = None) -> GrantRow:
    peer = s.execute(select(PeerDevice).where(
        PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
    case = s.execute(select(CaseFile).where(CaseFile.uuid == grant.case_uuid)).scalar()
    number, client = "", None
    if case is not None:
        number = case.case_number
        person = s.get(Person, case.person_id)
        if person is not None and (person.family_name or person.given_names):
            client = f"{person.family_name}, {person.given_names}"
    elif grant.kind == "transfer" and grant.direction == "in" and grant.bundle_uuid:
        kept = s.execute(select(InboxBundle.file_name).where(
            InboxBundle.file_hash == offer_hash(grant.bundle_uuid))).scalar()
        number = kept or ""  # an offer keeps the case number it names (not personal data)
    if last_sent_at is None:
        cursor = s.get(SyncCursor, (grant.peer_fingerprint, scope_of(grant.case_uuid)))
        last_sent_at = cursor.sent_until if cursor is not None else None
    return GrantRow(id=grant.id, case_uuid=grant.case_uuid, case_number=number,
                    client_name=client, peer_fingerprint=grant.peer_fingerprint,
                    peer_name=peer_label(peer, grant.peer_fingerprint), kind=grant.kind,
                    direction=grant.direction, state=grant.state, since=grant.since,
                    until=grant.until, last_sent_at=last_sent_at)


def case_by_uuid(s: Session, case_uuid: str) -> CaseFile | None:
    return s.execute(select(CaseFile).where(CaseFile.uuid == case_uuid)).scalar()


def delta_for(s: Session, grant: ShareGrant, peer_vault: str | None,
              *, full: bool = False) -> list[RowImage]:
    """The case's rows the peer has not been sent yet (all of them with ``full``); moves the
    cursor of the case's scope to the newest row looked at."""
    case = case_by_uuid(s, grant.case_uuid)
    if case is None:
        return []
    key = (grant.peer_fingerprint, scope_of(grant.case_uuid))
    cursor = s.get(SyncCursor, key)
    since = None if full or cursor is None else cursor.sent_until
    images, newest = case_images(s, select_case(s, case.id), changed_after=since,
                                 skip_changed_by=None if full else peer_vault)
    if newest is not None:
        if cursor is None:
            s.add(SyncCursor(peer_fingerprint=key[0], scope=key[1], sent_until=newest))
        elif newest > cursor.sent_until.replace(tzinfo=newest.tzinfo):
            cursor.sent_until = newest
    return images


def forget_case(s: Session, case_uuid: str, rows: CaseRows | None = None,
                keep: tuple[str, ...] = ()) -> int:
    """Remove this vault's copy of a case (a deputy's cover ended, a case handed over): the
    content rows for good, the open conflicts and the cursors of the case's scope."""
    case = case_by_uuid(s, case_uuid)
    removed = 0
    if case is not None:
        removed = remove_content(s, rows or select_case(s, case.id), keep=keep)
    s.execute(delete(SyncConflict).where(SyncConflict.case_uuid == case_uuid))
    s.execute(delete(SyncCursor).where(SyncCursor.scope == scope_of(case_uuid)))
    s.expire_all()  # rows went behind the ORM's back
    return removed


def body_cases(body: Any) -> list[str]:
    """The case uuids a bundle body names (32 hex each), or the bundle is malformed."""
    uuids = body.get("case_uuids") if hasattr(body, "get") else None
    if not isinstance(uuids, list) or not uuids or len(uuids) > 1000 or not all(
            isinstance(u, str) and len(u) == 32 and all(c in "0123456789abcdef" for c in u)
            for u in uuids):
        raise BundleRejected("payload_malformed", "case_uuids missing or malformed")
    return list(uuids)


def body_text(body: Any, key: str, limit: int = 4000) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise BundleRejected("payload_malformed", f"{key} malformed")
    return value


def body_date(body: Any, key: str) -> date | None:
    text = body_text(body, key, 10)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BundleRejected("payload_malformed", f"{key} is no date") from exc
