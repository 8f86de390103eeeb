"""Create and update case files and their clients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed, reject_unknown_fields
from app.services.cases.queries import next_case_number, resolve_case
from app.services.cases.read import sort_name
from app.services.cases.records import NewCase
from app.services.editing import live, live_id
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Person,
    PhaseTransition,
)

# The case's attributes, corrected after creation (validated; audited on their own entry) and
# the handover to another case manager (``case_manager_uuid`` with its ``handover`` note).
ATTRIBUTE_FIELDS = frozenset({"target_group", "municipality"})
HANDOVER_FIELDS = frozenset({"case_manager_uuid", "handover"})
# Fields a caller may change through update_case (everything else has its own service call).
CASE_FIELDS = frozenset({
    "access_route", "indication", "complex_needs",
    "several_agencies", "regular_services_insufficient", "dp_info_given_on", "dp_info_language",
    "working_agreement_on", "plan_signed_on", "client_feedback", "handover_note", "household_id",
}) | ATTRIBUTE_FIELDS | HANDOVER_FIELDS
PERSON_FIELDS = frozenset({
    "given_names", "family_name", "birth_name", "date_of_birth", "place_of_birth",
    "nationality", "gender", "languages", "interpreter_needed", "phone", "email",
    "address_street", "address_postcode", "address_city", "household_id", "household_role",
    "entered_germany_on", "accommodation", "abh_file_number",
})


def _owner(session: Session, vault: Vault) -> CaseManager:
    return session.execute(
        select(CaseManager).where(CaseManager.uuid == vault.info.owner_uuid)).scalar_one()


def _validate_new(new: NewCase) -> None:
    if not new.family_name.strip() or not new.given_names.strip():
        missing = "family_name" if not new.family_name.strip() else "given_names"
        raise ValidationFailed("Bitte Vor- und Familiennamen angeben.", "name missing",
                               field=missing)
    if new.municipality not in {m.code for m in catalogues.municipalities()}:
        raise ValidationFailed("Unbekannte Kommune.", f"unknown municipality {new.municipality!r}",
                               field="municipality")
    if new.target_group and new.target_group not in {t.code for t in catalogues.target_groups()}:
        raise ValidationFailed("Unbekannte Zielgruppe.", "unknown target group",
                               field="target_group")
    _check_access_route(new.access_route)


def _check_access_route(code: str | None) -> None:
    """One catalogue of access routes: a free text would split the steering figures."""
    if code and code not in {r.code for r in catalogues.access_routes()}:
        raise ValidationFailed("Bitte einen Zugangsweg aus der Liste wählen.",
                               f"unknown access route {code!r}", field="access_route")


def create_case(vault: Vault, new: NewCase, *, duplicate_of: Sequence[str] = ()) -> int:
    """Open a case for a new client in phase ``intake``; returns the case id. ``duplicate_of``:
    uuids of existing cases the user was shown as possible duplicates and created it anyway
    (audited by uuid, never by name)."""
    _validate_new(new)
    opened = new.opened_on or vault.clock.today()
    with vault.session() as s:
        owner = _owner(s, vault)
        person = Person(given_names=new.given_names.strip(), family_name=new.family_name.strip(),
                        date_of_birth=new.date_of_birth, nationality=new.nationality,
                        languages=list(new.languages),
                        sort_key=sort_name(new.family_name, new.given_names))
        s.add(person)
        s.flush()
        case = CaseFile(
            case_number=next_case_number(s, new.municipality, opened.year, vault.info.vault_code),
            person_id=person.id, municipality=new.municipality, target_group=new.target_group,
            case_manager_id=owner.id, phase="intake", opened_on=opened,
            access_route=new.access_route, sort_name=person.sort_key,
        )
        s.add(case)
        s.flush()
        s.add(PhaseTransition(case_id=case.id, from_phase=None, to_phase="intake",
                              at=vault.clock.now(), by_staff_id=owner.id, missing_items=[]))
        audit.record(s, audit.Kind.CASE_CREATED, "case", case.uuid)
        if duplicate_of:
            audit.record(s, audit.Kind.DUPLICATE_CONFIRMED, "case", case.uuid,
                         possible_duplicate_of=list(duplicate_of))
        return case.id


def update_case(vault: Vault, ref: str | int, **changes: Any) -> None:
    """Document on the case, correct its target group or municipality, or hand it to another
    case manager (``case_manager_uuid`` with a ``handover`` note), in one transaction.

    The documentation fields are audited as before; corrected attributes get an entry naming
    only the fields that changed; a handover its own entry with both staff uuids."""
    reject_unknown_fields(changes, CASE_FIELDS)
    _validate_attributes(changes)
    attributes = {k: changes.pop(k) for k in ATTRIBUTE_FIELDS & changes.keys()}
    manager_uuid, handover = changes.pop("case_manager_uuid", None), changes.pop("handover", None)
    with vault.session() as s:
        case = resolve_case(s, ref)
        changed = sorted(name for name, value in changes.items()
                         if getattr(case, name) != value)
        if "access_route" in changed:  # an older free text may stay as long as it is unchanged
            _check_access_route(changes["access_route"])
        for name in changed:
            setattr(case, name, changes[name])
        if changed:  # the Protokoll names the fields that really changed
            audit.record(s, audit.Kind.CASE_UPDATED, "case", case.uuid, fields=changed)
        corrected = sorted(k for k, v in attributes.items() if getattr(case, k) != v)
        for name in corrected:
            setattr(case, name, attributes[name])
        if corrected:
            audit.record(s, audit.Kind.CASE_UPDATED, "case", case.uuid, fields=corrected)
        if manager_uuid is not None or handover is not None:
            _hand_over(s, vault, case, manager_uuid, handover)


def _validate_attributes(changes: dict[str, Any]) -> None:
    if "municipality" in changes and changes["municipality"] not in {
            m.code for m in catalogues.municipalities()}:
        raise ValidationFailed("Bitte eine Kommune aus der Liste wählen.",
                               f"unknown municipality {changes['municipality']!r}",
                               field="municipality")
    if changes.get("target_group") is not None and changes["target_group"] not in {
            t.code for t in catalogues.target_groups()}:
        raise ValidationFailed("Bitte eine Zielgruppe aus der Liste wählen.",
                               "unknown target group", field="target_group")


def _hand_over(s: Session, vault: Vault, case: CaseFile, manager_uuid: str | None,
               handover: str | None) -> None:
    """Give the case to another case manager. The note says what the colleague needs to know;
    it is added to the case's handover text with date and names, so earlier ones stay."""
    old = live_id(s, CaseManager, case.case_manager_id, "Die Fallmanagerin / der Fallmanager "
                  "wurde nicht gefunden.")
    if manager_uuid is None or manager_uuid == old.uuid:
        raise ValidationFailed("Eine Übergabenotiz gehört zu einem Wechsel der Fallmanager:in: "
                               "bitte eine andere Person wählen.", "handover without a new "
                               "case manager", field="case_manager_uuid")
    new = live(s, CaseManager, manager_uuid,
               "Die Fallmanagerin / der Fallmanager wurde nicht gefunden.")
    if not new.active:
        raise ValidationFailed(f"{new.display_name} arbeitet nicht mehr mit Fällen (inaktiv).",
                               "case manager inactive", field="case_manager_uuid")
    note = (handover or "").strip()
    if not note:
        raise ValidationFailed("Bitte eine Übergabenotiz schreiben: was die Kollegin / der "
                               "Kollege zu diesem Fall wissen muss.", "handover note missing",
                               field="handover")
    line = (f"{vault.clock.today():%d.%m.%Y} Übergabe von {old.display_name} an "
            f"{new.display_name}: {note}")
    case.handover_note = f"{case.handover_note}\n\n{line}" if case.handover_note else line
    case.case_manager_id = new.id
    audit.record(s, audit.Kind.CASE_HANDED_OVER, "case", case.uuid, from_staff=old.uuid,
                 to_staff=new.uuid, fields=["case_manager_id", "handover_note"])


def update_person(vault: Vault, case_ref: str | int, **changes: Any) -> None:
    reject_unknown_fields(changes, PERSON_FIELDS)
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        person = live_id(s, Person, case.person_id, "Die Person wurde nicht gefunden.")
        for name, value in changes.items():
            setattr(person, name, value)
        if not person.family_name.strip() or not person.given_names.strip():
            raise ValidationFailed("Bitte Vor- und Familiennamen angeben.", "name missing")
        person.sort_key = sort_name(person.family_name, person.given_names)
        for other in s.execute(select(CaseFile).where(
                CaseFile.person_id == person.id, CaseFile.deleted.is_(False))).scalars():
            other.sort_name = person.sort_key
        audit.record(s, audit.Kind.RECORD_UPDATED, "person", person.uuid, fields=sorted(changes))


