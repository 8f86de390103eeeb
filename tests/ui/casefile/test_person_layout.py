"""Person & Haushalt at laptop sizes (1280x720, and what is left of it at 150 % scaling beside
the navigation): no label, chip or input is squeezed below what its text needs."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_person
from app.services.household.records import NewMember
from app.services.household.write import add_member
from tests.ui.casefile.casefile_helpers import TIMEOUT, section_of
from ui.casefile.sections.overview import PersonSection
from ui.casefile.window import SECTIONS, CaseFileWidget
from ui.context import AppContext

LANGUAGES = ["prs", "fa", "ps", "ar", "ku", "de", "en", "ru"]  # long names among them


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible()


def _squeezed(person: PersonSection, window: QWidget) -> list[str]:
    """Every text or input of the section that got less room than it needs."""
    problems: list[str] = []
    for label in person.findChildren(QLabel):
        if not _shown(label, window) or not label.text():
            continue
        if label.wordWrap():
            if label.height() < label.heightForWidth(label.width()):
                problems.append(f"label {label.text()!r} cut off below")
        elif label.width() < label.sizeHint().width() or (
                label.height() < label.sizeHint().height()):
            problems.append(f"label {label.text()!r} {label.size().toTuple()} < "
                            f"{label.sizeHint().toTuple()}")
    for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton):
        for field in person.findChildren(kind):
            if not _shown(field, window) or field.objectName() == "qt_spinbox_lineedit":
                continue
            if isinstance(field.parentWidget(), QLineEdit):
                continue  # an action icon Qt places inside a line edit (the date's calendar)
            need = field.minimumSizeHint()
            if field.height() < need.height() or field.width() < need.width():
                problems.append(f"{type(field).__name__} {field.objectName() or ''!s} "
                                f"{field.size().toTuple()} < {need.toTuple()}")
    chips = person.languages.chosen
    inside = chips.viewport().rect()
    for row in range(chips.count()):
        if not inside.contains(chips.visualItemRect(chips.item(row))):
            problems.append(f"chip {chips.item(row).text()!r} clipped")
    return problems


@pytest.mark.parametrize("size", [(1280, 720), (1000, 600)], ids=["1280x720", "1000x600"])
def test_nothing_in_person_and_household_is_squeezed(qtbot: QtBot, ctx: AppContext,
                                                     size: tuple[int, int]) -> None:
    vault = ctx.vault()
    case_id = create_case(vault, NewCase("Mariam Fatima", "Haidari-Rahimi", "DO",
                                         nationality="AF", languages=LANGUAGES))
    update_person(vault, case_id, phone="0231 123456", address_street="Hacheneyer Straße 12",
                  address_postcode="44265", address_city="Dortmund",
                  entered_germany_on=date(2022, 9, 14),
                  accommodation="Übergangseinrichtung Emschergrund",
                  abh_file_number="ABH-DO 4711/22")
    for given, relation, born in (("Reza", "partner", date(1984, 3, 2)),
                                  ("Omid", "child", date(2015, 3, 4)),
                                  ("Sara", "child", date(2019, 7, 1))):
        add_member(vault, case_id, NewMember(given, "Haidari", relation, born))
    # The case file with this section only: other sections' minimum sizes are theirs to fix.
    window = CaseFileWidget(ctx, case_id, sections=SECTIONS[:1])
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    person = section_of(window, "", PersonSection)
    qtbot.waitUntil(person.isEnabled, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: person.household.model.rowCount() == 3, timeout=TIMEOUT)
    assert person.languages.chosen.count() == len(LANGUAGES)
    # The chips and columns follow the new width once the event loop has run; if they never
    # do, the assertion below names what is squeezed.
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: _squeezed(person, window) == [], timeout=TIMEOUT)
    assert _squeezed(person, window) == []
    # ... at the size asked for: a top-level window whose content cannot shrink grows instead.
    assert window.size().toTuple() == size
