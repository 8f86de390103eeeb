"""Records of the staff domain."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaffMember:
    uuid: str
    display_name: str
    role: str  # case_manager / team_lead
    is_self: bool  # the owner of this vault
    active: bool
