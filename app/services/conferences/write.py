"""Plan, hold and record a case conference, and take its minutes through approval.

Every change is audited with field names and ids only. Once the minutes are approved nothing
of the conference changes any more: the services refuse in German before they write, and the
store's triggers (migration 0008) refuse whatever gets past them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app import audit
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.conferences.queries import (
    DECISION_SOURCE,
    GONE,
    NOT_HELD_DE,
    agenda,
    agenda_categories,
    aware,
    client_name,
    disclose,
    gate_in_session,
    hand_out,
    institutions_of,
    live_agenda_item,
    live_conference,
    owner,
    participant_values,
    participants,
    plan_values,
    refuse_locked,
    require_planned,
    require_recording,
    review_task,
    sees_all,
    text_or_none,
    visible_cases,
)
from app.services.conferences.records import (
    APPROVED,
    ATTENDANCE_LABELS,
    DRAFTED,
    FULL,
    HELD,
    PLANNED,
    PSEUDONYMISED,
    AgendaInput,
    CaseMinutes,
    ConferencePlan,
    DecisionInput,
    ParticipantInput,
)
from app.services.consent.records import DisclosureWarningPending
from app.services.editing import (
    Listed,
    apply_changes,
    live,
    live_id,
    required,
    sync_rows,
    tombstone,
)
from app.vault.store import Vault
from db.folding import fold_search
from db.models import (
    CaseFile,
    Conference,
    ConferenceAgendaItem,
    ConferenceAmendment,
    ConferenceDecision,
    ConferenceDistribution,
    ConferenceParticipant,
    Disclosure,
    Institution,
    Task,
)

# --- planning -------------------------------------------------------------------------------

def create_conference(vault: Vault, plan: ConferencePlan) -> str:
    with vault.session() as s:
        conf = Conference(status=PLANNED, **plan_values(s, plan))
        s.add(conf)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "conference", conf.uuid)
        return conf.uuid


def update_plan(vault: Vault, uuid: str, plan: ConferencePlan) -> list[str]:
    """Title, place, chair and minute-taker may be corrected until approval; the date only
    while the conference is planned (afterwards it is the day it was held)."""
    with vault.session() as s:
        conf = live_conference(s, uuid)
        refuse_locked(conf)
        values = plan_values(s, plan)
        if conf.status != PLANNED and values["scheduled_at"] != conf.scheduled_at:
            raise ValidationFailed("Die Fallkonferenz hat bereits stattgefunden: Ihr Termin "
                                   "kann nicht mehr verschoben werden.",
                                   "scheduled_at of a held conference", field="scheduled_at")
        return apply_changes(s, conf, values)


# --- participants ---------------------------------------------------------------------------

def set_participants(vault: Vault, uuid: str, people: list[ParticipantInput]) -> None:
    """The participants as listed: new ones added, changed ones updated, the rest removed."""
    with vault.session() as s:
        conf = live_conference(s, uuid)
        require_planned(conf)
        clients: dict[str, str] = {}
        for entry in agenda(s, conf):
            name = client_name(entry.person)
            for spelling in (name, f"{entry.person.given_names} {entry.person.family_name}"):
                clients[fold_search(spelling)] = name
        current = {p.uuid: p for p in participants(s, conf)}
        rows: list[Listed] = []
        contacts: set[int] = set()
        for p in people:
            values = participant_values(s, p, clients)
            if values["contact_id"] is not None:
                if values["contact_id"] in contacts:
                    raise ValidationFailed(f"{values['name']} steht bereits auf der Liste.",
                                           "contact twice", field="participants")
                contacts.add(values["contact_id"])
            rows.append((p.uuid, values, {}))
        sync_rows(s, ConferenceParticipant, current, rows, {"conference_id": conf.id},
                  "Eine teilnehmende Person wurde inzwischen entfernt.", "participants",
                  conference=conf.uuid)


# --- the agenda -----------------------------------------------------------------------------

def set_agenda(vault: Vault, uuid: str, items: list[AgendaInput]) -> None:
    """The cases as listed, in this order; each case once."""
    with vault.session() as s:
        conf = live_conference(s, uuid)
        require_planned(conf)
        current = {r.item.uuid: r.item for r in agenda(s, conf)}
        seen: set[int] = set()
        rows: list[Listed] = []
        for position, entry in enumerate(items):
            case = resolve_case(s, entry.case_ref)
            if case.id in seen:
                raise ValidationFailed(f"Der Fall {case.case_number} steht bereits auf der "
                                       "Tagesordnung.", "case twice on the agenda",
                                       field="agenda")
            seen.add(case.id)
            values = {"case_id": case.id, "position": position,
                      "occasion": (entry.occasion or "").strip() or None,
                      "data_categories": agenda_categories(entry.data_categories)}
            rows.append((entry.uuid, values, {"case": case.uuid}))
        sync_rows(s, ConferenceAgendaItem, current, rows, {"conference_id": conf.id},
                  "Ein Fall der Tagesordnung wurde inzwischen entfernt.", "agenda",
                  conference=conf.uuid)


# --- holding the conference: the disclosures ------------------------------------------------

def mark_held(vault: Vault, uuid: str, held_at: datetime,
              warnings_acknowledged: bool = False) -> None:
    """The conference took place: every case × institution the gate covers is a disclosure,
    logged here in one transaction. Refused, with nothing written, while a case on the agenda
    has no covered participant or a disclosure warning is not acknowledged."""
    held_at = aware(held_at, "Bitte Datum und Uhrzeit der Durchführung angeben.", "held_at")
    with vault.session() as s:
        conf = live_conference(s, uuid)
        refuse_locked(conf)
        if conf.status != PLANNED:
            raise ValidationFailed("Die Fallkonferenz ist bereits als durchgeführt vermerkt.",
                                   f"conference is {conf.status}")
        rows = agenda(s, conf)
        if not rows:
            raise ValidationFailed("Auf der Tagesordnung steht noch kein Fall.",
                                   "empty agenda", field="agenda")
        gate = gate_in_session(s, conf, held_at.date())
        blocked = [c.case_number for c in gate.cases if not gate.discussable(c.case_id)]
        if blocked:
            raise ValidationFailed(
                (f"Fall {blocked[0]} kann" if len(blocked) == 1 else
                 f"Die Fälle {', '.join(blocked)} können") + " nicht besprochen werden: Für keine "
                "teilnehmende Einrichtung liegt eine Einwilligung oder Rechtsgrundlage vor. "
                "Bitte erfassen Sie sie oder nehmen Sie den Fall von der Tagesordnung.",
                "case without any covered participant", field="agenda")
        warnings = list(gate.warnings())
        if warnings and not warnings_acknowledged:
            raise DisclosureWarningPending(warnings)
        by_case = {r.case.id: r for r in rows}
        insts = {i.uuid: i for i in institutions_of(s, participants(s, conf))}
        count = sum(disclose(s, conf, by_case[cell.case_id], insts[cell.institution_uuid],
                              "conference", held_at, warnings_acknowledged)
                    for cell in gate.cells if cell.covered)
        for p in participants(s, conf):
            p.may_see_all = sees_all(visible_cases(s, gate, p, rows), rows)
        conf.status, conf.held_at = HELD, held_at
        audit.record(s, audit.Kind.CONFERENCE_HELD, "conference", conf.uuid,
                     fields=["status", "held_at"], disclosures=count)


def set_attendance(vault: Vault, participant_uuid: str, attendance: str | None) -> None:
    if attendance is not None and attendance not in ATTENDANCE_LABELS:
        raise ValidationFailed("Bitte „anwesend“, „abwesend“ oder „entschuldigt“ wählen.",
                               f"unknown attendance {attendance!r}", field="attendance")
    with vault.session() as s:
        p = live(s, ConferenceParticipant, participant_uuid,
                 "Die teilnehmende Person wurde nicht gefunden.")
        require_recording(live_id(s, Conference, p.conference_id, GONE))
        apply_changes(s, p, {"attendance": attendance})


# --- the minutes of one case ---------------------------------------------------------------

def record_case_minutes(vault: Vault, agenda_uuid: str, minutes: CaseMinutes) -> list[str]:
    """What the minutes say about one case. A state of affairs is kept only for an institution
    the case was disclosed to in this conference; the next review becomes a follow-up task."""
    with vault.session() as s:
        item, conf = live_agenda_item(s, agenda_uuid)
        require_recording(conf)
        case = live_id(s, CaseFile, item.case_id, "Der Fall wurde nicht gefunden.")
        told = set(s.execute(select(Institution.uuid).join(
            Disclosure, Disclosure.institution_id == Institution.id).where(
            Disclosure.conference_id == conf.id, Disclosure.case_id == case.id,
            Disclosure.deleted.is_(False))).scalars())
        state = {k: v.strip() for k, v in minutes.state_of_affairs.items() if v and v.strip()}
        for inst_uuid in state:
            if inst_uuid not in told:
                inst = live(s, Institution, inst_uuid, "Die Einrichtung wurde nicht gefunden.")
                raise ValidationFailed(
                    f"„{inst.name}“ ist für den Fall {case.case_number} nicht durch eine "
                    "Einwilligung oder Rechtsgrundlage gedeckt: Ihr Sachstand gehört nicht in "
                    "das Protokoll.", "state of affairs of an uncovered institution",
                    field="state_of_affairs")
        old_review = item.next_review_on
        changed = apply_changes(s, item, {
            "legal_basis_note": text_or_none(minutes.legal_basis_note), "state_of_affairs": state,
            "resources_goals": text_or_none(minutes.resources_goals),
            "disagreements": text_or_none(minutes.disagreements),
            "system_gap_notes": text_or_none(minutes.system_gap_notes),
            "next_review_on": minutes.next_review_on})
        if old_review != minutes.next_review_on:
            review_task(s, case, conf, old_review, minutes.next_review_on)
        return changed


def save_decision(vault: Vault, agenda_uuid: str, decision: DecisionInput) -> str:
    """What / who / by when. A new decision becomes a task in the case, linked both ways;
    a changed one changes its task."""
    what = required(decision.what, "Bitte angeben, was beschlossen wurde.", "what")
    who = required(decision.who, "Bitte angeben, wer es übernimmt.", "who")
    with vault.session() as s:
        item, conf = live_agenda_item(s, agenda_uuid)
        require_recording(conf)
        case = live_id(s, CaseFile, item.case_id, "Der Fall wurde nicht gefunden.")
        inst_id = None if not decision.who_institution_uuid else live(
            s, Institution, decision.who_institution_uuid,
            "Die Einrichtung wurde nicht gefunden.").id
        values = {"what": what, "who": who, "who_institution_id": inst_id,
                  "by_when": decision.by_when}
        task_values = {"title": what, "due_on": decision.by_when, "assignee_text": who}
        if decision.uuid is not None:
            row = live(s, ConferenceDecision, decision.uuid,
                       "Der Beschluss wurde nicht gefunden.")
            if row.agenda_item_id != item.id:
                raise ValidationFailed("Der Beschluss gehört zu einem anderen Fall.",
                                       "decision of another agenda item")
            apply_changes(s, row, values)
            task = s.get(Task, row.task_id) if row.task_id is not None else None
            if task is not None and not task.deleted:
                apply_changes(s, task, task_values)
            return row.uuid
        last = s.execute(select(func.max(ConferenceDecision.position)).where(
            ConferenceDecision.agenda_item_id == item.id)).scalar()
        row = ConferenceDecision(agenda_item_id=item.id, position=(last or 0) + 1, **values)
        s.add(row)
        s.flush()
        task = Task(case_id=case.id, source=DECISION_SOURCE, decision_id=row.id, **task_values)
        s.add(task)
        s.flush()
        row.task_id = task.id
        audit.record(s, audit.Kind.RECORD_CREATED, "conference_decision", row.uuid,
                     conference=conf.uuid, case=case.uuid)
        audit.record(s, audit.Kind.RECORD_CREATED, "task", task.uuid, case=case.uuid,
                     decision=row.uuid)
        return row.uuid


def remove_decision(vault: Vault, decision_uuid: str) -> None:
    """The decision goes; its task too unless it is done already (work that happened)."""
    with vault.session() as s:
        row = live(s, ConferenceDecision, decision_uuid, "Der Beschluss wurde nicht gefunden.")
        item = live_id(s, ConferenceAgendaItem, row.agenda_item_id,
                       "Der Fall steht nicht (mehr) auf der Tagesordnung.")
        conf = live_id(s, Conference, item.conference_id, GONE)
        require_recording(conf)
        task = s.get(Task, row.task_id) if row.task_id is not None else None
        tombstone(s, row, conference=conf.uuid)
        if task is not None and not task.deleted and task.done_on is None:
            tombstone(s, task, decision=decision_uuid)


# --- the minutes' lifecycle ---------------------------------------------------------------

def mark_minutes_drafted(vault: Vault, uuid: str) -> None:
    with vault.session() as s:
        conf = live_conference(s, uuid)
        require_recording(conf)
        if conf.status == DRAFTED:
            raise ValidationFailed("Das Protokoll ist bereits im Entwurf.", "already drafted")
        apply_changes(s, conf, {"status": DRAFTED})


def approve_minutes(vault: Vault, uuid: str, approved_by_text: str) -> None:
    """Approval fixes the distribution list (who gets which version) and locks the minutes:
    from now on the store refuses every change but numbered amendments."""
    by = required(approved_by_text, "Bitte angeben, wer das Protokoll freigibt.",
                  "approved_by_text")
    with vault.session() as s:
        conf = live_conference(s, uuid)
        refuse_locked(conf)
        if conf.status != DRAFTED:
            raise ValidationFailed("Freigeben lässt sich nur ein Protokoll im Entwurf.",
                                   f"conference is {conf.status}, not minutes_drafted")
        rows = agenda(s, conf)
        gate = gate_in_session(s, conf, vault.clock.today())
        people = participants(s, conf)
        for p in people:
            s.add(ConferenceDistribution(
                conference_id=conf.id, recipient_name=p.name, institution_id=p.institution_id,
                pseudonymised=not sees_all(visible_cases(s, gate, p, rows), rows)))
        s.flush()  # before the lock: afterwards the store refuses new rows
        conf.status, conf.approved_on, conf.approved_by_text = (
            APPROVED, vault.clock.today(), by)
        conf.minutes_locked = True
        s.flush()
        audit.record(s, audit.Kind.MINUTES_APPROVED, "conference", conf.uuid,
                     fields=["status", "approved_on", "approved_by_text", "minutes_locked"],
                     recipients=len(people))


def add_amendment(vault: Vault, uuid: str, reason: str, text: str) -> int:
    """A numbered correction of approved minutes (1, 2, …), by the vault's owner."""
    reason = required(reason, "Bitte den Grund des Nachtrags angeben.", "reason")
    text = required(text, "Bitte den Text des Nachtrags angeben.", "text")
    with vault.session() as s:
        conf = live_conference(s, uuid)
        if not conf.minutes_locked:
            raise ValidationFailed("Nachträge gibt es nur zu einem freigegebenen Protokoll; "
                                   "bis dahin lässt sich das Protokoll selbst ändern.",
                                   "amendment to minutes not approved")
        last = s.execute(select(func.max(ConferenceAmendment.number)).where(
            ConferenceAmendment.conference_id == conf.id)).scalar()
        row = ConferenceAmendment(conference_id=conf.id, number=(last or 0) + 1, reason=reason,
                                  text=text, made_at=vault.clock.now(),
                                  author_text=owner(s, vault).display_name)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.MINUTES_AMENDED, "conference", conf.uuid,
                     amendment=row.uuid, number=row.number)
        return row.number


