"""Deputy (Vertretung): a case shared with one named colleague who covers it; both edit and the
changes flow both ways at every sync run, merged per field by ``db.replica.apply_images``.

Body of a DEPUTY bundle: ``{"case_uuids": [...], "until": "YYYY-MM-DD" | None,
"state": "active" | "ended", "final": bool}``.

The end of a share, and what the deputy keeps (data minimisation): the owner's ``end_share``
sends a last bundle with ``state`` "ended". The deputy's vault applies it, sends back in the
same transaction whatever the deputy changed that was not sent yet (``final``), and then
removes its copy of the case for good (rows deleted, not tombstoned: nothing of it travels on).
A deputy may also give a case back (``end_share`` on the incoming grant): the same final bundle,
then the same removal. Between the cover's end date (``until``) and the owner's end bundle the
deputy's copy is read-only (``app.sync.readonly``); the owner's vault ends a share whose date
has passed at its next sync run.

A deputy bundle about a case that is not shared between exactly the sender and this vault, or
with a row outside the shared cases, is refused whole ("not_allowed").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.bundle.records import DEPUTY, BundleContent, BundleRejected
from app.errors import NotFound, Refused
from app.services.handover.records import GrantRow
from app.sync import kinds, outbox
from app.sync.case_rows import check_images
from app.sync.grants import (
    body_cases,
    body_date,
    can_send,
    case_by_uuid,
    delta_for,
    forget_case,
    grant_row,
    trusted_colleague,
)
from app.sync.readonly import GUARD_OFF, read_only_reasons
from app.vault.store import Vault
from db import replica
from db.models import PeerDevice, ShareGrant


def share_case(s: Session, vault: Vault, case_uuid: str, fingerprint: str,
               until: date | None) -> GrantRow:
    peer = trusted_colleague(s, fingerprint)
    case = case_by_uuid(s, case_uuid)
    if case is None or case.deleted:
        raise NotFound("Der Fall wurde nicht gefunden.", f"no case {case_uuid}")
    today = vault.clock.today()
    if until is not None and until < today:
        raise Refused("Das Ende der Vertretung liegt in der Vergangenheit.", "until in the past")
    reason = read_only_reasons(s, today).get(case.uuid)
    if reason is not None:
        raise Refused(reason, "case is read-only here")
    grants = s.execute(select(ShareGrant).where(ShareGrant.case_uuid == case.uuid)).scalars()
    for grant in grants:
        if grant.kind == "deputy" and grant.direction == "in" and grant.state == "active":
            raise Refused("Dieser Fall ist Ihnen nur zur Vertretung geteilt; weitergeben kann "
                          "ihn nur die zuständige Fallmanagerin / der zuständige Fallmanager.",
                          "case is an incoming deputy copy")
        if grant.kind == "transfer" and grant.state == "offered":
            raise Refused("Für diesen Fall ist eine Übergabe angeboten; bitte erst deren "
                          "Antwort abwarten.", "transfer pending")
        if grant.kind == "deputy" and grant.state == "active" and \
                grant.peer_fingerprint == peer.fingerprint:
            raise Refused(f"Der Fall ist bereits mit {peer.holder_name} geteilt.",
                          "already shared with this peer")
    grant = ShareGrant(case_uuid=case.uuid, peer_fingerprint=peer.fingerprint, kind="deputy",
                       direction="out", state="active", since=today, until=until)
    s.add(grant)
    s.flush()
    rows = delta_for(s, grant, peer.vault_uuid, full=True)
    outbox.enqueue(s, vault, DEPUTY, [peer.fingerprint], rows=rows,
                   body=_body([case.uuid], until, "active"))
    audit.record(s, audit.Kind.CASE_SHARED, "case", case.uuid, grant=grant.id,
                 peer=peer.fingerprint, until=until.isoformat() if until else None,
                 rows=len(rows))
    return grant_row(s, grant)


def end_share(s: Session, vault: Vault, grant_id: int) -> GrantRow:
    grant = s.get(ShareGrant, grant_id)
    if grant is None or grant.kind != "deputy":
        raise NotFound("Diese Vertretung wurde nicht gefunden.", f"no deputy grant {grant_id}")
    if grant.state != "active":
        raise Refused("Diese Vertretung ist bereits beendet.", "grant not active")
    _end(s, vault, grant)
    return grant_row(s, grant)


def _end(s: Session, vault: Vault, grant: ShareGrant) -> None:
    """Send the last changes with the end; a deputy giving the case back also removes it."""
    peer = s.execute(select(PeerDevice).where(
        PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
    rows = delta_for(s, grant, peer.vault_uuid if peer else None)
    grant.state = "ended"
    grant.ended_at = vault.clock.now()
    if can_send(s, grant.peer_fingerprint):
        outbox.enqueue(s, vault, DEPUTY, [grant.peer_fingerprint], rows=rows,
                       body=_body([grant.case_uuid], grant.until, "ended",
                                  final=grant.direction == "in"))
    audit.record(s, audit.Kind.CASE_SHARE_ENDED, "case", grant.case_uuid, grant=grant.id,
                 peer=grant.peer_fingerprint, direction=grant.direction, rows=len(rows))
    if grant.direction == "in":
        s.info[GUARD_OFF] = True
        forget_case(s, grant.case_uuid)


FINAL_SEQ = "final_seq="  # share_grant.note of an owner's ended share: the goodbye's audit seq


def _final_seq(grant: ShareGrant) -> int | None:
    note = grant.note or ""
    return int(note[len(FINAL_SEQ):]) if note.startswith(FINAL_SEQ) else None


def _body(case_uuids: list[str], until: date | None, state: str, *,
          final: bool = False) -> dict[str, Any]:
    return {"case_uuids": case_uuids, "until": until.isoformat() if until else None,
            "state": state, "final": final}


class DeputyHandler:
    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        body = bundle.body
        cases = body_cases(body)
        state = body.get("state")
        final = body.get("final") is True
        if state not in ("active", "ended"):
            raise BundleRejected("payload_malformed", "state")
        until = body_date(body, "until")
        plan: list[tuple[str, ShareGrant | None]] = []
        for case_uuid in cases:
            plan.append((case_uuid, self._grant_for(s, case_uuid, sender, state,
                                                    bundle.audit_head.seq)))
        check_images(s, bundle.rows, cases)
        s.info[GUARD_OFF] = True  # the owner's rows still apply to a copy past its end date
        result = replica.apply_images(s, bundle.rows, remote_vault=sender.vault_uuid,
                                      author=sender.holder_name, changed_at=bundle.created_at)
        if result.refused:  # the whole bundle goes back (the pipeline rolls back)
            raise BundleRejected("not_allowed", f"rows refused: {result.refused[:3]}")
        today = vault.clock.today()
        for case_uuid, grant in plan:
            if grant is None:  # a new share from the case's owner
                grant = ShareGrant(case_uuid=case_uuid, peer_fingerprint=sender.fingerprint,
                                   kind="deputy", direction="in", state="active", since=today,
                                   until=until, bundle_uuid=bundle.bundle_uuid)
                s.add(grant)
                s.flush()
                audit.record(s, audit.Kind.CASE_SHARED, "case", case_uuid, grant=grant.id,
                             peer=sender.fingerprint, direction="in")
            else:
                grant.until = until if grant.direction == "in" else grant.until
            if state == "ended" and grant.state == "active":
                self._ended_by_peer(s, vault, grant, sender)
            if final and grant.direction == "out":
                grant.note = f"{FINAL_SEQ}{bundle.audit_head.seq}"
        return result.inserted + result.updated, len(result.conflicts or [])

    @staticmethod
    def _grant_for(s: Session, case_uuid: str, sender: PeerDevice, state: str,
                   seq: int) -> ShareGrant | None:
        grants = list(s.execute(select(ShareGrant).where(
            ShareGrant.case_uuid == case_uuid, ShareGrant.kind == "deputy",
            ShareGrant.peer_fingerprint == sender.fingerprint).order_by(
                ShareGrant.id.desc())).scalars())
        active = [g for g in grants if g.state == "active"]
        if active:
            return active[0]
        # Edits of the deputy that crossed the end on the share, up to its goodbye (``final``).
        # Files arrive in any order: what the deputy sealed before its goodbye (a lower audit
        # sequence; the goodbye's is kept in the grant's ``note``) is still taken, nothing after.
        out_ended = [g for g in grants if g.direction == "out" and g.state == "ended"]
        if out_ended and (_final_seq(out_ended[0]) is None
                          or seq < (_final_seq(out_ended[0]) or 0)):
            return out_ended[0]
        if not grants and state == "active" and case_by_uuid(s, case_uuid) is None:
            return None  # a new share
        raise BundleRejected("not_allowed", f"case {case_uuid} is not shared with the sender")

    @staticmethod
    def _ended_by_peer(s: Session, vault: Vault, grant: ShareGrant, sender: PeerDevice) -> None:
        grant.state = "ended"
        grant.ended_at = vault.clock.now()
        audit.record(s, audit.Kind.CASE_SHARE_ENDED, "case", grant.case_uuid, grant=grant.id,
                     peer=sender.fingerprint, direction=grant.direction, by="peer")
        if grant.direction == "in":  # our cover ended: send what is left, then forget it
            rows = delta_for(s, grant, sender.vault_uuid)
            outbox.enqueue(s, vault, DEPUTY, [sender.fingerprint], rows=rows,
                           body=_body([grant.case_uuid], grant.until, "ended", final=True))
            forget_case(s, grant.case_uuid)


def export_changes(s: Session, vault: Vault) -> int:
    """Exporter of every sync run: each active share's changes since its cursor, either way;
    a share whose end date passed is ended here (by the owner's vault)."""
    today = vault.clock.today()
    sent = 0
    grants = list(s.execute(select(ShareGrant).where(
        ShareGrant.kind == "deputy", ShareGrant.state == "active")).scalars())
    for grant in grants:
        if grant.direction == "out" and grant.until is not None and grant.until < today:
            _end(s, vault, grant)
            sent += 1
            continue
        # A deputy's copy past its end date is read-only, but what was changed before still
        # goes out (the owner takes it even after its vault ended the share).
        peer = s.execute(select(PeerDevice).where(
            PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
        if peer is None or peer.trust != "trusted":
            continue
        rows = delta_for(s, grant, peer.vault_uuid)
        if rows:
            outbox.enqueue(s, vault, DEPUTY, [peer.fingerprint], rows=rows,
                           body=_body([grant.case_uuid], grant.until, "active"))
            sent += 1
    return sent


kinds.register(DEPUTY, DeputyHandler())
kinds.register_exporter(export_changes)
