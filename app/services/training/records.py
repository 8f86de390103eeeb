"""Records of staff training and the DGCC criteria."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
