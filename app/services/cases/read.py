"""Reads of cases: the case list (filtered, sorted, keyset-paged, never OFFSET), the case file
and its header, client and documentation sections (each read of case data is audited)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    false,
    func,
    literal,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app import audit, catalogues
from app.services.cases.queries import resolve_case
from app.services.cases.records import (
    CaseDetail,
    CaseDocumentation,
    CaseFilter,
    CaseHeader,
    CasePage,
    CaseRow,
    DeadlineFilter,
    HouseholdMember,
    PersonData,
    SortKey,
)
from app.services.journal.records import JournalRow
from app.services.phases.records import PhaseStep
from app.services.residence.records import StatusEntry
from app.services.search.queries import matching_case_ids
from app.vault.store import Vault
from db.folding import fold_sort
from db.models import (
    CaseFile,
    CaseManager,
    Consent,
    Goal,
    Household,
    JournalEntry,
    Person,
    PhaseTransition,
    Referral,
    ResidenceStatus,
    Task,
)
from db.models.cases import NO_DEADLINE
from db.rows import first_column

# Days from today a deadline filter reaches (overdue: before today; none: no deadline at all).
DEADLINE_DAYS: dict[str, int] = {"14d": 14, "30d": 30}


def deadline_matches(deadline: date | None, flt: DeadlineFilter | None, today: date) -> bool:
    """The deadline filter for one row (search hits are filtered in memory)."""
    if flt is None:
        return True
    if flt == "none":
        return deadline is None
    if deadline is None:
        return False
    if flt == "overdue":
        return deadline < today
    return today <= deadline <= today + timedelta(days=DEADLINE_DAYS[flt])


def sort_expr(sort: SortKey) -> Any:
    # Each expression is the key of a partial covering index (migration 0002); "no deadline"
    # is the literal NO_DEADLINE so it sorts last and stays index-friendly.
    return {
        "name": CaseFile.sort_name,
        "case_number": CaseFile.case_number,
        "next_deadline": func.coalesce(CaseFile.next_deadline, literal_column(f"'{NO_DEADLINE}'")),
        "opened_on": CaseFile.opened_on,
    }[sort]


def _no_index(col: Any) -> Any:
    """``+col``: SQLite then cannot pick the column's own index for the filter.

    Otherwise it reads every case of a phase (24,000 at 100,000 cases) through the one-column
    index and sorts them all for a page of 100; walking the covering sort index and testing the
    filter in the index entries stops after the page (benchmark: 320 ms -> 1 ms).
    """
    return UnaryExpression(col, operator=custom_op("+"), type_=col.type)


def _deadline_where(flt: DeadlineFilter, today: date) -> ColumnElement[bool]:
    # The expression of ix_case_list_deadline, so the range is read from that index.
    key: ColumnElement[date] = sort_expr("next_deadline")
    if flt == "none":  # a range, not "=": SQLite then keeps the index order instead of sorting
        return key >= literal_column(f"'{NO_DEADLINE}'")
    if flt == "overdue":
        return key < today
    return key.between(today, today + timedelta(days=DEADLINE_DAYS[flt]))


def _filtered(query: Select[Any], flt: CaseFilter, today: date) -> Select[Any]:
    query = query.where(CaseFile.deleted == false())  # "= 0": matches the partial indexes
    if flt.deadline:
        query = query.where(_deadline_where(flt.deadline, today))
    if flt.phase:
        query = query.where(_no_index(CaseFile.phase) == flt.phase)
    elif not flt.include_closed:
        query = query.where(_no_index(CaseFile.phase) != "closed")
    if flt.target_group:
        query = query.where(CaseFile.target_group == flt.target_group)
    if flt.municipality:
        query = query.where(CaseFile.municipality == flt.municipality)
    if flt.case_manager_uuid:
        query = query.where(_no_index(CaseFile.case_manager_id) == select(CaseManager.id).where(
            CaseManager.uuid == flt.case_manager_uuid).scalar_subquery())
    return query


def _after(query: Select[Any], sort: SortKey, after: tuple[Any, int], descending: bool
           ) -> Select[Any]:
    key, last_id = after
    pair, bound = tuple_(sort_expr(sort), CaseFile.id), tuple_(literal(key), literal(last_id))
    return query.where(pair < bound if descending else pair > bound)


def _ordered(query: Select[Any], sort: SortKey, descending: bool) -> Select[Any]:
    col = sort_expr(sort)
    if descending:
        return query.order_by(col.desc(), CaseFile.id.desc())
    return query.order_by(col, CaseFile.id)


def list_cases(vault: Vault, flt: CaseFilter | None = None, sort: SortKey = "name",
               descending: bool = False, after: tuple[Any, int] | None = None,
               limit: int = 100) -> CasePage:
    flt = flt or CaseFilter()
    query = select(CaseFile.id, CaseFile.uuid, CaseFile.case_number, Person.given_names,
                   Person.family_name, CaseFile.phase, CaseFile.municipality,
                   CaseFile.target_group, CaseManager.display_name, CaseFile.opened_on,
                   CaseFile.next_deadline, sort_expr(sort).label("sort_value")) \
        .join(Person, Person.id == CaseFile.person_id) \
        .join(CaseManager, CaseManager.id == CaseFile.case_manager_id)
    query = _ordered(_filtered(query, flt, vault.clock.today()), sort, descending)
    if after is not None:
        query = _after(query, sort, after, descending)
    with vault.read_session() as s:
        result = s.execute(query.limit(limit + 1)).all()
    rows = [CaseRow(*r[:11]) for r in result[:limit]]
    cursor = (result[limit - 1].sort_value, result[limit - 1].id) if len(result) > limit else None
    return CasePage(rows, cursor)


def case_pages(vault: Vault, flt: CaseFilter | None = None, sort: SortKey = "name",
               descending: bool = False, page_size: int = 500) -> Iterator[list[CaseRow]]:
    """Every matching case, one keyset page at a time: a caller that prints and drops each page
    holds ``page_size`` rows however many cases there are (``lotse cases`` at 100,000)."""
    after: tuple[Any, int] | None = None
    while True:
        page = list_cases(vault, flt, sort, descending, after, page_size)
        if page.rows:
            yield page.rows
        if page.cursor is None:
            return
        after = page.cursor


def count_cases(vault: Vault, flt: CaseFilter | None = None) -> int:
    """How many cases match (what a limited list leaves out is this minus what it showed)."""
    query = _filtered(select(func.count()).select_from(CaseFile), flt or CaseFilter(),
                      vault.clock.today())
    with vault.read_session() as s:
        return int(s.execute(query).scalar_one())


def case_ids(vault: Vault, flt: CaseFilter | None = None, sort: SortKey = "name",
             descending: bool = False) -> list[int]:
    """All matching ids in order: the desktop's lazy table holds these and fetches rows by id."""
    query = _ordered(_filtered(select(CaseFile.id), flt or CaseFilter(), vault.clock.today()),
                     sort, descending)
    with vault.read_session() as s:
        return first_column(s, query)  # the DB-API cursor: 0.07 s instead of 0.37 s at 100,000


