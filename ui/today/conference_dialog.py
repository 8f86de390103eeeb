"""One case conference as Heute opens it: when, where, who takes part, which cases are on the
agenda (Enter opens a case) and what was decided. Read-only; preparing and minuting a
conference is the conference workspace's job."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.conferences.records import ConferenceView

STATUS_LABELS = {"planned": "geplant", "held": "durchgeführt", "cancelled": "abgesagt"}
CASE_ROLE = Qt.ItemDataRole.UserRole


def _participant_line(name: str, institution: str | None, role: str | None,
                      client: bool, interpreter: bool) -> str:
    extra = [x for x in (role, institution) if x]
    if client:
        extra.insert(0, "Klient:in")
    if interpreter:
        extra.insert(0, "Dolmetscher:in")
    return f"{name} ({', '.join(extra)})" if extra else name


class ConferenceDialog(QDialog):
    """Esc closes; Enter on an agenda case opens that case (at its tasks, where the
    conference's decisions arrive)."""

    case_requested = Signal(int)

    def __init__(self, view: ConferenceView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Fallkonferenz – {view.title}")
        self.resize(720, 560)
        column = QVBoxLayout(self)
        heading = QLabel(f"<h2>{_escape(view.title)}</h2>")
        column.addWidget(heading)
        facts = QFormLayout()
        when = view.scheduled_at.astimezone()  # stored in UTC, read in local time
        facts.addRow("Termin:", QLabel(f"{when:%d.%m.%Y}, {when:%H:%M} Uhr"))
        facts.addRow("Ort:", QLabel(view.place or "noch offen"))
        facts.addRow("Stand:", QLabel(STATUS_LABELS.get(view.status, view.status)))
        facts.addRow("Moderation:", QLabel(view.chair or "noch offen"))
        facts.addRow("Protokoll:", QLabel(view.minute_taker or "noch offen"))
        column.addLayout(facts)

        self.agenda = QListWidget()
        self.agenda.setObjectName("conferenceAgenda")
        for case in view.agenda:
            text = f"{case.case_number} · {case.client}"
            if case.occasion:
                text += f"\nAnlass: {case.occasion}"
            item = QListWidgetItem(text)
            item.setData(CASE_ROLE, case.case_id)
            self.agenda.addItem(item)
        if not view.agenda:
            self.agenda.addItem("Noch kein Fall auf der Tagesordnung.")
        self.agenda.setWordWrap(True)
        self.agenda.itemActivated.connect(self._open)
        agenda_label = QLabel("&Tagesordnung (Enter öffnet den Fall):")
        agenda_label.setBuddy(self.agenda)
        column.addWidget(agenda_label)
        column.addWidget(self.agenda, 1)

        self.participants = QListWidget()
        for p in view.participants:
            self.participants.addItem(_participant_line(p.name, p.institution, p.role,
                                                        p.is_client, p.is_interpreter))
        if not view.participants:
            self.participants.addItem("Noch keine Teilnehmenden eingetragen.")
        people_label = QLabel("Teil&nehmende:")
        people_label.setBuddy(self.participants)
        column.addWidget(people_label)
        column.addWidget(self.participants, 1)

        self.decisions = QListWidget()
        self.decisions.setWordWrap(True)
        for d in view.decisions:
            due = f" bis {d.by_when:%d.%m.%Y}" if d.by_when else ""
            self.decisions.addItem(f"{d.case_number}: {d.what} – {d.who}{due}")
        if not view.decisions:
            self.decisions.addItem("Noch keine Vereinbarungen.")
        decisions_label = QLabel("&Vereinbarungen:")
        decisions_label.setBuddy(self.decisions)
        column.addWidget(decisions_label)
        column.addWidget(self.decisions, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Schl&ießen")
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.agenda.setFocus()
        if self.agenda.count():
            self.agenda.setCurrentRow(0)

    def _open(self, item: QListWidgetItem) -> None:
        case_id = item.data(CASE_ROLE)
        if isinstance(case_id, int):
            self.case_requested.emit(case_id)
            self.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
