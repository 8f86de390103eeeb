"""A refusal notice: a recipient's signed word that its Lotse rejected a bundle file, so the
sender learns of it (``app.sync.refusals``; format in ``docs/bundle-format.md``, section 10).

Bytes: the canonical CBOR array ``[1, "lotse-refusal", bundle_uuid, file_hash, recipient,
reason, rejected_at]`` followed by the recipient device's ECDSA P-256 / SHA-256 signature (raw
r||s, 64 bytes) over exactly those CBOR bytes. ``bundle_uuid`` is what the rejected file's
header claimed ("" when unreadable); it is a claim, and the sender only uses it to find one of
its own bundles. ``rejected_at`` is whole seconds since the Unix epoch, UTC. At most
``MAX_NOTICE_SIZE`` bytes; anything else is refused before a signature is checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.bundle import cbor
from app.bundle.cbor import CborError
from app.bundle.records import REJECT_REASONS, OwnKeys
from app.bundle.sign import SIGNATURE_SIZE, sign, verify

NOTICE_FORMAT = "lotse-refusal"
NOTICE_VERSION = 1
MAX_NOTICE_SIZE = 512
_UUID = re.compile(r"(?:[0-9a-f]{32})?")
_HASH = re.compile(r"[0-9a-f]{64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Notice:
    bundle_uuid: str  # "" when the refused file's header was unreadable
    file_hash: str  # SHA-256 of the file as the recipient read it
    recipient: str  # the refusing vault's fingerprint
    reason: str  # a code of app.bundle.records.REJECT_REASONS (never a waiting one)
    rejected_at: datetime  # by the recipient's clock


def make_notice(notice: Notice, own: OwnKeys) -> bytes:
    if notice.recipient != own.fingerprint:
        raise ValueError("a notice is signed by the vault that refused the bundle")
    _check(notice)
    message = cbor.dumps([NOTICE_VERSION, NOTICE_FORMAT, notice.bundle_uuid, notice.file_hash,
                          notice.recipient, notice.reason,
                          int(notice.rejected_at.astimezone(UTC).timestamp())])
    return message + sign(message, own.signing_private)


def read_notice(data: bytes, signing_key_of: Callable[[str], bytes | None]) -> Notice:
    """The notice in ``data``, signed by the recipient it names; ``signing_key_of(fingerprint)``
    is that recipient's signing key as this vault trusts it (None: not a trusted peer).
    ValueError for anything else."""
    if not SIGNATURE_SIZE < len(data) <= MAX_NOTICE_SIZE:
        raise ValueError("notice size out of bounds")
    message, signature = data[:-SIGNATURE_SIZE], data[-SIGNATURE_SIZE:]
    try:
        item = cbor.loads(message, max_depth=2, max_items=8)
    except CborError as exc:
        raise ValueError(f"notice not decodable: {exc}") from None
    if not (isinstance(item, list) and len(item) == 7 and item[0] == NOTICE_VERSION
            and item[1] == NOTICE_FORMAT and type(item[6]) is int and 0 <= item[6] < 2**40
            and all(type(v) is str for v in item[2:6])):
        raise ValueError("not a refusal notice of version 1")
    notice = Notice(bundle_uuid=item[2], file_hash=item[3], recipient=item[4], reason=item[5],
                    rejected_at=datetime.fromtimestamp(item[6], UTC))
    _check(notice)
    if cbor.dumps(item) != message:
        raise ValueError("notice is not canonical CBOR")
    key = signing_key_of(notice.recipient)
    if key is None:
        raise ValueError("notice from a vault that is not a trusted peer")
    if not verify(message, signature, key):
        raise ValueError("notice signature does not verify")
    return notice


def _check(notice: Notice) -> None:
    if not (_UUID.fullmatch(notice.bundle_uuid) and _HASH.fullmatch(notice.file_hash)
            and _FINGERPRINT.fullmatch(notice.recipient)):
        raise ValueError("notice names no well-formed bundle, file or vault")
    if notice.reason not in REJECT_REASONS or notice.reason == "transfer_offered":
        raise ValueError("notice gives no reason a bundle is rejected for")