def _rows_in_order(s: Session, ids: list[int]) -> list[CaseRow]:
    if not ids:
        return []
    query = select(CaseFile.id, CaseFile.uuid, CaseFile.case_number, Person.given_names,
                   Person.family_name, CaseFile.phase, CaseFile.municipality,
                   CaseFile.target_group, CaseManager.display_name, CaseFile.opened_on,
                   CaseFile.next_deadline) \
        .join(Person, Person.id == CaseFile.person_id) \
        .join(CaseManager, CaseManager.id == CaseFile.case_manager_id) \
        .where(CaseFile.id.in_(ids))
    by_id = {r[0]: CaseRow(*r) for r in s.execute(query).all()}
    return [by_id[i] for i in ids if i in by_id]


def rows_by_id(vault: Vault, ids: list[int]) -> list[CaseRow]:
    """Rows for a batch of ids, in the order given (missing ids are skipped)."""
    with vault.read_session() as s:
        return _rows_in_order(s, ids)


def search_rows(vault: Vault, query: str, limit: int) -> list[CaseRow]:
    """The case list's search as you type: matching cases as list rows, newest first, read in
    one session (search and rows apart cost a second transaction per keystroke)."""
    with vault.read_session() as s:
        return _rows_in_order(s, matching_case_ids(s, query, limit))


def sort_name(family_name: str, given_names: str) -> str:
    return fold_sort(f"{family_name} {given_names}")


def _status_label(kind: str) -> str:
    return catalogues.label_or_code(catalogues.status_kinds(), kind)


