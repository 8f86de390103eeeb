"""Opening a bundle: limits, header, sender, signature, own recipient stanza, chunks, payload —
in that order, so nothing is parsed or decrypted before it is authenticated."""

from __future__ import annotations

from collections.abc import Callable

from app.bundle.records import OpenedBundle, OwnKeys, SenderKey

MAX_BUNDLE_SIZE = 512 * 1024 * 1024  # a full case with attachments fits; checked before reading


def open_bundle(data: bytes, own: OwnKeys, senders: Callable[[str], SenderKey | None],
                *, max_size: int = MAX_BUNDLE_SIZE) -> OpenedBundle:
    """Verify and decrypt ``data``; raise ``BundleRejected`` (reason code) on anything wrong.

    ``senders(fingerprint)`` returns what this vault knows about the sender named in the header
    (None: unknown → reason "sender_unknown"; trust "unknown" → "sender_untrusted"; "distrusted"
    → "sender_distrusted"). The exception carries ``sender_fingerprint``, ``bundle_uuid`` and
    ``kind`` when the header could be read, so a waiting bundle can be listed.
    """
    raise NotImplementedError  # contract: the format engineer fills this in
