"""Reading side of the verification domain (issue 11): is this certificate genuine?"""

from __future__ import annotations

from app.seal.records import Verdict
from app.seal.verify import judge
from app.services.verification.queries import StoreTrust
from app.vault.store import Vault


def verify_qr_text(vault: Vault, text: str) -> Verdict:
    """The verdict on the text of a certificate's QR code."""
    with vault.read_session() as s:
        return judge(text, StoreTrust(s, vault))
