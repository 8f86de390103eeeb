"""Demo certificates, made through the services as a case manager would make them.

Client certificates from several templates for open cases of the vault's owner, one of them
reprinted (a Zweitschrift), one revoked with its reason; two colleagues with training records:
one complete with the training certificate issued, one who lacks only the colloquium. Runs
after the bulk transaction of the demo (the services open their own); a second demo run adds
client certificates again but leaves the training as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.demo.certificate_values import values_for
from app.services.certificates.records import TRAINING, IssueRequest
from app.services.certificates.write import (
    issue_certificate,
    reprint_certificate,
    revoke_certificate,
)
from app.services.templates.read import templates
from app.services.training.read import training_status
from app.services.training.records import ADVANCED, TrainingInput
from app.services.training.write import (
    add_training_module,
    issue_training_certificate,
    record_colloquium,
    record_practice_case,
)
from app.vault.store import Vault
from db.models import CaseFile, CaseManager

CLIENT_CERTIFICATES = 6  # at most, over the owner's open cases
REVOKE_REASON = "Zeitraum falsch angegeben; durch eine berichtigte Bescheinigung ersetzt."
COMPLETE, NO_COLLOQUIUM = "Katharina Nowak", "Mehmet Aydın"
INSTITUTE = "Paritätische Akademie NRW"
# What the demo's colleagues lack of 144 units after the three modules every one of them has.
MODULES = (("Netzwerkarbeit im Sozialraum", 24, 16), ("Aufenthaltsrecht für die Praxis", 24, 16))
@dataclass(frozen=True)
class CertificateStats:
    client: int
    reprinted: str | None  # serial
    revoked: str | None
    training: str | None  # the serial of the training certificate


def _owner_cases(vault: Vault, count: int) -> list[str]:
    with vault.read_session() as s:
        return list(s.execute(
            select(CaseFile.uuid).join(CaseManager, CaseManager.id == CaseFile.case_manager_id)
            .where(CaseManager.uuid == vault.info.owner_uuid, CaseFile.closed_on.is_(None),
                   CaseFile.deleted.is_(False)).order_by(CaseFile.id).limit(count)).scalars())


def _staff(vault: Vault, name: str) -> str | None:
    with vault.read_session() as s:
        return s.execute(select(CaseManager.uuid).where(
            CaseManager.display_name == name, CaseManager.deleted.is_(False))).scalars().first()


def make_certificates(vault: Vault, rng: random.Random) -> CertificateStats:
    today = vault.clock.today()
    client = [t for t in templates(vault) if t.kind != TRAINING]
    serials: list[str] = []
    for index, case in enumerate(_owner_cases(vault, CLIENT_CERTIFICATES)):
        template = client[index % len(client)] if client else None
        if template is None:
            break
        issued = issue_certificate(vault, IssueRequest(
            case_ref=case, template_key=template.key,
            values=values_for(template, rng, today, index)))
        serials.append(issued.serial)
    reprinted = serials[0] if serials else None
    if reprinted is not None:
        reprint_certificate(vault, reprinted)
    revoked = serials[-1] if len(serials) > 1 else None
    if revoked is not None:
        revoke_certificate(vault, revoked, REVOKE_REASON)
    return CertificateStats(len(serials), reprinted, revoked, _training(vault, today))


def _training(vault: Vault, today: date) -> str | None:
    serial = None
    for name in (COMPLETE, NO_COLLOQUIUM):
        staff = _staff(vault, name)
        if staff is None:
            continue
        status = training_status(vault, staff)
        if status.certificate_serial is not None or status.practice_case_on is not None:
            continue  # a second demo run: the training is there already
        for offset, (module, units, presence) in enumerate(MODULES):
            add_training_module(vault, staff, TrainingInput(
                course=ADVANCED, module=module, teaching_units=units, presence_units=presence,
                held_on=today - timedelta(days=120 - 30 * offset), institute=INSTITUTE,
                institute_recognised=True))
        record_practice_case(vault, staff, today - timedelta(days=45))
        if name == COMPLETE:
            record_colloquium(vault, staff, today - timedelta(days=10))
            serial = issue_training_certificate(vault, staff).serial
    return serial
