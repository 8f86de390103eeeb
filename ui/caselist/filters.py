"""The filter row above the case list: phase, target group, municipality, case manager, next
deadline and "nur offene Fälle" (on by default: closed cases are history, not today's work)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLayout, QWidget

from app import catalogues
from app.services.cases.read import deadline_matches
from app.services.cases.records import CaseFilter, CaseRow
from app.services.staff.records import StaffMember

ALL = "Alle"
DEADLINES = [("overdue", "überfällig"), ("14d", "fällig in 14 Tagen"),
             ("30d", "fällig in 30 Tagen"), ("none", "ohne Frist")]


def _combo(items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    # Same width for all; the open list still shows the long labels in full.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.addItem(ALL, None)
    for code, label in items:
        combo.addItem(label, code)
    return combo


class FilterBar(QWidget):
    """Five labelled combos and a check box; ``changed`` fires with the resulting filter."""

    changed = Signal(object)  # CaseFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = _combo([(p.code, p.label) for p in catalogues.phases()])
        self.target_group = _combo([(t.code, t.label) for t in catalogues.target_groups()])
        self.municipality = _combo([(m.code, m.label) for m in catalogues.municipalities()])
        self.case_manager = _combo([])
        self.deadline = _combo(DEADLINES)
        self.only_open = QCheckBox("nur &offene Fälle")
        self.only_open.setChecked(True)
        self.only_open.setToolTip("Abgeschlossene Fälle ausblenden. Abwählen, um auch "
                                  "abgeschlossene Fälle zu sehen.")
        self._staff: dict[str, StaffMember] = {}
        self._wanted_manager: str | None = None  # restored before the names arrived
        self._pairs: list[tuple[QLabel, QComboBox]] = []
        for text, combo in (("&Phase:", self.phase), ("&Zielgruppe:", self.target_group),
                            ("&Kommune:", self.municipality),
                            ("&Fallmanager:in:", self.case_manager),
                            ("F&rist:", self.deadline)):
            label = QLabel(text)
            label.setBuddy(combo)  # a combo's purpose reaches screen readers only this way
            self._pairs.append((label, combo))
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit(self.value()))
        self.only_open.toggled.connect(lambda _on: self.changed.emit(self.value()))
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        # The bar sets its own width limit (minimumSizeHint), not the grid's current rows.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.per_row = 0
        self._arrange(len(self._pairs))

    # --- one row on a wide window, two on a narrow one (1280 px at 150 % is 853 px) --------

    def _pair_width(self, pair: tuple[QLabel, QComboBox]) -> int:
        label, combo = pair
        return label.sizeHint().width() + combo.minimumSizeHint().width() \
            + 2 * self._grid.horizontalSpacing()

    def _one_row_width(self) -> int:
        return sum(self._pair_width(p) for p in self._pairs) + self.only_open.sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        per_row = (len(self._pairs) + 1) // 2
        widest = max(self._pair_width(p) for p in self._pairs)
        return QSize(per_row * widest, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= self._one_row_width()
        self._arrange(len(self._pairs) if wide else (len(self._pairs) + 1) // 2)
        super().resizeEvent(event)

    def _arrange(self, per_row: int) -> None:
        if per_row == self.per_row:
            return
        self.per_row = per_row
        for label, combo in self._pairs:
            self._grid.removeWidget(label)
            self._grid.removeWidget(combo)
        self._grid.removeWidget(self.only_open)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 0)
        for index, (label, combo) in enumerate(self._pairs):
            row, column = divmod(index, per_row)
            self._grid.addWidget(label, row, 2 * column)
            self._grid.addWidget(combo, row, 2 * column + 1)
        row, column = divmod(len(self._pairs), per_row)
        self._grid.addWidget(self.only_open, row, 2 * column, 1, 2)
        self._grid.setColumnStretch(2 * per_row, 1)  # the rest of the row stays empty

    def set_staff(self, staff: list[StaffMember]) -> None:
        current = self.case_manager.currentData() or self._wanted_manager
        self._wanted_manager = None
        self._staff = {m.uuid: m for m in staff}
        self.case_manager.blockSignals(True)
        self.case_manager.clear()
        self.case_manager.addItem(ALL, None)
        for member in staff:
            self.case_manager.addItem(member.display_name, member.uuid)
        self.case_manager.setCurrentIndex(max(self.case_manager.findData(current), 0))
        self.case_manager.blockSignals(False)
        if self.case_manager.currentData() != current:  # the chosen colleague went away
            self.changed.emit(self.value())

    def manager_name(self) -> str | None:
        """Display name of the chosen colleague (search hits carry names, not uuids)."""
        member = self._staff.get(self.case_manager.currentData() or "")
        return member.display_name if member else None

    def value(self) -> CaseFilter:
        return CaseFilter(phase=self.phase.currentData(),
                          target_group=self.target_group.currentData(),
                          municipality=self.municipality.currentData(),
                          case_manager_uuid=self.case_manager.currentData()
                          or self._wanted_manager,
                          include_closed=not self.only_open.isChecked(),
                          deadline=self.deadline.currentData())

    def state(self) -> dict[str, Any]:
        """The chosen filters as codes (kept in memory across a lock, never on disk)."""
        flt = self.value()
        return {"phase": flt.phase, "target_group": flt.target_group,
                "municipality": flt.municipality, "case_manager": flt.case_manager_uuid,
                "deadline": flt.deadline, "only_open": not flt.include_closed}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put chosen filters back without announcing each step (the page loads once)."""
        self.blockSignals(True)
        try:
            for combo, key in ((self.phase, "phase"), (self.target_group, "target_group"),
                               (self.municipality, "municipality"), (self.deadline, "deadline")):
                combo.setCurrentIndex(max(combo.findData(state.get(key)), 0))
            self.only_open.setChecked(bool(state.get("only_open", True)))
            manager = state.get("case_manager")
            found = self.case_manager.findData(manager) if manager else 0
            if found >= 0:
                self.case_manager.setCurrentIndex(found)
            else:  # the names load after the page: chosen once they are there
                self._wanted_manager = manager
        finally:
            self.blockSignals(False)


def matches(row: CaseRow, flt: CaseFilter, manager_name: str | None, today: date) -> bool:
    """The filter applied to search hits (the search itself knows no filters)."""
    return ((row.phase == flt.phase if flt.phase
             else flt.include_closed or row.phase != "closed")
            and (not flt.target_group or row.target_group == flt.target_group)
            and (not flt.municipality or row.municipality == flt.municipality)
            and (manager_name is None or row.case_manager == manager_name)
            and deadline_matches(row.next_deadline, flt.deadline, today))
