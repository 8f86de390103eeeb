"""Writing side of the training domain: modules, practice case and colloquium of a staff
member, and the training certificate once every DGCC criterion is met.

Rows that belong to a valid training certificate are not changed any more: the certificate
lists them. Revoking the certificate frees them again.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlalchemy.orm import Session

from app import audit
from app.date_input import format_date
from app.errors import ValidationFailed
from app.services.certificates.queries import issue_in_session
from app.services.certificates.records import (
    KIND_LABELS,
    TRAINING,
    IssuedCertificate,
    TrainingLine,
)
from app.services.editing import apply_changes, live, tombstone
from app.services.training.queries import (
    COLLOQUIUM_MODULE,
    PRACTICE_MODULE,
    PRESENCE_PERCENT,
    is_colloquium,
    is_practice,
    live_staff,
    staff_rows,
    status_of,
    valid_certificate,
)
from app.services.training.records import COURSE_LABELS, TrainingInput
from app.vault.store import Vault
from db.models import Certificate, TrainingRecord

MODULE_GONE = "Das Fortbildungsmodul wurde nicht gefunden."
MAX_UNITS = 500
MAX_TEXT = 120
MAX_NOTE = 500
COURSE_NAME = "Einwanderung erfolgreich managen"


def _text(value: str | None, cap: int, label: str, field: str) -> str | None:
    text = (value or "").strip()
    if len(text) > cap:
        raise ValidationFailed(f"„{label}“ ist zu lang (höchstens {cap} Zeichen).",
                               f"{field} too long", field=field)
    if any(unicodedata.category(c) in ("Cc", "Cf") and c != "\n" for c in text):
        raise ValidationFailed(f"„{label}“ enthält ein Steuerzeichen.",
                               f"control character in {field}", field=field)
    return text or None


def _not_future(on: date | None, today: date, field: str) -> None:
    if on is not None and on > today:
        raise ValidationFailed("Das Datum darf nicht in der Zukunft liegen.",
                               f"{field} in the future", field=field)


def _values(inp: TrainingInput, today: date) -> dict[str, object]:
    if inp.course not in COURSE_LABELS:
        raise ValidationFailed("Bitte Grundkurs oder Aufbaukurs wählen.", "unknown course",
                               field="course")
    module = _text(inp.module, MAX_TEXT, "Modul", "module")
    if module is None:
        raise ValidationFailed("Bitte das Modul angeben.", "module missing", field="module")
    if module.casefold() in (PRACTICE_MODULE.casefold(), COLLOQUIUM_MODULE.casefold()):
        raise ValidationFailed(f"{module} wird eigens erfasst, nicht als Modul.",
                               "practice case or colloquium as a module", field="module")
    if not 0 <= inp.teaching_units <= MAX_UNITS:
        raise ValidationFailed(f"Die Unterrichtseinheiten müssen zwischen 0 und {MAX_UNITS} "
                               "liegen.", "teaching units out of range", field="teaching_units")
    if inp.presence_units < 0:
        raise ValidationFailed("Die Unterrichtseinheiten in Präsenz dürfen nicht negativ sein.",
                               "negative presence units", field="presence_units")
    if inp.presence_units > inp.teaching_units:
        raise ValidationFailed("In Präsenz können nicht mehr Unterrichtseinheiten stattgefunden "
                               "haben, als das Modul hat.", "presence above units",
                               field="presence_units")
    _not_future(inp.held_on, today, "held_on")
    institute = _text(inp.institute, MAX_TEXT, "Institut", "institute")
    if inp.institute_recognised and institute is None:
        raise ValidationFailed("Bitte das anerkannte Institut angeben.", "recognised without "
                               "institute", field="institute")
    return {"course": inp.course, "module": module, "teaching_units": inp.teaching_units,
            "presence_units": inp.presence_units, "held_on": inp.held_on,
            "institute": institute, "institute_recognised": inp.institute_recognised,
            "note": _text(inp.note, MAX_NOTE, "Notiz", "note")}


def _refuse_certified(s: Session, row: TrainingRecord) -> None:
    if row.certificate_id is None:
        return
    cert = s.get(Certificate, row.certificate_id)
    if cert is not None and not cert.deleted and cert.revoked_on is None:
        raise ValidationFailed(
            f"Dieser Eintrag gehört zum Zertifikat {cert.serial} und kann nicht mehr geändert "
            "werden. Widerrufen Sie das Zertifikat, falls er falsch ist.",
            "row of a valid training certificate")


def add_training_module(vault: Vault, staff_uuid: str, inp: TrainingInput) -> str:
    values = _values(inp, vault.clock.today())
    with vault.session() as s:
        staff = live_staff(s, staff_uuid)
        row = TrainingRecord(staff_id=staff.id, **values)
        s.add(row)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "training_record", row.uuid,
                     staff=staff.uuid)
        return row.uuid


def _live_module(s: Session, uuid: str) -> TrainingRecord:
    row = live(s, TrainingRecord, uuid, MODULE_GONE)
    if is_practice(row) or is_colloquium(row):
        raise ValidationFailed("Praxisfall und Kolloquium werden eigens erfasst.",
                               "not a module row")
    return row


def update_training_module(vault: Vault, uuid: str, inp: TrainingInput) -> None:
    values = _values(inp, vault.clock.today())
    with vault.session() as s:
        row = _live_module(s, uuid)
        _refuse_certified(s, row)
        apply_changes(s, row, values)


def remove_training_module(vault: Vault, uuid: str) -> None:
    with vault.session() as s:
        row = _live_module(s, uuid)
        _refuse_certified(s, row)
        tombstone(s, row)


def _record_milestone(vault: Vault, staff_uuid: str, on: date | None, practice: bool) -> None:
    """The practice case or the colloquium: set, moved, or taken back (``on`` None)."""
    _not_future(on, vault.clock.today(), "practice_case_on" if practice else "colloquium_on")
    with vault.session() as s:
        staff = live_staff(s, staff_uuid)
        rows = staff_rows(s, staff)
        row = rows.practice if practice else rows.colloquium
        if row is not None:
            _refuse_certified(s, row)
        if on is None:
            if row is not None:
                tombstone(s, row, staff=staff.uuid)
            return
        values: dict[str, object] = {"held_on": on}
        if practice:
            values["practice_case_done"] = True
        else:
            values["colloquium_on"] = on
        if row is not None:
            apply_changes(s, row, values)
            return
        module = PRACTICE_MODULE if practice else COLLOQUIUM_MODULE
        # The advanced course ends with them; they carry no teaching units of their own.
        new = TrainingRecord(staff_id=staff.id, course="advanced", module=module, **values)
        s.add(new)
        s.flush()
        audit.record(s, audit.Kind.RECORD_CREATED, "training_record", new.uuid,
                     staff=staff.uuid)


def record_practice_case(vault: Vault, staff_uuid: str, on: date | None) -> None:
    _record_milestone(vault, staff_uuid, on, practice=True)


def record_colloquium(vault: Vault, staff_uuid: str, on: date | None) -> None:
    _record_milestone(vault, staff_uuid, on, practice=False)


def issue_training_certificate(vault: Vault, staff_uuid: str) -> IssuedCertificate:
    """The training certificate; refused while a criterion is unmet (naming what is missing)
    or while a valid one exists."""
    with vault.session() as s:
        staff = live_staff(s, staff_uuid)
        status = status_of(s, staff)
        if not status.complete:
            raise ValidationFailed("Das Zertifikat kann noch nicht ausgestellt werden. "
                                   + " ".join(status.missing), "training incomplete")
        existing = valid_certificate(s, staff)
        if existing is not None:
            raise ValidationFailed(f"Es gibt bereits ein gültiges Zertifikat ({existing.serial}).",
                                   "valid training certificate exists")
        rows = staff_rows(s, staff)
        assert rows.practice is not None and rows.colloquium is not None  # complete
        practice_on, colloquium_on = status.practice_case_on, status.colloquium_on
        assert practice_on is not None and colloquium_on is not None
        units = sum(m.teaching_units for m in status.modules)
        presence = sum(m.presence_units for m in status.modules)
        share = 100 * presence // units
        lines = tuple(TrainingLine(COURSE_LABELS[m.course], m.module, m.teaching_units,
                                   m.presence_units, m.held_on)
                      for m in sorted(status.modules, key=lambda m: (
                          m.course != "basic", m.held_on or date.min)))
        blocks = (
            f"Hiermit wird bestätigt, dass {staff.display_name} die Fortbildung „{COURSE_NAME}“ "
            f"im Grund- und Aufbaukurs mit insgesamt {units} Unterrichtseinheiten, davon "
            f"{presence} in Präsenz, erfolgreich abgeschlossen hat.",
            f"Der Praxisfall wurde am {format_date(practice_on)} abgeschlossen, das "
            f"Kolloquium am {format_date(colloquium_on)} bestanden.",
            f"Die Fortbildung erfüllt die Anforderungen der Deutschen Gesellschaft für Care und "
            f"Case Management (DGCC): mindestens 144 Unterrichtseinheiten, davon mindestens "
            f"{PRESENCE_PERCENT} % in Präsenz, bei anerkannten Instituten, mit Praxisfall und "
            "Kolloquium.",
        )
        facts = (("Unterrichtseinheiten", str(units)),
                 ("davon in Präsenz", f"{presence} ({share} %)"),
                 ("Praxisfall", format_date(practice_on)),
                 ("Kolloquium", format_date(colloquium_on)))
        held = [m.held_on for m in status.modules if m.held_on is not None]
        cert, doc = issue_in_session(
            s, vault, kind=TRAINING, title=KIND_LABELS[TRAINING], blocks=blocks,
            holder=staff.display_name, birth_date=None, facts=facts, subject=COURSE_NAME,
            period_from=min(held) if held else None, period_until=colloquium_on,
            training=lines, staff_id=staff.id)
        for row in (*rows.modules, rows.practice, rows.colloquium):
            row.certificate_id = cert.id
        audit.record(s, audit.Kind.CERTIFICATE_ISSUED, "certificate", cert.uuid,
                     serial=cert.serial, certificate_kind=TRAINING, staff=staff.uuid,
                     modules=len(rows.modules))
        return IssuedCertificate(cert.uuid, cert.serial, doc)
