"""Abgleich → Konflikte: every open conflict, both values side by side with who changed them
and when, resolved field by field. A resolution is a local edit: it goes out with the next
sync, so the colleague sees the same value.

A value typed under "Anderen Wert …" and not yet entered is a draft (``draft_state``): after
a lock the same conflict shows again with the value in its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.conflicts.read import conflicts
from app.services.conflicts.records import ConflictRow
from app.services.conflicts.write import MINE, THEIRS, resolve
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.forms import ERROR_STYLE, labelled_row
from ui.sync.labels import moment
from ui.sync.tables import fill, labelled, make_table

HEADERS = ("Fall", "Eintrag", "Feld", "Ihr Wert", "Anderer Wert", "Erkannt")
ALL_CASES = ""
NO_CASE = "-"  # conflicts outside any case (the team directory)
NONE_OPEN_DE = "Keine offenen Konflikte."
GONE_DE = ("Der Konflikt, für den Sie einen Wert eingegeben hatten, ist nicht mehr offen; "
           "Ihre Eingabe wurde verworfen.")
DELETED_DE = ("Auf einer Seite wurde der Eintrag gelöscht, auf der anderen geändert. Die "
              "Änderung ist hier aufbewahrt.")


def _side(title: str) -> tuple[QGroupBox, QLabel, QLabel]:
    box = QGroupBox(title)
    column = QVBoxLayout(box)
    value = QLabel()
    value.setWordWrap(True)
    value.setTextFormat(Qt.TextFormat.PlainText)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    value.setStyleSheet("font-size: 12pt;")
    who = QLabel()
    who.setWordWrap(True)
    who.setTextFormat(Qt.TextFormat.PlainText)
    column.addWidget(value)
    column.addWidget(who)
    column.addStretch(1)
    return box, value, who


class ConflictsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("conflictsTab")
        self.all_rows: list[ConflictRow] = []
        self.rows: list[ConflictRow] = []  # shown, after the case filter
        self.errors: dict[str, QLabel] = {}
        self.wanted_case = ALL_CASES
        self._other_start = ""  # what "Anderen Wert …" began with: only a change is a draft
        self._pending: dict[str, object] | None = None  # a draft, applied once loaded

        top = QHBoxLayout()
        self.case_filter = QComboBox()
        self.case_filter.setObjectName("conflictCaseFilter")
        self.case_filter.addItem("Alle Fälle", ALL_CASES)
        case_label = QLabel("Fa&ll:")  # Alt+F is "Geteilte Fälle"
        case_label.setBuddy(self.case_filter)
        self.count = QLabel()
        top.addWidget(case_label)
        top.addWidget(self.case_filter)
        top.addWidget(self.count, 1)
        self.case_filter.currentIndexChanged.connect(self._filter_changed)

        self.table = make_table("conflictTable", HEADERS, 1)
        self.table.currentCellChanged.connect(self._current_changed)

        self.detail = QGroupBox("Konflikt")
        detail = QVBoxLayout(self.detail)
        self.title = QLabel()
        self.title.setObjectName("conflictTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setStyleSheet("font-weight: 600;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        sides = QHBoxLayout()
        self.mine_box, self.mine_value, self.mine_who = _side("Ihr Wert")
        self.theirs_box, self.theirs_value, self.theirs_who = _side("Anderer Wert")
        self.mine_value.setObjectName("mineValue")
        self.theirs_value.setObjectName("theirsValue")
        sides.addWidget(self.mine_box, 1)
        sides.addWidget(self.theirs_box, 1)
        self.keep_button = QPushButton("Meinen &behalten")
        self.keep_button.clicked.connect(self.keep_mine)
        self.take_button = QPushButton("Anderen über&nehmen")
        self.take_button.clicked.connect(self.take_theirs)
        self.other_button = QPushButton("Anderen &Wert …")
        self.other_button.clicked.connect(self.start_other)
        buttons = QHBoxLayout()
        for button in (self.keep_button, self.take_button, self.other_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.other_box = QWidget()
        other = QFormLayout(self.other_box)
        other.setContentsMargins(0, 0, 0, 0)
        self.other_value = QLineEdit()
        self.other_value.setObjectName("otherValue")
        labelled_row(other, "Ne&uer Wert:", self.other_value, self.errors, "value")
        self.other_save = QPushButton("Wert ein&tragen")
        self.other_save.clicked.connect(self.save_other)
        self.other_value.returnPressed.connect(self.save_other)
        other.addRow("", self.other_save)
        self.other_box.hide()
        self.message = QLabel()
        self.message.setObjectName("conflictMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        detail.addWidget(self.title)
        detail.addWidget(self.note)
        detail.addLayout(sides, 1)
        detail.addLayout(buttons)
        detail.addWidget(self.other_box)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(labelled("&Offene Konflikte:", self.table))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.message)
        self._show_current()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        run_guarded(self, self.ctx, lambda vault: conflicts(vault), self._reloaded,
                    self._failed)

    def _reloaded(self, rows: list[ConflictRow]) -> None:
        """A reload (a sync finished, a change elsewhere) refills the table, which would close
        "Anderen Wert …": a value being typed stays, at its conflict."""
        chosen = self.selected()
        typing = None if chosen is None or self.other_box.isHidden() else {
            "conflict": chosen.id, "value": self.other_value.text()}
        start, keys = self._other_start, QApplication.focusWidget()
        field = self.other_value
        cursor, selected = field.cursorPosition(), (field.selectionStart(),
                                                    len(field.selectedText()))
        self._loaded(rows)
        if typing is not None and self._pending is None:
            self._apply_draft(typing, start)
            if keys is not None:  # the keyboard stays where the person had it
                keys.setFocus()
            # And so do the cursor and the selection: the next key acts as it would have.
            if selected[1]:
                field.setSelection(*selected)
            else:
                field.setCursorPosition(cursor)

    def _failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _loaded(self, rows: list[ConflictRow]) -> None:
        self.all_rows = [r for r in rows if r.resolved_at is None]
        cases: dict[str, str] = {}
        for r in self.all_rows:
            key = r.case_uuid or NO_CASE
            cases.setdefault(key, r.case_number or "Ohne Fall (Verzeichnis)")
        blocked = self.case_filter.blockSignals(True)
        self.case_filter.clear()
        self.case_filter.addItem("Alle Fälle", ALL_CASES)
        for key, label in sorted(cases.items(), key=lambda kv: kv[1]):
            self.case_filter.addItem(label, key)
        if self.wanted_case and self.case_filter.findData(self.wanted_case) < 0:
            # Asked from a case file: say it, even when that case has none left.
            self.case_filter.addItem("dieser Fall", self.wanted_case)
        self.case_filter.setCurrentIndex(max(self.case_filter.findData(self.wanted_case), 0))
        self.case_filter.blockSignals(blocked)
        self._apply_filter()
        if self._pending is not None:
            self._apply_draft(self._pending)

    def show_case(self, case_uuid: str) -> None:
        """Filter to one case ("" = all), as asked from a case file's sync line."""
        self.wanted_case = case_uuid
        index = self.case_filter.findData(case_uuid)
        if index >= 0:
            self.case_filter.setCurrentIndex(index)
        self.reload()

    def _filter_changed(self, _index: int) -> None:
        self.wanted_case = str(self.case_filter.currentData() or ALL_CASES)
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = self.wanted_case
        self.rows = [r for r in self.all_rows
                     if wanted == ALL_CASES or (r.case_uuid or NO_CASE) == wanted]
        fill(self.table, [(r.case_number or "–", r.record_label, r.field_label, r.mine_text,
                           f"{r.theirs_text}\n({r.theirs_by})", moment(r.detected_at))
                          for r in self.rows])
        shown, total = len(self.rows), len(self.all_rows)
        self.count.setText(NONE_OPEN_DE if not total else
                           _open_count(total) if shown == total else
                           f"{shown} von {total} offenen Konflikten")
        self._show_current()

    # -- the chosen conflict -----------------------------------------------------------------

    def selected(self) -> ConflictRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _current_changed(self, *_cells: int) -> None:
        self._show_current()

    def _show_current(self) -> None:
        chosen = self.selected()
        self.other_box.hide()
        self.errors["value"].hide()
        for button in (self.keep_button, self.take_button, self.other_button):
            button.setEnabled(chosen is not None)
        if chosen is None:
            self.title.setText(NONE_OPEN_DE if not self.rows else "")
            for label in (self.note, self.mine_value, self.mine_who, self.theirs_value,
                          self.theirs_who):
                label.clear()
            self.theirs_box.setTitle("Anderer Wert")
            self.take_button.setText("Anderen über&nehmen")
            return
        case = f"Fall {chosen.case_number} · " if chosen.case_number else ""
        self.title.setText(f"{case}{chosen.record_label} · {chosen.field_label}")
        self.note.setText(DELETED_DE if chosen.kind == "deleted" else "")
        self.note.setVisible(chosen.kind == "deleted")
        self.mine_value.setText(chosen.mine_text)
        self.mine_who.setText(_changed_by(chosen.mine_by, chosen.mine_at))
        self.theirs_box.setTitle(f"Wert von {chosen.theirs_by}")
        self.theirs_value.setText(chosen.theirs_text)
        self.theirs_who.setText(_changed_by(chosen.theirs_by, chosen.theirs_at))
        self.take_button.setText(f"Wert von {chosen.theirs_by} über&nehmen")

    # -- resolving ---------------------------------------------------------------------------

    def keep_mine(self) -> None:
        self._resolve(MINE)

    def take_theirs(self) -> None:
        self._resolve(THEIRS)

    def start_other(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        self.other_value.setText(chosen.mine_text if chosen.mine is not None else "")
        self._other_start = self.other_value.text()
        self.other_box.show()
        self.other_value.setFocus()
        self.other_value.selectAll()

    def save_other(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        # As typed: the service reads it like the form's field would (dates as 03.12.2026).
        self._resolve("value", self.other_value.text())

    # -- typed input across a lock -----------------------------------------------------------

    def draft_state(self) -> dict[str, object] | None:
        """The value typed for the chosen conflict, JSON-safe; None when nothing was typed.
        Hidden, not closed, while another page is shown: still a draft then."""
        chosen = self.selected()
        if chosen is None or self.other_box.isHidden() \
                or self.other_value.text() == self._other_start:
            return None
        return {"conflict": chosen.id, "case": self.wanted_case,
                "value": self.other_value.text()}

    def restore_draft(self, state: Mapping[str, object]) -> None:
        """The same case filter, the same conflict, the value typed: once the list is read."""
        case = state.get("case")
        self.wanted_case = case if isinstance(case, str) else ALL_CASES
        self._pending = dict(state)
        self.reload()

    def _apply_draft(self, state: dict[str, object], start: str | None = None) -> None:
        """Open "Anderen Wert …" at the draft's conflict with its value; ``start``: what the
        field began with before the reload (a restored draft's start is this vault's value)."""
        self._pending = None
        conflict, value = state.get("conflict"), state.get("value")
        row = next((i for i, r in enumerate(self.rows) if r.id == conflict), None)
        if row is None or not isinstance(value, str):  # solved meanwhile, by sync or a colleague
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(GONE_DE)
            return
        self.table.setCurrentCell(row, 0)
        self.start_other()
        if start is not None:
            self._other_start = start
        self.other_value.setText(value)

    def _resolve(self, take: str, value: object = None) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        conflict_id = chosen.id
        self.errors["value"].hide()
        self.message.setStyleSheet("")
        self.message.clear()

        def work(vault: Vault) -> list[ConflictRow]:
            resolve(vault, conflict_id, take, value)
            return conflicts(vault)

        run_guarded(self, self.ctx, work, self._resolved, self._resolve_failed)

    def _resolved(self, rows: list[ConflictRow]) -> None:
        self.message.setText("Gelöst. Die Entscheidung geht mit dem nächsten Abgleich auch an "
                             "die anderen.")
        self._loaded(rows)
        self.table.setFocus()

    def _resolve_failed(self, exc: BaseException) -> None:
        """A value that does not fit the field: said at the field, nothing stored."""
        if self.other_box.isVisible():
            self.errors["value"].setText(german_message(exc))
            self.errors["value"].show()
            self.other_value.setFocus()
            return
        self._failed(exc)


def _open_count(total: int) -> str:
    return "1 offener Konflikt" if total == 1 else f"{total} offene Konflikte"


def _changed_by(who: str, at: datetime | None) -> str:
    """ "von Ihnen geändert …" for this vault's own change ("Sie" is no dative)."""
    person = "Ihnen" if who == "Sie" else who
    return f"von {person} geändert, {moment(at)}"
