"""Staff training: modules, practice case and colloquium, the DGCC criteria (each missing on
its own) and the training certificate once everything is met."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationFailed
from app.seal.records import VALID
from app.services.certificates.read import certificate_register
from app.services.certificates.records import TRAINING, RegisterFilter, TrainingLine
from app.services.certificates.write import revoke_certificate
from app.services.training.read import (
    dgcc_criteria,
    missing_sentences,
    training_overview,
    training_status,
)
from app.services.training.records import ADVANCED, BASIC, TrainingInput, TrainingModule
from app.services.training.write import (
    add_training_module,
    issue_training_certificate,
    record_colloquium,
    record_practice_case,
    remove_training_module,
    update_training_module,
)
from app.services.verification.read import verify_qr_text
from app.vault.store import Vault
from db.models import Certificate, TrainingRecord
from tests.support.staff import add_colleague


def _module(name: str, course: str, units: int, presence: int,
            recognised: bool = True) -> TrainingModule:
    return TrainingModule(uuid=name, course=course, module=name, teaching_units=units,
                          presence_units=presence, held_on=date(2026, 3, 1),
                          institute="Institut X", institute_recognised=recognised, note=None)


BASIC_M = _module("Grundlagen des Case Managements", BASIC, 72, 50)
ADVANCED_M = _module("Fallsteuerung im Netzwerk", ADVANCED, 78, 50)
PRACTICE, COLLOQUIUM = date(2026, 9, 1), date(2026, 10, 15)
KEYS = ("units", "presence", "institute", "practice_case", "colloquium")


@pytest.mark.parametrize(("unmet", "modules", "practice", "colloquium", "detail", "sentence"), [
    ("units", (BASIC_M, dataclasses.replace(ADVANCED_M, teaching_units=40, presence_units=30)),
     PRACTICE, COLLOQUIUM, "112 von 144 Unterrichtseinheiten – es fehlen 32",
     "Es fehlen noch 32 Unterrichtseinheiten (112 von 144)."),
    ("units", (BASIC_M, dataclasses.replace(ADVANCED_M, teaching_units=71, presence_units=50)),
     PRACTICE, COLLOQUIUM, "143 von 144 Unterrichtseinheiten – es fehlen 1",
     "Es fehlen noch 1 Unterrichtseinheiten (143 von 144)."),
    ("presence", (dataclasses.replace(BASIC_M, presence_units=37), ADVANCED_M),
     PRACTICE, COLLOQUIUM, "58 % in Präsenz – mindestens 60 % nötig",
     "Der Präsenzanteil liegt bei 58 %; nötig sind mindestens 60 %."),
    ("presence", (dataclasses.replace(BASIC_M, teaching_units=1000, presence_units=599),),
     PRACTICE, COLLOQUIUM, "59 % in Präsenz – mindestens 60 % nötig",
     "Der Präsenzanteil liegt bei 59 %; nötig sind mindestens 60 %."),
    ("institute", (BASIC_M, dataclasses.replace(ADVANCED_M, institute_recognised=False)),
     PRACTICE, COLLOQUIUM, "nicht bei einem anerkannten Institut: „Fallsteuerung im Netzwerk“",
     "Das Modul „Fallsteuerung im Netzwerk“ wurde nicht bei einem anerkannten Institut "
     "besucht."),
    ("practice_case", (BASIC_M, ADVANCED_M), None, COLLOQUIUM, "Praxisfall fehlt noch",
     "Der Praxisfall fehlt noch."),
    ("colloquium", (BASIC_M, ADVANCED_M), PRACTICE, None, "Kolloquium fehlt noch",
     "Das Kolloquium fehlt noch."),
])
def test_each_criterion_missing_on_its_own(unmet: str, modules: tuple[TrainingModule, ...],
                                           practice: date | None, colloquium: date | None,
                                           detail: str, sentence: str) -> None:
    criteria = dgcc_criteria(modules, practice, colloquium)
    assert tuple(c.key for c in criteria) == KEYS
    assert [c.key for c in criteria if not c.met] == [unmet]
    assert next(c for c in criteria if c.key == unmet).detail == detail
    assert missing_sentences(modules, practice, colloquium) == (sentence,)


def test_all_met_and_the_boundaries() -> None:
    criteria = dgcc_criteria((BASIC_M, ADVANCED_M), PRACTICE, COLLOQUIUM)
    assert all(c.met for c in criteria)
    assert [c.detail for c in criteria] == [
        "150 Unterrichtseinheiten – erfüllt", "66 % in Präsenz – erfüllt",
        "alle Module bei anerkannten Instituten", "abgeschlossen am 01.09.2026",
        "bestanden am 15.10.2026"]
    exact = (dataclasses.replace(BASIC_M, teaching_units=144, presence_units=round(144 * 0.6)),)
    assert not all(c.met for c in dgcc_criteria(exact, PRACTICE, COLLOQUIUM))  # 86/144 < 60 %
    exact = (dataclasses.replace(BASIC_M, teaching_units=150, presence_units=90),)
    assert all(c.met for c in dgcc_criteria(exact, PRACTICE, COLLOQUIUM))  # exactly 60 %
    nothing = dgcc_criteria((), None, None)
    assert not any(c.met for c in nothing)
    assert nothing[1].detail == "noch keine Unterrichtseinheiten erfasst"


def _inp(name: str = "Grundlagen", course: str = BASIC, units: int = 72, presence: int = 50,
         **more: object) -> TrainingInput:
    return TrainingInput(course, name, units, presence, date(2026, 3, 1), "DGCC-Institut Köln",
                         True, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(("inp", "field", "message"), [
    (_inp(presence=80), "presence_units", "nicht mehr Unterrichtseinheiten"),
    (_inp(units=-1, presence=0), "teaching_units", "zwischen 0 und"),
    (_inp(presence=-1), "presence_units", "nicht negativ"),
    (dataclasses.replace(_inp(), held_on=date(2026, 11, 26)), "held_on", "nicht in der Zukunft"),
    (_inp(course="expert"), "course", "Grundkurs oder Aufbaukurs"),
    (_inp(name=" "), "module", "Bitte das Modul angeben."),
    (_inp(name="Kolloquium"), "module", "wird eigens erfasst"),
    (dataclasses.replace(_inp(), institute=None), "institute", "anerkannte Institut angeben"),
])
def test_bad_modules_are_refused_at_their_field(vault: Vault, inp: TrainingInput, field: str,
                                                message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        add_training_module(vault, vault.info.owner_uuid, inp)
    assert refused.value.field == field and message in refused.value.message_de
    assert training_status(vault, vault.info.owner_uuid).modules == ()


def test_the_training_certificate_once_complete(vault: Vault) -> None:
    me = vault.info.owner_uuid
    colleague = add_colleague(vault, "Jonas Berger")
    basic = add_training_module(vault, me, _inp())
    with pytest.raises(ValidationFailed) as incomplete:
        issue_training_certificate(vault, me)
    assert incomplete.value.message_de == (
        "Das Zertifikat kann noch nicht ausgestellt werden. Es fehlen noch 72 "
        "Unterrichtseinheiten (72 von 144). Der Praxisfall fehlt noch. Das Kolloquium fehlt "
        "noch.")
    add_training_module(vault, me, _inp("Netzwerkarbeit", ADVANCED, 78, 50))
    record_practice_case(vault, me, date(2026, 9, 1))
    record_practice_case(vault, me, PRACTICE)  # moved, not a second row
    with pytest.raises(ValidationFailed, match="future"):
        record_colloquium(vault, me, date(2026, 12, 1))
    record_colloquium(vault, me, COLLOQUIUM)
    status = training_status(vault, me)
    assert status.complete and status.missing == () and len(status.modules) == 2
    assert (status.practice_case_on, status.colloquium_on) == (PRACTICE, COLLOQUIUM)
    overview = {s.staff_name: s for s in training_overview(vault)}
    assert set(overview) == {"Jonas Berger", "Test Fallmanagerin"}
    assert not overview["Jonas Berger"].complete
    assert training_status(vault, colleague).modules == ()

    issued = issue_training_certificate(vault, me)
    doc = issued.document
    assert (doc.kind, doc.holder_name, doc.holder_birth_date) == (
        TRAINING, "Test Fallmanagerin", None)
    assert doc.training == (
        TrainingLine("Grundkurs", "Grundlagen", 72, 50, date(2026, 3, 1)),
        TrainingLine("Aufbaukurs", "Netzwerkarbeit", 78, 50, date(2026, 3, 1)))
    assert ("Unterrichtseinheiten", "150") in doc.facts
    assert doc.blocks[0].startswith("Hiermit wird bestätigt, dass Test Fallmanagerin die "
                                    "Fortbildung „Einwanderung erfolgreich managen“")
    assert verify_qr_text(vault, doc.qr_text).outcome == VALID
    assert training_status(vault, me).certificate_serial == issued.serial
    [row] = certificate_register(vault, RegisterFilter(staff_uuid=me))
    assert (row.serial, row.kind_label, row.holder, row.case_number) == (
        issued.serial, "Zertifikat Case Management", "Test Fallmanagerin", None)
    assert certificate_register(vault, RegisterFilter(staff_uuid=colleague)) == []
    with vault.read_session() as s:
        cert = s.execute(select(Certificate).where(
            Certificate.serial == issued.serial)).scalar_one()
        linked = s.execute(select(TrainingRecord.certificate_id)).scalars().all()
        assert cert.staff_id is not None and cert.case_id is None
    assert linked == [cert.id] * 4  # two modules, practice case, colloquium
    with pytest.raises(ValidationFailed) as twice:
        issue_training_certificate(vault, me)
    assert twice.value.message_de == f"Es gibt bereits ein gültiges Zertifikat ({issued.serial})."
    with pytest.raises(ValidationFailed, match="row of a valid training certificate"):
        update_training_module(vault, basic, _inp(units=80))
    with pytest.raises(ValidationFailed, match="row of a valid training certificate"):
        record_colloquium(vault, me, None)
    # Revoked: the rows are free again, and a new certificate may be issued.
    revoke_certificate(vault, issued.serial, "Modul falsch erfasst")
    assert training_status(vault, me).certificate_serial is None
    update_training_module(vault, basic, _inp(units=80, presence=60))
    again = issue_training_certificate(vault, me)
    assert again.serial != issued.serial and ("Unterrichtseinheiten", "158") in again.document.facts


def test_modules_change_and_go(vault: Vault) -> None:
    me = vault.info.owner_uuid
    uuid = add_training_module(vault, me, _inp())
    update_training_module(vault, uuid, _inp(units=80, presence=70, note="Nachgeholt"))
    [m] = training_status(vault, me).modules
    assert (m.teaching_units, m.presence_units, m.note) == (80, 70, "Nachgeholt")
    record_practice_case(vault, me, PRACTICE)
    practice_uuid = training_status(vault, me)
    assert practice_uuid.practice_case_on == PRACTICE
    record_practice_case(vault, me, None)
    assert training_status(vault, me).practice_case_on is None
    remove_training_module(vault, uuid)
    assert training_status(vault, me).modules == ()
