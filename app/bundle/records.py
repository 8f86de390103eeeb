"""Values the bundle format reads and writes, and the reasons a bundle is refused.

Contract between the format (``app.bundle``), the sync pipeline (``app.sync``) and the services:
change names here only together with every user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from db.row_image import RowImage

FORMAT_VERSION = 2  # 2: rows as arrays under per-table layouts (docs/bundle-format.md)
# Kinds of bundle (the header names one; each has its handler in app.sync.kinds).
DEPUTY = "deputy"  # cases shared with a deputy: both edit, changes flow both ways
TRANSFER = "transfer"  # a case handed over to one colleague (offer)
TRANSFER_ANSWER = "transfer_answer"  # accepted / declined, back to the sender
DIRECTORY = "directory"  # institutions, contacts, agreements, gap register of the team
STEERING = "steering"  # aggregated report for the steering committee
CATALOGUE = "catalogue"  # signed by the coordination office
KINDS = (DEPUTY, TRANSFER, TRANSFER_ANSWER, DIRECTORY, STEERING, CATALOGUE)

# Why a bundle was not applied. "waiting" reasons keep it until something changes; every other
# reason rejects it for good. Codes are stable (CLI JSON, tests); texts are the UI's German.
WAITING_REASONS = {
    "sender_unknown": "Die Absenderin oder der Absender ist diesem Tresor noch nicht bekannt. "
                      "Das Bündel wartet, bis die Schlüsselkarte vorliegt und bestätigt ist.",
    "sender_untrusted": "Der Schlüssel der Absenderin oder des Absenders ist noch nicht "
                        "bestätigt. Vergleichen Sie den Fingerabdruck, dann wird das Bündel "
                        "übernommen.",
}
REJECT_REASONS = {
    "too_large": "Die Datei ist größer, als ein Bündel sein darf.",
    "not_a_bundle": "Die Datei ist kein Lotse-Bündel.",
    "unsupported_version": "Das Bündel hat ein Format, das diese Lotse-Version nicht kennt.",
    "unsupported_algorithm": "Das Bündel nennt ein Verfahren, das Lotse nicht zulässt.",
    "header_damaged": "Der Kopf des Bündels ist beschädigt.",
    "bad_signature": "Die Signatur stimmt nicht: Das Bündel wurde verändert oder stammt nicht "
                     "von der angegebenen Absenderin oder dem angegebenen Absender.",
    "sender_distrusted": "Dem Schlüssel der Absenderin oder des Absenders wurde das Vertrauen "
                         "entzogen.",
    "wrong_recipient": "Das Bündel ist nicht für diesen Tresor bestimmt.",
    "truncated": "Das Bündel ist unvollständig (abgeschnitten).",
    "chunk_damaged": "Ein Teil des Bündels ist beschädigt, vertauscht oder fehlt.",
    "trailing_data": "Hinter dem Ende des Bündels stehen weitere Daten.",
    "payload_too_large": "Der Inhalt des Bündels überschreitet die zulässige Größe.",
    "payload_malformed": "Der Inhalt des Bündels ist nicht lesbar (Aufbau, Verschachtelung "
                         "oder doppelte Schlüssel).",
    "manifest_mismatch": "Ein Datensatz passt nicht zu seinem Eintrag im Inhaltsverzeichnis.",
    "kind_not_accepted": "Diese Art von Bündel nimmt dieser Tresor nicht an.",
    "not_allowed": "Die Absenderin oder der Absender darf diese Datensätze nicht ändern.",
    "stale": "Das Bündel ist älter als ein bereits übernommenes desselben Absenders.",
    # Not a file from the share: a case transfer kept (inbox_bundle state "offered") for the
    # recipient's decision (app.sync.transfer). Never reopened by the pipeline.
    "transfer_offered": "Eine Kollegin oder ein Kollege bietet Ihnen einen Fall an. Er wird "
                        "erst übernommen, wenn Sie das Angebot annehmen.",
}
REASONS = {**WAITING_REASONS, **REJECT_REASONS}


class BundleRejected(Exception):
    """A bundle that is not applied, with its reason code (``REASONS``)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        assert reason in REASONS, reason
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail  # English, technical, never personal data
        self.sender_fingerprint: str | None = None
        self.bundle_uuid: str | None = None
        self.kind: str | None = None

    @property
    def waiting(self) -> bool:
        return self.reason in WAITING_REASONS

    @property
    def message_de(self) -> str:
        return REASONS[self.reason]


@dataclass(frozen=True)
class Sender:
    """Who sealed a bundle, as the sender's own vault states it (bound by the signature)."""

    vault_uuid: str
    vault_code: str
    vault_name: str
    holder_name: str  # the case manager
    municipality: str | None
    fingerprint: str  # of the sender's key card


@dataclass(frozen=True)
class AuditHead:
    seq: int
    hash: str  # hex


@dataclass(frozen=True)
class BundleContent:
    kind: str  # KINDS
    bundle_uuid: str  # 32 hex, fresh per bundle
    created_at: datetime  # sender's clock: shown to people, never used to decide a merge
    sender: Sender
    audit_head: AuditHead
    rows: tuple[RowImage, ...] = ()  # replicated records, parents before children
    # Kind-specific plain data (CBOR-encodable: str, int, bool, None, bytes, lists, dicts with
    # str keys, datetimes), e.g. {"case_uuid": …} for a transfer, the tables of a steering report.
    body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipient:
    fingerprint: str
    agreement_public: bytes  # P-256 SEC1 compressed


@dataclass(frozen=True)
class OwnKeys:
    """The opening vault's key material (from ``sync_key``)."""

    fingerprint: str
    signing_private: bytes  # PKCS#8 DER
    agreement_private: bytes  # PKCS#8 DER


@dataclass(frozen=True)
class SenderKey:
    """What the reader needs to know about a sender to verify, and whether to accept it."""

    fingerprint: str
    signing_public: bytes  # P-256 SEC1 compressed
    trust: str  # unknown / trusted / distrusted
    role: str  # casework / steering / coordination


@dataclass(frozen=True)
class OpenedBundle:
    content: BundleContent
    file_hash: str  # SHA-256 of the sealed bytes
    size: int


@dataclass(frozen=True)
class DeviceCard:
    """A vault's key card as published on the share (signed by its own signing key; a
    coordination office may countersign it)."""

    vault_uuid: str
    vault_code: str
    vault_name: str
    holder_name: str
    municipality: str | None
    role: str  # casework / steering / coordination
    signing_public: bytes
    agreement_public: bytes
    issued_at: datetime
    fingerprint: str  # hex SHA-256 over both public keys (see docs/bundle-format.md)
    countersigned_by: str | None = None  # fingerprint of the coordination office's key