def get_case(vault: Vault, ref: str | int, journal_limit: int = 50) -> CaseDetail:
    """The case file; every read is written to the audit log."""
    with vault.session() as s:  # takes the write lock first: it writes the audit entry
        case = resolve_case(s, ref)
        person = s.get_one(Person, case.person_id)
        manager = s.get_one(CaseManager, case.case_manager_id)
        statuses = s.execute(select(ResidenceStatus).where(
            ResidenceStatus.person_id == person.id, ResidenceStatus.deleted.is_(False),
            ResidenceStatus.superseded_by_id.is_(None))  # a corrected entry is no status
            .order_by(ResidenceStatus.valid_from)).scalars().all()
        steps = s.execute(select(PhaseTransition).where(PhaseTransition.case_id == case.id)
                          .order_by(PhaseTransition.at, PhaseTransition.id)).scalars().all()
        journal = s.execute(select(JournalEntry).where(
            JournalEntry.case_id == case.id, JournalEntry.deleted.is_(False))
            .order_by(JournalEntry.occurred_at.desc()).limit(journal_limit)).scalars().all()
        counts = {
            name: s.execute(select(func.count()).select_from(model).where(
                getattr(model, key) == value, model.deleted.is_(False))).scalar_one()
            for name, model, key, value in (
                ("goals", Goal, "case_id", case.id), ("referrals", Referral, "case_id", case.id),
                ("tasks", Task, "case_id", case.id), ("consents", Consent, "person_id", person.id),
                ("journal", JournalEntry, "case_id", case.id))
        }
        detail = CaseDetail(
            id=case.id, uuid=case.uuid, case_number=case.case_number, phase=case.phase,
            municipality=case.municipality, target_group=case.target_group,
            opened_on=case.opened_on, closed_on=case.closed_on, close_reason=case.close_reason,
            case_manager=manager.display_name, person_uuid=person.uuid,
            given_names=person.given_names, family_name=person.family_name,
            date_of_birth=person.date_of_birth, nationality=person.nationality,
            languages=list(person.languages or []), access_route=case.access_route,
            indication=case.indication,
            statuses=[StatusEntry(r.uuid, r.kind, _status_label(r.kind), r.legal_basis,
                                  r.valid_from, r.valid_until, r.work_permission,
                                  r.residence_obligation, r.document_seen_on) for r in statuses],
            phase_history=[PhaseStep(t.from_phase, t.to_phase, t.at, t.reason, t.override_reason,
                                     list(t.missing_items or [])) for t in steps],
            journal=[JournalRow(j.id, j.uuid, j.occurred_at, j.contact_kind, j.place,
                                j.interpreter_used, j.interpreter_language, j.duration_minutes,
                                j.entry_kind, j.text) for j in journal],
            counts=counts,
        )
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid)
    return detail


PERSON_READ_FIELDS = (
    "given_names", "family_name", "birth_name", "date_of_birth", "place_of_birth",
    "nationality", "gender", "languages", "interpreter_needed", "phone", "email",
    "address_street", "address_postcode", "address_city", "household_role",
    "entered_germany_on", "accommodation", "abh_file_number",
)


def record_view(vault: Vault, case_ref: str | int, section: str) -> None:
    """A person opened the case file or turned to one of its sections: that is the read the
    audit log holds. Loading and refreshing what is on screen is not audited again (a change
    elsewhere must not put reads into the log that nobody made)."""
    with vault.session() as s:
        case = resolve_case(s, case_ref)
        audit.record(s, audit.Kind.CASE_READ, "case", case.uuid, section=section)


def header(vault: Vault, case_ref: str | int) -> CaseHeader:
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        person = s.get_one(Person, case.person_id)
        manager = s.get_one(CaseManager, case.case_manager_id)
        return CaseHeader(case.id, case.case_number, person.given_names, person.family_name,
                          case.phase, case.municipality, manager.display_name,
                          case.next_deadline, case.closed_on,
                          overdue=case.next_deadline is not None
                          and case.next_deadline < vault.clock.today())


def person_data(vault: Vault, case_ref: str | int) -> PersonData:
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        person = s.get_one(Person, case.person_id)
        values: dict[str, object] = {name: getattr(person, name) for name in PERSON_READ_FIELDS}
        values["languages"] = list(person.languages or [])
        members: list[HouseholdMember] = []
        label = None
        if person.household_id is not None:
            label = s.get_one(Household, person.household_id).label
            others = s.execute(select(Person).where(
                Person.household_id == person.household_id, Person.id != person.id,
                Person.deleted.is_(False)).order_by(Person.sort_key)).scalars()
            members = [HouseholdMember(p.given_names, p.family_name, p.household_role,
                                       p.date_of_birth) for p in others]
        return PersonData(values, label, members)


# The case fields a caseworker documents directly; update them with cases.write.update_case.
DOCUMENTATION_FIELDS = (
    "access_route", "indication", "complex_needs", "several_agencies",
    "regular_services_insufficient", "dp_info_given_on", "dp_info_language",
    "working_agreement_on", "plan_signed_on", "client_feedback", "handover_note",
)


def case_documentation(vault: Vault, case_ref: str | int) -> CaseDocumentation:
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        values = {name: getattr(case, name) for name in DOCUMENTATION_FIELDS}
        # The case's attributes, correctable in the same section (cases.write.update_case).
        values.update(target_group=case.target_group, municipality=case.municipality,
                      case_manager_uuid=s.get_one(CaseManager, case.case_manager_id).uuid)
        return CaseDocumentation(case.id, values)
