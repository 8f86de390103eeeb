"""Choice boxes over a catalogue: they show German names and store codes.

One builder for every place a catalogue code is chosen (Zugangsweg, Sprache der Information), so
the same catalogue gives the same list wherever it is offered: two different lists would split
the figures the steering committee gets. A value stored before the catalogue existed (free text
in an older vault) is shown as stored and kept when the form is saved unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox

from app.catalogues import Coded

BLANK = "– keine Angabe –"


def code_combo(entries: Iterable[Coded], *, blank: str = BLANK) -> QComboBox:
    """A non-editable combo: first a blank choice (no code), then every entry's label."""
    combo = QComboBox()
    combo.addItem(blank, None)
    for entry in entries:
        combo.addItem(entry.label, entry.code)
    return combo


def combo_code(combo: QComboBox) -> str | None:
    """The code of the chosen entry (None for the blank choice)."""
    data = combo.currentData()
    return str(data) if data else None


def set_combo_code(combo: QComboBox, code: object) -> None:
    """Choose the entry with this code; a code the catalogue lacks is added once, shown as
    stored (it is an older free text or comes from a newer catalogue)."""
    if not code:
        combo.setCurrentIndex(0)
        return
    index = combo.findData(str(code))
    if index < 0:
        combo.addItem(str(code), str(code))
        index = combo.count() - 1
    combo.setCurrentIndex(index)
