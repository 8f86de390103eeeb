"""A document filed to the wrong case is removed: a tombstone without its bytes, an audited
reason code, nothing of it left in the case, and no consent pointing at it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from app.changes import Kind, recording
from app.errors import NotFound, ValidationFailed
from app.services.audit.read import case_history
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.read import consent_matrix
from app.services.consent.records import NewConsent
from app.services.consent.write import attach_consent_form, record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.documents.read import case_documents, read_attachment
from app.services.documents.write import add_attachment, move_document, remove_document
from app.vault.store import Vault
from db.models import Attachment, AuditLog, Consent

PDF = b"%PDF-1.4\n% Bescheid Jobcenter KENNUNG-0815-FALSCH\n%%EOF\n"


def _stored(vault: Vault, uuid: str) -> Attachment:
    with vault.read_session() as s:
        row = s.execute(select(Attachment).options(undefer(Attachment.content))
                        .where(Attachment.uuid == uuid)).scalar_one()
        s.expunge(row)
        return row


def test_a_document_filed_to_the_wrong_case_is_removed_with_its_bytes(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    other = create_case(vault, NewCase("Karim", "Haidari", "DO"))
    uuid = add_attachment(vault, "case_file", get_case(vault, cid).uuid, "bescheid.pdf",
                          "application/pdf", PDF)
    keep = add_attachment(vault, "case_file", get_case(vault, cid).uuid, "pass.pdf",
                          "application/pdf", PDF + b" ")
    with pytest.raises(NotFound):  # only from the case it is filed in
        remove_document(vault, other, uuid, "wrong_case")
    with pytest.raises(ValidationFailed) as refused:  # a reason code, never free text
        remove_document(vault, cid, uuid, "Frau Haidari hat es zurückgenommen")
    assert refused.value.field == "reason"
    assert _stored(vault, uuid).content == PDF  # refusals changed nothing

    remove_document(vault, cid, uuid, "wrong_case")
    assert [d.uuid for d in case_documents(vault, cid).documents] == [keep]
    gone = _stored(vault, uuid)  # the tombstone keeps no bytes, no name, no hash
    assert gone.deleted and gone.content == b"" and gone.filename == "" and gone.sha256 == ""
    with pytest.raises(NotFound):
        read_attachment(vault, uuid)
    with pytest.raises(NotFound):  # a tombstone is not removed twice
        remove_document(vault, cid, uuid, "duplicate")
    with vault.read_session() as s:
        entry = s.execute(select(AuditLog).where(AuditLog.object_uuid == uuid,
                                                 AuditLog.kind == "record.deleted")).scalar_one()
        assert entry.detail == {"reason": "wrong_case", "case": get_case(vault, cid).uuid}
    removed = next(h for h in case_history(vault, cid) if h.kind == "record.deleted")
    assert (removed.label, removed.detail) == ("Dokument entfernt (falschem Fall zugeordnet)", "")


def test_removing_a_consent_form_leaves_the_consent_without_a_form(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    today = vault.clock.today()
    consent = record_consent(vault, cid, NewConsent(jobcenter, ["residence"], "Vermittlung",
                                                    today))
    first = attach_consent_form(vault, consent, "form.pdf", "application/pdf", PDF)
    second = attach_consent_form(vault, consent, "form2.pdf", "application/pdf", PDF + b"2")

    def linked() -> int | None:
        with vault.read_session() as s:
            return s.execute(select(Consent.form_attachment_id)
                             .where(Consent.uuid == consent)).scalar()

    remove_document(vault, cid, second, "duplicate")  # the linked one: the other takes over
    assert linked() == _stored(vault, first).id
    assert consent_matrix(vault, cid).consents[0].has_form
    remove_document(vault, cid, first, "wrong_document")
    assert linked() is None
    assert not consent_matrix(vault, cid).consents[0].has_form  # not a form that is a tombstone
    labels = [h.label for h in case_history(vault, cid)[:4]]
    assert labels[0] == "Dokument entfernt (falsches Dokument)"
    assert "Dokument entfernt (doppelt)" in labels


def test_a_documents_change_reaches_the_views_of_its_case(vault: Vault) -> None:
    """Documents name their owner by uuid, not by case_id: the change record must still say
    which case they belong to, or the open case file would keep showing a removed one."""
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    other = create_case(vault, NewCase("Karim", "Haidari", "DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, cid, NewConsent(jobcenter, ["residence"], "Vermittlung",
                                                    vault.clock.today()))
    with recording() as added:
        uuid = add_attachment(vault, "case_file", get_case(vault, cid).uuid, "a.pdf",
                              "application/pdf", PDF)
    with recording() as form:
        form_uuid = attach_consent_form(vault, consent, "form.pdf", "application/pdf", PDF)
    with recording() as removed:
        remove_document(vault, cid, uuid, "duplicate")
    with recording() as form_removed:
        remove_document(vault, cid, form_uuid, "wrong_case")
    for rec in (added, form, removed, form_removed):
        assert rec.changes.touches_case(cid) and not rec.changes.touches_case(other)
        assert rec.changes.touches(Kind.DOCUMENT)


def test_a_document_moves_to_the_right_case_audited_on_both(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    other = create_case(vault, NewCase("Karim", "Haidari", "DO"))
    number = get_case(vault, other).case_number
    uuid = add_attachment(vault, "case_file", get_case(vault, cid).uuid, "bescheid.pdf",
                          "application/pdf", PDF)
    for wrong, field in (("", "target"), ("DO-1999-XXXX-0001", "target"),
                         (get_case(vault, cid).case_number, "target"), (str(other), "target")):
        with pytest.raises(ValidationFailed) as refused:  # an id is no Aktenzeichen
            move_document(vault, cid, uuid, wrong)
        assert refused.value.field == field
    assert [d.uuid for d in case_documents(vault, cid).documents] == [uuid]
    with recording() as moved:
        assert move_document(vault, cid, uuid, f" {number.lower()} ") == number
    assert moved.changes.touches_case(cid) and moved.changes.touches_case(other)
    assert case_documents(vault, cid).documents == ()
    assert [d.uuid for d in case_documents(vault, other).documents] == [uuid]
    assert read_attachment(vault, uuid)[1] == PDF  # the same bytes, now in the right case
    assert "Dokument in einen anderen Fall verschoben" in [
        h.label for h in case_history(vault, cid)]
    assert "Dokument aus einem anderen Fall hierher verschoben" in [
        h.label for h in case_history(vault, other)]


def test_a_consent_form_does_not_move(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Fatima", "Haidari", "DO"))
    other = create_case(vault, NewCase("Karim", "Haidari", "DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, cid, NewConsent(jobcenter, ["residence"], "Vermittlung",
                                                    vault.clock.today()))
    form = attach_consent_form(vault, consent, "form.pdf", "application/pdf", PDF)
    with pytest.raises(ValidationFailed) as refused:
        move_document(vault, cid, form, get_case(vault, other).case_number)
    assert "Einwilligung" in refused.value.message_de
    assert [d.uuid for d in case_documents(vault, cid).documents] == [form]
