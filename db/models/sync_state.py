"""Bookkeeping of bundle exchange: local to each vault, never replicated themselves.

Who the other vaults are (``peer_device``, trust is this vault's own decision), what waits to go
out (``outbox_bundle``: sealed bundles, encrypted for their recipients and kept inside the
encrypted store while the share is unreachable), what came in and could not be applied yet or
at all (``inbox_bundle``), which bundles were applied (``bundle_receipt``), what conflicts wait
for a person (``sync_conflict``), which cases are shared with or handed over to whom
(``share_grant``), up to when each peer was sent what (``sync_cursor``) and which file names
in its own inbox folder on the share it has judged already (``share_seen``), and which of its
own bundles a recipient's Lotse refused, by that recipient's signed notice (``sent_refusal``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow

TRUST_STATES = ("unknown", "trusted", "distrusted")
PEER_ROLES = ("casework", "steering", "coordination")
# "offered": a case transfer kept for the recipient's decision (app.sync.transfer), no file.
INBOX_STATES = ("waiting", "rejected", "discarded", "offered")
GRANT_KINDS = ("deputy", "transfer")
GRANT_STATES = ("active", "ended", "offered", "accepted", "declined")


class BundleReceipt(Base):
    """Written in the same transaction that applies a bundle, so a re-import is a no-op."""

    __tablename__ = "bundle_receipt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uuid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    sender_device: Mapped[str]  # fingerprint of the sender's signing key
    # SHA-256 of the file as read: the same bytes under another name are skipped unopened.
    file_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(default=0)  # records applied (for the sync report)
    conflicts: Mapped[int] = mapped_column(default=0)  # new conflicts it caused


class SyncConflict(Base):
    """Both vaults changed the same field: both values are kept until a person decides.

    ``kind`` "field": a field changed on both sides (``local_value`` is what stays in the row
    until resolved). "deleted": one side deleted the record while the other edited it; the edit
    is kept here (``remote_value`` or ``local_value`` as a dict of the edited fields) instead of
    vanishing into the tombstone.
    """

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str]
    row_uuid: Mapped[str] = mapped_column(String(32), index=True)
    field: Mapped[str]
    # JSON values may legitimately be JSON null, so these are Any and nullable.
    local_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    remote_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    remote_stamp: Mapped[Any] = mapped_column(JSON, nullable=True)  # [vault, counter]
    remote_vault: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None]  # keep_local / take_remote / edited / decided_elsewhere
    kind: Mapped[str] = mapped_column(String(16), default="field")  # field / deleted
    local_stamp: Mapped[Any] = mapped_column(JSON, nullable=True)  # [vault, counter]
    case_uuid: Mapped[str | None] = mapped_column(String(32), index=True)  # for per-case views
    remote_author: Mapped[str | None]  # the sending case manager's name, as the bundle says
    remote_changed_at: Mapped[datetime | None]  # when the sender sealed the bundle
    local_changed_at: Mapped[datetime | None]  # the row's updated_at here when detected
    resolved_by: Mapped[str | None] = mapped_column(String(32))  # owner uuid of this vault


class PeerDevice(Base):
    """Another vault's key card as found on the share (or imported from a file).

    Nothing from such a vault is applied before ``trust`` is "trusted": after a person typed
    back its fingerprint ("fingerprint") or because the card carries the signature of a trusted
    coordination office ("coordination").
    """

    __tablename__ = "peer_device"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256
    vault_uuid: Mapped[str] = mapped_column(String(32), index=True)
    vault_code: Mapped[str]
    vault_name: Mapped[str]
    holder_name: Mapped[str]  # the case manager (or "Koordinierungsstelle", "Lenkungskreis")
    municipality: Mapped[str | None]
    role: Mapped[str] = mapped_column(String(16), default="casework")  # PEER_ROLES
    signing_public: Mapped[bytes] = mapped_column(LargeBinary)  # P-256, SEC1 compressed
    agreement_public: Mapped[bytes] = mapped_column(LargeBinary)  # P-256, SEC1 compressed
    card: Mapped[bytes] = mapped_column(LargeBinary)  # the signed card as received
    card_issued_at: Mapped[datetime]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    trust: Mapped[str] = mapped_column(String(16), default="unknown")  # TRUST_STATES
    trusted_at: Mapped[datetime | None]
    trusted_how: Mapped[str | None]  # fingerprint / coordination


class OutboxBundle(Base):
    """A sealed bundle waiting to be written to the share (or written, until cleaned up)."""

    __tablename__ = "outbox_bundle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uuid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str]
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)  # fingerprints
    size: Mapped[int]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # dropped once written and verified
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    file_names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # fp -> final name
    # SHA-256 of the sealed bytes, as the recipients' acknowledgements name the file.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None]  # a reason code, never a path or personal data


class InboxBundle(Base):
    """A bundle file that was read but not applied: waiting for trust, or rejected with a reason.

    Keyed by the hash of its bytes, so the same file is judged once, whatever it is called.
    """

    __tablename__ = "inbox_bundle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_hash: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str]  # the name on the share (random; never personal)
    size: Mapped[int]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16))  # INBOX_STATES
    reason: Mapped[str]  # a reason code (app.bundle.records.REASONS)
    sender_fingerprint: Mapped[str | None] = mapped_column(String(64))
    bundle_uuid: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str | None]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # kept while waiting


class SentRefusal(Base):
    """One of this vault's bundles that a recipient's Lotse rejected, as its signed notice on the
    share says (``app.sync.refusals``): shown until a person has taken note of it."""

    __tablename__ = "sent_refusal"
    __table_args__ = (UniqueConstraint("bundle_uuid", "recipient_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uuid: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str]
    recipient_fingerprint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str]  # the recipient's reason code (app.bundle.records.REASONS)
    rejected_at: Mapped[datetime]  # by the recipient's clock, as it signed it
    noted_at: Mapped[datetime] = mapped_column(default=utcnow)  # read here
    dismissed_at: Mapped[datetime | None]  # a person took note


class ShareSeen(Base):
    """A file name in this vault's inbox folder on the share that was read and judged.

    Final names are never reused (``app.share.files.write_new``), so a known name is passed over
    unopened; the same bytes under a new name are still caught by their hash.
    """

    __tablename__ = "share_seen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(unique=True)
    file_hash: Mapped[str | None] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShareGrant(Base):
    """A case shared with a deputy (Vertretung) or handed over (transfer), in either direction."""

    __tablename__ = "share_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_uuid: Mapped[str] = mapped_column(String(32), index=True)
    peer_fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # GRANT_KINDS
    direction: Mapped[str] = mapped_column(String(3))  # out / in
    state: Mapped[str] = mapped_column(String(16))  # GRANT_STATES
    since: Mapped[date]
    until: Mapped[date | None]  # a deputy's cover ends (inclusive)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    bundle_uuid: Mapped[str | None] = mapped_column(String(32))  # the offer of a transfer
    note: Mapped[str | None]


class SyncCursor(Base):
    """Up to when (this vault's clock) rows of ``scope`` were sealed for a peer: the next bundle
    carries what changed since. Only decides what to resend; merging never reads it."""

    __tablename__ = "sync_cursor"

    peer_fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)  # "directory", "case:<uuid>"
    sent_until: Mapped[datetime]
