"""Issue, reprint and revoke certificates, and audit their output.

A certificate handed to the person carries their own data: no disclosure is logged. One sent to
an institution passes the consent gate in the issuing transaction, so a refusal leaves nothing
behind (no row, and the serial sequence rolls back with it). Audit details carry serials,
template keys and uuids only.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from app import audit
from app.date_input import format_date, parse_date
from app.errors import ValidationFailed
from app.services.cases.queries import resolve_case
from app.services.certificates.queries import document_from_row as _document
from app.services.certificates.queries import (
    issue_in_session,
    live_certificate,
    office_and_place,
    owner,
    seal_row,
)
from app.services.certificates.records import (
    CERTIFICATE_CATEGORIES,
    CERTIFICATE_PURPOSE,
    CertificateDocument,
    IssuedCertificate,
    IssueRequest,
)
from app.services.consent.queries import live_institution
from app.services.consent.write import disclose_in_session
from app.services.keys.queries import signing_key
from app.services.templates.read import (
    VALUE_CAPS,
    facts_of,
    filled_blocks,
    initials,
    template_in,
)
from app.services.templates.records import Template, TemplateField
from app.vault.store import Vault
from db.models import Person

MAX_NUMBER = 99_999
MAX_REASON = 500
MAX_DATE_INPUT = 40


def _value(f: TemplateField, raw: str, today: date) -> tuple[str, date | None]:
    """The field's value as printed (dates as TT.MM.JJJJ) and, for a date, the date."""
    text = raw.strip()
    if not text:
        if f.required:
            raise ValidationFailed(f"Bitte „{f.label}“ angeben.", f"{f.key} missing",
                                   field=f.key)
        return "", None
    cap = MAX_DATE_INPUT if f.kind == "date" else VALUE_CAPS[f.kind]  # "heute", "in 3 Tagen"
    if len(text) > cap:
        raise ValidationFailed(f"„{f.label}“ ist zu lang (höchstens {cap} Zeichen).",
                               f"{f.key} too long", field=f.key)
    allowed_cc = "\n" if f.kind == "multiline" else ""
    if any(unicodedata.category(c) in ("Cc", "Cf") and c not in allowed_cc for c in text):
        raise ValidationFailed(f"„{f.label}“ enthält ein Steuerzeichen.",
                               f"control character in {f.key}", field=f.key)
    if f.kind == "date":
        try:
            day = parse_date(text, today)
        except ValidationFailed as exc:
            raise ValidationFailed(f"{f.label}: {exc.message_de}", f"{f.key}: {exc.detail_en}",
                                   field=f.key) from exc
        assert day is not None  # text is not empty
        return format_date(day), day
    if f.kind == "number":
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_NUMBER:
            raise ValidationFailed(f"„{f.label}“ muss eine ganze Zahl zwischen 0 und "
                                   f"{MAX_NUMBER} sein.", f"{f.key} not a number", field=f.key)
        return str(int(text)), None
    return text, None


def _values(t: Template, given: dict[str, str],
            today: date) -> tuple[dict[str, str], dict[str, date | None], str]:
    unknown = sorted(set(given) - {f.key for f in t.fields})
    if unknown:
        raise ValidationFailed("Diese Angaben gehören nicht zur Vorlage.",
                               f"unknown fields {', '.join(unknown)[:80]}", field=unknown[0])
    values: dict[str, str] = {}
    sealed: dict[str, date | None] = {"period_from": None, "period_until": None}
    subject = ""
    for f in t.fields:
        text, day = _value(f, given.get(f.key, ""), today)
        values[f.key] = text
        if f.seal == "subject":
            subject = text
        elif f.seal in sealed:
            sealed[f.seal] = day
    start, end = sealed["period_from"], sealed["period_until"]
    if start and end and end < start:
        until = next(f for f in t.fields if f.seal == "period_until")
        raise ValidationFailed(f"„{until.label}“ liegt vor dem Beginn des Zeitraums.",
                               "period ends before it starts", field=until.key)
    return values, sealed, subject


