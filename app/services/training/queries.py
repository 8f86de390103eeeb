"""Shared pieces of the training domain: the DGCC criteria (pure), the rows of one staff member
split into modules, practice case and colloquium, and the status built from them.

The practice case and the colloquium are ``training_record`` rows of their own (module
"Praxisfall" with ``practice_case_done``, "Kolloquium" with ``colloquium_on``), so a module
list never counts them as teaching units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.date_input import format_date
from app.services.certificates.records import TRAINING
from app.services.editing import live
from app.services.training.records import (
    DGCC_PRESENCE,
    DGCC_UNITS,
    Criterion,
    TrainingModule,
    TrainingStatus,
)
from db.models import CaseManager, Certificate, TrainingRecord

PRACTICE_MODULE = "Praxisfall"
COLLOQUIUM_MODULE = "Kolloquium"
STAFF_GONE = "Die Mitarbeiterin oder der Mitarbeiter wurde nicht gefunden."
PRESENCE_PERCENT = round(DGCC_PRESENCE * 100)


@dataclass(frozen=True)
class _Assessed:
    criterion: Criterion
    sentence: str  # what is missing, as a sentence (empty when met)


def _percent(part: int, whole: int) -> int:
    """Rounded down: 59.9 % must not read as the 60 % it does not reach."""
    return math.floor(100 * part / whole) if whole else 0


def assess(modules: Sequence[TrainingModule], practice_case_on: date | None,
           colloquium_on: date | None) -> tuple[_Assessed, ...]:
    units = sum(m.teaching_units for m in modules)
    presence = sum(m.presence_units for m in modules)
    share = _percent(presence, units)
    result: list[_Assessed] = []
    lacking = DGCC_UNITS - units
    if lacking > 0:
        result.append(_Assessed(Criterion(
            "units", f"{DGCC_UNITS} Unterrichtseinheiten", False,
            f"{units} von {DGCC_UNITS} Unterrichtseinheiten – es fehlen {lacking}"),
            f"Es fehlen noch {lacking} Unterrichtseinheiten ({units} von {DGCC_UNITS})."))
    else:
        result.append(_Assessed(Criterion("units", f"{DGCC_UNITS} Unterrichtseinheiten", True,
                                          f"{units} Unterrichtseinheiten – erfüllt"), ""))
    label = f"Mindestens {PRESENCE_PERCENT} % in Präsenz"
    if units == 0:
        result.append(_Assessed(Criterion("presence", label, False,
                                          "noch keine Unterrichtseinheiten erfasst"),
                                "Es sind noch keine Unterrichtseinheiten erfasst."))
    elif presence * 100 < PRESENCE_PERCENT * units:
        result.append(_Assessed(Criterion(
            "presence", label, False,
            f"{share} % in Präsenz – mindestens {PRESENCE_PERCENT} % nötig"),
            f"Der Präsenzanteil liegt bei {share} %; nötig sind mindestens "
            f"{PRESENCE_PERCENT} %."))
    else:
        result.append(_Assessed(Criterion("presence", label, True,
                                          f"{share} % in Präsenz – erfüllt"), ""))
    label = "Anerkanntes Institut"
    elsewhere = [m.module for m in modules if not m.institute_recognised]
    if not modules:
        result.append(_Assessed(Criterion("institute", label, False,
                                          "noch keine Module erfasst"),
                                "Es sind noch keine Module erfasst."))
    elif elsewhere:
        names = ", ".join(f"„{n}“" for n in elsewhere)
        result.append(_Assessed(Criterion(
            "institute", label, False,
            f"nicht bei einem anerkannten Institut: {names}"),
            ("Das Modul " + names + " wurde" if len(elsewhere) == 1 else
             "Die Module " + names + " wurden")
            + " nicht bei einem anerkannten Institut besucht."))
    else:
        result.append(_Assessed(Criterion("institute", label, True,
                                          "alle Module bei anerkannten Instituten"), ""))
    if practice_case_on is None:
        result.append(_Assessed(Criterion("practice_case", "Praxisfall", False,
                                          "Praxisfall fehlt noch"),
                                "Der Praxisfall fehlt noch."))
    else:
        result.append(_Assessed(Criterion(
            "practice_case", "Praxisfall", True,
            f"abgeschlossen am {format_date(practice_case_on)}"), ""))
    if colloquium_on is None:
        result.append(_Assessed(Criterion("colloquium", "Kolloquium", False,
                                          "Kolloquium fehlt noch"),
                                "Das Kolloquium fehlt noch."))
    else:
        result.append(_Assessed(Criterion(
            "colloquium", "Kolloquium", True,
            f"bestanden am {format_date(colloquium_on)}"), ""))
    return tuple(result)


@dataclass(frozen=True)
class StaffRows:
    staff: CaseManager
    modules: list[TrainingRecord]
    practice: TrainingRecord | None
    colloquium: TrainingRecord | None


def is_practice(r: TrainingRecord) -> bool:
    return r.module == PRACTICE_MODULE and r.practice_case_done


def is_colloquium(r: TrainingRecord) -> bool:
    return r.module == COLLOQUIUM_MODULE and r.colloquium_on is not None


def staff_rows(s: Session, staff: CaseManager) -> StaffRows:
    rows = list(s.execute(select(TrainingRecord).where(
        TrainingRecord.staff_id == staff.id, TrainingRecord.deleted.is_(False))
        .order_by(TrainingRecord.course.desc(), TrainingRecord.held_on, TrainingRecord.id))
        .scalars())
    practice = next((r for r in rows if is_practice(r)), None)
    colloquium = next((r for r in rows if is_colloquium(r)), None)
    return StaffRows(staff, [r for r in rows if not is_practice(r) and not is_colloquium(r)],
                     practice, colloquium)


def module_of(r: TrainingRecord) -> TrainingModule:
    return TrainingModule(uuid=r.uuid, course=r.course, module=r.module,
                          teaching_units=r.teaching_units, presence_units=r.presence_units,
                          held_on=r.held_on, institute=r.institute,
                          institute_recognised=r.institute_recognised, note=r.note)


def valid_certificate(s: Session, staff: CaseManager) -> Certificate | None:
    return s.execute(select(Certificate).where(
        Certificate.kind == TRAINING, Certificate.staff_id == staff.id,
        Certificate.deleted.is_(False), Certificate.revoked_on.is_(None))
        .order_by(Certificate.id.desc())).scalars().first()


def status_of(s: Session, staff: CaseManager) -> TrainingStatus:
    rows = staff_rows(s, staff)
    modules = tuple(module_of(r) for r in rows.modules)
    practice_on = rows.practice.held_on if rows.practice else None
    colloquium_on = rows.colloquium.colloquium_on if rows.colloquium else None
    assessed = assess(modules, practice_on, colloquium_on)
    cert = valid_certificate(s, staff)
    return TrainingStatus(
        staff_uuid=staff.uuid, staff_name=staff.display_name, modules=modules,
        practice_case_on=practice_on, colloquium_on=colloquium_on,
        criteria=tuple(a.criterion for a in assessed),
        missing=tuple(a.sentence for a in assessed if not a.criterion.met),
        certificate_serial=cert.serial if cert is not None else None)


def live_staff(s: Session, uuid: str) -> CaseManager:
    return live(s, CaseManager, uuid, STAFF_GONE)
