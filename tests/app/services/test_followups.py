"""One follow-up list: stored tasks plus deadlines computed from status and consent expiry."""

from __future__ import annotations

from datetime import timedelta

from app.services.cases.read import list_cases
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent, withdraw_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.phases.write import change_phase
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from app.services.tasks.read import due_follow_ups, follow_ups_for_case
from app.services.tasks.write import add_task, complete_task
from app.vault.store import Vault


def test_follow_ups_from_tasks_status_and_consent(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    add_status(vault, cid, NewStatus("duldung", today - timedelta(days=300),
                                     today - timedelta(days=10)))
    add_status(vault, cid, NewStatus("ausbildungsduldung", today - timedelta(days=9),
                                     today + timedelta(days=70)))
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, cid, NewConsent(jc, ["education_work"], "Vermittlung",
                                                    today - timedelta(days=300),
                                                    today + timedelta(days=40)))
    task = add_task(vault, cid, "Ausbildungsvertrag kopieren", today + timedelta(days=5))
    items = follow_ups_for_case(vault, cid)
    kinds = [(f.kind, f.stored) for f in items]
    assert sorted(kinds) == [("consent_expiry", False), ("status_expiry", False), ("task", True)]
    status_item = next(f for f in items if f.kind == "status_expiry")
    # Only the newest status drives a follow-up, its lead time comes from the catalogue.
    assert status_item.title.startswith("Aufenthaltsstatus läuft am "
                                        f"{today + timedelta(days=70):%d.%m.%Y}")
    assert status_item.due_on < today  # the 90-day lead time has begun: already due
    row = list_cases(vault).rows[0]
    assert row.next_deadline == items[0].due_on
    assert {f.case_id for f in due_follow_ups(vault, today, 30)} == {cid}
    complete_task(vault, task, today)
    withdraw_consent(vault, consent, today)
    remaining = follow_ups_for_case(vault, cid)
    assert [f.kind for f in remaining] == ["status_expiry"]
    assert list_cases(vault).rows[0].next_deadline == remaining[0].due_on
    change_phase(vault, cid, "closed", close_reason="moved_away", handover_note="Umzug")
    assert follow_ups_for_case(vault, cid) == []  # closed cases have no computed deadlines
    assert list_cases(vault).rows[0].next_deadline is None


def test_renewed_consent_replaces_the_old_reminder(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    record_consent(vault, cid, NewConsent(abh, ["residence"], "Aufenthalt",
                                          today - timedelta(days=400), today - timedelta(days=5)))
    renewed = record_consent(vault, cid, NewConsent(abh, ["residence"], "Aufenthalt",
                                                    today - timedelta(days=4),
                                                    today + timedelta(days=365)))
    items = follow_ups_for_case(vault, cid)
    assert [(f.kind, f.source_uuid) for f in items] == [("consent_expiry", renewed)]
    assert {f.source_uuid for f in due_follow_ups(vault, today, 400)} == {renewed}
