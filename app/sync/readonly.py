"""Read-only cases, enforced once at flush time so no service can forget it.

A case handed over to a colleague (transfer out, accepted) stays here as a closed stub that must
never change again; a deputy's copy whose cover ended (or whose end date passed) is read-only
until it is removed. Any new, changed or deleted row of such a case (the case file, every row
hanging off it, its client while no other case of this vault has the client, its attachments)
makes the flush fail with ``Refused`` and a German message, whichever service wrote it.

The handover code that builds the stub or applies the owner's rows sets ``GUARD_OFF`` in the
session's ``info`` for that one unit of work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, event, or_, select
from sqlalchemy.orm import Session, UOWTransaction

from app import audit
from app.errors import Refused
from db.base import SyncMixin
from db.models import (
    Attachment,
    CaseFile,
    Consent,
    Goal,
    Household,
    PeerDevice,
    Person,
    ShareGrant,
)
from db.sync import LotseSession

GUARD_OFF = "case_guard_off"
_REASONS = "read_only_cases"  # session.info: the reasons, read at the unit's first flush


def read_only_reasons(s: Session, today: date) -> dict[str, str]:
    """Case uuid -> why it cannot be changed here (German), for every read-only case."""
    query = select(ShareGrant, PeerDevice.holder_name).outerjoin(
        PeerDevice, PeerDevice.fingerprint == ShareGrant.peer_fingerprint).where(or_(
            and_(ShareGrant.kind == "transfer", ShareGrant.direction == "out",
                 ShareGrant.state == "accepted"),
            and_(ShareGrant.kind == "deputy", ShareGrant.direction == "in",
                 or_(ShareGrant.state == "ended", ShareGrant.until < today))))
    out: dict[str, str] = {}
    with s.no_autoflush:
        for grant, holder in s.execute(query).all():
            who = holder or "eine Kollegin / einen Kollegen"
            if grant.kind == "transfer":
                when = grant.ended_at or grant.created_at
                out[grant.case_uuid] = (
                    f"Der Fall wurde am {when:%d.%m.%Y} an {who} übergeben. Hier bleibt nur ein "
                    "abgeschlossener Verweis; Änderungen sind nicht mehr möglich.")
            elif grant.case_uuid not in out:
                out[grant.case_uuid] = (
                    f"Die Vertretung für {who} ist beendet. Der Fall kann hier nicht mehr "
                    "geändert werden.")
    return out


@event.listens_for(LotseSession, "before_flush")
def _refuse_read_only(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    if session.info.get(GUARD_OFF):
        return
    touched = [obj for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, SyncMixin)
               and (obj in session.new or obj in session.deleted or session.is_modified(obj))]
    if not touched:
        return
    # Once per unit of work: a flush-heavy import or demo run asks the grants table once.
    # (Grants change inside a unit only in the handover code, which sets GUARD_OFF.)
    reasons = session.info.get(_REASONS)
    if reasons is None:
        clock = session.info.get(audit.CLOCK)
        today = clock.today() if clock is not None else date.today()
        reasons = session.info[_REASONS] = read_only_reasons(session, today)
    if not reasons:
        return
    with session.no_autoflush:
        locked = dict(session.execute(select(CaseFile.id, CaseFile.uuid).where(
            CaseFile.uuid.in_(reasons))).tuples().all())
        for obj in touched:
            cases = _case_ids(session, obj)
            if cases and cases <= set(locked):
                case_uuid = locked[min(cases)]
                raise Refused(reasons[case_uuid],
                              f"case {case_uuid} is read-only here ({type(obj).__name__})")


def _case_ids(s: Session, obj: SyncMixin) -> set[int]:
    """The cases a row belongs to (empty: it belongs to none, e.g. an institution)."""
    table = str(getattr(obj, "__tablename__", ""))
    if isinstance(obj, CaseFile):
        return {obj.id} if obj.id is not None else set()
    if isinstance(obj, Person):
        return _cases_of_person(s, obj.id)
    if isinstance(obj, Household):
        return set(s.execute(select(CaseFile.id).where(or_(
            CaseFile.household_id == obj.id, CaseFile.person_id.in_(
                select(Person.id).where(Person.household_id == obj.id))))).scalars().all())
    if isinstance(obj, Consent):
        return ({obj.case_id} if obj.case_id is not None
                else _cases_of_person(s, obj.person_id))
    if isinstance(obj, Attachment):
        return _owner_cases(s, obj.owner_table, obj.owner_uuid)
    if table in ("conference_agenda_item",):
        return set()  # a conference item names a case but belongs to the conference
    values: dict[str, Any] = {k: getattr(obj, k, None) for k in
                              ("case_id", "goal_id", "consent_id", "person_id")}
    if values["case_id"] is not None:
        return {int(values["case_id"])}
    if values["goal_id"] is not None:
        goal = s.get(Goal, values["goal_id"])
        return {goal.case_id} if goal is not None else set()
    if values["consent_id"] is not None:
        consent = s.get(Consent, values["consent_id"])
        return _case_ids(s, consent) if consent is not None else set()
    if values["person_id"] is not None and table == "residence_status":
        return _cases_of_person(s, values["person_id"])
    return set()


def _cases_of_person(s: Session, person_id: int | None) -> set[int]:
    if person_id is None:
        return set()
    return set(s.execute(select(CaseFile.id).where(CaseFile.person_id == person_id))
               .scalars().all())


def _owner_cases(s: Session, owner_table: str, owner_uuid: str) -> set[int]:
    from app.sync.case_rows import model_of

    try:
        model: Any = model_of(owner_table)
    except KeyError:
        return set()
    owner = s.execute(select(model).where(model.uuid == owner_uuid)).scalar()
    return _case_ids(s, owner) if owner is not None else set()
