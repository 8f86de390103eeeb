"""Checks and lookups shared by the consent domain's reads and writes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import catalogues
from app.errors import ValidationFailed
from app.services.editing import live
from db.models import Institution


def live_institution(session: Session, uuid: str) -> Institution:
    return live(session, Institution, uuid, "Die Institution wurde nicht gefunden.")


def check_categories(codes: list[str]) -> None:
    known = {c.code for c in catalogues.data_categories()}
    unknown = [c for c in codes if c not in known]
    if not codes or unknown:
        raise ValidationFailed("Bitte mindestens eine gültige Datenkategorie wählen.",
                               f"unknown or missing data categories: {unknown}",
                               field="data_categories")
