"""Reads of the audit log: the case's own audit trail in German words (what happened when,
never personal data), and whether the anchor agrees with the store.

Entries are found by the audited object's uuid (an indexed column): the case itself, its
client and the records that hang off the case or the client.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import anchoring, audit, catalogues
from app.anchoring import AnchorStatus
from app.field_labels import field_label
from app.services.audit.records import AuditEntry, ChainCheck, HistoryEntry
from app.services.cases.queries import resolve_case
from app.services.documents.records import REMOVAL_REASONS as DOCUMENT_REMOVAL_REASONS
from app.services.residence.records import REMOVAL_REASONS as STATUS_REMOVAL_REASONS
from app.vault.record_alarm import standing_alarm
from app.vault.store import Vault
from db.models import (
    Assessment,
    Attachment,
    AuditLog,
    CaseFile,
    Consent,
    Disclosure,
    Goal,
    Household,
    JournalEntry,
    LegalBasis,
    Measure,
    Person,
    Referral,
    ResidenceStatus,
    Task,
)

KIND_LABELS = {
    audit.Kind.CASE_READ: "Fallakte angesehen",
    audit.Kind.CASE_CREATED: "Fall angelegt",
    audit.Kind.CASE_UPDATED: "Falldaten geändert",
    audit.Kind.CASE_CLOSED: "Fall abgeschlossen",
    audit.Kind.CASE_REOPENED: "Fall wieder aufgenommen",
    audit.Kind.PHASE_CHANGED: "Phase gewechselt",
    audit.Kind.PHASE_OVERRIDE: "Phasenschritt mit begründeter Ausnahme",
    audit.Kind.RECORD_CREATED: "Angelegt",
    audit.Kind.RECORD_UPDATED: "Geändert",
    audit.Kind.RECORD_DELETED: "Gelöscht",
    audit.Kind.RECORD_READ: "Angesehen",
    audit.Kind.DISCLOSURE: "Daten weitergegeben",
    audit.Kind.EXPORT: "Exportiert",
    audit.Kind.PRINT: "Gedruckt",
    audit.Kind.DUPLICATE_CONFIRMED: "Trotz möglicher Dublette angelegt",
    audit.Kind.RECORD_CORRECTED: "Korrigiert",
    audit.Kind.CONFERENCE_HELD: "Fallkonferenz durchgeführt",
    audit.Kind.MINUTES_APPROVED: "Protokoll freigegeben",
    audit.Kind.MINUTES_AMENDED: "Nachtrag zum Protokoll",
    audit.Kind.MINUTES_SAVED: "Protokoll als PDF gespeichert",
    audit.Kind.INVITATION_SAVED: "Einladung gespeichert",
    audit.Kind.CERTIFICATE_ISSUED: "Bescheinigung ausgestellt",
    audit.Kind.CERTIFICATE_REPRINTED: "Zweitschrift einer Bescheinigung gedruckt",
    audit.Kind.CERTIFICATE_REVOKED: "Bescheinigung widerrufen",
    audit.Kind.CERTIFICATE_SAVED: "Bescheinigung als PDF gespeichert",
    audit.Kind.CERTIFICATE_VERIFIED: "Bescheinigung geprüft",
    audit.Kind.KEY_CREATED: "Signaturschlüssel erzeugt",
    audit.Kind.KEY_WITHDRAWN: "Signaturschlüssel zurückgezogen",
    audit.Kind.KEY_CARD_EXPORTED: "Schlüsselkarte exportiert",
    audit.Kind.KEY_TRUSTED: "Schlüsselkarte als vertrauenswürdig übernommen",
    audit.Kind.KEY_DISTRUSTED: "Vertrauen in Schlüsselkarte entzogen",
    audit.Kind.REVOCATIONS_IMPORTED: "Widerrufsliste übernommen",
    audit.Kind.CASE_SHARED: "Fall zur Vertretung geteilt",
    audit.Kind.CASE_SHARE_ENDED: "Vertretung beendet",
    audit.Kind.CASE_TRANSFER_OFFERED: "Fallübergabe angeboten",
    audit.Kind.CASE_TRANSFERRED: "Fall übergeben",
    audit.Kind.CASE_TRANSFER_DECLINED: "Fallübergabe abgelehnt",
    audit.Kind.BUNDLE_EXPORTED: "Bündel für Kolleginnen und Kollegen erstellt",
    audit.Kind.BUNDLE_IMPORTED: "Bündel übernommen",
    audit.Kind.BUNDLE_REJECTED: "Bündel nicht übernommen",
    audit.Kind.BUNDLE_DISCARDED: "Wartendes Bündel verworfen",
    audit.Kind.BUNDLE_REFUSED: "Eigenes Bündel vom Empfänger abgelehnt",
    audit.Kind.BUNDLE_REFUSAL_NOTED: "Ablehnung eines eigenen Bündels zur Kenntnis genommen",
    audit.Kind.DEVICE_TRUSTED: "Schlüsselkarte eines Tresors bestätigt",
    audit.Kind.DEVICE_DISTRUSTED: "Vertrauen in einen Tresor entzogen",
    audit.Kind.DEVICE_COUNTERSIGNED: "Schlüsselkarte von der Koordinierungsstelle gegengezeichnet",
    audit.Kind.SHARE_FOLDER_SET: "Austauschordner festgelegt",
    audit.Kind.CONFLICT_RESOLVED: "Synchronisationskonflikt entschieden",
}
OBJECT_LABELS = {
    "case": "Fallakte",
    "case_file": "Fallakte",
    "household": "Haushalt",
    "person": "Personendaten",
    "journal_entry": "Verlaufseintrag",
    "residence_status": "Aufenthaltsstatus",
    "task": "Aufgabe",
    "goal": "Ziel",
    "measure": "Maßnahme",
    "assessment": "Einschätzung",
    "referral": "Vermittlung",
    "consent": "Schweigepflichtentbindung",
    "legal_basis": "Rechtsgrundlage",
    "disclosure": "Weitergabe",
    "attachment": "Dokument",
    "conference": "Fallkonferenz",
    "certificate": "Bescheinigung",
    "certificate_template": "Vorlage für Bescheinigungen",
    "training_record": "Fortbildungsmodul",
    "issuer_key": "Signaturschlüssel",
    "trusted_key": "Schlüsselkarte",
    "conference_participant": "Teilnahme an einer Fallkonferenz",
    "conference_agenda_item": "Fall einer Fallkonferenz",
    "conference_decision": "Beschluss einer Fallkonferenz",
    "conference_amendment": "Nachtrag zum Protokoll",
    "system_gap": "Systemlücke",
    "case_manager": "Fallmanager:in",
    "institution": "Einrichtung",
    "contact": "Ansprechperson",
    "cooperation_agreement": "Kooperationsvereinbarung",
}
SECTION_LABELS = {
    "header": "Kopfdaten", "person": "Person & Haushalt", "statuses": "Aufenthalt",
    "journal": "Verlauf", "phase": "Phase", "plan": "Hilfeplan", "tasks": "Aufgaben",
    "consents": "Einwilligungen", "documents": "Dokumente",
    "documentation": "Klärung & Vereinbarungen", "history": "Protokoll",
    "certificates": "Bescheinigungen",
}

READ_MERGE_WINDOW = timedelta(minutes=10)


# Corrections of tasks, documents and the case's attributes (issue 9): "Aufgabe geändert" with
# the fields that changed, "Dokument entfernt (doppelt)", "Fallmanager:in gewechselt".
# Field names as those services audit them (model columns), in the words of the forms.
CORRECTED_FIELDS = {
    "title": "Titel", "due_on": "Fällig am", "details": "Einzelheiten",
    "assignee_text": "Zuständig", "assignee_staff_id": "Zuständig", "done_on": "erledigt",
    "target_group": "Zielgruppe", "municipality": "Kommune",
    "case_manager_id": "Fallmanager:in", "handover_note": "Übergabe",
}
CASE_ATTRIBUTES = frozenset({"target_group", "municipality"})


def _field_names(fields: list[Any]) -> str:
    """ "Fällig am, Zuständig": each label once, in the order of the form (CORRECTED_FIELDS)."""
    order = list(CORRECTED_FIELDS)
    ranked = sorted((str(f) for f in fields),
                    key=lambda f: order.index(f) if f in order else len(order))
    return ", ".join(dict.fromkeys(CORRECTED_FIELDS.get(f, f) for f in ranked))


def _correction(kind: str, object_type: str | None, detail: dict[str, Any]
                ) -> tuple[str, str] | None:
    """The wording of those corrections; None means the general wording below."""
    fields = [str(f) for f in detail.get("fields") or []]
    if kind == audit.Kind.RECORD_UPDATED and object_type == "task":
        if fields == ["done_on"]:
            return "Aufgabe erledigt", ""
        return "Aufgabe geändert", _field_names(fields)
    if kind == audit.Kind.RECORD_DELETED and object_type == "attachment" and "reason" in detail:
        reason = DOCUMENT_REMOVAL_REASONS.get(str(detail["reason"]), str(detail["reason"]))
        return f"Dokument entfernt ({reason})", ""
    if kind == audit.Kind.CASE_UPDATED and detail.get("document_moved") == "out":
        return "Dokument in einen anderen Fall verschoben", ""
    if kind == audit.Kind.CASE_UPDATED and detail.get("document_moved") == "in":
        return "Dokument aus einem anderen Fall hierher verschoben", ""
    if kind == audit.Kind.CASE_HANDED_OVER:
        return "Fallmanager:in gewechselt", "mit Übergabenotiz"
    if kind == audit.Kind.CASE_UPDATED and fields and set(fields) <= CASE_ATTRIBUTES:
        return "Falldaten korrigiert", _field_names(fields)
    return None


def _phase_label(code: object) -> str:
    return catalogues.label_or_code(catalogues.phases(), str(code), short=True)


def describe(kind: str, object_type: str | None, detail: dict[str, Any]) -> tuple[str, str]:
    """German label and detail line of one audit entry."""
    correction = _correction(kind, object_type, detail)
    if correction is not None:
        return correction
    label = KIND_LABELS.get(kind, kind)
    if kind.startswith("record.") and object_type:
        label = f"{label}: {OBJECT_LABELS.get(object_type, object_type)}"
    parts: list[str] = []
    if "from_phase" in detail or "to_phase" in detail:
        source = _phase_label(detail["from_phase"]) if detail.get("from_phase") else None
        target = _phase_label(detail.get("to_phase"))
        parts.append(f"{source} → {target}" if source else f"nach {target}")
    if detail.get("missing"):
        parts.append(f"{len(detail['missing'])} fehlende Angabe(n)")
    if detail.get("section"):
        parts.append(SECTION_LABELS.get(str(detail["section"]), str(detail["section"])))
    if detail.get("fields"):
        parts.append("Geändert: " + ", ".join(field_label(str(f)) for f in detail["fields"]))
    if detail.get("vouched_by"):  # an issuer key from a catalogue update (issue 12)
        parts.append("von der Koordinierungsstelle übermittelt")
    parts += _correction_parts(detail)
    return label, "; ".join(parts)


def _correction_parts(detail: dict[str, Any]) -> list[str]:
    """What a Nachtrag, a correction or a removal refers to (the details hold codes only)."""
    parts = []
    if detail.get("amends"):
        parts.append("bezieht sich auf einen früheren Eintrag")
    if detail.get("corrects"):
        parts.append("ersetzt einen falschen Eintrag")
    if detail.get("superseded_by"):
        parts.append("durch einen neuen Eintrag ersetzt")
    if detail.get("reason") in STATUS_REMOVAL_REASONS:
        parts.append(f"Grund: {STATUS_REMOVAL_REASONS[detail['reason']]}")
    return parts


def _related_uuids(s: Session, case: CaseFile) -> list[str]:
    """The uuids of the case, its client and everything audited under them."""
    person = s.get_one(Person, case.person_id)
    uuids = [case.uuid, person.uuid]
    if person.household_id is not None:  # the household and its members, as the file shows them
        uuids.append(s.get_one(Household, person.household_id).uuid)
        uuids += s.execute(select(Person.uuid).where(
            Person.household_id == person.household_id, Person.id != person.id)).scalars()
    for model in (JournalEntry, Task, Goal, Assessment, Referral, LegalBasis, Disclosure):
        uuids += s.execute(select(model.uuid).where(model.case_id == case.id)).scalars()
    for person_model in (ResidenceStatus, Consent):
        uuids += s.execute(select(person_model.uuid).where(
            person_model.person_id == case.person_id)).scalars()
    uuids += s.execute(select(Measure.uuid).join(Goal, Measure.goal_id == Goal.id)
                       .where(Goal.case_id == case.id)).scalars()
    # Documents hang off the case or off its consents (scanned forms): viewing one is a read.
    uuids += s.execute(select(Attachment.uuid).where(Attachment.owner_uuid.in_(list(uuids)))
                       ).scalars()
    return uuids


def case_history(vault: Vault, case_ref: str | int, limit: int = 500) -> list[HistoryEntry]:
    """The newest ``limit`` audit entries about the case, newest first."""
    with vault.read_session() as s:
        case = resolve_case(s, case_ref)
        uuids = _related_uuids(s, case)
        rows: list[AuditLog] = []
        for start in range(0, len(uuids), 500):  # stay far below SQLite's variable limit
            rows += s.execute(select(AuditLog).where(
                AuditLog.object_uuid.in_(uuids[start:start + 500]))
                .order_by(AuditLog.seq.desc()).limit(limit)).scalars()
        rows.sort(key=lambda r: r.seq, reverse=True)
        result: list[HistoryEntry] = []
        for row in rows[:limit]:
            label, detail = describe(row.kind, row.object_type, row.detail or {})
            entry = HistoryEntry(row.seq, row.at, row.kind, label, detail)
            if result and _same_visit(result[-1], entry):
                result[-1] = _merged(result[-1], entry)
            else:
                result.append(entry)
        return result


def _same_visit(newer: HistoryEntry, older: HistoryEntry) -> bool:
    """Opening a case reads several sections; one visit is one line in the history."""
    return (newer.kind == older.kind == audit.Kind.CASE_READ
            and newer.at - older.at <= READ_MERGE_WINDOW)


def _merged(newer: HistoryEntry, older: HistoryEntry) -> HistoryEntry:
    parts = [p for p in (*older.detail.split(", "), *newer.detail.split(", ")) if p]
    detail = ", ".join(dict.fromkeys(parts))
    return HistoryEntry(newer.seq, older.at, newer.kind, newer.label, detail)


def anchor_status(vault: Vault) -> AnchorStatus:
    """What every unlock and CLI command tells the person (cheap): store and anchor heads
    compared, then the failure record's standing alarm."""
    with vault.read_session() as s:
        run = anchoring.session_runner(s)
        status = anchoring.assess(run, vault.anchor)
        alarm = standing_alarm(run) if status.ok else None
    if alarm is None:
        return status
    return replace(status, problem_en=alarm.problem_en, problem_de=alarm.problem_de,
                   first_bad_seq=alarm.seq, failure_record=True)


def recent_entries(vault: Vault, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries of the log, oldest of them first."""
    with vault.read_session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq.desc()).limit(limit)
                         ).scalars().all()
        return [AuditEntry(r.seq, r.at, r.kind, r.actor, r.object_type, r.object_uuid,
                           r.detail) for r in reversed(rows)]


def check_chain(vault: Vault) -> ChainCheck:
    """Recompute the whole chain against the anchor (``app.audit.verify``); while it holds,
    also ask whether the failure record's alarm stands."""
    with vault.read_session() as s:
        chain = audit.verify(s, vault.anchor)
        if not chain.ok:
            return ChainCheck(chain, None)
        alarm = standing_alarm(anchoring.session_runner(s))
    return ChainCheck(chain, alarm.problem_en if alarm is not None else None)
