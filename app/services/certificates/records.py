"""Records of the certificate register: issuing, the document as printed, the register.

``CertificateDocument`` is the only thing the PDF module sees: texts already filled in, the QR
text already sealed, so the renderer prints exactly what the register holds. Templates, staff
training, issuer keys and verification are domains of their own (``app.services.templates``,
``.training``, ``.keys``, ``.verification``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# The purpose a consent must name to cover a certificate sent to an institution.
CERTIFICATE_PURPOSE = "Bescheinigung"
# What a client certificate discloses to an institution (data_categories catalogue codes).
CERTIFICATE_CATEGORIES = ("identity_contact", "education_work")

TRAINING = "training"  # the kind of the staff training certificate
KIND_LABELS = {"participation": "Teilnahmebescheinigung", "counselling": "Beratungsbescheinigung",
               "attendance": "Bestätigung über die Vorsprache",
               TRAINING: "Zertifikat Case Management"}



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
