"""Changes to the client's household: add, correct and remove members, open a member's own case.

The household is created with its first member; the client is its reference person, so every
member's relation is stated relative to the client. Audit entries name records by uuid and the
changed fields by name, never a name, birth date or relation."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import NotFound, ValidationFailed, reject_unknown_fields
from app.services.cases.queries import next_case_number, resolve_case
from app.services.cases.read import sort_name
from app.services.editing import apply_changes, live, required, tombstone
from app.services.household.records import NewMember
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, Household, Person, PhaseTransition

MEMBER_FIELDS = frozenset({"given_names", "family_name", "relation", "date_of_birth"})
NAME_MISSING = "Bitte Vor- und Familiennamen angeben."


def _checked(values: dict[str, Any], today: date) -> dict[str, Any]:
    """The member's fields as stored (relation -> household_role), or a German refusal."""
    stored: dict[str, Any] = {}
    for name in ("given_names", "family_name"):
        if name in values:
            stored[name] = required(values[name], NAME_MISSING, name)
    if "relation" in values:
        relation = values["relation"]
        if relation not in {r.code for r in catalogues.household_relations()}:
            raise ValidationFailed("Bitte die Beziehung zur Klientin / zum Klienten wählen.",
                                   "unknown relation", field="relation")
        stored["household_role"] = relation
    if "date_of_birth" in values:
        born = values["date_of_birth"]
        if born is not None and born > today:
            raise ValidationFailed("Das Geburtsdatum liegt in der Zukunft.",
                                   "birth date in the future", field="date_of_birth")
        stored["date_of_birth"] = born
    return stored


def _client_household(s: Session, case: CaseFile) -> Household | None:
    client = s.get_one(Person, case.person_id)
    return None if client.household_id is None else s.get_one(Household, client.household_id)


def _ensure_household(s: Session, case: CaseFile) -> Household:
    """The client's household, created with the first member and named after the client."""
    existing = _client_household(s, case)
    if existing is not None:
        return existing
    client = s.get_one(Person, case.person_id)
    household = Household(label=f"Haushalt {client.family_name}",
                          address_street=client.address_street,
                          address_postcode=client.address_postcode,
                          address_city=client.address_city)
    s.add(household)
    s.flush()
    client.household_id = household.id
    case.household_id = household.id
    audit.record(s, audit.Kind.RECORD_CREATED, "household", household.uuid, case=case.uuid)
    return household


def _member(s: Session, case: CaseFile, member_uuid: str) -> tuple[Person, Household]:
    """A live member of this case's household; anyone else is 'not found' (never the client)."""
    member = live(s, Person, member_uuid, "Das Haushaltsmitglied wurde nicht gefunden.")
    household = _client_household(s, case)
    if household is None or member.household_id != household.id or member.id == case.person_id:
        raise NotFound("Das Haushaltsmitglied wurde nicht gefunden.",
                       f"person {member_uuid} is not in the household of case {case.uuid}")
    return member, household


def _own_cases(s: Session, person: Person) -> list[CaseFile]:
    return list(s.execute(select(CaseFile).where(
        CaseFile.person_id == person.id, CaseFile.deleted.is_(False))).scalars())


def add_member(vault: Vault, case_ref: str | int, new: NewMember) -> str:
    """Add a person to the client's household (creating it with the first member)."""
    values = _checked({"given_names": new.given_names, "family_name": new.family_name,
                       "relation": new.relation, "date_of_birth": new.date_of_birth},
                      vault.clock.today())
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        household = _ensure_household(s, case)
        person = Person(**values, household_id=household.id,
                        sort_key=sort_name(values["family_name"], values["given_names"]))
        s.add(person)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "person", person.uuid,
                     household=household.uuid)
        return person.uuid


def update_member(vault: Vault, case_ref: str | int, member_uuid: str,
                  **changes: Any) -> list[str]:
    """Correct a member's name, relation or birth date; returns the changed field names."""
    reject_unknown_fields(changes, MEMBER_FIELDS)
    values = _checked(changes, vault.clock.today())
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        member, _household = _member(s, case, member_uuid)
        changed = apply_changes(s, member, values)
        if {"given_names", "family_name"} & set(changed):
            member.sort_key = sort_name(member.family_name, member.given_names)
            for own in _own_cases(s, member):
                own.sort_name = member.sort_key  # the case list sorts by the client's name
        return changed


def remove_member(vault: Vault, case_ref: str | int, member_uuid: str) -> None:
    """Take a member out of the household. A member with an own case file stays as that case's
    client and only leaves the household; anyone else is tombstoned."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        member, household = _member(s, case, member_uuid)
        if _own_cases(s, member):
            apply_changes(s, member, {"household_id": None, "household_role": None})
        else:
            tombstone(s, member, household=household.uuid)
        # The member no longer belongs to the household: this entry keeps the removal in the
        # client's Protokoll, which follows the household and its present members.
        audit.record(s, audit.Kind.RECORD_UPDATED, "household", household.uuid,
                     fields=["members"])


def open_member_case(vault: Vault, case_ref: str | int, member_uuid: str) -> int:
    """Open a case of its own for a household member (same municipality, phase intake, the
    vault owner as case manager); returns its id. A member who has a case keeps it."""
    opened = vault.clock.today()
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        member, household = _member(s, case, member_uuid)
        if _own_cases(s, member):
            raise ValidationFailed("Für dieses Haushaltsmitglied gibt es schon einen Fall.",
                                   "member already has a case")
        owner = s.execute(select(CaseManager).where(
            CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
        own = CaseFile(
            case_number=next_case_number(s, case.municipality, opened.year, vault.info.vault_code),
            person_id=member.id, household_id=household.id, municipality=case.municipality,
            target_group=None, case_manager_id=owner.id, phase="intake", opened_on=opened,
            sort_name=member.sort_key)
        s.add(own)
        s.flush()
        s.add(PhaseTransition(case_id=own.id, from_phase=None, to_phase="intake",
                              at=vault.clock.now(), by_staff_id=owner.id, missing_items=[]))
        audit.record(s, audit.Kind.CASE_CREATED, "case", own.uuid, household=household.uuid)
        return own.id
