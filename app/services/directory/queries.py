"""Lookups shared by the directory's reads and writes (and other domains' services)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.editing import live
from db.models import CooperationAgreement, CooperationParty, Institution

INSTITUTION_GONE = "Die Institution wurde nicht gefunden."


def live_agreement(s: Session, uuid: str) -> CooperationAgreement:
    return live(s, CooperationAgreement, uuid,
                "Die Kooperationsvereinbarung wurde nicht gefunden.")


def parties_of(s: Session, agreement_id: int) -> list[tuple[CooperationParty, str]]:
    """The agreement's live party rows with their institution's uuid."""
    return [(party, inst_uuid) for party, inst_uuid in s.execute(
        select(CooperationParty, Institution.uuid)
        .join(Institution, Institution.id == CooperationParty.institution_id)
        .where(CooperationParty.agreement_id == agreement_id,
               CooperationParty.deleted.is_(False)).order_by(CooperationParty.id)).tuples()]


def institution_id(s: Session, uuid: str) -> int:
    return int(live(s, Institution, uuid, "Die Institution wurde nicht gefunden.").id)
