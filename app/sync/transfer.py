"""Case transfer: the whole case (with its attachments' bytes) offered to one colleague, who
accepts or declines.

The receiving vault does not apply an offer on arrival. It records the offer (``share_grant``
transfer/in/offered) and keeps the bundle's content inside the encrypted store as an
``inbox_bundle`` row in state "offered" (not "waiting": the pipeline retries waiting files)
with reason "transfer_offered" (``file_hash``: a hash of the bundle uuid, so it can never meet a
real file's hash; ``file_name``: the case number the offer names, for the list of offers;
``data``: the rows and body, CBOR).
``accept_offer`` applies the rows in one transaction, makes this vault's owner the case manager
(the case number stays; the hand-over is added to the case's hand-over note) and answers
"accepted"; ``decline_offer`` answers "declined" and drops the kept content.

The sender, on "accepted", keeps a closed, read-only stub: the case file row with its case
number, municipality, target group, opening date, today as closing date, phase "closed" and a
hand-over line naming the colleague; the client's name and every other content field emptied;
every other row of the case deleted from this vault for good (not tombstoned, so nothing travels
on as a deletion). Issued certificates stay: they are this vault's register of what it signed
(verification and revocation need them). On "declined" only the grant changes.

A case handed back later to a vault that holds its stub is offered like any other; on accept
the stub's own rows forget their stamps (``_forget_stub``) so the returning content replaces
them, and the old hand-over grant ends, which makes the case writable again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import cbor2
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.bundle.records import (
    TRANSFER,
    TRANSFER_ANSWER,
    BundleContent,
    BundleRejected,
)
from app.errors import NotFound, Refused
from app.services.handover.records import GrantRow
from app.sync import kinds, outbox
from app.sync.case_rows import check_images, model_of, select_case
from app.sync.grants import (
    body_cases,
    body_text,
    can_send,
    case_by_uuid,
    delta_for,
    forget_case,
    grant_row,
    offer_hash,
    trusted_colleague,
)
from app.sync.readonly import GUARD_OFF, read_only_reasons
from app.vault.store import Vault
from db import replica
from db.models import CaseFile, CaseManager, InboxBundle, PeerDevice, Person, ShareGrant
from db.row_image import RowImage

OFFERED = "transfer_offered"  # inbox_bundle.reason of a kept offer
OFFER_STATE = "offered"  # inbox_bundle.state of a kept offer (db.models.sync_state.INBOX_STATES)
MAX_NOTE = 4000
STUB_KEEPS = frozenset({"case_number", "person_id", "municipality", "target_group",
                        "case_manager_id", "opened_on", "retention_until"})


def transfer_case(s: Session, vault: Vault, case_uuid: str, fingerprint: str,
                  note: str) -> GrantRow:
    peer = trusted_colleague(s, fingerprint)
    case = case_by_uuid(s, case_uuid)
    if case is None or case.deleted:
        raise NotFound("Der Fall wurde nicht gefunden.", f"no case {case_uuid}")
    if len(note) > MAX_NOTE:
        raise Refused("Die Übergabenotiz ist zu lang.", "note too long")
    reason = read_only_reasons(s, vault.clock.today()).get(case.uuid)
    if reason is not None:
        raise Refused(reason, "case is read-only here")
    for grant in s.execute(select(ShareGrant).where(ShareGrant.case_uuid == case.uuid)).scalars():
        if grant.kind == "deputy" and grant.state == "active":
            raise Refused("Der Fall ist zur Vertretung geteilt. Bitte die Vertretung zuerst "
                          "beenden, dann übergeben.", "active deputy share")
        if grant.kind == "transfer" and grant.state == "offered":
            raise Refused("Für diesen Fall ist bereits eine Übergabe angeboten.",
                          "transfer already offered")
    grant = ShareGrant(case_uuid=case.uuid, peer_fingerprint=peer.fingerprint, kind="transfer",
                       direction="out", state="offered", since=vault.clock.today(),
                       note=note.strip() or None)
    s.add(grant)
    s.flush()
    rows = delta_for(s, grant, peer.vault_uuid, full=True)
    grant.bundle_uuid = outbox.enqueue(
        s, vault, TRANSFER, [peer.fingerprint], rows=rows,
        body={"case_uuids": [case.uuid], "case_number": case.case_number,
              "note": grant.note})
    audit.record(s, audit.Kind.CASE_TRANSFER_OFFERED, "case", case.uuid, grant=grant.id,
                 peer=peer.fingerprint, rows=len(rows))
    return grant_row(s, grant)


def _offer(s: Session, grant_id: int) -> tuple[ShareGrant, InboxBundle, PeerDevice]:
    grant = s.get(ShareGrant, grant_id)
    if grant is None or grant.kind != "transfer" or grant.direction != "in":
        raise NotFound("Dieses Übergabeangebot wurde nicht gefunden.", f"no offer {grant_id}")
    if grant.state != "offered":
        raise Refused("Über dieses Angebot wurde bereits entschieden.", f"offer {grant.state}")
    kept = s.execute(select(InboxBundle).where(
        InboxBundle.file_hash == offer_hash(grant.bundle_uuid or ""))).scalar()
    peer = s.execute(select(PeerDevice).where(
        PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
    if kept is None or kept.data is None or peer is None:
        raise Refused("Der Inhalt dieses Angebots liegt nicht mehr vor.", "offer content gone")
    return grant, kept, peer


def accept_offer(s: Session, vault: Vault, grant_id: int) -> GrantRow:
    grant, kept, peer = _offer(s, grant_id)
    if peer.trust != "trusted":
        raise Refused(f"Dem Schlüssel von {peer.holder_name} wird nicht mehr vertraut.",
                      "sender no longer trusted")
    content = cbor2.loads(kept.data or b"")
    images = [_image(item) for item in content["rows"]]
    check_images(s, images, [grant.case_uuid])
    s.info[GUARD_OFF] = True
    earlier = _handed_over(s, grant.case_uuid)
    if earlier is not None:  # the case comes back to a vault that holds its stub
        _forget_stub(s, grant.case_uuid)
        earlier.state = "ended"
    result = replica.apply_images(s, images, remote_vault=peer.vault_uuid,
                                  author=peer.holder_name, changed_at=content["created_at"])
    if result.refused:
        raise Refused("Das Angebot passt nicht zu den Daten dieses Tresors und kann nicht "
                      "übernommen werden.", f"rows refused: {result.refused[:3]}")
    s.flush()
    case = case_by_uuid(s, grant.case_uuid)
    if case is None:
        raise Refused("Der Fall fehlt im Angebot.", "offer without its case file")
    own = s.execute(select(CaseManager).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
    line = (f"{vault.clock.today():%d.%m.%Y} Übernahme von {peer.holder_name} durch "
            f"{own.display_name}" + (f": {grant.note}" if grant.note else ""))
    case.handover_note = f"{case.handover_note}\n\n{line}" if case.handover_note else line
    case.case_manager_id = own.id
    grant.state = "accepted"
    grant.ended_at = vault.clock.now()
    s.delete(kept)
    _answer(s, vault, grant, "accepted")
    audit.record(s, audit.Kind.CASE_TRANSFERRED, "case", case.uuid, grant=grant.id,
                 peer=peer.fingerprint, direction="in", rows=len(images))
    return grant_row(s, grant)


def _handed_over(s: Session, case_uuid: str) -> ShareGrant | None:
    """The grant by which this vault handed the case over (its stub), if it did."""
    return s.execute(select(ShareGrant).where(
        ShareGrant.case_uuid == case_uuid, ShareGrant.kind == "transfer",
        ShareGrant.direction == "out", ShareGrant.state == "accepted")).scalar()


def _forget_stub(s: Session, case_uuid: str) -> None:
    """Make the stub's rows (case file, client) know nothing, so every field of the returning
    case is taken: an empty vector and a stamp no vault ever wrote ("", 0) on each field. The
    stub's emptied fields were this vault's own latest edits and would otherwise win."""
    case = case_by_uuid(s, case_uuid)
    if case is None:
        return
    for model, row_id in ((CaseFile, case.id), (Person, case.person_id)):
        table: Any = model.__table__
        blank = {c.key: ["", 0] for c in table.columns if c.key not in _SYNC_KEYS}
        s.execute(table.update().where(table.c.id == row_id).values(
            version_vector={}, field_stamps=blank))
    s.expire_all()


_SYNC_KEYS = frozenset({"id", "uuid", "origin_vault", "changed_by_vault", "version_vector",
                        "field_stamps", "deleted", "created_at", "updated_at"})


def decline_offer(s: Session, vault: Vault, grant_id: int, reason: str) -> GrantRow:
    grant, kept, peer = _offer(s, grant_id)
    grant.state = "declined"
    grant.ended_at = vault.clock.now()
    s.delete(kept)
    _answer(s, vault, grant, "declined", reason)
    audit.record(s, audit.Kind.CASE_TRANSFER_DECLINED, "case", grant.case_uuid, grant=grant.id,
                 peer=peer.fingerprint, direction="in")
    return grant_row(s, grant)


def _answer(s: Session, vault: Vault, grant: ShareGrant, answer: str, reason: str = "") -> None:
    if not can_send(s, grant.peer_fingerprint):  # a decline stays possible after distrust
        return
    outbox.enqueue(s, vault, TRANSFER_ANSWER, [grant.peer_fingerprint],
                   body={"case_uuids": [grant.case_uuid], "offer": grant.bundle_uuid,
                         "answer": answer, "reason": reason.strip()[:MAX_NOTE] or None})


def _image_data(image: RowImage) -> dict[str, Any]:
    return {"table": image.table, "uuid": image.uuid, "deleted": image.deleted,
            "origin_vault": image.origin_vault, "changed_by_vault": image.changed_by_vault,
            "version_vector": dict(image.version_vector),
            "field_stamps": {k: list(v) for k, v in image.field_stamps.items()},
            "values": dict(image.values),
            "alternatives": {k: [list(v) for v in vs] for k, vs in image.alternatives.items()}}


def _image(data: dict[str, Any]) -> RowImage:
    return RowImage(table=data["table"], uuid=data["uuid"], deleted=data["deleted"],
                    origin_vault=data["origin_vault"],
                    changed_by_vault=data["changed_by_vault"],
                    version_vector=data["version_vector"],
                    field_stamps={k: (str(v[0]), int(v[1]))
                                  for k, v in data["field_stamps"].items()},
                    values=data["values"],
                    alternatives={k: tuple((str(v[0]), int(v[1]), v[2]) for v in vs)
                                  for k, vs in data.get("alternatives", {}).items()})


class TransferHandler:
    """An offer arrives: checked and kept, nothing of the case is applied yet."""

    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        cases = body_cases(bundle.body)
        note = body_text(bundle.body, "note", MAX_NOTE)
        if len(cases) != 1:
            raise BundleRejected("payload_malformed", "a transfer names one case")
        case_uuid = cases[0]
        if sender.role != "casework":
            raise BundleRejected("not_allowed", "transfers come from casework vaults")
        if s.execute(select(ShareGrant.id).where(
                ShareGrant.bundle_uuid == bundle.bundle_uuid)).first() is not None:
            return 0, 0  # the same offer again
        existing = case_by_uuid(s, case_uuid)
        if existing is not None and not self._our_deputy_copy(s, case_uuid, sender) \
                and _handed_over(s, case_uuid) is None:
            raise BundleRejected("not_allowed", f"case {case_uuid} already exists here")
        if not any(i.table == "case_file" and i.uuid == case_uuid for i in bundle.rows):
            raise BundleRejected("payload_malformed", "transfer without its case file")
        check_images(s, bundle.rows, cases)
        data = cbor2.dumps({"rows": [_image_data(i) for i in bundle.rows],
                            "created_at": bundle.created_at.astimezone(UTC),
                            "body": dict(bundle.body)})
        number = body_text(bundle.body, "case_number", 40) or ""
        s.add(InboxBundle(file_hash=offer_hash(bundle.bundle_uuid),
                          # shown with the offer: a case number, never a name
                          file_name=number, size=len(data), state=OFFER_STATE,
                          reason=OFFERED, sender_fingerprint=sender.fingerprint,
                          bundle_uuid=bundle.bundle_uuid, kind=TRANSFER, data=data))
        grant = ShareGrant(case_uuid=case_uuid, peer_fingerprint=sender.fingerprint,
                           kind="transfer", direction="in", state="offered",
                           since=vault.clock.today(), bundle_uuid=bundle.bundle_uuid,
                           note=note)
        s.add(grant)
        s.flush()
        audit.record(s, audit.Kind.CASE_TRANSFER_OFFERED, "case", case_uuid, grant=grant.id,
                     peer=sender.fingerprint, direction="in", rows=len(bundle.rows))
        return 0, 0

    @staticmethod
    def _our_deputy_copy(s: Session, case_uuid: str, sender: PeerDevice) -> bool:
        return s.execute(select(ShareGrant.id).where(
            ShareGrant.case_uuid == case_uuid, ShareGrant.kind == "deputy",
            ShareGrant.direction == "in", ShareGrant.state == "active",
            ShareGrant.peer_fingerprint == sender.fingerprint)).first() is not None


class AnswerHandler:
    """The colleague's answer to an offer this vault made."""

    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        answer = bundle.body.get("answer")
        offer = body_text(bundle.body, "offer", 32)
        if answer not in ("accepted", "declined") or offer is None:
            raise BundleRejected("payload_malformed", "answer")
        grant = s.execute(select(ShareGrant).where(
            ShareGrant.bundle_uuid == offer, ShareGrant.kind == "transfer",
            ShareGrant.direction == "out",
            ShareGrant.peer_fingerprint == sender.fingerprint)).scalar()
        if grant is None:
            raise BundleRejected("not_allowed", "answer to no offer of ours")
        if grant.state != "offered":
            return 0, 0  # answered before
        grant.ended_at = vault.clock.now()
        if answer == "declined":
            grant.state = "declined"
            audit.record(s, audit.Kind.CASE_TRANSFER_DECLINED, "case", grant.case_uuid,
                         grant=grant.id, peer=sender.fingerprint, direction="out")
            return 0, 0
        grant.state = "accepted"
        make_stub(s, vault, grant.case_uuid, sender, grant.ended_at)
        audit.record(s, audit.Kind.CASE_TRANSFERRED, "case", grant.case_uuid, grant=grant.id,
                     peer=sender.fingerprint, direction="out")
        return 0, 0


