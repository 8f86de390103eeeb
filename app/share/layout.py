"""Where things live on the share (see ``app.share``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUNDLE_SUFFIX = ".lbundle"
CARD_SUFFIX = ".lcard"
ACK_SUFFIX = ".ack"
NOTICE_SUFFIX = ".refused"
PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True)
class ShareLayout:
    root: Path

    def cards(self) -> Path:
        return self.root / "cards"

    def inbox_of(self, fingerprint: str) -> Path:
        return self.root / "to" / fingerprint[:32]

    def acks_of(self, fingerprint: str) -> Path:
        return self.root / "applied" / fingerprint[:32]
