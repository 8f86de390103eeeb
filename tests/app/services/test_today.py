"""Heute: the windowed, indexed lists agree with the per-case follow-ups they summarise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

import app.services.today.read as today_module
from app.demo.generator import generate_demo
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent, withdraw_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status, correct_status, remove_status
from app.services.tasks.queries import case_follow_ups
from app.services.tasks.records import FollowUp
from app.services.today.read import LIST_LIMIT, UPCOMING_DAYS, today_overview
from app.vault.store import Vault
from db.models import CaseFile, CaseManager, JournalEntry

ORDER = lambda f: (f.due_on, f.case_id, f.kind)  # noqa: E731 - the services' order


def _every_follow_up(vault: Vault) -> list[FollowUp]:
    """The oracle: each open case's own follow-ups, one case at a time."""
    with vault.session() as s:
        cases = s.execute(select(CaseFile).where(
            CaseFile.deleted.is_(False), CaseFile.phase != "closed")).scalars().all()
        return sorted((f for case in cases for f in case_follow_ups(s, case)), key=ORDER)


@pytest.mark.parametrize("limit", [LIST_LIMIT, 40])
def test_heute_lists_are_the_earliest_of_every_case_follow_up(
        vault: Vault, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    # 40: every list is cut, so only the earliest may show and the totals must be counted.
    monkeypatch.setattr(today_module, "LIST_LIMIT", limit)
    generate_demo(vault, 500, seed=11)
    today = vault.clock.today()
    overview = today_overview(vault)
    every = _every_follow_up(vault)

    overdue = [f for f in every if f.due_on < today]
    assert len(overdue) > 40
    assert overview.overdue_cases == len({f.case_id for f in overdue})
    assert [(i.on, i.case_id, i.text) for i in overview.overdue] == \
        [(f.due_on, f.case_id, f.title) for f in overdue[:limit]]

    upcoming = [f for f in every if today <= f.due_on <= today + timedelta(days=UPCOMING_DAYS)]
    assert len(upcoming) > 40
    assert overview.upcoming_total == len(upcoming)
    assert [(i.on, i.case_id, i.text) for i in overview.upcoming] == \
        [(f.due_on, f.case_id, f.title) for f in upcoming[:limit]]


def test_heute_counts_quiet_cases_by_their_last_contact(vault: Vault) -> None:
    generate_demo(vault, 600, seed=5)
    now = vault.clock.now()
    cutoff = now - timedelta(weeks=6)
    with vault.session() as s:  # the oracle: the journal itself, grouped
        last = dict(s.execute(select(JournalEntry.case_id, func.max(JournalEntry.occurred_at))
                              .where(JournalEntry.deleted.is_(False))
                              .group_by(JournalEntry.case_id)).all())
        cases = s.execute(select(CaseFile.id, CaseFile.opened_on).where(
            CaseFile.deleted.is_(False), CaseFile.phase != "closed")).all()
    quiet = {cid for cid, opened in cases if
             (last[cid].replace(tzinfo=UTC) < cutoff if cid in last
              else opened < cutoff.date())}
    overview = today_overview(vault)
    assert overview.quiet_total == len(quiet) > 0
    assert {i.case_id for i in overview.quiet} <= quiet
    shown = [i.on for i in overview.quiet]
    assert shown == sorted(shown)  # the longest silence first

    # A new contact takes the case off the list at once.
    first = overview.quiet[0].case_id
    add_journal_entry(vault, first, NewJournalEntry("phone", "Rückruf wegen Termin", now))
    again = today_overview(vault)
    assert again.quiet_total == len(quiet) - 1
    assert first not in {i.case_id for i in again.quiet}


def test_heute_shows_only_current_statuses_and_consents(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    # A status replaced by a newer one must not be reported as expiring.
    add_status(vault, cid, NewStatus("duldung", today - timedelta(days=200),
                                     today + timedelta(days=10)))
    add_status(vault, cid, NewStatus("aufenthaltserlaubnis_25b", today - timedelta(days=1),
                                     today + timedelta(days=700)))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    record_consent(vault, cid, NewConsent(abh, ["residence"], "Aufenthalt",
                                          today - timedelta(days=300), today + timedelta(days=20)))
    overview = today_overview(vault)
    assert [i.text for i in overview.consents] == [
        f"Einwilligung gegenüber Ausländerbehörde Dortmund gültig bis "
        f"{today + timedelta(days=20):%d.%m.%Y}"]
    assert overview.consents_total == 1
    assert overview.statuses == [] and overview.statuses_total == 0
    # Renewed: the old consent's expiry is no longer a reminder.
    record_consent(vault, cid, NewConsent(abh, ["residence"], "Aufenthalt",
                                          today, today + timedelta(days=365)))
    renewed = today_overview(vault)
    assert renewed.consents == [] and renewed.consents_total == 0


def test_heute_follows_corrections_removals_and_withdrawals(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    wrong = add_status(vault, cid, NewStatus("duldung", today - timedelta(days=20),
                                             today + timedelta(days=5)))
    # Corrected: the new entry counts, the wrong one (same start, stays in the timeline) not.
    correct_status(vault, cid, wrong, NewStatus("duldung", today - timedelta(days=20),
                                                today + timedelta(days=12)), "Tippfehler")
    assert [i.on for i in today_overview(vault).statuses] == [today + timedelta(days=12)]
    older = add_status(vault, cid, NewStatus("duldung", today - timedelta(days=400),
                                             today + timedelta(days=3)))
    assert [i.on for i in today_overview(vault).statuses] == [today + timedelta(days=12)]
    current = today_overview(vault).statuses[0].source_uuid
    remove_status(vault, cid, current, "recorded_in_error")  # the older one counts again
    assert [i.source_uuid for i in today_overview(vault).statuses] == [older]
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    consent = record_consent(vault, cid, NewConsent(abh, ["residence"], "Aufenthalt",
                                                    today - timedelta(days=300),
                                                    today + timedelta(days=20)))
    assert [i.source_uuid for i in today_overview(vault).consents] == [consent]
    withdraw_consent(vault, consent, today)
    assert today_overview(vault).consents == []


def test_a_contact_in_the_past_does_not_hide_a_newer_one(vault: Vault) -> None:
    now = vault.clock.now()
    cid = create_case(vault, NewCase("Ivana", "Horvat", "DO"))
    add_journal_entry(vault, cid, NewJournalEntry("office", "Erstgespräch", now))
    # Typed in later, but it happened ten weeks ago: the last contact stays today's.
    add_journal_entry(vault, cid, NewJournalEntry(
        "office", "Nachtrag", datetime(2026, 9, 1, 10, 0, tzinfo=UTC)))
    with vault.session() as s:
        assert s.get_one(CaseFile, cid).last_contact_at == now
    assert cid not in {i.case_id for i in today_overview(vault).quiet}


def test_only_mine_keeps_the_owners_cases(vault: Vault) -> None:
    generate_demo(vault, 300, seed=7)
    with vault.read_session() as s:
        owner = s.execute(select(CaseManager.id).where(
            CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
        manager = dict(s.execute(select(CaseFile.id, CaseFile.case_manager_id)).tuples().all())
    every = today_overview(vault, status_window_days=90)
    mine = today_overview(vault, status_window_days=90, only_mine=True)
    assert mine.only_mine and not every.only_mine
    for name in ("overdue", "upcoming", "statuses", "consents", "quiet"):
        all_items, my_items = getattr(every, name), getattr(mine, name)
        assert {i.case_id for i in all_items if manager[i.case_id] != owner}, name
        assert my_items == [i for i in all_items if manager[i.case_id] == owner], name
    assert mine.quiet_total == len([i for i in every.quiet if manager[i.case_id] == owner])
    assert 0 < mine.overdue_cases < every.overdue_cases


def test_the_consent_block_follows_the_status_window(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    record_consent(vault, cid, NewConsent(jc, ["residence"], "Leistungen",
                                          today - timedelta(days=300), today + timedelta(days=75)))
    assert today_overview(vault, status_window_days=60).consents == []
    ninety = today_overview(vault, status_window_days=90)
    assert [(i.case_id, i.kind, i.section) for i in ninety.consents] == [
        (cid, "consent", "consents")]
    assert ninety.consents_total == 1


def test_counts_stop_beyond_the_cap(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(today_module, "COUNT_CAP", 30)
    monkeypatch.setattr(today_module, "LIST_LIMIT", 30)
    generate_demo(vault, 300, seed=7)
    overview = today_overview(vault)
    assert overview.quiet_total == 31  # "über 30": counting stopped right after the cap
    assert len(overview.quiet) == 30
    uncapped = [f for f in _every_follow_up(vault)
                if vault.clock.today() <= f.due_on <= vault.clock.today() + timedelta(days=14)]
    assert len(uncapped) > 30 and overview.upcoming_total > 30
    # Still the earliest ones, though only the tasks were counted to the end of the window.
    assert [(i.on, i.case_id, i.text) for i in overview.upcoming] == \
        [(f.due_on, f.case_id, f.title) for f in uncapped[:30]]
    assert {i.kind for i in overview.upcoming} > {"task"}  # computed ones among them
