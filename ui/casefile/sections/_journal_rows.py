"""How a journal entry reads in the Verlauf list: one line per entry, and the marks that tie a
Nachtrag or a correction to the entry it amends (both stay visible, as the case file keeps
them)."""

from __future__ import annotations

from app import catalogues
from app.services.journal.records import Amendment, JournalRow
from ui.casefile._form import fmt_date, fmt_datetime
from ui.casefile._table import Row

CORRECTED_COLOUR = "#6b6b6b"  # a corrected original is greyed; the text still says why


def amend_note(entry: JournalRow) -> str:
    """What the entry amends or how it was amended, in the words of the case file."""
    notes = []
    if entry.amends is not None:
        what = "Korrektur" if entry.entry_kind == "correction" else "Nachtrag"
        notes.append(f"{what} zum Eintrag vom {fmt_datetime(entry.amends.occurred_at)}")
    corrections = [a for a in entry.amended_by if a.entry_kind == "correction"]
    if corrections:
        notes.append(f"korrigiert am {_day(corrections[-1])}, siehe Korrektur")
    if any(a.entry_kind == "addendum" for a in entry.amended_by):
        notes.append("mit Nachtrag")
    return "; ".join(notes)


def _day(amendment: Amendment) -> str:
    return fmt_date(amendment.recorded_at.astimezone().date())


def detail_text(entry: JournalRow) -> str:
    note = amend_note(entry)
    return f"[{note}]\n{entry.text}" if note else entry.text


def journal_row(entry: JournalRow, kind_labels: dict[str, str]) -> Row:
    interpreter = ""
    if entry.interpreter_used:
        language = catalogues.language_label(entry.interpreter_language or "")
        interpreter = f"ja ({language})" if language else "ja"
    duration = f"{entry.duration_minutes} Min." if entry.duration_minutes else ""
    first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
    note = amend_note(entry)
    content = f"[{note}] {first_line}" if note else first_line
    return Row((fmt_datetime(entry.occurred_at), kind_labels.get(entry.contact_kind,
                entry.contact_kind), entry.place or "", interpreter, duration, content),
               tooltip=detail_text(entry), key=str(entry.id), record=entry.uuid,
               foreground=CORRECTED_COLOUR if entry.corrected else None)