# --- output -------------------------------------------------------------------------------

OUTPUT_KINDS = {"print": audit.Kind.PRINT, "pdf": audit.Kind.MINUTES_SAVED,
                "export": audit.Kind.EXPORT, "ics": audit.Kind.INVITATION_SAVED}


def record_minutes_output(vault: Vault, uuid: str, action: str, version: str,
                          recipient_uuid: str | None = None,
                          warnings_acknowledged: bool = False) -> None:
    """Audit a print, PDF, export or invitation. A copy of the minutes for a participant's
    institution is a disclosure of the cases in it: logged per case and category (channel
    "print" or "export"). A warning (the foreigners' authority) counts as acknowledged when it
    was for this institution at this conference, or by ``warnings_acknowledged``."""
    if action not in OUTPUT_KINDS or version not in (FULL, PSEUDONYMISED):
        raise ValidationFailed("Unbekannte Ausgabe.", f"unknown output {action}/{version}")
    with vault.session() as s:
        conf = live_conference(s, uuid)
        if action != "ics" and conf.status == PLANNED:
            raise ValidationFailed(NOT_HELD_DE, "minutes of a conference not held")
        detail: dict[str, object] = {"action": action, "version": version}
        if recipient_uuid is not None:
            p = live(s, ConferenceParticipant, recipient_uuid,
                     "Die teilnehmende Person wurde nicht gefunden.")
            if p.conference_id != conf.id:
                raise ValidationFailed("Die Person nimmt an dieser Fallkonferenz nicht teil.",
                                       "recipient of another conference")
            detail["recipient"] = p.uuid
            if action != "ics":
                detail["disclosures"] = hand_out(s, vault, conf, p, version, action,
                                                 warnings_acknowledged)
        audit.record(s, OUTPUT_KINDS[action], "conference", conf.uuid, **detail)
