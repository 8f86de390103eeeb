"""Opening a bundle: limits, header, sender, signature, own recipient stanza, chunks, payload —
in that order, so nothing is parsed or decrypted before it is authenticated."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from typing import BinaryIO

from app.bundle import payload, stream
from app.bundle.header import CHUNK_SIZE, HEADER_SIZE, Header, parse_header, stream_size
from app.bundle.records import BundleRejected, OpenedBundle, OwnKeys, SenderKey
from app.bundle.sign import SIGNATURE_SIZE, verify
from app.bundle.wrap import STANZA_SIZE, parse_stanza, unwrap

MAX_BUNDLE_SIZE = 512 * 1024 * 1024  # a full case with attachments fits; checked before reading
MAX_PAYLOAD_SIZE = 1024 * 1024 * 1024  # decompressed; decoded CBOR is capped in payload.py


def check_size(size: int, max_size: int = MAX_BUNDLE_SIZE) -> None:
    """BundleRejected "too_large" for a file of ``size`` bytes: call it with the file's size
    before reading the file."""
    if size > max_size:
        raise BundleRejected("too_large", f"{size} bytes, at most {max_size}")


def read_capped(f: BinaryIO, max_size: int = MAX_BUNDLE_SIZE) -> bytes:
    """A bundle file's bytes, reading no more than ``max_size`` + 1 of them: "too_large" for a
    longer file, whatever its directory entry claimed."""
    data = f.read(max_size + 1)
    check_size(len(data), max_size)
    return data


def open_bundle(data: bytes, own: OwnKeys, senders: Callable[[str], SenderKey | None],
                *, max_size: int = MAX_BUNDLE_SIZE,
                max_payload: int = MAX_PAYLOAD_SIZE) -> OpenedBundle:
    """Verify and decrypt ``data``; raise ``BundleRejected`` (reason code) on anything wrong.

    ``senders(fingerprint)`` returns what this vault knows about the sender named in the header
    (None: unknown → reason "sender_unknown"; trust "unknown" → "sender_untrusted"; "distrusted"
    → "sender_distrusted"). The exception carries ``sender_fingerprint``, ``bundle_uuid`` and
    ``kind`` when the header could be read, so a waiting bundle can be listed.
    """
    check_size(len(data), max_size)
    header = parse_header(data)
    try:
        return _open(data, header, own, senders, max_size, max_payload)
    except BundleRejected as exc:
        exc.sender_fingerprint = header.sender_fingerprint
        exc.bundle_uuid = header.bundle_uuid
        exc.kind = header.kind
        raise


def _open(data: bytes, header: Header, own: OwnKeys,
          senders: Callable[[str], SenderKey | None], max_size: int,
          max_payload: int) -> OpenedBundle:
    # The layout follows from the header alone: check it before any key is touched.
    check_size(header.payload_size, max_size)
    stanzas_end = HEADER_SIZE + header.recipient_count * STANZA_SIZE
    signed_end = stanzas_end + stream_size(header.payload_size)
    if len(data) < signed_end + SIGNATURE_SIZE:
        raise BundleRejected("truncated", f"{len(data)} bytes, {signed_end + SIGNATURE_SIZE} "
                             "declared")
    if len(data) > signed_end + SIGNATURE_SIZE:
        raise BundleRejected("trailing_data", "bytes after the signature")

    sender = senders(header.sender_fingerprint)
    if sender is None:
        raise BundleRejected("sender_unknown", "no card for the sender")
    if sender.trust == "distrusted":
        raise BundleRejected("sender_distrusted", "sender's key distrusted")
    if sender.trust != "trusted":
        raise BundleRejected("sender_untrusted", "sender's key not confirmed")

    view = memoryview(data)
    if sender.fingerprint != header.sender_fingerprint or not verify(
            view[:signed_end], bytes(view[signed_end:]), sender.signing_public):
        raise BundleRejected("bad_signature", "signature does not verify")

    head = bytes(view[:HEADER_SIZE])
    file_key = _own_file_key(view, header, own, head)
    key = stream.stream_key(file_key, header.nonce_prefix)
    compressed = stream.decrypt(key, header.nonce_prefix, head, view[stanzas_end:signed_end],
                                CHUNK_SIZE)
    plain = _decompress(compressed, max_payload)
    content = payload.decode(plain)
    if (content.kind, content.bundle_uuid, content.created_at,
            content.sender.fingerprint) != (header.kind, header.bundle_uuid,
                                            header.created_at, header.sender_fingerprint):
        raise BundleRejected("payload_malformed", "payload does not match its header")
    return OpenedBundle(content=content, file_hash=hashlib.sha256(data).hexdigest(),
                        size=len(data))


def _own_file_key(view: memoryview, header: Header, own: OwnKeys, head: bytes) -> bytes:
    mine = bytes.fromhex(own.fingerprint)
    found = None
    seen = set()
    for i in range(header.recipient_count):
        at = HEADER_SIZE + i * STANZA_SIZE
        stanza = parse_stanza(bytes(view[at:at + STANZA_SIZE]))
        if stanza.fingerprint in seen:
            raise BundleRejected("header_damaged", "a recipient named twice")
        seen.add(stanza.fingerprint)
        if stanza.fingerprint == mine:
            found = stanza
    if found is None:
        raise BundleRejected("wrong_recipient", "this vault is not among the recipients")
    file_key = unwrap(found, own.agreement_private, head)
    if file_key is None:
        raise BundleRejected("wrong_recipient", "the stanza does not open with this vault's key")
    return file_key


def _decompress(data: bytes, max_payload: int) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, max_payload + 1)
    except zlib.error:
        raise BundleRejected("payload_malformed", "payload is not zlib data") from None
    if len(out) > max_payload:
        raise BundleRejected("payload_too_large", f"payload larger than {max_payload} bytes")
    if not d.eof or d.unused_data or d.unconsumed_tail:
        raise BundleRejected("payload_malformed", "zlib stream incomplete or followed by data")
    return out
