"""Case-file sections on the real encrypted store: consents, documents, tasks, plan."""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import catalogues
from app.errors import NotFound
from app.services.case_history import case_history
from app.services.cases import NewCase, create_case
from app.services.consent import NewConsent, may_disclose, record_consent
from app.services.directory import NewInstitution, add_institution
from app.services.document_export import cleanup_private_temp, private_temp_dir
from app.services.journal import NewStatus, add_status, add_task
from app.vault.store import Vault
from ui.casefile.sections._rows_model import RowsModel
from ui.context import AppContext

MARKER = "GEHEIMMARKE-Qx7Zk-4711"
PURPOSE = "Vermittlung in Arbeit"


@dataclass(frozen=True)
class Seed:
    case_id: int
    jobcenter: str
    abh: str


@pytest.fixture
def seed(vault: Vault) -> Seed:
    """Data created through the services before the desktop context takes the vault over."""
    case_id = create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk",
                                         municipality="DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde Dortmund",
                                                "auslaenderbehoerde", "DO"))
    return Seed(case_id, jobcenter, abh)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh temp dir for Python and Qt, so the scan sees everything written there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def check_model(model: RowsModel) -> QAbstractItemModelTester:
    # Parented to the model, so it keeps checking every later change (not garbage-collected);
    # its complaints are Qt warnings, which the autouse fixture below turns into failures.
    return QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning, model)


@pytest.fixture(autouse=True)
def no_model_tester_failures(qtlog: Any) -> Iterator[None]:
    yield
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []


def as_in_window(ctx: AppContext, section: Any) -> Any:
    """The case-file window reloads its visible section on ctx.changed; do the same here."""
    ctx.changed.connect(lambda _what: section.refresh())
    return section


def cell(model: RowsModel, key: str, column: int) -> str:
    for row in model.rows():
        if row.key == key:
            return row.cells[column]
    return ""


def category_column(code: str) -> int:
    return 1 + [c.code for c in catalogues.data_categories()].index(code)


def make_pdf(path: Path) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pageCompression=0)  # uncompressed: the marker is plain bytes
    canvas.setTitle(MARKER)
    canvas.drawString(72, 720, f"Einwilligung {MARKER}")
    canvas.showPage()
    canvas.save()
    return path.read_bytes()


def files_containing(marker: bytes, *roots: Path) -> list[Path]:
    hits = []
    for root in roots:
        for p in root.rglob("*"):
            if p.is_file() and marker in p.read_bytes():
                hits.append(p)
    return hits


# --- consents -----------------------------------------------------------------------------


def _consents(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import ConsentsSection

    section = as_in_window(ctx, ConsentsSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.matrix_model)
    check_model(section.list_model)
    section.refresh()
    qtbot.waitUntil(lambda: section.form.institution.count() > 2, timeout=10000)
    return section


def test_consent_entry_shows_in_matrix_allows_disclosure_and_withdraws(
        qtbot: QtBot, seed: Seed, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    section = _consents(qtbot, ctx, seed)
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    assert not form.warning.isVisibleTo(section)  # the Jobcenter needs no extra warning
    form.categories["residence"].setChecked(True)
    qtbot.keyClicks(form.purpose, PURPOSE)
    form.valid_until.setDate(QDate(2099, 12, 31))
    assert section.has_unsaved_changes()
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in section.message.text(), timeout=10000)
    residence = category_column("residence")
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.jobcenter, residence)
                    == "✓ bis 31.12.2099", timeout=10000)
    assert cell(section.matrix_model, seed.jobcenter, category_column("health")) == "–"
    assert not section.has_unsaved_changes()  # the form was emptied after saving
    ctx.wait_idle()
    today = date.today()
    decision = may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today)
    assert decision.allowed, decision.reason_de

    # Withdraw: the dialog names the date; the cell then says so.
    asked: list[str] = []

    def answer_yes(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    assert not section.withdraw_button.isEnabled()
    section.list_view.selectRow(0)
    assert section.withdraw_button.isEnabled()
    qtbot.mouseClick(section.withdraw_button, Qt.MouseButton.LeftButton)
    assert asked and today.strftime("%d.%m.%Y") in asked[0]
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.jobcenter, residence)
                    == f"widerrufen am {today:%d.%m.%Y}", timeout=10000)
    ctx.wait_idle()
    assert not may_disclose(ctx.vault(), seed.case_id, seed.jobcenter, "residence", PURPOSE,
                            today).allowed


