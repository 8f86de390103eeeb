"""Records of the consent domain: consents, the disclosure decision, the consent matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.errors import ValidationFailed

CONFIDED = "confided"


CONSENT_GONE = "Die Einwilligung wurde nicht gefunden."


@dataclass(frozen=True)
class NewConsent:
    institution_uuid: str
    data_categories: list[str]
    purpose: str
    given_on: date
    valid_until: date | None = None
    info_sheet_language: str | None = None
    interpreter_present: bool = False
    covers_confided: bool = False


@dataclass(frozen=True)
class DisclosureDecision:
    allowed: bool
    reason_de: str
    reason_en: str
    consent_uuid: str | None = None
    legal_basis_uuid: str | None = None
    warnings: list[str] = field(default_factory=list)


# Cell states, best first: a cell shows the most useful consent among several.
VALID, NOT_YET, EXPIRED, WITHDRAWN, NONE = "valid", "not_yet", "expired", "withdrawn", "none"


@dataclass(frozen=True)
class Cell:
    status: str  # one of VALID, NOT_YET, EXPIRED, WITHDRAWN, NONE
    consent_uuid: str | None = None
    given_on: date | None = None
    valid_until: date | None = None
    withdrawn_on: date | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    institution_uuid: str
    institution_name: str
    kind_label: str
    disclosure_warning: str | None
    cells: tuple[Cell, ...]  # in the order of ConsentMatrix.categories


@dataclass(frozen=True)
class ConsentRow:
    uuid: str
    institution_uuid: str
    institution_name: str
    category_labels: tuple[str, ...]
    purpose: str
    given_on: date
    valid_until: date | None
    withdrawn_on: date | None
    info_sheet_language: str | None
    interpreter_present: bool
    covers_confided: bool
    has_form: bool
    status: str


@dataclass(frozen=True)
class ConsentMatrix:
    on: date
    categories: tuple[tuple[str, str], ...]  # (code, German label)
    rows: tuple[MatrixRow, ...]
    consents: tuple[ConsentRow, ...]


class DisclosureRefused(ValidationFailed):
    """No consent or legal basis covers one or more categories; ``refused`` lists
    (category code, decision) for each, so the caller can offer to record what is missing."""

    def __init__(self, refused: list[tuple[str, str, DisclosureDecision]]) -> None:
        # (code, German label, decision); one category reads exactly as the decision says.
        if len(refused) == 1:
            message = refused[0][2].reason_de
        else:  # categories missing for the same reason are named together
            reasons: dict[str, list[str]] = {}
            for _, label, d in refused:
                reasons.setdefault(d.reason_de, []).append(label)
            message = " ".join(f"{', '.join(labels)}: {reason}"
                               for reason, labels in reasons.items())
        super().__init__(message, "disclosure refused: "
                         + ", ".join(f"{code} ({d.reason_en})" for code, _, d in refused),
                         field="data_categories")
        self.refused = refused


class DisclosureWarningPending(ValidationFailed):
    """The disclosure is allowed, but a warning (foreigners' authority, confided information)
    must be confirmed first; ``warnings`` are the German texts to show."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings) + " Bitte bestätigen Sie den Hinweis.",
                         "disclosure warning not acknowledged")
        self.warnings = warnings


@dataclass(frozen=True)
class DisclosureLogRow:
    """One line of a case's disclosure log: what went to whom, when, on which basis."""

    uuid: str
    disclosed_at: datetime
    institution_name: str
    category_label: str
    purpose: str
    channel: str
    channel_label: str
    basis: str  # German: "Einwilligung vom …" / "Rechtsgrundlage … (Begründung: …)"
    warning_acknowledged: bool
