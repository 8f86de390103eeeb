"""Records of the household domain: a member as typed in and as read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NewMember:
    given_names: str
    family_name: str
    relation: str  # household_relations catalogue code: the member's relation to the client
    date_of_birth: date | None = None


@dataclass(frozen=True)
class Member:
    """A person living in the client's household (the client is not one of them)."""

    uuid: str
    given_names: str
    family_name: str
    relation: str | None  # as stored; may be a code of a newer catalogue or older free text
    relation_label: str
    date_of_birth: date | None
    age: int | None  # in full years on the vault's today
    case_id: int | None  # the member's own live case, if there is one
    case_number: str | None


@dataclass(frozen=True)
class HouseholdView:
    label: str | None  # None: the client has no household yet
    members: tuple[Member, ...]