def test_consent_form_warns_for_auslaenderbehoerde_and_validates(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = _consents(qtbot, ctx, seed)
    assert section.matrix_model.rowCount() == 0  # no consents yet
    section.add_institution.setCurrentIndex(section.add_institution.findData(seed.jobcenter))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.matrix_model.rowCount() == 1, timeout=10000)
    assert section.matrix_model.rows()[0].cells[0] == "Jobcenter Dortmund"
    assert set(section.matrix_model.rows()[0].cells[1:]) == {"–"}
    form = section.form
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    assert form.errors.labels["institution"].text() == "Bitte die Institution wählen."
    form.institution.setCurrentIndex(form.institution.findData(seed.abh))
    assert form.warning.isVisibleTo(section) and "Ausländerbehörde" in form.warning.text()
    qtbot.keyClicks(form.purpose, "Verlaengerung der Duldung")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    label = form.errors.labels["data_categories"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert "Datenkategorie" in label.text()
    assert form.category_box.accessibleDescription() == label.text()
    form.categories["residence"].setChecked(True)
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in section.message.text(), timeout=10000)
    assert "Übermittlungspflichten" in section.message.text()
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.abh,
                                 category_column("residence")) == "✓ unbefristet", timeout=10000)
    assert section.matrix_model.rowCount() == 2  # the added Jobcenter row stays


def test_matrix_prefers_valid_consent_and_guards_confided(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    v, today = ctx.vault(), date.today()
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence", "health"], PURPOSE,
                                               date(2020, 1, 1), date(2021, 1, 31)))
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence", "confided"],
                                               PURPOSE, today))  # confided without the flag
    section = _consents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: section.matrix_model.rowCount() == 1, timeout=10000)
    assert cell(section.matrix_model, seed.jobcenter, category_column("residence")) \
        == "✓ unbefristet"  # the valid consent wins over the expired one
    assert cell(section.matrix_model, seed.jobcenter, category_column("health")) \
        == "abgelaufen am 31.01.2021"
    assert cell(section.matrix_model, seed.jobcenter, category_column("confided")) == "–"
    # Through the form: the "anvertraut" box records the explicit extra consent.
    form = section.form
    form.institution.setCurrentIndex(form.institution.findData(seed.abh))
    form.categories["family_children"].setChecked(True)
    form.confided.setChecked(True)
    form.purpose.setText("Hilfeplankonferenz")
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(section.matrix_model, seed.abh, category_column("confided"))
                    == "✓ unbefristet", timeout=10000)
    ctx.wait_idle()
    assert may_disclose(v, seed.case_id, seed.abh, "confided", "Hilfeplankonferenz",
                        today).allowed


def test_consent_draft_round_trip(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    section = _consents(qtbot, ctx, seed)
    section.form.institution.setCurrentIndex(section.form.institution.findData(seed.abh))
    section.form.purpose.setText("Schule")
    section.form.categories["education_work"].setChecked(True)
    state = section.draft_state()
    assert state is not None
    other = _consents(qtbot, ctx, seed)
    other.restore_draft(state)
    assert other.form.purpose.text() == "Schule"
    assert other.form.categories["education_work"].isChecked()
    assert other.form.institution.currentData() == seed.abh


# --- documents ----------------------------------------------------------------------------


def _documents(qtbot: QtBot, ctx: AppContext, seed: Seed) -> Any:
    from ui.casefile.sections import DocumentsSection

    section = as_in_window(ctx, DocumentsSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.model)
    section.refresh()
    qtbot.waitUntil(lambda: section.add_button.isEnabled(), timeout=10000)
    return section


def test_scanned_form_is_listed_and_viewed_without_plaintext_on_disk(
        qtbot: QtBot, seed: Seed, vault_dir: Path, private_tmp: Path, ctx: AppContext,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_pdf(source / "Einwilligung unterschrieben.pdf")
    record_consent(ctx.vault(), seed.case_id, NewConsent(
        seed.jobcenter, ["residence"], PURPOSE, date.today()))
    consents = _consents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: consents.list_model.rowCount() == 1, timeout=10000)
    assert consents.list_model.rows()[0].cells[6] == "fehlt"
    consents.list_view.selectRow(0)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(source / "Einwilligung unterschrieben.pdf"), ""))
    qtbot.mouseClick(consents.attach_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: consents.list_model.rowCount() == 1
                    and consents.list_model.rows()[0].cells[6] == "ja", timeout=10000)

    docs = _documents(qtbot, ctx, seed)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)
    first = docs.model.rows()[0]
    assert first.cells[0] == "Einwilligung unterschrieben.pdf"
    assert first.cells[1] == "PDF" and first.cells[4] == "Einwilligung"
    assert not docs.show_button.isEnabled()
    docs.view.selectRow(0)
    qtbot.mouseClick(docs.show_button, Qt.MouseButton.LeftButton)
    document = docs.viewer.pdf_document
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready, timeout=10000)
    assert document.pageCount() == 1
    assert MARKER in document.getAllText(0).text()
    assert docs.viewer.currentWidget() is docs.viewer.pdf_view
    ctx.wait_idle()
    # Viewing wrote nothing readable: not into the temp dir (Python's and Qt's), not beside
    # the vault (the marker is plain bytes in the uncompressed PDF, so any copy would show).
    assert files_containing(MARKER.encode(), private_tmp, vault_dir) == []
    assert list(private_tmp.iterdir()) == []
    # At lock the document and the list leave memory and screen; after unlocking it reloads.
    ctx.locked.emit()
    assert document.status() != QPdfDocument.Status.Ready
    assert docs.model.rowCount() == 0 and consents.matrix_model.rowCount() == 0
    docs.refresh()  # what the window does after unlocking
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)


