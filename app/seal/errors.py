"""The seal's one error: a check of the seal failed, with the verdict's reason code."""

from __future__ import annotations

from app.errors import EXIT_REFUSED, LotseError


class SealError(LotseError):
    """A QR text, key card or revocation list that cannot be read or does not verify.

    ``reason`` is one of the ``R_*`` codes of ``app.seal.records``; the English message carries
    no personal data (it may reach the CLI and logs).
    """

    exit_code = EXIT_REFUSED

    def __init__(self, reason: str, message_de: str, message_en: str) -> None:
        super().__init__(message_de, message_en)
        self.reason = reason
        self.message_en = message_en
