"""Records of verification: the answer is the seal's ``Verdict``."""

from __future__ import annotations

from app.seal.records import OUTCOME_LABELS, Verdict

__all__ = ["OUTCOME_LABELS", "Verdict"]