def test_add_export_and_open_with_other_program(
        qtbot: QtBot, seed: Seed, ctx: AppContext, private_tmp: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    from app.services.document_export import write_private_copy

    pdf = make_pdf(tmp_path / "Bescheid.pdf")
    (tmp_path / "Notiz.exe").write_bytes(b"MZ")
    docs = _documents(qtbot, ctx, seed)
    with (tmp_path / "Scan gross.pdf").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: the size is refused before reading
    chosen = iter([str(tmp_path / n) for n in ("Notiz.exe", "Scan gross.pdf", "Bescheid.pdf")])
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName",
                        lambda *a, **k: (next(chosen), ""))
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nicht unterstützt" in docs.message.text(), timeout=10000)
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "größer als 50 MB" in docs.message.text(), timeout=10000)
    qtbot.mouseClick(docs.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: docs.model.rowCount() == 1, timeout=10000)
    assert docs.model.rows()[0].cells[4] == "Fall"
    docs.view.selectRow(0)

    # Speichern unter …: exactly the stored bytes where the user chose.
    target = tmp_path / "export" / "kopie.pdf"
    target.parent.mkdir()
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(docs.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Gespeichert unter" in docs.message.text(), timeout=10000)
    assert target.read_bytes() == pdf

    # Mit anderem Programm öffnen: warning first; "No" writes nothing.
    warned: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def warning(_parent: object, _title: str, text: str, *_a: object) -> object:
        warned.append(text)
        return next(answers)

    opened: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(docs.open_button, Qt.MouseButton.LeftButton)
    ctx.wait_idle()
    qtbot.wait(50)
    folder = private_temp_dir()
    assert "unverschlüsselt" in warned[0] and "gesperrt oder beendet" in warned[0]
    assert list(folder.iterdir()) == [] and opened == []
    qtbot.mouseClick(docs.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10000)
    files = list(folder.iterdir())
    assert [str(f) for f in files] == opened
    assert files[0].read_bytes() == pdf
    assert files[0].name == f"{docs.model.rows()[0].key}.pdf"  # nothing personal in the name
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    # The service alone: one more copy of the same document is still one file; cleanup empties.
    ctx.wait_idle()
    path = write_private_copy(ctx.vault(), seed.case_id, docs.model.rows()[0].key)
    assert list(folder.iterdir()) == [path]
    assert cleanup_private_temp() == 1
    assert list(folder.iterdir()) == []
    # Both exports appear in the case's own audit history; another case cannot reach the file.
    exports = [e for e in case_history(ctx.vault(), seed.case_id) if e.kind == "export"]
    assert len(exports) == 3 and all(e.label == "Exportiert" for e in exports)
    other = create_case(ctx.vault(), NewCase(given_names="Jan", family_name="Kowalski",
                                             municipality="DO"))
    with pytest.raises(NotFound):
        write_private_copy(ctx.vault(), other, docs.model.rows()[0].key)
    assert list(folder.iterdir()) == []

    # Images are shown from memory as well.
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    image.save(str(tmp_path / "Pass.png"))
    docs.add_file(tmp_path / "Pass.png")
    qtbot.waitUntil(lambda: docs.model.rowCount() == 2, timeout=10000)
    docs.view.selectRow(1)
    qtbot.keyClick(docs.view, Qt.Key.Key_Return)  # Enter in the list shows the document
    qtbot.waitUntil(lambda: docs.viewer.currentWidget() is docs.viewer.image_scroll,
                    timeout=10000)
    assert docs.viewer.image_label.pixmap().size().width() == 40


# --- tasks --------------------------------------------------------------------------------


def test_tasks_list_stored_and_computed_follow_ups(qtbot: QtBot, seed: Seed,
                                                   ctx: AppContext) -> None:
    from ui.casefile.sections import TasksSection

    v = ctx.vault()
    today = date.today()
    add_task(v, seed.case_id, "Termin beim Jobcenter vorbereiten", today - timedelta(days=3))
    add_task(v, seed.case_id, "Schulanmeldung prüfen", today + timedelta(days=10))
    add_status(v, seed.case_id, NewStatus("duldung", today - timedelta(days=100),
                                          today + timedelta(days=40)))
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence"], PURPOSE,
                                               today, today + timedelta(days=200)))
    section = as_in_window(ctx, TasksSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.model)
    section.refresh()
    qtbot.waitUntil(lambda: section.model.rowCount() == 4, timeout=10000)
    rows = section.model.rows()
    kinds = [r.cells[1] for r in rows]
    assert sorted(kinds) == ["Aufenthalt läuft ab", "Aufgabe", "Aufgabe",
                             "Einwilligung läuft ab"]
    overdue = [r for r in rows if r.cells[3] == "überfällig"]
    # The stored task 3 days ago and the status follow-up (lead time > 40 days) are overdue.
    assert {r.cells[2] for r in overdue} >= {"Termin beim Jobcenter vorbereiten"}
    assert all(r.foreground == "#b00020" for r in overdue)
    first = section.model.index(rows.index(overdue[0]), 0)
    assert section.model.data(first, Qt.ItemDataRole.ForegroundRole) is not None
    consent_row = next(r for r in rows if r.cells[1] == "Einwilligung läuft ab")
    assert (today + timedelta(days=200)).strftime("%d.%m.%Y") in consent_row.cells[2]

    # Computed follow-ups cannot be "done"; a stored task can.
    section.view.selectRow(rows.index(consent_row))
    assert not section.done_button.isEnabled()
    task_row = next(r for r in rows if r.cells[2] == "Termin beim Jobcenter vorbereiten")
    section.view.selectRow(rows.index(task_row))
    assert section.done_button.isEnabled()
    qtbot.mouseClick(section.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 3, timeout=10000)
    assert "Termin beim Jobcenter vorbereiten" not in [r.cells[2] for r in section.model.rows()]

    # A new task: empty title → message next to the field; then a real one appears.
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    label = section.errors.labels["title"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert label.text() == "Bitte die Aufgabe benennen."
    qtbot.keyClicks(section.title, "Arztbrief anfordern")
    section.due_on.setDate(QDate(2099, 1, 15))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 4, timeout=10000)
    new = next(r for r in section.model.rows() if r.cells[2] == "Arztbrief anfordern")
    assert new.cells[0] == "15.01.2099" and new.cells[1] == "Aufgabe"
    assert not label.isVisibleTo(section) and section.title.text() == ""


