"""Records of the certificate domain: templates, the register, staff training, keys and trust.

``CertificateDocument`` is the only thing the PDF module sees: texts already filled in, the QR
text already sealed, so the renderer prints exactly what the register holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# The purpose a consent must name to cover a certificate sent to an institution.
CERTIFICATE_PURPOSE = "Bescheinigung"
# What a client certificate discloses to an institution (data_categories catalogue codes).
CERTIFICATE_CATEGORIES = ("identity_contact", "education_work")

TRAINING = "training"  # the kind of the staff training certificate
KIND_LABELS = {"participation": "Teilnahmebescheinigung", "counselling": "Beratungsbescheinigung",
               TRAINING: "Zertifikat Case Management"}

# Placeholders filled from the case and the vault; a template's own fields add theirs.
# name -> what it stands for (German: the template editor lists them).
PLACEHOLDERS = {
    "name": "Vor- und Nachname der Person",
    "vorname": "Vorname(n)",
    "nachname": "Nachname",
    "initialen": "Initialen (wenn der Name nicht erscheinen soll)",
    "geburtsdatum": "Geburtsdatum (TT.MM.JJJJ)",
    "ausstellungsdatum": "Datum der Ausstellung",
    "stelle": "Ausstellende Stelle, z. B. „Stadt Dortmund“",
    "ort": "Ort der ausstellenden Stelle",
    "fallmanager": "Name der ausstellenden Fallmanagerin / des Fallmanagers",
}
FIELD_KINDS = ("text", "multiline", "date", "number")


# --- templates -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateField:
    """A value asked for when the certificate is issued; usable as ``{key}`` in the texts."""

    key: str  # lower-case ASCII letters, digits, underscore; not one of PLACEHOLDERS
    label: str  # German, shown at the field
    kind: str = "text"  # one of FIELD_KINDS
    required: bool = True
    seal: str | None = None  # "subject" / "period_from" / "period_until": goes into the seal


@dataclass(frozen=True)
class Template:
    key: str  # stable, e.g. "teilnahme"
    kind: str  # participation / counselling / …
    title: str  # printed as the heading, e.g. "Teilnahmebescheinigung"
    blocks: tuple[str, ...]  # paragraphs with {placeholders}
    fields: tuple[TemplateField, ...]
    initials_only: bool = False  # the seal and the text carry initials, not the name
    show_birth_date: bool = True
    active: bool = True
    builtin: bool = True  # a default from resources/certificates/
    modified: bool = False  # the team changed the default


# --- issuing and the register --------------------------------------------------------------

@dataclass(frozen=True)
class IssueRequest:
    case_ref: str | int  # uuid, case number or id
    template_key: str
    values: dict[str, str]  # the template's fields as typed (dates as TT.MM.JJJJ)
    # None: handed to the person (their own data). Else sent to this institution: the consent
    # gate decides (purpose CERTIFICATE_PURPOSE, categories CERTIFICATE_CATEGORIES).
    recipient_institution_uuid: str | None = None
    warning_acknowledged: bool = False  # the foreigners' authority warning, as for referrals


@dataclass(frozen=True)
class TrainingLine:
    """One module as the training certificate lists it."""

    course: str  # "Grundkurs" / "Aufbaukurs"
    module: str
    teaching_units: int
    presence_units: int
    held_on: date | None


@dataclass(frozen=True)
class CertificateDocument:
    """A certificate as printed: every text final, the seal made."""

    serial: str
    kind: str
    title: str
    blocks: tuple[str, ...]  # paragraphs, placeholders filled in (plain text, escaped later)
    holder_name: str  # as printed (initials when the template says so)
    holder_birth_date: date | None
    facts: tuple[tuple[str, str], ...]  # label/value lines, e.g. ("Maßnahme", "Sprachkurs B1")
    issued_on: date
    office: str  # "Stadt Dortmund"
    place: str  # "Dortmund"
    issuer_name: str  # the case manager who issued it
    qr_text: str  # "LT1:…" (the seal of this very print: original or Zweitschrift)
    check_code: str  # "K7QM2-XHD9R"
    key_fingerprint: str  # hex; the PDF prints a short form for comparison by phone
    copy: int = 0  # 0 original; n: "Zweitschrift" (n-th)
    copy_on: date | None = None
    training: tuple[TrainingLine, ...] = ()  # the training certificate's modules
    printed_at: datetime | None = None  # PDF metadata (creation date)


@dataclass(frozen=True)
class IssuedCertificate:
    uuid: str
    serial: str
    document: CertificateDocument


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""  # serial, check code, holder name (folded, as the case search)
    kind: str | None = None
    state: str | None = None  # "valid" / "revoked" / None
    date_from: date | None = None
    date_until: date | None = None
    case_ref: str | int | None = None  # only this case's certificates
    staff_uuid: str | None = None  # only this staff member's training certificates


@dataclass(frozen=True)
class CertificateRow:
    uuid: str
    serial: str
    kind: str
    kind_label: str
    title: str
    holder: str  # the name as printed
    issued_on: date
    issued_by: str | None
    recipient: str  # "Person selbst" or the institution's name
    copies: int  # Zweitschriften so far
    last_copy_on: date | None
    revoked_on: date | None
    revoke_reason: str | None
    check_code: str
    case_uuid: str | None
    case_number: str | None
    staff_uuid: str | None


# --- staff training ------------------------------------------------------------------------

BASIC, ADVANCED = "basic", "advanced"
COURSE_LABELS = {BASIC: "Grundkurs", ADVANCED: "Aufbaukurs"}
DGCC_UNITS = 144  # teaching units of basic and advanced course together
DGCC_PRESENCE = 0.60  # share of units in presence


@dataclass(frozen=True)
class TrainingInput:
    course: str  # BASIC / ADVANCED
    module: str
    teaching_units: int
    presence_units: int
    held_on: date | None = None
    institute: str | None = None
    institute_recognised: bool = False
    note: str | None = None


@dataclass(frozen=True)
class TrainingModule:
    uuid: str
    course: str
    module: str
    teaching_units: int
    presence_units: int
    held_on: date | None
    institute: str | None
    institute_recognised: bool
    note: str | None


@dataclass(frozen=True)
class Criterion:
    key: str  # "units" / "presence" / "institute" / "practice_case" / "colloquium"
    label: str  # "144 Unterrichtseinheiten"
    met: bool
    detail: str  # "112 von 144 UE – es fehlen 32 UE" / "erfüllt: 150 UE"


@dataclass(frozen=True)
class TrainingStatus:
    staff_uuid: str
    staff_name: str
    modules: tuple[TrainingModule, ...]
    practice_case_on: date | None  # the practice case was accepted on
    colloquium_on: date | None
    criteria: tuple[Criterion, ...]  # always all five, in the order above
    missing: tuple[str, ...]  # plain German sentences, empty when complete
    certificate_serial: str | None  # the training certificate, once issued (and not revoked)

    @property
    def complete(self) -> bool:
        return all(c.met for c in self.criteria)


# --- keys and trust ------------------------------------------------------------------------

@dataclass(frozen=True)
class TrustedKeyRow:
    fingerprint: str
    fingerprint_display: str  # grouped for reading aloud: "3F7A 91C2 …" (first 16 bytes)
    kid: str
    issuer_office: str
    holder_name: str
    municipality: str | None
    vault_code: str | None
    valid_from: date
    valid_until: date
    withdrawn_on: date | None
    own: bool
    imported_at: datetime
    revocations_as_of: datetime | None  # the newest revocation list held for this key
    revoked_count: int


@dataclass(frozen=True)
class CardPreview:
    """A key card file read and checked, before anyone trusts it."""

    fingerprint: str
    fingerprint_display: str
    issuer_office: str
    holder_name: str
    municipality: str | None
    vault_code: str | None
    valid_from: date
    valid_until: date
    withdrawn_on: date | None
    already_trusted: bool
    own: bool  # this vault's own key
    revocations: int  # entries of the revocation list carried with the card
    revocations_as_of: datetime | None
    warnings: list[str] = field(default_factory=list)  # e.g. expired, withdrawn
