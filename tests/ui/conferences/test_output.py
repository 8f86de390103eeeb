"""'Ausfertigungen' on the real encrypted store: the preview is the real PDF of the minutes, each
participant's copy is the one the consent gate allows, saving and printing write real files that
are read back, and every copy handed out is in the audit log."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo, Qt, QTimer, QTranslator
from PySide6.QtGui import QAccessible, QPageRanges
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.conferences.read import conference_detail
from app.services.conferences.records import (
    CONFERENCE_PURPOSE,
    FULL,
    PSEUDONYMISED,
    AgendaInput,
    CaseMinutes,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    mark_held,
    record_case_minutes,
    set_agenda,
    set_participants,
)
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent, withdraw_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_contact, add_institution
from app.vault.store import Vault
from db.models import AuditLog, Consent, Institution
from tests.support.disk_faults import read_only
from tests.ui.settle import settle
from ui.conferences.output import OutputPanel, standalone
from ui.conferences.output_questions import done_with
from ui.conferences.output_source import render_copy
from ui.conferences.output_versions import OutputVersion
from ui.context import AppContext

WAIT = 20000
CLIENT_NAMES = ("Ayşe", "Öztürk", "Mariam", "Haidari", "Oeztuerk")


@dataclass(frozen=True)
class Held:
    uuid: str
    first_case: int
    second_case: int
    jobcenter_participant: str  # covered for both cases: the full copy
    school_participant: str  # covered for one case only: the pseudonymised copy


@pytest.fixture
def held(vault: Vault) -> Held:
    """A conference held yesterday on two cases; the job centre has consents for both, the
    school and the foreigners' authority for the first only (the authority's warning was
    acknowledged when it was held). Written before ``ctx`` takes the vault over."""
    first = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                       municipality="DO"))
    second = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                        municipality="DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    school = add_institution(vault, NewInstitution("Gesamtschule Nordstadt", "schule", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    schulz = add_contact(vault, jobcenter, "Frau Schulz", role="Fallmanagerin")
    vogt = add_contact(vault, abh, "Frau Vogt", role="Sachbearbeitung")
    berger = add_contact(vault, school, "Herr Berger", role="Schulsozialarbeit")
    categories = ["identity_contact", "education_work"]
    for case in (first, second):
        record_consent(vault, case, NewConsent(jobcenter, categories, CONFERENCE_PURPOSE,
                                               date(2026, 11, 1)))
    for institution in (school, abh):
        record_consent(vault, first, NewConsent(institution, categories, CONFERENCE_PURPOSE,
                                                date(2026, 11, 1)))
    uuid = create_conference(vault, ConferencePlan(
        "Fallkonferenz Übergang Schule – Beruf", datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        place="Rathaus, Raum 104", chair_text="Test Fallmanagerin",
        minute_taker_text="Herr Weber"))
    set_participants(vault, uuid, [
        ParticipantInput("Frau Schulz", contact_uuid=schulz, role="Fallmanagerin"),
        ParticipantInput("Herr Berger", contact_uuid=berger, role="Schulsozialarbeit"),
        ParticipantInput("Frau Vogt", contact_uuid=vogt, role="Sachbearbeitung")])
    set_agenda(vault, uuid, [
        AgendaInput(first, "Ausbildungsplatz nach dem Abschluss", tuple(categories)),
        AgendaInput(second, "Sprachkurs und Arbeitserlaubnis", tuple(categories))])
    mark_held(vault, uuid, datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
              warnings_acknowledged=True)
    detail = conference_detail(vault, uuid)
    for item in detail.agenda:
        record_case_minutes(vault, item.uuid, CaseMinutes(
            resources_goals=f"{item.client} möchte eine Ausbildung beginnen; Frau Öztürk und "
                            "Frau Haidari kennen sich aus dem Sprachkurs.",
            next_review_on=date(2027, 1, 15)))
    by_name = {p.name: p.uuid for p in detail.participants}
    return Held(uuid, first, second, by_name["Frau Schulz"], by_name["Herr Berger"])


@pytest.fixture
def panel(held: Held, qtbot: QtBot, ctx: AppContext) -> Iterator[OutputPanel]:
    widget = standalone(ctx, held.uuid)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.document.pageCount() > 0, timeout=WAIT)
    yield widget
    settle(ctx)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def outputs(vault: Vault) -> list[tuple[str, dict[str, object]]]:
    """The audit entries of copies handed out (print / pdf)."""
    with vault.session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        return [(r.kind, dict(r.detail or {})) for r in rows
                if r.kind in ("print", "export") or (r.detail or {}).get("action")]


def alt(qtbot: QtBot, panel: OutputPanel, key: Qt.Key) -> None:
    """A mnemonic, typed where the keyboard focus is (as a person presses Alt+key)."""
    panel.activateWindow()  # again after a message box closed
    qtbot.waitUntil(panel.isActiveWindow, timeout=WAIT)
    target = QApplication.focusWidget() or panel.list
    qtbot.keyClick(target, key, Qt.KeyboardModifier.AltModifier)


def labels(panel: OutputPanel) -> list[str]:
    return [panel.model.item(i).text() for i in range(panel.model.rowCount())]


def choose(qtbot: QtBot, panel: OutputPanel, label_part: str,
           rendered: bool = True) -> OutputVersion:
    """Move through the list with the arrow key, as a keyboard user does, to the copy."""
    panel.list.setFocus()
    for _ in range(panel.model.rowCount()):
        if panel.current is not None and label_part in panel.current.label:
            break
        qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.current is not None and label_part in panel.current.label
    entry = panel.current
    if rendered:
        qtbot.waitUntil(lambda: panel._pdf is not None and panel.current == entry,
                        timeout=WAIT)
    return entry


def consents_of(vault: Vault, case_id: int, institution: str) -> list[str]:
    with vault.read_session() as s:
        return list(s.execute(select(Consent.uuid).join(Institution, Institution.id ==
                                                       Consent.institution_id)
                              .where(Consent.case_id == case_id,
                                     Institution.name == institution)).scalars())


def answer_next_box(qtbot: QtBot, button_text: str) -> list[str]:
    """Answer the next message box by clicking ``button_text``; returns what it said."""
    said: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        said.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {box.text()!r}")

    QTimer.singleShot(0, answer)
    return said


def save_to(qtbot: QtBot, panel: OutputPanel, path: Path, asked: bool = True) -> list[str]:
    """Alt+S, and the file-name question answered with ``path``; returns the suggestions
    (``asked`` False: a question before it ends the save, wait for its message instead)."""
    suggested: list[str] = []

    def ask(name: str) -> str:
        suggested.append(name)
        return str(path)

    panel.ask_save_path = ask
    shown = panel.message.text()
    alt(qtbot, panel, Qt.Key.Key_S)  # Als PDF &speichern …
    # A mnemonic clicks animated, a moment later.
    qtbot.waitUntil(lambda: bool(suggested) if asked else panel.message.text() != shown,
                    timeout=WAIT)
    settle(panel.ctx)
    return suggested


# -- the preview -------------------------------------------------------------------------


def test_the_preview_shows_every_page_of_the_real_minutes(
        panel: OutputPanel, held: Held, ctx: AppContext, tmp_path: Path) -> None:
    assert labels(panel)[0].startswith("Vollständiges Protokoll")
    assert "Jobcenter Dortmund – Frau Schulz: vollständige Ausfertigung" in labels(panel)
    assert ("Gesamtschule Nordstadt – Herr Berger: pseudonymisierte Ausfertigung"
            in labels(panel))
    reference = tmp_path / "direkt.pdf"
    reference.write_bytes(render_copy(ctx.vault(), held.uuid, FULL, None))
    pages = pdf_pages(reference)
    assert panel.document.pageCount() == pages
    assert panel.pages.text() == f"Vorschau: {pages} Seite" + ("" if pages == 1 else "n")
    assert panel.print_button.isEnabled() and panel.save_button.isEnabled()


def test_a_pseudonymised_recipient_gets_a_copy_without_any_client_name(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    save_to(qtbot, panel, tmp_path / "voll.pdf")
    full = pdf_text(tmp_path / "voll.pdf")
    assert "Öztürk" in full and "Haidari" in full  # the check below can find the names

    entry = choose(qtbot, panel, "Herr Berger")
    assert entry.version == PSEUDONYMISED and entry.recipient_uuid == held.school_participant
    assert panel.reason.isVisible() and panel.reason.text()
    assert "pseudonymisiert" in save_to(qtbot, panel, tmp_path / "berger.pdf")[0]
    text = pdf_text(tmp_path / "berger.pdf")
    assert text.strip()
    for name in CLIENT_NAMES:
        assert name not in text, name
    assert outputs(ctx.vault())[-1][1].get("version") == PSEUDONYMISED


# -- saving ------------------------------------------------------------------------------


def test_save_as_pdf_writes_the_file_records_it_and_asks_before_replacing(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "ablage"
    folder.mkdir()
    target = folder / "Protokoll.pdf"
    before = len(outputs(ctx.vault()))
    assert save_to(qtbot, panel, target) == ["Protokoll_2026-11-24_Fallkonferenz.pdf"]
    assert pdf_pages(target) == panel.document.pageCount()
    assert "Gespeichert" in panel.message.text()
    assert len(outputs(ctx.vault())) == before + 1
    assert sorted(p.name for p in folder.iterdir()) == ["Protokoll.pdf"]

    target.write_bytes(b"die eigene Datei")
    said = answer_next_box(qtbot, "Nicht ersetzen")
    save_to(qtbot, panel, target)
    assert "Protokoll.pdf" in said[0]
    assert target.read_bytes() == b"die eigene Datei"
    assert "Nicht gespeichert" in panel.message.text()
    assert len(outputs(ctx.vault())) == before + 1

    answer_next_box(qtbot, "Ersetzen")
    save_to(qtbot, panel, target)
    assert pdf_pages(target) == panel.document.pageCount()
    assert len(outputs(ctx.vault())) == before + 2
    assert sorted(p.name for p in folder.iterdir()) == ["Protokoll.pdf"]


def test_a_copy_for_the_foreigners_authority_leaves_only_after_its_warning_is_confirmed(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    entry = choose(qtbot, panel, "Frau Vogt")
    assert entry.warnings
    folder = tmp_path / "ablage"
    folder.mkdir()
    before = outputs(ctx.vault())
    said = answer_next_box(qtbot, "Nicht weitergeben")
    assert save_to(qtbot, panel, folder / "abh.pdf", asked=False) == []
    assert "Ausländerbehörde" in said[0]
    assert "Nicht weitergegeben" in panel.message.text()
    assert list(folder.iterdir()) == [] and outputs(ctx.vault()) == before

    answer_next_box(qtbot, "Weitergabe bestätigen")
    save_to(qtbot, panel, folder / "abh.pdf")
    assert pdf_pages(folder / "abh.pdf") == panel.document.pageCount()
    assert len(outputs(ctx.vault())) == len(before) + 1


def test_a_copy_the_record_refuses_is_taken_back_and_the_replaced_file_restored(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    """Frau Schulz's full copy is on screen; meanwhile another Lotse process withdrew the job
    centre's consent for the second case. Saving it over an existing file: the services refuse
    to record the copy, so it is not handed out and the old file is back."""
    choose(qtbot, panel, "Frau Schulz")
    for uuid in consents_of(ctx.vault(), held.second_case, "Jobcenter Dortmund"):
        withdraw_consent(ctx.vault(), uuid, date(2026, 11, 25))  # idle thread, unannounced
    folder = tmp_path / "ablage"
    folder.mkdir()
    target = folder / "Schulz.pdf"
    target.write_bytes(b"die alte Fassung")
    before = outputs(ctx.vault())
    answer_next_box(qtbot, "Ersetzen")
    save_to(qtbot, panel, target)
    assert "erhält nur die pseudonymisierte Fassung" in panel.message.text()
    assert panel.message.text().startswith("Nicht gespeichert")
    assert target.read_bytes() == b"die alte Fassung"
    assert sorted(p.name for p in folder.iterdir()) == ["Schulz.pdf"]
    assert outputs(ctx.vault()) == before


def test_a_save_that_fails_says_so_and_records_nothing(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "nurlesen"
    folder.mkdir()
    before = outputs(ctx.vault())
    with read_only(folder):
        save_to(qtbot, panel, folder / "Protokoll.pdf")
        assert list(folder.iterdir()) == []
    assert "schreibgeschützt" in panel.message.text()
    assert outputs(ctx.vault()) == before


# -- printing ------------------------------------------------------------------------------


def print_to(qtbot: QtBot, panel: OutputPanel, path: Path, ranges: str) -> None:
    """Alt+D; the print dialog answered as a person would: print to a PDF file, pages."""
    asked: list[int] = []

    def ask(printer: QPrinter, page_count: int) -> bool:
        asked.append(page_count)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setPageRanges(QPageRanges.fromString(ranges))
        return True

    panel.ask_print = ask
    alt(qtbot, panel, Qt.Key.Key_D)  # &Drucken …
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT)
    settle(panel.ctx)
    assert asked == [panel.document.pageCount()]


def test_printing_a_page_range_prints_those_pages_and_records_it(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    pages = panel.document.pageCount()
    assert pages >= 2, "the minutes of two cases fill more than a page"
    before = len(outputs(ctx.vault()))
    out = tmp_path / "gedruckt.pdf"
    print_to(qtbot, panel, out, f"2-{pages}")
    assert pdf_pages(out) == pages - 1
    assert f"{pages - 1} Seite" in panel.message.text()
    entries = outputs(ctx.vault())
    assert len(entries) == before + 1


def test_the_print_dialog_speaks_german_and_offers_a_page_range(
        panel: OutputPanel, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert app is not None
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    assert translator.load("qtbase_de", folder)
    app.installTranslator(translator)
    try:
        printer = QPrinter()
        dialog = panel.print_dialog(printer, 3)
        assert dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange)
        assert (dialog.minPage(), dialog.maxPage()) == (1, 3)
        dialog.show()
        texts = [b.text().replace("&", "") for b in dialog.findChildren(type(panel.print_button))
                 if b.isVisible()]
        assert "Abbrechen" in texts and "Eigenschaften" in texts  # Qt's own, in German
        assert dialog.windowTitle() == "Protokoll drucken"
        dialog.reject()
        done_with(dialog)  # before the printer it refers to goes
    finally:
        app.removeTranslator(translator)


# -- while it renders, and when it cannot ---------------------------------------------------


def test_cancel_stops_a_waiting_render_and_the_panel_stays_usable(
        panel: OutputPanel, qtbot: QtBot, ctx: AppContext) -> None:
    made: list[str | None] = []

    def counted(vault: Vault, uuid: str, version: str, recipient: str | None) -> bytes:
        made.append(recipient)
        return render_copy(vault, uuid, version, recipient)

    panel.render_source = counted
    busy, release = threading.Event(), threading.Event()
    ctx.run(lambda _v: (busy.set(), release.wait(WAIT / 1000)), lambda _r: None)
    assert busy.wait(WAIT / 1000)  # the database thread is taken: the render has to wait
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    assert panel.progress.isVisible() and not panel.save_button.isEnabled()
    alt(qtbot, panel, Qt.Key.Key_A)  # &Abbrechen
    qtbot.waitUntil(lambda: "abgebrochen" in panel.message.text(), timeout=WAIT)
    assert not panel.progress.isVisible() and panel.document.pageCount() == 0
    release.set()
    settle(ctx)
    assert made == []  # cancelled before it started: nothing was rendered
    assert panel.document.pageCount() == 0
    qtbot.keyClick(panel.list, Qt.Key.Key_Up)  # the full minutes again: from memory
    assert panel.document.pageCount() > 0 and panel.print_button.isEnabled()
    assert made == []


def test_a_copy_the_gate_no_longer_allows_is_refused_in_german_and_the_list_follows(
        panel: OutputPanel, held: Held, qtbot: QtBot, ctx: AppContext) -> None:
    """Another Lotse process (the CLI) withdrew the job centre's consent for the second case;
    the list still offered Frau Schulz the full copy. The services refuse it; once a change
    is announced, the list offers her the pseudonymised copy."""
    consents = consents_of(ctx.vault(), held.second_case, "Jobcenter Dortmund")
    for uuid in consents:  # test setup on the idle database thread: no change is announced
        withdraw_consent(ctx.vault(), uuid, date(2026, 11, 25))
    entry = choose(qtbot, panel, "Frau Schulz", rendered=False)
    assert entry.version == FULL
    qtbot.waitUntil(lambda: "nicht erstellen" in panel.message.text(), timeout=WAIT)
    assert "erhält nur die pseudonymisierte Fassung" in panel.message.text()  # the service's
    assert panel.document.pageCount() == 0 and not panel.save_button.isEnabled()
    assert "Traceback" not in panel.message.text()

    assert "Frau Schulz: vollständige Ausfertigung" in " ".join(labels(panel))
    school_consent = consents_of(ctx.vault(), held.first_case, "Gesamtschule Nordstadt")[0]
    # A withdrawal made in Lotse is announced: the list follows.
    ctx.run(lambda vault: withdraw_consent(vault, school_consent, date(2026, 11, 25)),
            lambda _r: None)
    settle(ctx)
    qtbot.waitUntil(lambda: panel._pdf is not None, timeout=WAIT)
    assert "Jobcenter Dortmund – Frau Schulz: pseudonymisierte Ausfertigung" in labels(panel)
    assert panel.current is not None and "Frau Schulz" in panel.current.label


# -- keyboard and screen reader ----------------------------------------------------------------


def test_every_control_is_reached_by_tab_and_mnemonic(panel: OutputPanel, qtbot: QtBot) -> None:
    panel.save_button.setFocus()
    alt(qtbot, panel, Qt.Key.Key_W)  # Ausfertigung &wählen
    assert panel.list.hasFocus()
    chain, widget = [], panel.list.nextInFocusChain()
    while widget is not panel.list and len(chain) < 50:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain.index(panel.print_button) < chain.index(panel.save_button)
    assert panel.view in chain or panel.view.viewport() in chain
    name = QAccessible.queryAccessibleInterface(panel.list).text(QAccessible.Text.Name)
    assert name == "Ausfertigungen"
    view = QAccessible.queryAccessibleInterface(panel.view).text(QAccessible.Text.Name)
    assert view == "Vorschau der gewählten Ausfertigung"
    assert panel.print_button.text() == "&Drucken …"
    assert panel.save_button.text() == "Als PDF &speichern …"


def test_locking_leaves_no_copy_in_memory(panel: OutputPanel, qtbot: QtBot,
                                          ctx: AppContext) -> None:
    choose(qtbot, panel, "Herr Berger")  # copies rendered and kept for switching back
    assert len(panel._cache) >= 2  # (the one passed on the way may be there too)
    ctx.locked.emit()  # what the main window does first when it locks
    assert panel._cache == {} and panel._pdf is None
    assert panel.document.pageCount() == 0 and panel._buffer.data().size() == 0
    assert not panel.print_button.isEnabled() and not panel.save_button.isEnabled()
