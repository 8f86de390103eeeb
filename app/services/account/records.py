"""Records of the account domain: the vault owner's profile."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OwnerProfile:
    display_name: str
    email: str | None = None
    phone: str | None = None
