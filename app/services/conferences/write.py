"""Plan, hold and record a case conference, and take its minutes through approval.

Every change is audited with field names and ids only. Once the minutes are approved nothing
of the conference changes any more: the services refuse in German before they write, and the
store's triggers (migration 0008) refuse whatever gets past them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app import audit, catalogues
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.conferences.queries import (
    agenda,
    client_name,
    live_conference,
    participants,
    refuse_locked,
    require_planned,
)
from app.services.conferences.records import (
    PLANNED,
    AgendaInput,
    ConferencePlan,
    ParticipantInput,
)
from app.services.consent.queries import check_categories
from app.services.editing import apply_changes, live, required, tombstone
from app.vault.store import Vault
from db.folding import fold_search
from db.models import (
    CaseManager,
    Conference,
    ConferenceAgendaItem,
    ConferenceParticipant,
    Contact,
    Institution,
)

# --- planning -------------------------------------------------------------------------------

def _plan_values(s: Session, plan: ConferencePlan) -> dict[str, Any]:
    title = required(plan.title, "Bitte einen Titel für die Fallkonferenz angeben.", "title")
    if not isinstance(plan.scheduled_at, datetime) or plan.scheduled_at.tzinfo is None:
        raise ValidationFailed("Bitte Datum und Uhrzeit der Fallkonferenz angeben.",
                               "scheduled_at missing or without time zone",
                               field="scheduled_at")
    staff_id = None
    if plan.chair_staff_uuid:
        staff_id = live(s, CaseManager, plan.chair_staff_uuid,
                        "Die Moderation (Kollegin / Kollege) wurde nicht gefunden.").id
    return {"title": title, "scheduled_at": plan.scheduled_at,
            "place": (plan.place or "").strip() or None, "chair_staff_id": staff_id,
            "chair_text": None if staff_id else (plan.chair_text or "").strip() or None,
            "minute_taker_text": (plan.minute_taker_text or "").strip() or None}


def create_conference(vault: Vault, plan: ConferencePlan) -> str:
    with vault.session() as s:
        conf = Conference(status=PLANNED, **_plan_values(s, plan))
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
        values = _plan_values(s, plan)
        if conf.status != PLANNED and values["scheduled_at"] != conf.scheduled_at:
            raise ValidationFailed("Die Fallkonferenz hat bereits stattgefunden: Ihr Termin "
                                   "kann nicht mehr verschoben werden.",
                                   "scheduled_at of a held conference", field="scheduled_at")
        return apply_changes(s, conf, values)


# --- participants ---------------------------------------------------------------------------

def _participant_values(s: Session, p: ParticipantInput, clients: dict[str, str]
                        ) -> dict[str, Any]:
    """The stored values of one participant; ``clients``: folded name -> name as stored, of
    the persons of the cases on the agenda."""
    kinds = sum(bool(x) for x in (p.contact_uuid, p.is_client, p.is_interpreter))
    if kinds > 1 or (kinds and p.institution_uuid and not p.contact_uuid):
        raise ValidationFailed("Eine teilnehmende Person ist entweder Ansprechperson einer "
                               "Einrichtung, die Klientin / der Klient oder dolmetscht.",
                               "participant of several kinds", field="participants")
    values: dict[str, Any] = {"role": (p.role or "").strip() or None, "contact_id": None,
                              "institution_id": None, "language": None,
                              "is_client": p.is_client, "is_interpreter": p.is_interpreter}
    if p.contact_uuid:
        contact = live(s, Contact, p.contact_uuid,
                       "Die Ansprechperson ist nicht mehr im Verzeichnis. Bitte neu auswählen.")
        inst = s.get(Institution, contact.institution_id)
        if inst is None or inst.deleted:
            raise ValidationFailed("Die Einrichtung der Ansprechperson ist nicht mehr im "
                                   "Verzeichnis.", "contact's institution gone",
                                   field="participants")
        values.update(name=contact.name, contact_id=contact.id, institution_id=inst.id,
                      role=values["role"] or contact.role)
    elif p.is_client:
        folded = fold_search(p.name)
        if not folded and len(set(clients.values())) == 1:
            folded = next(iter(clients))
        if folded not in clients:
            raise ValidationFailed("Als Klient:in kann nur die Person eines Falls auf der "
                                   "Tagesordnung teilnehmen.", "client not on the agenda",
                                   field="participants")
        values["name"] = clients[folded]
    elif p.is_interpreter:
        if p.language not in {lang.code for lang in catalogues.languages()}:
            raise ValidationFailed("Bitte die Sprache der Dolmetschung angeben.",
                                   "interpreter without language", field="language")
        values.update(name=required(p.name, "Bitte den Namen angeben.", "name"),
                      language=p.language)
    elif p.institution_uuid:
        values.update(name=required(p.name, "Bitte den Namen angeben.", "name"),
                      institution_id=live(s, Institution, p.institution_uuid,
                                          "Die Einrichtung ist nicht mehr im Verzeichnis.").id)
    else:
        raise ValidationFailed("Bitte eine Ansprechperson oder Einrichtung aus dem Verzeichnis "
                               "wählen.", "participant without institution",
                               field="participants")
    return values


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
        keep: set[str] = set()
        for p in people:
            values = _participant_values(s, p, clients)
            if p.uuid is None:
                row = ConferenceParticipant(conference_id=conf.id, **values)
                s.add(row)
                s.flush()
                audit.record(s, audit.Kind.RECORD_CREATED, "conference_participant", row.uuid,
                             conference=conf.uuid)
                continue
            if p.uuid not in current:
                raise ValidationFailed("Eine teilnehmende Person wurde inzwischen entfernt.",
                                       f"no participant {p.uuid}", field="participants")
            keep.add(p.uuid)
            apply_changes(s, current[p.uuid], values)
        for gone_uuid, row in current.items():
            if gone_uuid not in keep:
                tombstone(s, row, conference=conf.uuid)


# --- the agenda -----------------------------------------------------------------------------

def _categories(codes: tuple[str, ...]) -> list[str]:
    check_categories(list(codes))
    order = [c.code for c in catalogues.data_categories()]
    return sorted(dict.fromkeys(codes), key=order.index)


def set_agenda(vault: Vault, uuid: str, items: list[AgendaInput]) -> None:
    """The cases as listed, in this order; each case once."""
    with vault.session() as s:
        conf = live_conference(s, uuid)
        require_planned(conf)
        current = {r.item.uuid: r.item for r in agenda(s, conf)}
        seen: set[int] = set()
        keep: set[str] = set()
        for position, entry in enumerate(items):
            case = resolve_case(s, entry.case_ref)
            if case.id in seen:
                raise ValidationFailed(f"Der Fall {case.case_number} steht bereits auf der "
                                       "Tagesordnung.", "case twice on the agenda",
                                       field="agenda")
            seen.add(case.id)
            values = {"case_id": case.id, "position": position,
                      "occasion": (entry.occasion or "").strip() or None,
                      "data_categories": _categories(entry.data_categories)}
            if entry.uuid is None:
                item = ConferenceAgendaItem(conference_id=conf.id, **values)
                s.add(item)
                s.flush()
                audit.record(s, audit.Kind.RECORD_CREATED, "conference_agenda_item", item.uuid,
                             conference=conf.uuid, case=case.uuid)
                continue
            if entry.uuid not in current:
                raise ValidationFailed("Ein Fall der Tagesordnung wurde inzwischen entfernt.",
                                       f"no agenda item {entry.uuid}", field="agenda")
            keep.add(entry.uuid)
            apply_changes(s, current[entry.uuid], values)
        for gone_uuid, item in current.items():
            if gone_uuid not in keep:
                tombstone(s, item, conference=conf.uuid)
