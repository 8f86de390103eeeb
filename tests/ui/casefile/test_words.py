"""Words a caseworker reads: language names instead of codes, one Zugangsweg list, a Protokoll
in German that names the fields changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app import catalogues
from app.services.audit.read import SECTION_LABELS
from app.services.cases.read import case_documentation
from app.services.consent.read import consent_matrix
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from tests.ui.casefile.casefile_helpers import (
    TIMEOUT,
    column,
    history_of,
    loaded_journal,
    open_case,
    section_of,
)
from tests.ui.casefile.sections_support import Seed, open_consents
from ui.casefile._section import SectionCode
from ui.casefile.sections.documentation import DocumentationSection
from ui.casefile.sections.overview import PersonSection
from ui.casefile.window import VIEWED
from ui.caselist.new_case_dialog import NewCaseDialog
from ui.context import AppContext


def items(combo: QComboBox) -> list[tuple[str, object]]:
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def all_texts(model: object) -> list[str]:
    """Every cell and tooltip of a table model, as a screen reader or a hovering mouse gets."""
    from PySide6.QtCore import QAbstractItemModel
    assert isinstance(model, QAbstractItemModel)
    texts = []
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                texts.append(str(model.index(r, c).data(role) or ""))
    return texts


def test_journal_and_person_show_language_names(qtbot: QtBot, ctx: AppContext,
                                                case_id: int) -> None:
    add_journal_entry(ctx.vault(), case_id, NewJournalEntry(
        contact_kind="office", text="Beratung mit Dolmetscher", place=None,
        occurred_at=datetime(2026, 11, 3, 10, tzinfo=UTC), interpreter_used=True,
        interpreter_language="ti", duration_minutes=30))  # as the demo and older entries store it
    widget = open_case(qtbot, ctx, case_id, "journal")
    journal = loaded_journal(qtbot, widget)
    qtbot.waitUntil(lambda: journal.model.rowCount() == 1, timeout=TIMEOUT)
    assert "ja (Tigrinya)" in all_texts(journal.model)
    widget.show_section("")
    person = section_of(widget, "", PersonSection)
    qtbot.waitUntil(lambda: person.languages.chosen.count() == 1, timeout=TIMEOUT)
    assert person.languages.chosen.item(0).text() == "Türkisch"


def test_consent_list_shows_the_info_sheet_language_by_name(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    record_consent(ctx.vault(), seed.case_id, NewConsent(
        institution_uuid=seed.jobcenter, data_categories=["residence"], purpose="Arbeit",
        given_on=date(2026, 11, 2), info_sheet_language="prs"))
    section = open_consents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: section.list_model.rowCount() == 1, timeout=TIMEOUT)
    texts = all_texts(section.list_model)
    assert any("Informationsblatt: Dari" in t for t in texts), texts
    assert not any("prs" in t for t in texts)
    # Typed by its German name in the form, the language is stored as its code.
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    form.categories["housing"].setChecked(True)
    qtbot.keyClicks(form.purpose, "Wohnung")
    qtbot.keyClicks(form.language, "Tigrinya")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    ctx.wait_idle()
    qtbot.waitUntil(lambda: section.list_model.rowCount() == 2, timeout=TIMEOUT)
    ctx.wait_idle()
    stored = {c.info_sheet_language for c in consent_matrix(ctx.vault(), seed.case_id).consents}
    assert stored == {"prs", "ti"}


def test_documentation_chooses_names_stores_codes_and_protokoll_names_fields(
        qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    widget = open_case(qtbot, ctx, case_id, "documentation")
    doc = section_of(widget, "documentation", DocumentationSection)
    qtbot.waitUntil(doc.isEnabled, timeout=TIMEOUT)
    # The language of the information: names in the list, never codes.
    names = [text for text, _code in items(doc.dp_language)]
    assert "Dari" in names and "Tigrinya" in names and "prs" not in names
    doc.dp_language.setFocus()
    qtbot.keyClicks(doc.dp_language, "Dari")  # keyboard search in the closed combo
    assert doc.dp_language.currentText() == "Dari"
    doc.access_route.setFocus()
    qtbot.keyClicks(doc.access_route, "Verweis durch das J")
    assert doc.access_route.currentText() == "Verweis durch das Jobcenter"
    qtbot.keyClick(doc.access_route, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: doc.saved_note.text() == "Gespeichert.", timeout=TIMEOUT)
    ctx.wait_idle()
    values = case_documentation(ctx.vault(), case_id).values
    assert (values["access_route"], values["dp_info_language"]) == ("jobcenter", "prs")

    history = history_of(qtbot, widget)
    details = column(history, 2)
    assert "Zugangsweg, Sprache der Datenschutzinformation" in " | ".join(details)
    assert any(d.startswith("Geändert: ") for d in details)
    for text in (*details, *column(history, 1)):
        assert "_" not in text and "documentation" not in text, text
    # Every section a person can look at has a German name in the Protokoll.
    for code in SectionCode:
        assert VIEWED.get(code, code) in SECTION_LABELS


def test_one_zugangsweg_list_in_new_case_and_documentation(
        qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    dialog = NewCaseDialog(ctx)
    qtbot.addWidget(dialog)
    doc = DocumentationSection(ctx, case_id)
    qtbot.addWidget(doc)
    offered = items(dialog.access_route)
    assert offered == items(doc.access_route)
    assert [code for _text, code in offered[1:]] == [r.code for r in catalogues.access_routes()]
    assert not dialog.access_route.isEditable()  # no free text splitting the figures
