"""Records of the conference domain: planning input, the conference as the window shows it, the
consent gate (case × institution), and the minutes as a document to print.

The minutes record (``MinutesDocument``) is the only thing the PDF module sees: a pseudonymised
copy is made pseudonymous here, in the data, so the renderer cannot print what it never got.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.services.consent.records import DisclosureDecision

# The purpose a consent must name to cover a case conference (may_disclose compares purposes):
# the written consent to a Fallkonferenz is its own consent, not the job centre's purpose.
CONFERENCE_PURPOSE = "Fallkonferenz"

PLANNED, HELD, DRAFTED, APPROVED = "planned", "held", "minutes_drafted", "minutes_approved"
STATUS_LABELS = {PLANNED: "geplant", HELD: "durchgeführt", DRAFTED: "Protokoll im Entwurf",
                 APPROVED: "Protokoll freigegeben"}
ATTENDANCE_LABELS = {"present": "anwesend", "absent": "abwesend", "excused": "entschuldigt"}
FULL, PSEUDONYMISED = "full", "pseudonymised"  # the two versions of the minutes


# --- the list ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ConferenceFilter:
    status: str | None = None  # one of the four statuses, None = all
    only_mine: bool = False  # chaired by the vault owner, or one of the owner's cases on it
    date_from: date | None = None
    date_until: date | None = None
    text: str = ""  # in the title or place (never in client data)


@dataclass(frozen=True)
class ConferenceRow:
    uuid: str
    title: str
    scheduled_at: datetime
    place: str | None
    status: str
    status_label: str
    chair: str | None
    case_count: int
    participant_count: int
    blocked_cases: int  # cases on the agenda no participating institution is covered for


# --- planning input ----------------------------------------------------------------------

@dataclass(frozen=True)
class ConferencePlan:
    title: str
    scheduled_at: datetime  # aware (UTC inside, local in the UI)
    place: str | None = None
    chair_staff_uuid: str | None = None  # one of the vault's case managers …
    chair_text: str | None = None  # … or a person of a partner institution, as written
    minute_taker_text: str | None = None


@dataclass(frozen=True)
class ParticipantInput:
    """A participant as the plan holds it; ``uuid`` None = new. Exactly one of: a directory
    contact (``contact_uuid``, institution taken from it), an institution with a name as
    written, the client, an interpreter (``language`` a languages catalogue code)."""

    name: str
    uuid: str | None = None
    institution_uuid: str | None = None
    contact_uuid: str | None = None
    role: str | None = None
    is_client: bool = False
    is_interpreter: bool = False
    language: str | None = None


@dataclass(frozen=True)
class AgendaInput:
    """A case on the agenda; ``uuid`` None = new. ``case_ref``: case id, uuid or number."""

    case_ref: str | int
    occasion: str
    data_categories: tuple[str, ...]  # data_categories catalogue codes to be discussed
    uuid: str | None = None


@dataclass(frozen=True)
class CaseMinutes:
    """What the minutes say about one case (held conferences, until approval)."""

    legal_basis_note: str | None = None
    state_of_affairs: dict[str, str] = field(default_factory=dict)  # institution uuid -> text
    resources_goals: str | None = None
    disagreements: str | None = None
    system_gap_notes: str | None = None
    next_review_on: date | None = None  # becomes a follow-up task in the case


@dataclass(frozen=True)
class DecisionInput:
    what: str
    who: str  # a person or an institution, as written
    by_when: date | None = None
    who_institution_uuid: str | None = None
    uuid: str | None = None  # None = new; each new decision becomes a task in the case


# --- the conference as the window shows it -------------------------------------------------

@dataclass(frozen=True)
class ParticipantDetail:
    uuid: str
    name: str
    institution_uuid: str | None
    institution_name: str | None
    contact_uuid: str | None
    role: str | None
    attendance: str | None  # present / absent / excused, None until recorded
    is_client: bool
    is_interpreter: bool
    language: str | None
    email: str | None  # the directory contact's (for the invitation), never printed


@dataclass(frozen=True)
class DecisionDetail:
    uuid: str
    what: str
    who: str
    who_institution_uuid: str | None
    by_when: date | None
    task_uuid: str | None
    task_done: bool


@dataclass(frozen=True)
class AgendaDetail:
    uuid: str
    case_id: int
    case_uuid: str
    case_number: str
    client: str  # "Family, Given"
    occasion: str | None
    data_categories: tuple[str, ...]
    minutes: CaseMinutes
    decisions: tuple[DecisionDetail, ...]


@dataclass(frozen=True)
class AmendmentDetail:
    number: int
    made_at: datetime
    author: str | None
    reason: str
    text: str


@dataclass(frozen=True)
class ConferenceDetail:
    uuid: str
    title: str
    scheduled_at: datetime
    place: str | None
    status: str
    status_label: str
    chair_staff_uuid: str | None
    chair: str | None  # as printed
    chair_text: str | None
    minute_taker_text: str | None
    held_at: datetime | None
    approved_on: date | None
    approved_by_text: str | None
    locked: bool  # approved: only amendments from now on
    participants: tuple[ParticipantDetail, ...]
    agenda: tuple[AgendaDetail, ...]
    amendments: tuple[AmendmentDetail, ...]


# --- the consent gate --------------------------------------------------------------------

@dataclass(frozen=True)
class GateCell:
    """One case × one participating institution: ``may_disclose`` per category discussed."""

    case_id: int
    institution_uuid: str
    decisions: tuple[tuple[str, DisclosureDecision], ...]  # (category code, decision)
    covered: bool  # every category allowed
    missing: tuple[str, ...]  # the refused category codes
    warnings: tuple[str, ...]  # disclosure warnings to acknowledge (ABH, confided)

    def explanation(self) -> str:
        """German: what is missing and why, one line per refused category."""
        return "\n".join(d.reason_de for _code, d in self.decisions if not d.allowed)


@dataclass(frozen=True)
class GateInstitution:
    uuid: str
    name: str
    kind_label: str


@dataclass(frozen=True)
class GateCase:
    case_id: int
    case_uuid: str
    case_number: str
    client: str
    data_categories: tuple[str, ...]


@dataclass(frozen=True)
class ConsentGate:
    on: date
    cases: tuple[GateCase, ...]
    institutions: tuple[GateInstitution, ...]
    cells: tuple[GateCell, ...]  # one per case × institution, in case then institution order

    def cell(self, case_id: int, institution_uuid: str) -> GateCell | None:
        for c in self.cells:
            if c.case_id == case_id and c.institution_uuid == institution_uuid:
                return c
        return None

    def discussable(self, case_id: int) -> bool:
        """A case with no covered institution cannot be discussed at all."""
        return any(c.covered for c in self.cells if c.case_id == case_id)

    def covered_cases(self, institution_uuid: str) -> frozenset[int]:
        return frozenset(c.case_id for c in self.cells
                         if c.institution_uuid == institution_uuid and c.covered)

    def warnings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for c in self.cells if c.covered for w in c.warnings))


# --- the minutes as a document ------------------------------------------------------------

@dataclass(frozen=True)
class MinutesParticipant:
    name: str
    institution: str | None
    role: str | None
    attendance: str  # German label, "" until held


@dataclass(frozen=True)
class MinutesDecision:
    case_label: str
    what: str
    who: str
    by_when: date | None


@dataclass(frozen=True)
class MinutesCase:
    label: str  # "DO-2026-K7-0042 – Haidari, Mariam" (full) / "DO-2026-K7-0042 – M. H."
    withheld: bool  # this copy's recipient may not see this case: nothing below is filled
    occasion: str | None = None
    categories: tuple[str, ...] = ()  # German labels
    legal_basis: str | None = None
    state_of_affairs: tuple[tuple[str, str], ...] = ()  # (institution name, text)
    resources_goals: str | None = None
    decisions: tuple[MinutesDecision, ...] = ()
    disagreements: str | None = None
    system_gaps: str | None = None
    next_review_on: date | None = None


@dataclass(frozen=True)
class MinutesRecipient:
    name: str
    institution: str | None
    version: str  # FULL or PSEUDONYMISED
    participant_uuid: str | None = None  # whose copy: for minutes_document / the output record


@dataclass(frozen=True)
class MinutesDocument:
    conference_uuid: str
    municipality: str  # German name, for the header
    title: str
    scheduled_at: datetime
    place: str | None
    chair: str | None
    minute_taker: str | None
    status: str
    status_label: str
    draft: bool  # not approved yet: the ENTWURF watermark
    version: str  # FULL or PSEUDONYMISED
    recipient: str | None  # the copy's recipient, printed in the header when set
    participants: tuple[MinutesParticipant, ...]
    cases: tuple[MinutesCase, ...]
    distribution: tuple[MinutesRecipient, ...]
    amendments: tuple[AmendmentDetail, ...]
    approved_on: date | None
    approved_by: str | None
    printed_at: datetime


# --- the invitation ---------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarAttendee:
    name: str
    email: str | None


@dataclass(frozen=True)
class CalendarEvent:
    """What an invitation may carry: no client name, no case number (it travels by e-mail)."""

    uid: str  # stable per conference, so an updated invitation replaces the old one
    title: str
    starts_at: datetime
    duration_minutes: int
    place: str | None
    organizer: str | None
    attendees: tuple[CalendarAttendee, ...]
    sequence: int  # raised when the plan changes (iCalendar SEQUENCE)
    organizer_email: str | None = None  # the chair's; without it the file is no REQUEST
