"""Residence statuses: a status that expires needs its end date or an explicit "unknown"; a
wrong entry is corrected by a new one (history kept, no longer driving deadlines) or removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import audit
from app.errors import ValidationFailed
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.residence.read import statuses
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status, correct_status, remove_status
from app.services.tasks.read import follow_ups_for_case
from app.services.today.read import today_overview
from app.vault.store import Vault
from db.models import AuditLog, CaseFile, ResidenceStatus


def _rows(vault: Vault) -> list[ResidenceStatus]:
    with vault.read_session() as s:
        rows = list(s.execute(select(ResidenceStatus).order_by(ResidenceStatus.id)).scalars())
        s.expunge_all()
        return rows


def _audit(vault: Vault, uuid: str) -> list[tuple[str, dict[str, object]]]:
    with vault.read_session() as s:
        return [(a.kind, dict(a.detail or {})) for a in s.execute(
            select(AuditLog).where(AuditLog.object_uuid == uuid).order_by(AuditLog.seq))
            .scalars()]


def test_a_duldung_without_end_date_is_refused_until_the_end_is_declared_unknown(
        vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    with pytest.raises(ValidationFailed) as exc:
        add_status(vault, cid, NewStatus("duldung", today, None))
    assert exc.value.field == "valid_until"
    assert "Ende unbekannt" in exc.value.message_de and "Duldung" in exc.value.message_de
    with pytest.raises(ValidationFailed) as both:  # a date and "unknown" contradict each other
        add_status(vault, cid, NewStatus("duldung", today, today + timedelta(90),
                                         end_unknown=True))
    assert both.value.field == "valid_until"
    assert _rows(vault) == []
    add_status(vault, cid, NewStatus("duldung", today, None, end_unknown=True))
    # A settlement permit has no end: nothing to ask.
    add_status(vault, cid, NewStatus("niederlassungserlaubnis", today, None))
    assert [(r.kind, r.valid_until) for r in _rows(vault)] == [
        ("duldung", None), ("niederlassungserlaubnis", None)]
    assert [e.expires for e in statuses(vault, cid).statuses] == [False, True]


def test_a_correction_keeps_the_wrong_entry_which_no_longer_drives_deadlines(
        vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    # Wrong kind and a mistyped start: by its date the wrong entry is the newer one.
    wrong = add_status(vault, cid, NewStatus("duldung", today - timedelta(10),
                                             today + timedelta(20)))
    assert [f.kind for f in follow_ups_for_case(vault, cid)] == ["status_expiry"]
    assert [i.case_id for i in today_overview(vault).statuses] == [cid]

    with pytest.raises(ValidationFailed) as exc:  # the reason is required; nothing changes
        correct_status(vault, cid, wrong, NewStatus("aufenthaltserlaubnis_25b",
                                                    today - timedelta(60),
                                                    today + timedelta(700)), "  ")
    assert exc.value.field == "correction_reason"
    assert len(_rows(vault)) == 1 and _rows(vault)[0].superseded_by_id is None

    right = correct_status(vault, cid, wrong, NewStatus(
        "aufenthaltserlaubnis_25b", today - timedelta(60), today + timedelta(700)),
        "Art falsch abgelesen")
    old, new = _rows(vault)
    assert (old.uuid, old.kind, old.valid_until) == (wrong, "duldung", today + timedelta(20))
    assert old.superseded_by_id == new.id and old.correction_reason == "Art falsch abgelesen"
    assert (new.uuid, new.kind) == (right, "aufenthaltserlaubnis_25b")
    # The wrong Duldung no longer expires anywhere: only the corrected entry has a follow-up,
    # nothing on Heute, the deadline is the corrected one's.
    assert [f.source_uuid for f in follow_ups_for_case(vault, cid)] == [right]
    assert today_overview(vault).statuses == []
    with vault.read_session() as s:
        assert s.get_one(CaseFile, cid).next_deadline == today + timedelta(700 - 90)
    assert [s.kind for s in get_case(vault, cid).statuses] == ["aufenthaltserlaubnis_25b"]
    timeline = statuses(vault, cid).statuses
    assert [(e.kind, e.superseded, e.correction_reason) for e in timeline] == [
        ("duldung", True, "Art falsch abgelesen"), ("aufenthaltserlaubnis_25b", False, None)]
    assert timeline[0].corrected_on == today
    assert _audit(vault, wrong)[-1][0] == audit.Kind.RECORD_CORRECTED
    assert _audit(vault, right)[0][1]["corrects"] == wrong
    with pytest.raises(ValidationFailed):  # a corrected entry is not corrected twice
        correct_status(vault, cid, wrong, NewStatus("duldung", today, None, end_unknown=True),
                       "noch einmal")


def test_removal_tombstones_the_entry_and_audits_a_coded_reason(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    other = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    uuid = add_status(vault, cid, NewStatus("duldung", today, today + timedelta(20)))
    with pytest.raises(ValidationFailed) as exc:
        remove_status(vault, cid, uuid, "Frau K. hat sich vertan")  # free text is no reason code
    assert exc.value.field == "reason"
    with pytest.raises(ValidationFailed):  # not through another client's case
        remove_status(vault, other, uuid, "wrong_person")
    assert not _rows(vault)[0].deleted
    remove_status(vault, cid, uuid, "wrong_person")
    assert _rows(vault)[0].deleted
    assert statuses(vault, cid).statuses == [] and follow_ups_for_case(vault, cid) == []
    kind, detail = _audit(vault, uuid)[-1]
    assert kind == audit.Kind.RECORD_DELETED and detail["reason"] == "wrong_person"
