"""The sync state of single records in the case file's tables: a record with an open conflict
gets "⚠" before its first cell, one changed here and not yet sent to the colleague sharing the
case a quiet "↑"; the tooltip (and what a screen reader hears with the cell) says which.

Every section's table is a :class:`RowsModel`; the case file hands the marks to all of them
at once (``apply_marks``), so no section builds them itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.services.handover.records import RecordMarks
from ui.casefile._table import RowMark, RowsModel

CONFLICT_SIGN = "⚠"
UNSENT_SIGN = "↑"  # quiet: it only says the next sync has something to take along


def conflict_note(fields: tuple[str, ...]) -> str:
    return f"Konflikt bei {', '.join(fields)}: im Abgleich lösen"


def unsent_note(names: tuple[str, ...]) -> str:
    return f"Noch nicht an {' und '.join(names)} gesendet"


def row_marks(marks: RecordMarks) -> dict[str, RowMark]:
    """Record uuid -> its mark; a conflict outweighs an unsent change (both are noted)."""
    out: dict[str, RowMark] = {}
    for uuid in {*marks.conflicts, *marks.unsent}:
        notes = []
        fields, names = marks.conflicts.get(uuid), marks.unsent.get(uuid)
        if fields:
            notes.append(conflict_note(fields))
        if names:
            notes.append(unsent_note(names))
        out[uuid] = RowMark(CONFLICT_SIGN if fields else UNSENT_SIGN, "\n".join(notes))
    return out


def apply_marks(root: QWidget, marks: RecordMarks) -> None:
    """Every table below ``root`` shows the marks of the records in its rows."""
    found = row_marks(marks)
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if isinstance(model, RowsModel):
            model.set_marks(found)
