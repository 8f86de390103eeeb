"""Verlauf: a Nachtrag and a correction made with the keyboard are new entries linked to the
original; the original stays unchanged and both are listed, marked, audited and searchable."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.search.read import search_journal
from db.models import AuditLog, JournalEntry
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    column,
    history_of,
    loaded_journal,
    open_case,
)
from ui.casefile.sections.journal import JournalSection
from ui.context import AppContext

CONTENT = 5  # the "Inhalt" column


def _journal_with_one_entry(qtbot: QtBot, ctx: AppContext,
                            case_id: int) -> tuple[JournalSection, object, int]:
    when = (datetime.now().astimezone() - timedelta(days=3)).replace(second=0, microsecond=0)
    oid = add_journal_entry(ctx.vault(), case_id, NewJournalEntry(
        "office", "Termin beim Jobcenter am Montag vereinbart", when, duration_minutes=30))
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=TIMEOUT)
    journal.table.setFocus()
    qtbot.keyClick(journal.table, Qt.Key.Key_Home)  # the row is chosen with the keyboard
    return journal, widget, oid


def _stored(ctx: AppContext) -> list[tuple[int, str, str, int | None, int | None]]:
    with ctx.vault().read_session() as s:
        return [(j.id, j.entry_kind, j.text, j.duration_minutes, j.amends_id)
                for j in s.execute(select(JournalEntry).order_by(JournalEntry.id)).scalars()]


def test_correction_by_keyboard_keeps_the_original_and_marks_both(
        qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    journal, widget, oid = _journal_with_one_entry(qtbot, ctx, case_id)
    qtbot.keyClick(journal.table, Qt.Key.Key_F2)  # Korrigieren…
    assert journal.entry_box.title().startswith("Korrektur des Eintrags vom ")
    # Prefilled with everything the entry says; the caseworker fixes the wrong word.
    assert journal.text.toPlainText() == "Termin beim Jobcenter am Montag vereinbart"
    assert journal.duration.value() == 30 and journal.text.hasFocus()
    journal.text.clear()
    qtbot.keyClicks(journal.text, "Termin beim Jobcenter am Dienstag vereinbart")
    qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 2, timeout=TIMEOUT)
    ctx.wait_idle()

    stored = _stored(ctx)
    assert stored[0] == (oid, "progress_note", "Termin beim Jobcenter am Montag vereinbart",
                         30, None)
    assert stored[1][1:] == ("correction", "Termin beim Jobcenter am Dienstag vereinbart",
                             30, oid)
    contents = column(journal.model, CONTENT)
    today = datetime.now().strftime("%d.%m.%Y")
    assert contents[0].startswith("[Korrektur zum Eintrag vom ")
    assert contents[1] == f"[korrigiert am {today}, siehe Korrektur] " \
        "Termin beim Jobcenter am Montag vereinbart"
    assert journal.model.rows()[1].foreground  # the corrected original is greyed
    assert journal.entry_box.title() == "Neuer Kontakt (Schnellerfassung)"
    assert {h.entry_id for h in search_journal(ctx.vault(), "Jobcenter")} == {oid, stored[1][0]}
    with ctx.vault().read_session() as s:
        original_uuid = s.get_one(JournalEntry, oid).uuid
        details = [a.detail for a in s.execute(select(AuditLog).where(
            AuditLog.object_type == "journal_entry")).scalars()]
    assert [d.get("amends") for d in details] == [None, original_uuid]
    events = column(history_of(qtbot, widget), 1)
    assert events.count("Angelegt: Verlaufseintrag") == 2


def test_addendum_by_keyboard_and_cancel(qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    journal, _widget, oid = _journal_with_one_entry(qtbot, ctx, case_id)
    qtbot.keyClick(journal.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # Nachtrag…
    # A mnemonic clicks its button a moment later (Qt animates the click).
    qtbot.waitUntil(lambda: journal.entry_box.title().startswith("Nachtrag zum Eintrag vom "),
                    timeout=TIMEOUT)
    assert journal.text.toPlainText() == "" and journal.duration.value() == 0
    qtbot.keyClick(journal.text, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)  # Abbrechen
    qtbot.waitUntil(lambda: journal.entry_box.title() == "Neuer Kontakt (Schnellerfassung)",
                    timeout=TIMEOUT)

    journal.table.setFocus()
    qtbot.keyClick(journal.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(journal.text.hasFocus, timeout=TIMEOUT)
    qtbot.keyClicks(journal.text, "Dolmetscherin Farsi organisiert")
    qtbot.keyClick(journal.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 2, timeout=TIMEOUT)
    ctx.wait_idle()
    stored = _stored(ctx)
    assert stored[0] == (oid, "progress_note", "Termin beim Jobcenter am Montag vereinbart",
                         30, None)
    assert stored[1][1:] == ("addendum", "Dolmetscherin Farsi organisiert", None, oid)
    contents = column(journal.model, CONTENT)
    assert contents[0].startswith("[Nachtrag zum Eintrag vom ")
    assert contents[1] == "[mit Nachtrag] Termin beim Jobcenter am Montag vereinbart"
    assert not journal.model.rows()[1].foreground  # a Nachtrag corrects nothing


def test_an_unsaved_correction_is_kept_as_a_draft(qtbot: QtBot, ctx: AppContext,
                                                  case_id: int) -> None:
    journal, widget, oid = _journal_with_one_entry(qtbot, ctx, case_id)
    qtbot.keyClick(journal.table, Qt.Key.Key_F2)
    qtbot.keyClicks(journal.text, " (laut Jobcenter)")
    draft = journal.draft_state()
    widget.close()  # the tab is closed (or the vault locked) before saving
    again = loaded_journal(qtbot, open_case(qtbot, ctx, case_id, "journal"))
    assert draft is not None
    again.restore_draft(draft)
    qtbot.waitUntil(lambda: again.entry_box.title().startswith("Korrektur des Eintrags vom "),
                    timeout=TIMEOUT)
    assert again.text.toPlainText() == \
        "Termin beim Jobcenter am Montag vereinbart (laut Jobcenter)"
    again.text.setFocus()
    qtbot.keyClick(again.text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: again.model.rowCount() == 2, timeout=TIMEOUT)
    ctx.wait_idle()
    assert _stored(ctx)[1][1:] == (
        "correction", "Termin beim Jobcenter am Montag vereinbart (laut Jobcenter)", 30, oid)
