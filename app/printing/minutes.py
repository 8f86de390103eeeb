"""The minutes of a case conference (Fallkonferenz) as a printed document.

It takes the ``MinutesDocument`` record and nothing else: which cases this copy may show, and
how names appear in a pseudonymised copy, was decided when the record was made. A withheld case
prints its label and one sentence, whatever else the record might carry.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, HRFlowable, KeepTogether, Paragraph, Spacer, Table

from app.printing import styles, tables
from app.printing.escaping import text
from app.printing.page_frame import CONTENT_WIDTH, PageFrame
from app.services.conferences.records import (
    FULL,
    PSEUDONYMISED,
    MinutesCase,
    MinutesDecision,
    MinutesDocument,
)

DOCUMENT_NAME = "Protokoll der Fallkonferenz"
WITHHELD_NOTE = "Dieser Fall ist in dieser Ausfertigung nicht enthalten."
VERSION_LABELS = {FULL: "vollständige Ausfertigung",
                  PSEUDONYMISED: "pseudonymisierte Ausfertigung"}
COPY_LABELS = {FULL: "vollständig", PSEUDONYMISED: "pseudonymisiert"}  # the distribution list
NONE = "–"


def page_frame(doc: MinutesDocument) -> PageFrame:
    note = None
    if doc.version != FULL:
        note = "Pseudonymisierte Ausfertigung"
    if doc.recipient:
        note = f"{note} für {doc.recipient}" if note else f"Ausfertigung für {doc.recipient}"
    printed = styles.local(doc.printed_at)
    return PageFrame(
        municipality=doc.municipality, title=f"Protokoll: {doc.title}",
        date_text=f"Sitzung vom {styles.day(styles.local(doc.scheduled_at).date())}",
        printed_text=f"gedruckt am {printed:%d.%m.%Y}, {printed:%H:%M} Uhr",
        draft=doc.draft, copy_note=note)


def story(doc: MinutesDocument) -> list[Any]:
    flow: list[Any] = [
        Paragraph(DOCUMENT_NAME, styles.TITLE),
        Paragraph(text(doc.title), styles.SUBTITLE),
        _meta(doc),
        Paragraph("Teilnehmende", styles.HEADING),
        _participants(doc),
        Paragraph("Besprochene Fälle", styles.HEADING),
    ]
    if not doc.cases:
        flow.append(Paragraph("Keine Fälle auf der Tagesordnung.", styles.NOTE))
    for number, case in enumerate(doc.cases, start=1):
        flow.extend(_case(number, case))
    flow.extend(_distribution(doc))
    flow.extend(_approval_and_signatures(doc))
    flow.extend(_amendments(doc))
    return flow


def _meta(doc: MinutesDocument) -> Table:
    scheduled = styles.local(doc.scheduled_at)
    version = VERSION_LABELS.get(doc.version, doc.version)
    rows = [
        ("Datum", styles.day(scheduled.date())),
        ("Uhrzeit", styles.clock_time(doc.scheduled_at)),
        ("Ort", doc.place),
        ("Leitung", doc.chair),
        ("Protokoll", doc.minute_taker),
        ("Status", doc.status_label),
        ("Ausfertigung", version[:1].upper() + version[1:]),
    ]
    if doc.recipient:
        rows.append(("Empfänger/in", doc.recipient))
    data = [[Paragraph(f"<b>{label}</b>", styles.BODY), Paragraph(text(value, empty=NONE),
                                                                    styles.BODY)]
            for label, value in rows]
    table = Table(data, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm], hAlign="LEFT")
    table.setStyle(styles.plain_table())
    return table


def _or_none(value: str | None) -> str:
    return value if value is not None and value.strip() else NONE


def _participants(doc: MinutesDocument) -> Any:
    if not doc.participants:
        return Paragraph("Keine Teilnehmenden erfasst.", styles.NOTE)
    rows = [[p.name, _or_none(p.institution), _or_none(p.role), _or_none(p.attendance)]
            for p in doc.participants]
    w = CONTENT_WIDTH
    return tables.grid(["Name", "Institution", "Rolle", "Anwesenheit"], rows,
                 [0.28 * w, 0.34 * w, 0.22 * w, 0.16 * w])


def _field(label: str, value: str | None) -> list[Any]:
    if value is None or not value.strip():
        return []
    return [Paragraph(label, styles.LABEL), Paragraph(text(value), styles.BODY)]


def _decisions(decisions: tuple[MinutesDecision, ...]) -> list[Any]:
    if not decisions:
        return []
    rows = [[d.what, _or_none(d.who), styles.day(d.by_when)] for d in decisions]
    w = CONTENT_WIDTH
    return [Paragraph("Vereinbarungen", styles.LABEL),
            tables.grid(["Was", "Wer", "Bis wann"], rows, [0.58 * w, 0.27 * w, 0.15 * w])]


def _case(number: int, case: MinutesCase) -> list[Any]:
    # A rule above each case: on paper the cases are read (and filed) one by one.
    rule = HRFlowable(width="100%", thickness=0.5, color=styles.GRID, spaceBefore=10,
                      spaceAfter=0)
    heading = Paragraph(f"Fall {number}: {text(case.label)}", styles.CASE_HEADING)
    if case.withheld:
        # Only the label: whatever else the record holds is not this recipient's to read.
        return [KeepTogether([rule, heading, Paragraph(WITHHELD_NOTE, styles.NOTE)])]
    rule.keepWithNext = 1
    parts: list[Any] = [CondPageBreak(30 * mm), rule, heading]
    parts += _field("Anlass / Fragestellung", case.occasion)
    if case.categories:
        parts += _field("Besprochene Datenkategorien", ", ".join(case.categories))
    parts += _field("Rechtsgrundlage der Übermittlung", case.legal_basis)
    if case.state_of_affairs:
        parts.append(Paragraph("Sachstand", styles.LABEL))
        for institution, state in case.state_of_affairs:
            parts.append(Paragraph(f"<b>{text(institution)}:</b> {text(state, empty=NONE)}",
                                   styles.BODY))
    parts += _field("Ressourcen und Ziele", case.resources_goals)
    parts += _decisions(case.decisions)
    parts += _field("Abweichende Auffassungen", case.disagreements)
    parts += _field("Festgestellte Systemlücken", case.system_gaps)
    parts += _field("Nächste Überprüfung", styles.day(case.next_review_on, empty="")
                    if case.next_review_on else None)
    return parts


def _distribution(doc: MinutesDocument) -> list[Any]:
    flow: list[Any] = [Paragraph("Verteiler", styles.HEADING)]
    if not doc.distribution:
        return [*flow, Paragraph("Kein Verteiler festgelegt.", styles.NOTE)]
    rows = [[r.name, _or_none(r.institution), COPY_LABELS.get(r.version, r.version)]
            for r in doc.distribution]
    w = CONTENT_WIDTH
    return [*flow, tables.grid(["Name", "Institution", "Ausfertigung"], rows,
                         [0.33 * w, 0.40 * w, 0.27 * w])]


def _approval_and_signatures(doc: MinutesDocument) -> list[Any]:
    if doc.approved_on is not None:
        by = f" durch {text(doc.approved_by)}" if doc.approved_by else ""
        approval = f"Das Protokoll wurde am {styles.day(doc.approved_on)}{by} freigegeben."
    else:
        approval = "Das Protokoll ist noch nicht freigegeben (Entwurf)."
    w = (CONTENT_WIDTH - 12 * mm) / 2
    line = "_" * 44
    signatures = Table(
        [[Paragraph(line, styles.BODY), "", Paragraph(line, styles.BODY)],
         [Paragraph(f"Datum, Unterschrift Leitung<br/>{text(doc.chair, empty=NONE)}",
                    styles.SMALL), "",
          Paragraph(f"Datum, Unterschrift Protokoll<br/>{text(doc.minute_taker, empty=NONE)}",
                    styles.SMALL)]],
        colWidths=[w, 12 * mm, w], hAlign="LEFT")
    signatures.setStyle(styles.plain_table())
    return [KeepTogether([Paragraph("Freigabe", styles.HEADING), Paragraph(approval, styles.BODY),
                          Spacer(0, 16 * mm), signatures])]


def _amendments(doc: MinutesDocument) -> list[Any]:
    if not doc.amendments:
        return []
    flow: list[Any] = [Paragraph("Nachträge", styles.HEADING)]
    for a in doc.amendments:
        author = f" ({text(a.author)})" if a.author else ""
        flow.append(Paragraph(
            f"<b>Nachtrag Nr. {a.number} vom {styles.day(styles.local(a.made_at).date())}"
            f"{author}:</b> {text(a.reason)} — {text(a.text)}", styles.BODY))
        flow.append(Spacer(0, 2 * mm))
    return flow
