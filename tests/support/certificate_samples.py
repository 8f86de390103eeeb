"""Hand-made ``CertificateDocument`` records for the printing tests, sealed for real: a fresh
ES256 key signs the payload (COSE_Sign1, "LT1:" + Base45), as the register does."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from app.seal.keys import fingerprint_of, new_private_key, public_key_of
from app.seal.qrtext import seal
from app.seal.records import SealPayload
from app.services.certificates.records import (
    TRAINING,
    CertificateDocument,
    TrainingLine,
)

_KEY = new_private_key()
FINGERPRINT = fingerprint_of(public_key_of(_KEY))
QR_TEXT = seal(SealPayload(
    kind="participation", serial="DO-2026-K7Q2-B0007", holder="Ayşe Yıldız",
    birth_date=date(1991, 3, 14), issued_on=date(2026, 12, 4), office="Stadt Dortmund",
    subject="Integrationskurs – Sprachkurs B1", period_from=date(2026, 9, 1),
    period_until=date(2026, 11, 27)), _KEY)


def client(**changes: object) -> CertificateDocument:
    doc = CertificateDocument(
        serial="DO-2026-K7Q2-B0007", kind="participation", title="Teilnahmebescheinigung",
        blocks=("Frau Ayşe Yıldız hat vom 01.09.2026 bis zum 27.11.2026 regelmäßig am "
                "Integrationskurs (Sprachkurs B1) der Volkshochschule Dortmund teilgenommen.",
                "Die Teilnahme wurde im Rahmen des Kommunalen Integrationsmanagements begleitet; "
                "Fehlzeiten waren entschuldigt. Diese Bescheinigung wird zur Vorlage beim "
                "Jobcenter Dortmund ausgestellt."),
        holder_name="Ayşe Yıldız", holder_birth_date=date(1991, 3, 14),
        facts=(("Maßnahme", "Integrationskurs – Sprachkurs B1"),
               ("Träger", "Volkshochschule Dortmund"),
               ("Zeitraum", "01.09.2026 – 27.11.2026"),
               ("Umfang", "300 Unterrichtseinheiten, Anwesenheit 94 %")),
        issued_on=date(2026, 12, 4), office="Stadt Dortmund", place="Dortmund",
        issuer_name="Jürgen Müller-Lüdenscheidt", qr_text=QR_TEXT, check_code="K7QM2-XHD9R",
        key_fingerprint=FINGERPRINT, printed_at=datetime(2026, 12, 4, 13, 5, tzinfo=UTC))
    return replace(doc, **changes)  # type: ignore[arg-type]


MODULES = [
    ("Grundkurs", "Grundlagen des Case Managements", 24, 16, date(2026, 1, 20)),
    ("Grundkurs", "Assessment und Hilfeplanung", 24, 16, date(2026, 2, 17)),
    ("Grundkurs", "Migrationsrecht für die Praxis", 24, 16, date(2026, 3, 17)),
    ("Aufbaukurs", "Netzwerkarbeit und Fallkonferenzen", 24, 16, date(2026, 5, 12)),
    ("Aufbaukurs", "Monitoring, Evaluation und Dokumentation", 24, 12, date(2026, 6, 16)),
    ("Aufbaukurs", "Gesprächsführung mit Sprachmittlung", 24, 16, date(2026, 9, 8)),
]


def training(**changes: object) -> CertificateDocument:
    doc = CertificateDocument(
        serial="DO-2026-K7Q2-B0012", kind=TRAINING, title="Zertifikat Case Management",
        blocks=("Die Praxisfallarbeit wurde am 20.10.2026 angenommen, das Kolloquium am "
                "24.11.2026 bestanden.",),
        holder_name="Olena Kovalenko", holder_birth_date=None,
        facts=(("144 Unterrichtseinheiten", "erfüllt: 144 UE"),
               ("Präsenzanteil mindestens 60 %", "erfüllt: 92 UE (64 %)"),
               ("Anerkanntes Weiterbildungsinstitut", "erfüllt"),
               ("Praxisfall", "angenommen am 20.10.2026"),
               ("Kolloquium", "bestanden am 24.11.2026")),
        issued_on=date(2026, 12, 4), office="Stadt Dortmund", place="Dortmund",
        issuer_name="Fatma Şahin", qr_text=QR_TEXT, check_code="M3TQ8-PW2ZC",
        key_fingerprint=FINGERPRINT,
        training=tuple(TrainingLine(c, m, u, p, d) for c, m, u, p, d in MODULES),
        printed_at=datetime(2026, 12, 4, 13, 5, tzinfo=UTC))
    return replace(doc, **changes)  # type: ignore[arg-type]
