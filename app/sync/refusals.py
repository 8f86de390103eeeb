"""Telling a sender that its bundle was rejected here, and learning that one of ours was.

Recipient side (``notify``): when a sync run rejects a bundle file for good (not when it leaves
it waiting), it writes a refusal notice (``app.bundle.notice``) into the folder of the sender
that the file's header names, signed with this vault's key. That name may be forged (a file whose
signature failed); the notice then names no bundle of that sender's, who drops it.

Sender side (``take_in``): each notice in this vault's folder is kept only if it is signed by
the trusted peer it names, and names one of this vault's bundles sent to that peer (by the
bundle's uuid, or by the hash of the file as written). It is then recorded once
(``sent_refusal``, with an audit entry). Every notice file read is removed, kept or not. A
refused file is done for its recipient, who will never apply it, so the cleanup removes it like
an acknowledged one (``refused_files``); a refused case transfer will never be answered, so its
offer ends as declined and the case can be offered again.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.audit import Kind
from app.bundle.notice import Notice, make_notice, read_notice
from app.bundle.records import REASONS
from app.services.sync.records import BundleOutcome
from app.share.layout import ShareLayout
from app.share.notices import read_notices, remove_notice, write_notice
from app.sync.inbox import Outcome, sender_label
from app.sync.keys import own_fingerprint_read, own_keys
from app.vault.store import Vault
from db.models import OutboxBundle, PeerDevice, SentRefusal, ShareGrant

_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def notify(vault: Vault, layout: ShareLayout, outcome: Outcome) -> None:
    """Tell the sender the file's header names that this vault rejected the file for good.
    ``ShareUnavailable`` when the share is gone (the caller then judges the file again later)."""
    sender, digest = outcome.sender_fingerprint, outcome.file_hash
    if outcome.refused is None or sender is None or digest is None \
            or not _FINGERPRINT.fullmatch(sender):
        return
    with vault.session() as s:
        own = own_keys(s, vault)
    if sender == own.fingerprint:
        return  # a file that claims to be our own: nobody to tell
    notice = Notice(bundle_uuid=outcome.bundle_uuid or "", file_hash=digest,
                    recipient=own.fingerprint, reason=outcome.refused,
                    rejected_at=vault.clock.now())
    try:
        data = make_notice(notice, own)
    except ValueError:
        return  # a bundle uuid from a damaged header that is no uuid: no notice can name it
    write_notice(layout, sender, data, tag=vault.info.vault_uuid)


def take_in(vault: Vault, layout: ShareLayout) -> list[BundleOutcome]:
    """Record the refusals of this vault's bundles that the share holds; returns a line for
    each new one (``sender``: the vault that refused it). ``ShareUnavailable`` when the share is
    gone."""
    with vault.read_session() as s:
        own = own_fingerprint_read(s)
        keys = dict(s.execute(select(PeerDevice.fingerprint, PeerDevice.signing_public)
                              .where(PeerDevice.trust == "trusted")).tuples().all())
    if own is None:
        return []
    new: list[BundleOutcome] = []
    for path, data in read_notices(layout, own):
        if data is not None:
            try:
                notice = read_notice(data, keys.get)
            except ValueError:
                notice = None
            line = _record(vault, notice) if notice is not None else None
            if line is not None:
                new.append(line)
        remove_notice(path)
    return new


def _record(vault: Vault, notice: Notice) -> BundleOutcome | None:
    with vault.session() as s:
        sent = s.execute(select(OutboxBundle).where(or_(
            OutboxBundle.file_hash == notice.file_hash,
            OutboxBundle.bundle_uuid == (notice.bundle_uuid or None)))).scalars().all()
        match = next((b for b in sent if notice.recipient in b.recipients), None)
        if match is None:
            return None  # not ours, or not sent to that vault
        try:  # once per bundle and recipient (unique); the savepoint keeps the session usable
            with s.begin_nested():
                s.add(SentRefusal(bundle_uuid=match.bundle_uuid, kind=match.kind,
                                  recipient_fingerprint=notice.recipient, reason=notice.reason,
                                  rejected_at=notice.rejected_at, noted_at=vault.clock.now()))
        except IntegrityError:  # told before (a notice written again, or a copy's)
            return None
        audit.record(s, Kind.BUNDLE_REFUSED, "sent_refusal", match.bundle_uuid,
                     bundle_kind=match.kind, recipient=notice.recipient, reason=notice.reason)
        _end_refused_offer(s, vault, match.bundle_uuid, notice)
        label = sender_label(s.execute(select(PeerDevice).where(
            PeerDevice.fingerprint == notice.recipient)).scalar())
    return BundleOutcome(file_name="", kind=match.kind, sender=label,
                         sender_fingerprint=notice.recipient, reason=notice.reason,
                         message_de=refusal_text(label, notice.reason))


# The reasons whose recipient-side wording ("dieser Tresor", "die Absenderin") would read wrong
# to the sender; every other reason describes the bundle and reads the same from both sides.
SENT_REASONS_DE = {
    "sender_distrusted": "Dort wurde dem Schlüssel dieses Tresors das Vertrauen entzogen.",
    "wrong_recipient": "Das Bündel war dort nicht für diesen Empfänger verschlüsselt.",
    "kind_not_accepted": "Diese Art von Bündel nimmt der Tresor dort nicht an.",
    "not_allowed": "Dieser Tresor darf diese Datensätze dort nicht ändern.",
    "stale": "Dort war schon ein neueres Bündel dieses Tresors übernommen.",
}


def reason_text(reason: str) -> str:
    """Why one of our bundles was refused, in German, from the sender's side."""
    return SENT_REASONS_DE.get(reason) or REASONS.get(reason, reason)


def _end_refused_offer(s: Session, vault: Vault, bundle_uuid: str, notice: Notice) -> None:
    """A case transfer the recipient's Lotse refused will never be answered: the offer ends as
    declined, so the case can be offered again (to the same colleague once the cause is fixed,
    or to another)."""
    grant = s.execute(select(ShareGrant).where(
        ShareGrant.bundle_uuid == bundle_uuid, ShareGrant.kind == "transfer",
        ShareGrant.direction == "out", ShareGrant.state == "offered",
        ShareGrant.peer_fingerprint == notice.recipient)).scalar()
    if grant is None:
        return
    grant.state, grant.ended_at = "declined", vault.clock.now()
    audit.record(s, Kind.CASE_TRANSFER_DECLINED, "case", grant.case_uuid, grant=grant.id,
                 peer=notice.recipient, direction="out", refused=notice.reason)


def refusal_text(recipient: str | None, reason: str) -> str:
    """One German line: who refused one of our bundles, and why."""
    return f"Abgelehnt von {recipient or 'einem unbekannten Tresor'}: {reason_text(reason)}"


def refused_files(vault: Vault) -> set[tuple[str, str]]:
    """``(file hash, recipient fingerprint[:16])`` of every sent file a recipient refused: done,
    for the cleanup, as if acknowledged."""
    with vault.read_session() as s:
        rows = s.execute(select(OutboxBundle.file_hash, SentRefusal.recipient_fingerprint)
                         .join(SentRefusal, SentRefusal.bundle_uuid == OutboxBundle.bundle_uuid)
                         .where(OutboxBundle.file_hash.is_not(None))).tuples().all()
    return {(digest, fp[:16]) for digest, fp in rows if digest is not None}
