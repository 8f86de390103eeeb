"""Services never change (or link to) a tombstone: the person is told it is gone, nothing is
written, not even an audit entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.errors import NotFound, ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_person
from app.services.consent.records import DisclosureRefused, NewConsent
from app.services.consent.write import (
    attach_consent_form,
    record_consent,
    record_legal_basis,
    withdraw_consent,
)
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import (
    add_agreement,
    add_contact,
    add_institution,
    update_agreement,
)
from app.services.documents.read import read_attachment
from app.services.documents.write import add_attachment, export_document, write_private_copy
from app.services.editing import tombstone
from app.services.plan.write import add_referral, update_referral
from app.services.tasks.write import add_task, complete_task
from app.vault.store import Vault
from db.models import (
    Attachment,
    AuditLog,
    CaseFile,
    Consent,
    Institution,
    Person,
    Referral,
    Task,
)


def _tombstone(vault: Vault, model: type[Any], **where: Any) -> None:
    with vault.session() as s:
        row = s.execute(select(model).filter_by(**where)).scalar_one()
        tombstone(s, row)


def _audit_entries(vault: Vault) -> int:
    with vault.session() as s:
        return int(s.execute(select(func.count()).select_from(AuditLog)).scalar_one())


@pytest.fixture
def case(vault: Vault) -> int:
    return create_case(vault, NewCase("Amina", "Yusuf", "DO"))


def test_a_deleted_consent_cannot_be_withdrawn(vault: Vault, case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, case, NewConsent(jc, ["education_work"], "Vermittlung",
                                                     date(2026, 3, 1)))
    _tombstone(vault, Consent, uuid=consent)
    before = _audit_entries(vault)
    with pytest.raises(NotFound) as err:
        withdraw_consent(vault, consent, date(2026, 11, 25))
    assert err.value.message_de == "Die Einwilligung wurde nicht gefunden."
    with vault.session() as s:
        row = s.execute(select(Consent).where(Consent.uuid == consent)).scalar_one()
        assert row.withdrawn_on is None and row.deleted
    assert _audit_entries(vault) == before


def test_a_deleted_task_or_a_task_of_a_deleted_case_cannot_be_completed(vault: Vault,
                                                                       case: int) -> None:
    gone = add_task(vault, case, "Termin Ausländerbehörde", date(2026, 12, 1))
    kept = add_task(vault, case, "Unterlagen sammeln", date(2026, 12, 2))
    _tombstone(vault, Task, uuid=gone)
    before = _audit_entries(vault)
    with pytest.raises(NotFound) as err:
        complete_task(vault, gone, date(2026, 11, 25))
    assert err.value.message_de == "Die Aufgabe wurde nicht gefunden."
    _tombstone(vault, CaseFile, id=case)
    with pytest.raises(NotFound) as err:
        complete_task(vault, kept, date(2026, 11, 25))
    assert err.value.message_de == "Der Fall wurde nicht gefunden."
    with vault.session() as s:
        assert s.execute(select(Task.done_on).where(Task.uuid.in_([gone, kept]))
                         ).scalars().all() == [None, None]
    assert _audit_entries(vault) == before + 1  # the case's own deletion only


def test_a_deleted_person_is_not_renamed(vault: Vault, case: int) -> None:
    with vault.session() as s:
        person_id = s.get_one(CaseFile, case).person_id
    _tombstone(vault, Person, id=person_id)
    with pytest.raises(NotFound) as err:
        update_person(vault, case, family_name="Yusuf-Ali")
    assert err.value.message_de == "Die Person wurde nicht gefunden."
    with vault.session() as s:
        assert s.get_one(Person, person_id).family_name == ""


def test_a_referral_cannot_point_at_a_deleted_institution_or_consent(vault: Vault,
                                                                     case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    ba = add_institution(vault, NewInstitution("Agentur für Arbeit", "agentur_fuer_arbeit", "DO"))
    consent = record_consent(vault, case, NewConsent(jc, ["education_work"], "Vermittlung",
                                                     date(2026, 3, 1)))
    _tombstone(vault, Institution, uuid=ba)
    _tombstone(vault, Consent, uuid=consent)
    with pytest.raises(NotFound) as err:
        add_referral(vault, case, ba, "Vermittlung", date(2026, 11, 25), ["education_work"])
    assert err.value.message_de == "Die Institution wurde nicht gefunden."
    # A deleted consent covers nothing: the referral is refused at the consent gate.
    with pytest.raises(DisclosureRefused) as refused:
        add_referral(vault, case, jc, "Vermittlung", date(2026, 11, 25), ["education_work"])
    assert "weder eine Einwilligung" in refused.value.message_de


def _attachments(vault: Vault) -> int:
    with vault.read_session() as s:
        return int(s.execute(select(func.count()).select_from(Attachment)).scalar_one())


def test_a_deleted_document_is_neither_read_nor_exported(vault: Vault, case: int,
                                                         tmp_path: Path) -> None:
    with vault.read_session() as s:
        case_uuid = s.get_one(CaseFile, case).uuid
    doc = add_attachment(vault, "case_file", case_uuid, "Bescheid.pdf", "application/pdf",
                         b"%PDF-1.4 Bescheid")
    _tombstone(vault, Attachment, uuid=doc)
    before = _audit_entries(vault)
    for attempt in (lambda: read_attachment(vault, doc),
                    lambda: export_document(vault, case, doc, tmp_path / "Bescheid.pdf"),
                    lambda: write_private_copy(vault, case, doc)):
        with pytest.raises(NotFound) as err:
            attempt()
        assert err.value.message_de == "Das Dokument wurde nicht gefunden."
    assert not (tmp_path / "Bescheid.pdf").exists()
    assert _audit_entries(vault) == before  # no read, no export on record


def test_no_form_is_attached_to_a_deleted_consent(vault: Vault, case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, case, NewConsent(jc, ["education_work"], "Vermittlung",
                                                     date(2026, 3, 1)))
    _tombstone(vault, Consent, uuid=consent)
    stored, before = _attachments(vault), _audit_entries(vault)
    with pytest.raises(NotFound) as err:
        attach_consent_form(vault, consent, "Einwilligung.pdf", "application/pdf", b"%PDF-1.4")
    assert err.value.message_de == "Die Einwilligung wurde nicht gefunden."
    assert (_attachments(vault), _audit_entries(vault)) == (stored, before)


def test_nothing_new_links_to_a_deleted_institution(vault: Vault, case: int) -> None:
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    ba = add_institution(vault, NewInstitution("Agentur für Arbeit", "agentur_fuer_arbeit", "DO"))
    mbe = add_institution(vault, NewInstitution("MBE Dortmund", "mbe", "DO"))
    record_legal_basis(vault, case, jc, "education_work", "§ 69 SGB X", "Vermittlung",
                       date(2026, 11, 1))
    referral = add_referral(vault, case, jc, "Beratung", date(2026, 11, 25), ["education_work"])
    agreement = add_agreement(vault, NewAgreement("Fallkonferenzen", [jc, mbe]))
    _tombstone(vault, Institution, uuid=ba)
    before = _audit_entries(vault)
    with pytest.raises(ValidationFailed) as err:  # shown at the institution field
        update_referral(vault, referral, institution_uuid=ba)
    assert (err.value.message_de, err.value.field) == ("Bitte die Institution wählen.",
                                                      "institution")
    with pytest.raises(ValidationFailed) as err:
        update_agreement(vault, agreement, NewAgreement("Fallkonferenzen", [jc, ba]))
    assert err.value.field == "party_uuids"
    for attempt in (lambda: add_contact(vault, ba, "Frau Schulte"),
                    lambda: record_consent(vault, case, NewConsent(
                        ba, ["education_work"], "Vermittlung", date(2026, 3, 1)))):
        with pytest.raises(NotFound) as not_found:
            attempt()
        assert not_found.value.message_de == "Die Institution wurde nicht gefunden."
    assert _audit_entries(vault) == before
    with vault.read_session() as s:
        assert s.execute(select(Referral.institution_id).where(Referral.uuid == referral)
                         ).scalar_one() == s.execute(select(Institution.id).where(
                             Institution.uuid == jc)).scalar_one()
