"""What the desktop and the CLI show about exchanging bundles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# The states of a bundle still listed in the Eingang (a person may discard it there).
IN_INBOX = ("waiting", "rejected")


@dataclass(frozen=True)
class BundleOutcome:
    """One bundle of a sync run or an import."""

    file_name: str  # random, never personal
    kind: str | None  # app.bundle.records.KINDS, None if the header was unreadable
    sender: str | None  # "Katharina Nowak (Dortmund)" when known
    sender_fingerprint: str | None
    reason: str | None  # a reason code for skipped / waiting / rejected
    message_de: str  # one German line for people
    rows: int = 0
    conflicts: int = 0


@dataclass
class SyncReport:
    sent: list[BundleOutcome] = field(default_factory=list)
    applied: list[BundleOutcome] = field(default_factory=list)
    skipped: list[BundleOutcome] = field(default_factory=list)  # already applied (no-op)
    waiting: list[BundleOutcome] = field(default_factory=list)  # sender not (yet) trusted
    rejected: list[BundleOutcome] = field(default_factory=list)
    # Own bundles a recipient's Lotse refused, by its signed notice (sender: that recipient).
    refused: list[BundleOutcome] = field(default_factory=list)
    cancelled: bool = False
    share_reachable: bool = True


@dataclass(frozen=True)
class SyncStatus:
    share_folder: str | None  # None: no share set
    share_reachable: bool
    last_sync_at: datetime | None
    outbox: int  # bundles not yet on the share
    waiting: int
    rejected: int
    conflicts: int  # open
    refused: int = 0  # own bundles a recipient refused, not yet taken note of


@dataclass(frozen=True)
class InboxRow:
    """A waiting or rejected bundle, for the list in the desktop."""

    id: int
    file_name: str
    first_seen_at: datetime
    state: str  # waiting / rejected / discarded
    reason: str
    message_de: str
    sender: str | None
    sender_fingerprint: str | None
    kind: str | None
    size: int


@dataclass(frozen=True)
class RefusalRow:
    """One of this vault's bundles that a recipient's Lotse refused (its signed notice)."""

    id: int
    bundle_uuid: str
    kind: str
    recipient: str | None  # "Katharina Nowak (Dortmund)" when known
    recipient_fingerprint: str
    reason: str  # the recipient's reason code
    message_de: str  # why, in German, from this (the sending) side
    rejected_at: datetime  # by the recipient's clock
    noted_at: datetime  # when this vault read the notice