# --- plan ---------------------------------------------------------------------------------


def test_plan_assessment_goals_measures_evaluation_referral(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

    from ui.casefile.sections import PlanSection

    section = as_in_window(ctx, PlanSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    for model in (section.assessment_model, section.goal_model, section.measure_model,
                  section.referral_model):
        check_model(model)
    section.refresh()
    referral = section.referral_form
    combo = referral.inputs["institution"]
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=10000)

    # Goal without description: the German message appears right under the field.
    section.tabs.setCurrentIndex(1)
    goal = section.goal_form
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    label = goal.errors.labels["description"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert label.text() == "Bitte das Ziel beschreiben."
    form_layout = goal.layout_
    field_row = form_layout.getWidgetPosition(goal.inputs["description"])[0]
    assert form_layout.getWidgetPosition(label)[0] == field_row + 1
    assert section.goal_model.rowCount() == 0

    description = goal.inputs["description"]
    assert isinstance(description, QPlainTextEdit)
    qtbot.keyClicks(description, "Sprachkurs B1 abschliessen")
    indicator = goal.inputs["indicator"]
    assert isinstance(indicator, QLineEdit)
    qtbot.keyClicks(indicator, "Zertifikat B1 liegt vor")
    goal.inputs["target_date"].setDate(QDate(2027, 6, 30))  # type: ignore[attr-defined]
    goal_domain = goal.inputs["life_domain"]
    assert isinstance(goal_domain, QComboBox)
    goal_domain.setCurrentIndex(goal_domain.findData("language"))
    assert section.has_unsaved_changes()
    qtbot.mouseClick(goal.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rowCount() == 1, timeout=10000)
    row = section.goal_model.rows()[0]
    assert row.cells[1:4] == ("Sprachkurs B1 abschliessen", "Zertifikat B1 liegt vor",
                              "30.06.2027")
    assert row.cells[5] == "noch nicht bewertet"
    assert not label.isVisibleTo(section)

    # Measures and evaluation belong to the selected goal.
    assert not section.measure_form.isEnabled()
    section.goals.selectRow(0)
    assert section.measure_form.isEnabled()
    qtbot.keyClicks(section.measure_form.inputs["description"], "Anmeldung beim Kurstraeger")
    qtbot.mouseClick(section.measure_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.measure_model.rowCount() == 1, timeout=10000)
    assert section.measure_model.rows()[0].cells[0] == "Anmeldung beim Kurstraeger"
    assert section.measure_model.rows()[0].cells[3] == "offen"
    attainment = section.evaluation_form.inputs["attainment"]
    assert isinstance(attainment, QComboBox)
    attainment.setCurrentIndex(attainment.findData("teilweise"))
    qtbot.mouseClick(section.evaluation_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rows()[0].cells[5] == "teilweise", timeout=10000)
    attainment.setCurrentIndex(attainment.findData("nicht_erreicht"))
    qtbot.mouseClick(section.evaluation_form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.goal_model.rows()[0].cells[5] == "nicht erreicht",
                    timeout=10000)

    # Assessment: nothing filled in → message at "Bedarfe"; then a real entry.
    section.tabs.setCurrentIndex(0)
    af = section.assessment_form
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    needs_label = af.errors.labels["needs"]
    qtbot.waitUntil(lambda: needs_label.isVisibleTo(section), timeout=10000)
    assert "Bedarfe" in needs_label.text()
    qtbot.keyClicks(af.inputs["needs"], "Wohnung gesucht")
    af.inputs["client_view"].setPlainText("Möchte näher an die Schule ziehen")  # type: ignore
    domain = af.inputs["life_domain"]
    assert isinstance(domain, QComboBox)
    domain.setCurrentIndex(domain.findData("housing"))
    qtbot.mouseClick(af.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.assessment_model.rowCount() == 1, timeout=10000)
    assessed = section.assessment_model.rows()[0].cells
    assert assessed[0] == "Wohnen" and assessed[2] == "Wohnung gesucht"
    assert assessed[3] == "Möchte näher an die Schule ziehen"
    assert assessed[4] == date.today().strftime("%d.%m.%Y")

    # Referral: institution picked from the directory.
    section.tabs.setCurrentIndex(2)
    qtbot.mouseClick(referral.save, Qt.MouseButton.LeftButton)
    assert referral.errors.labels["institution"].text() == "Bitte die Institution wählen."
    combo.setCurrentIndex(combo.findData(seed.jobcenter))
    qtbot.keyClicks(referral.inputs["purpose"], "Beratung zu Arbeitsaufnahme")
    qtbot.mouseClick(referral.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.referral_model.rowCount() == 1, timeout=10000)
    assert section.referral_model.rows()[0].cells[:2] == ("Jobcenter Dortmund",
                                                         "Beratung zu Arbeitsaufnahme")
    assert not section.has_unsaved_changes()


def test_plan_draft_survives_a_new_section(qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from ui.casefile.sections import PlanSection

    first = PlanSection(ctx, seed.case_id)
    qtbot.addWidget(first)
    assert first.draft_state() is None
    first.goal_form.inputs["description"].setPlainText("Ausbildungsplatz finden")  # type: ignore
    first.goal_form.inputs["target_date"].setDate(QDate(2027, 8, 1))  # type: ignore
    state = first.draft_state()
    assert state is not None and set(state) == {"goal"}
    second = PlanSection(ctx, seed.case_id)
    qtbot.addWidget(second)
    second.restore_draft(state)
    assert second.goal_form.value().description == "Ausbildungsplatz finden"
    assert second.goal_form.value().target_date == date(2027, 8, 1)


# --- accessibility ------------------------------------------------------------------------


def test_every_input_has_a_label_and_tables_let_tab_leave(
        qtbot: QtBot, seed: Seed, ctx: AppContext) -> None:
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QComboBox,
        QDateEdit,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QWidget,
    )

    from ui.casefile import sections

    checked = 0
    for cls in (sections.PlanSection, sections.TasksSection, sections.ConsentsSection,
                sections.DocumentsSection):
        section = cls(ctx, seed.case_id)
        qtbot.addWidget(section)
        buddies = {id(label.buddy()) for label in section.findChildren(QLabel)
                   if label.buddy() is not None and label.text().strip()}
        inputs: list[QWidget] = [
            w for kind in (QLineEdit, QPlainTextEdit, QComboBox, QDateEdit)
            for w in section.findChildren(kind)
            if not isinstance(w.parent(), QAbstractSpinBox | QComboBox)  # inner line edits
            and not (isinstance(w, QPlainTextEdit) and w.isReadOnly())]
        checked += len(inputs)
        unlabelled = [w.objectName() or type(w).__name__ for w in inputs
                      if id(w) not in buddies]
        assert unlabelled == [], f"{cls.__name__}: inputs without a label: {unlabelled}"
        for table in section.findChildren(QTableView):
            assert not table.tabKeyNavigation()
            assert id(table) in buddies and table.accessibleName()
    assert checked > 25  # the forms were really inspected


def test_sections_embed_in_the_case_file_window(qtbot: QtBot, seed: Seed,
                                                ctx: AppContext) -> None:
    from ui.casefile import sections
    from ui.casefile._section import SectionSpec
    from ui.casefile.window import CaseFileWidget

    specs = [SectionSpec("consents", "Einwilligungen", sections.ConsentsSection),
             SectionSpec("tasks", "Aufgaben & Fristen", sections.TasksSection),
             SectionSpec("plan", "Assessment & Hilfeplan", sections.PlanSection),
             SectionSpec("documents", "Dokumente", sections.DocumentsSection)]
    window = CaseFileWidget(ctx, seed.case_id, sections=specs)
    qtbot.addWidget(window)
    consents = window.section("consents")
    assert isinstance(consents, sections.ConsentsSection)
    qtbot.waitUntil(lambda: consents.form.institution.count() > 2, timeout=10000)
    form = consents.form
    form.institution.setCurrentIndex(form.institution.findData(seed.jobcenter))
    form.categories["housing"].setChecked(True)
    form.purpose.setText("Wohnungssuche")
    form.valid_until.setDate(QDate(2099, 3, 1))
    qtbot.mouseClick(form.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(consents.matrix_model, seed.jobcenter,
                                 category_column("housing")) == "✓ bis 01.03.2099",
                    timeout=10000)
    # The tasks section was not visible; it loads when shown and lists the new expiry.
    window.show_section("tasks")
    tasks = window.section("tasks")
    assert isinstance(tasks, sections.TasksSection)
    qtbot.waitUntil(lambda: any(r.cells[1] == "Einwilligung läuft ab"
                                for r in tasks.model.rows()), timeout=10000)
    plan = window.section("plan")
    assert isinstance(plan, sections.PlanSection)
    assert not window.has_unsaved_changes()
    plan.goal_form.inputs["description"].setPlainText("Wohnung finden")  # type: ignore
    assert window.has_unsaved_changes()
    assert "plan" in window.draft_state()


def test_consent_form_tab_order_follows_the_paper_form(qtbot: QtBot, seed: Seed,
                                                       ctx: AppContext) -> None:
    from PySide6.QtWidgets import QAbstractSpinBox

    from ui.casefile.sections import ConsentsSection

    section = ConsentsSection(ctx, seed.case_id)
    qtbot.addWidget(section)
    form = section.form
    order, widget = [], form.institution.nextInFocusChain()
    while widget is not form.save:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and not isinstance(widget.parent(), QAbstractSpinBox):
            order.append(widget.objectName())
        widget = widget.nextInFocusChain()
    categories = [f"category_{code}" for code in form.categories]
    assert order == [*categories, "consentPurpose", "consentGivenOn", "consentValidUntil",
                     "consentLanguage", "consentInterpreter", "consentConfided"]
