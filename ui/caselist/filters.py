"""The filter row above the case list: phase, target group, municipality, case manager and
next deadline."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

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
    combo.setMinimumContentsLength(16)
    combo.addItem(ALL, None)
    for code, label in items:
        combo.addItem(label, code)
    return combo


class FilterBar(QWidget):
    """Four labelled combos; ``changed`` fires with the resulting filter."""

    changed = Signal(object)  # CaseFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = _combo([(p.code, p.label) for p in catalogues.phases()])
        self.target_group = _combo([(t.code, t.label) for t in catalogues.target_groups()])
        self.municipality = _combo([(m.code, m.label) for m in catalogues.municipalities()])
        self.case_manager = _combo([])
        self.deadline = _combo(DEADLINES)
        self._staff: dict[str, StaffMember] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for text, combo in (("&Phase:", self.phase), ("&Zielgruppe:", self.target_group),
                            ("&Kommune:", self.municipality),
                            ("&Fallmanager:in:", self.case_manager),
                            ("F&rist:", self.deadline)):
            label = QLabel(text)
            label.setBuddy(combo)  # a combo's purpose reaches screen readers only this way
            layout.addWidget(label)
            layout.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit(self.value()))
        layout.addStretch(1)

    def set_staff(self, staff: list[StaffMember]) -> None:
        current = self.case_manager.currentData()
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
                          case_manager_uuid=self.case_manager.currentData(),
                          deadline=self.deadline.currentData())


def matches(row: CaseRow, flt: CaseFilter, manager_name: str | None, today: date) -> bool:
    """The filter applied to search hits (the search itself knows no filters)."""
    return ((not flt.phase or row.phase == flt.phase)
            and (not flt.target_group or row.target_group == flt.target_group)
            and (not flt.municipality or row.municipality == flt.municipality)
            and (manager_name is None or row.case_manager == manager_name)
            and deadline_matches(row.next_deadline, flt.deadline, today))
