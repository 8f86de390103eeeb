"""Target group, municipality and case manager of a case are corrected after creation:
validated against the catalogues and the staff list, audited by field, a handover with its
note; a refused change leaves everything as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import NotFound, ValidationFailed
from app.services.audit.read import case_history
from app.services.cases.read import header, list_cases
from app.services.cases.records import CaseFilter, NewCase
from app.services.cases.write import create_case, update_case
from app.vault.store import Vault
from db.models import AuditLog, CaseFile
from tests.support.staff import add_colleague


def _case(vault: Vault, cid: int) -> tuple[str, str | None, str, str | None]:
    with vault.read_session() as s:
        c = s.get_one(CaseFile, cid)
        return c.municipality, c.target_group, header(vault, cid).case_manager, c.handover_note


def test_target_group_and_municipality_are_corrected_and_audited(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO", target_group="newly_arrived"))
    update_case(vault, cid, target_group="young_adults", municipality="BI",
                indication="Mehrere Stellen beteiligt")
    assert _case(vault, cid)[:2] == ("BI", "young_adults")
    lines = [(h.label, h.detail) for h in case_history(vault, cid)[:2]]
    assert ("Falldaten korrigiert", "Zielgruppe, Kommune") in lines
    update_case(vault, cid, target_group="young_adults", municipality="MS")  # one changed
    assert (case_history(vault, cid)[0].label, case_history(vault, cid)[0].detail) == \
        ("Falldaten korrigiert", "Kommune")
    update_case(vault, cid, target_group=None)  # a target group may be taken back
    assert _case(vault, cid)[:2] == ("MS", None)


@pytest.mark.parametrize(("changes", "field"), [
    ({"municipality": "XX"}, "municipality"), ({"municipality": None}, "municipality"),
    ({"target_group": "alle"}, "target_group"),
    ({"case_manager_uuid": "OWNER"}, "case_manager_uuid"),  # the same person: no handover
    ({"case_manager_uuid": "COLLEAGUE"}, "handover"),  # a handover needs its note
    ({"case_manager_uuid": "COLLEAGUE", "handover": "   "}, "handover"),
    ({"handover": "Bitte übernehmen"}, "case_manager_uuid"),
    ({"case_manager_uuid": "RETIRED", "handover": "Bitte übernehmen"}, "case_manager_uuid"),
])
def test_bad_corrections_are_refused_and_change_nothing(vault: Vault, changes: dict[str, object],
                                                        field: str) -> None:
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO", target_group="newly_arrived"))
    people = {"OWNER": vault.info.owner_uuid, "COLLEAGUE": add_colleague(vault, "Jonas Becker"),
              "RETIRED": add_colleague(vault, "Erika Alt", active=False)}
    changes = {k: people.get(str(v), v) for k, v in changes.items()}
    before = _case(vault, cid)
    with vault.read_session() as s:
        entries = s.execute(select(AuditLog.seq)).all()
    with pytest.raises(ValidationFailed) as refused:
        update_case(vault, cid, indication="Neu", **changes)
    assert refused.value.field == field
    assert _case(vault, cid) == before
    with vault.read_session() as s:
        assert s.execute(select(AuditLog.seq)).all() == entries
        assert s.get_one(CaseFile, cid).indication is None  # nothing half-saved


def test_handing_the_case_over_keeps_the_note_and_shows_in_the_list(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    colleague = add_colleague(vault, "Jonas Becker")
    with pytest.raises(NotFound):
        update_case(vault, cid, case_manager_uuid="0" * 32, handover="x")
    update_case(vault, cid, case_manager_uuid=colleague,
                handover="Termin Ausländerbehörde am 12.12. steht, Unterlagen liegen vor.")
    day = f"{vault.clock.today():%d.%m.%Y}"
    _, _, manager, note = _case(vault, cid)
    assert manager == "Jonas Becker"
    assert note == (f"{day} Übergabe von Test Fallmanagerin an Jonas Becker: Termin "
                    "Ausländerbehörde am 12.12. steht, Unterlagen liegen vor.")
    [row] = list_cases(vault, CaseFilter(case_manager_uuid=colleague)).rows
    assert row.id == cid and row.case_manager == "Jonas Becker"
    assert list_cases(vault, CaseFilter(case_manager_uuid=vault.info.owner_uuid)).rows == []
    newest = case_history(vault, cid)[0]
    assert (newest.label, newest.detail) == ("Fallmanager:in gewechselt", "mit Übergabenotiz")
    with vault.read_session() as s:
        entry = s.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(1)).scalar_one()
    assert entry.detail == {"from_staff": vault.info.owner_uuid, "to_staff": colleague,
                            "fields": ["case_manager_id", "handover_note"]}
    # Handing it back adds to the note: the earlier handover stays readable.
    update_case(vault, cid, case_manager_uuid=vault.info.owner_uuid, handover="Zurück.")
    note = _case(vault, cid)[3] or ""
    assert note.startswith(f"{day} Übergabe von Test Fallmanagerin an Jonas Becker")
    assert note.endswith(f"\n\n{day} Übergabe von Jonas Becker an Test Fallmanagerin: "
                         "Zurück.")