def issue_certificate(vault: Vault, req: IssueRequest) -> IssuedCertificate:
    today = vault.clock.today()
    with vault.session() as s:
        t = template_in(s, req.template_key)
        if not t.active:
            raise ValidationFailed("Diese Vorlage ist deaktiviert.", "inactive template",
                                   field="template")
        values, sealed, subject = _values(t, dict(req.values), today)
        case = resolve_case(s, req.case_ref)
        person = s.get(Person, case.person_id)
        assert person is not None  # a live case has its person
        full = f"{person.given_names} {person.family_name}".strip()
        short = initials(person.given_names, person.family_name)
        holder = short if t.initials_only else full
        birth = None if t.initials_only or not t.show_birth_date else person.date_of_birth
        office, place = office_and_place(vault)
        values.update({"name": holder, "vorname": person.given_names,
                       "nachname": person.family_name, "initialen": short,
                       "geburtsdatum": format_date(person.date_of_birth)
                       if person.date_of_birth else "–",
                       "ausstellungsdatum": format_date(today), "stelle": office, "ort": place,
                       "fallmanager": owner(s, vault).display_name})
        detail: dict[str, object] = {"template": t.key}
        recipient_id = None
        if req.recipient_institution_uuid is None:
            detail.update(recipient="person",
                          disclosure="none: handed to the person, their own data")
        else:
            inst = live_institution(s, req.recipient_institution_uuid)
            # Decided and logged here, before a serial is drawn: a refusal writes nothing.
            logged = disclose_in_session(s, case, inst, list(CERTIFICATE_CATEGORIES),
                                         CERTIFICATE_PURPOSE, "certificate", vault.clock.now(),
                                         req.warning_acknowledged, template=t.key)
            recipient_id = inst.id
            detail.update(recipient="institution", institution=inst.uuid,
                          disclosures=len(logged))
        row, doc = issue_in_session(
            s, vault, kind=t.kind, title=t.title, blocks=filled_blocks(t, values),
            holder=holder, birth_date=birth, facts=facts_of(t, values), subject=subject,
            period_from=sealed["period_from"], period_until=sealed["period_until"],
            person_id=person.id, case_id=case.id, template_key=t.key,
            recipient_institution_id=recipient_id)
        audit.record(s, audit.Kind.CERTIFICATE_ISSUED, "certificate", row.uuid,
                     serial=row.serial, case=case.uuid, certificate_kind=row.kind, **detail)
        return IssuedCertificate(row.uuid, row.serial, doc)


def reprint_certificate(vault: Vault, serial: str) -> CertificateDocument:
    """A Zweitschrift: the same serial and texts, counted, sealed anew with its number and
    date (the seal says "Zweitschrift" too)."""
    today = vault.clock.today()
    with vault.session() as s:
        row = live_certificate(s, serial)
        if row.revoked_on is not None:
            raise ValidationFailed(
                f"Die Bescheinigung wurde am {format_date(row.revoked_on)} widerrufen; eine "
                "Zweitschrift kann nicht mehr ausgestellt werden.", "certificate revoked")
        key = signing_key(s, vault)
        row.copies += 1
        row.last_copy_on = today
        qr_text = seal_row(row, key.private_der, row.copies, today)
        audit.record(s, audit.Kind.CERTIFICATE_REPRINTED, "certificate", row.uuid,
                     serial=row.serial, copy=row.copies, fields=["copies", "last_copy_on"])
        return _document(row, qr_text, row.copies, today)


def revoke_certificate(vault: Vault, serial: str, reason: str, on: date | None = None) -> None:
    today = vault.clock.today()
    text = reason.strip()
    if not text:
        raise ValidationFailed("Bitte geben Sie einen Grund für den Widerruf an.",
                               "revocation reason missing", field="reason")
    if len(text) > MAX_REASON:
        raise ValidationFailed(f"Der Grund ist zu lang (höchstens {MAX_REASON} Zeichen).",
                               "revocation reason too long", field="reason")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise ValidationFailed("Der Grund enthält ein Steuerzeichen.",
                               "control character in reason", field="reason")
    on = on or today
    if on > today:
        raise ValidationFailed("Das Datum des Widerrufs darf nicht in der Zukunft liegen.",
                               "revocation in the future", field="on")
    with vault.session() as s:
        row = live_certificate(s, serial)
        if row.revoked_on is not None:
            raise ValidationFailed(
                f"Die Bescheinigung wurde bereits am {format_date(row.revoked_on)} widerrufen.",
                "already revoked")
        if on < row.issued_on:
            raise ValidationFailed("Das Datum des Widerrufs liegt vor der Ausstellung.",
                                   "revocation before issue", field="on")
        row.revoked_on, row.revoke_reason = on, text
        audit.record(s, audit.Kind.CERTIFICATE_REVOKED, "certificate", row.uuid,
                     serial=row.serial, fields=["revoked_on", "revoke_reason"])


OUTPUT_KINDS = {"print": audit.Kind.PRINT, "pdf": audit.Kind.CERTIFICATE_SAVED}


def record_certificate_output(vault: Vault, serial: str, action: str) -> None:
    """Audit a print or a saved PDF of the certificate ("print" / "pdf")."""
    if action not in OUTPUT_KINDS:
        raise ValidationFailed("Unbekannte Ausgabe.", f"unknown output {action[:20]!r}")
    with vault.session() as s:
        row = live_certificate(s, serial)
        audit.record(s, OUTPUT_KINDS[action], "certificate", row.uuid, serial=row.serial,
                     action=action)