def make_stub(s: Session, vault: Vault, case_uuid: str, peer: PeerDevice,
              when: datetime) -> None:
    """Close the case here and keep as little of it as possible (see the module docstring)."""
    s.info[GUARD_OFF] = True
    case = case_by_uuid(s, case_uuid)
    if case is None:
        return
    rows = select_case(s, case.id)
    person_id = case.person_id
    # Other vaults' conflicts and cursors go; then every content row but the stub's own.
    forget_case(s, case_uuid, rows, keep=("case_file", "person", "certificate"))
    case = case_by_uuid(s, case_uuid)
    assert case is not None
    for column in model_of("case_file").__table__.columns:  # type: ignore[attr-defined]
        name = column.key
        if name in STUB_KEEPS or name in {"id", "uuid", "origin_vault", "changed_by_vault",
                                          "version_vector", "field_stamps", "deleted",
                                          "created_at", "updated_at", "phase", "sort_name",
                                          "handover_note", "closed_on", "close_reason"}:
            continue
        if column.nullable:
            setattr(case, name, None)
        elif isinstance(getattr(case, name), bool):
            setattr(case, name, False)
    case.phase = "closed"
    case.closed_on = when.date()
    case.close_reason = "other"
    case.handover_note = (f"{when:%d.%m.%Y} Übergeben an {peer.holder_name}"
                          + (f" ({peer.municipality})" if peer.municipality else "")
                          + ". Der Fall wird dort weitergeführt.")
    case.sort_name = ""
    others = s.execute(select(CaseFile.id).where(
        CaseFile.person_id == person_id, CaseFile.id != case.id)).first()
    person = s.get(Person, person_id)
    if person is not None and others is None:
        for column in model_of("person").__table__.columns:  # type: ignore[attr-defined]
            name = column.key
            if name in {"id", "uuid", "origin_vault", "changed_by_vault", "version_vector",
                        "field_stamps", "deleted", "created_at", "updated_at"}:
                continue
            if column.nullable:
                setattr(person, name, None)
            elif name in ("given_names", "family_name", "sort_key"):
                setattr(person, name, "")
            elif name == "languages":
                person.languages = []
            elif isinstance(getattr(person, name), bool):
                setattr(person, name, False)


kinds.register(TRANSFER, TransferHandler())
kinds.register(TRANSFER_ANSWER, AnswerHandler())
