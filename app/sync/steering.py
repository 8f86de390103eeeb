"""The steering report: aggregated counts over one vault's cases for a period, and its bundle.

Only cases whose client's consent or whose recorded legal basis covers the report are counted
(``covered_cases``); only the fields of the declared schema leave (``app.sync.steering_schema``),
and every cell under 5 people is suppressed, with secondary suppression against the totals.
What "covers the report" means:

- a consent of the case's client whose purpose is ``STEERING_PURPOSE`` ("Steuerungsbericht",
  compared like the consent service compares purposes: trimmed, case-folded), for any recipient
  and any data category, given on or before the day the report is made, not withdrawn and not
  expired on that day; or
- a legal basis recorded on the case under § 75 SGB X (transfer of social data for research and
  planning, ``STEERING_LEGAL_BASES``), live on that day.

The day that counts is the day the report is made (``as_of``), not the period: a consent
withdrawn today keeps the case out of every report made from today on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app import catalogues
from app.services.gaps.records import CATEGORIES as GAP_CATEGORIES
from app.sync.steering_schema import (
    DURATION_BANDS,
    SCHEMA_VERSION,
    TABLES,
    THRESHOLD,
    TOTALS,
    check_body,
    suppress,
    suppress_table,
)
from db.models import (
    CaseFile,
    Conference,
    ConferenceAgendaItem,
    Consent,
    Goal,
    Institution,
    LegalBasis,
    PhaseTransition,
    Referral,
    ResidenceStatus,
    SystemGap,
)
from db.models.cases import PHASES
from db.models.plan import ATTAINMENTS

STEERING_PURPOSE = "Steuerungsbericht"
STEERING_LEGAL_BASES = ("§ 75 SGB X",)
HELD = ("held", "minutes_drafted", "minutes_approved")
OTHER, NONE = "other", "none"


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def covered_cases(s: Session, as_of: date) -> set[int]:
    """Ids of the live cases the report may count (see the module docstring)."""
    wanted = _norm(STEERING_PURPOSE)
    persons = {pid for pid, purpose in s.execute(
        select(Consent.person_id, Consent.purpose).where(
            Consent.deleted.is_(False), Consent.given_on <= as_of,
            or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > as_of),
            or_(Consent.valid_until.is_(None), Consent.valid_until >= as_of)))
        if _norm(purpose) == wanted}
    bases = tuple(_norm(b) for b in STEERING_LEGAL_BASES)
    by_basis = {cid for cid, basis in s.execute(
        select(LegalBasis.case_id, LegalBasis.basis).where(
            LegalBasis.deleted.is_(False), LegalBasis.recorded_on <= as_of,
            or_(LegalBasis.valid_until.is_(None), LegalBasis.valid_until >= as_of)))
        if _norm(basis).startswith(bases)}
    by_consent = set(s.execute(select(CaseFile.id).where(
        CaseFile.deleted.is_(False), CaseFile.person_id.in_(persons))).scalars()) \
        if persons else set()
    return by_consent | by_basis


@dataclass
class _Case:
    id: int
    person_id: int
    target_group: str | None
    municipality: str
    phase: str
    opened_on: date
    closed_on: date | None
    close_reason: str | None


def _code(value: str | None, known: Iterable[str]) -> str:
    """A catalogue code as it may leave: unknown values (a newer catalogue, a typo) become
    "other", so nothing but codes of the shipped catalogue ever reaches the report."""
    if value is None or value == "":
        return NONE
    return value if value in set(known) else OTHER


def _band(opened: date, closed: date) -> str:
    months = (closed - opened).days / 30.44
    if months < 3:
        return DURATION_BANDS[0]
    if months < 6:
        return DURATION_BANDS[1]
    if months < 12:
        return DURATION_BANDS[2]
    return DURATION_BANDS[3]


def aggregate(s: Session, period_from: date, period_to: date, as_of: date) -> dict[str, Any]:
    """The report body (``app.sync.steering_schema``), suppressed and checked."""
    covered = covered_cases(s, as_of)
    cases = [_Case(*row) for row in s.execute(
        select(CaseFile.id, CaseFile.person_id, CaseFile.target_group, CaseFile.municipality,
               CaseFile.phase, CaseFile.opened_on, CaseFile.closed_on, CaseFile.close_reason)
        .where(CaseFile.deleted.is_(False), CaseFile.opened_on <= period_to,
               or_(CaseFile.closed_on.is_(None), CaseFile.closed_on >= period_from)))
        if row[0] in covered]
    ids = [c.id for c in cases]
    closed = [c for c in cases if c.closed_on is not None and c.closed_on <= period_to]
    closed_ids = {c.id for c in closed}
    counts: dict[str, dict[str, int]] = {name: defaultdict(int) for name in TABLES}
    phases = _phase_at_end(s, ids, period_to)
    groups = {g.code for g in catalogues.target_groups()}
    municipalities = {m.code for m in catalogues.municipalities()}
    for c in cases:
        # Closed by the end of the period, else the phase its last step before the end led to.
        phase = "closed" if c.id in closed_ids else phases.get(c.id, c.phase)
        counts["phase"][_code(phase, PHASES)] += 1
        counts["target_group"][_code(c.target_group, groups)] += 1
        counts["municipality"][_code(c.municipality, municipalities)] += 1
    reasons = {r.code for r in catalogues.close_reasons()}
    for c in closed:
        assert c.closed_on is not None
        counts["close_reason"][_code(c.close_reason, reasons)] += 1
        counts["duration"][_band(c.opened_on, c.closed_on)] += 1
    _statuses(s, cases, period_to, counts)
    _referrals(s, ids, period_from, period_to, counts)
    for attainment, n in _distinct_cases(s.execute(
            select(Goal.attainment, Goal.case_id).where(
                Goal.deleted.is_(False), Goal.attainment.is_not(None),
                Goal.evaluated_on >= period_from, Goal.evaluated_on <= period_to)), ids).items():
        counts["goal_attainment"][_code(attainment, ATTAINMENTS)] += n
    conferences = {cid for cid, in s.execute(
        select(ConferenceAgendaItem.case_id)
        .join(Conference, Conference.id == ConferenceAgendaItem.conference_id)
        .where(ConferenceAgendaItem.deleted.is_(False), Conference.deleted.is_(False),
               Conference.status.in_(HELD), Conference.held_at >= _start(period_from),
               Conference.held_at < _start(period_to + timedelta(days=1))))} & set(ids)
    for category, in s.execute(select(SystemGap.category).where(
            SystemGap.deleted.is_(False), SystemGap.noticed_on >= period_from,
            SystemGap.noticed_on <= period_to)):
        counts["gap_category"][_code(category, GAP_CATEGORIES)] += 1
    raw_totals = {"cases": len(cases),
                  "open_at_end": len(cases) - len(closed),
                  "new": sum(1 for c in cases if c.opened_on >= period_from),
                  "closed": len(closed), "conferences": len(conferences)}
    assert set(raw_totals) == set(TOTALS)
    body: dict[str, Any] = {
        "schema": SCHEMA_VERSION, "period_from": period_from.isoformat(),
        "period_to": period_to.isoformat(), "as_of": as_of.isoformat(), "threshold": THRESHOLD,
        "totals": {k: suppress(v) for k, v in raw_totals.items()},
        "tables": {name: suppress_table(counts[name], raw_totals[total] if total else None)
                   for name, total in TABLES.items()},
    }
    check_body(body)
    return body


def _start(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def _phase_at_end(s: Session, ids: list[int], period_to: date) -> dict[int, str]:
    """Each case's phase after its last step before the end of the period (the case row only
    knows today's)."""
    wanted = set(ids)
    result: dict[int, str] = {}
    for case_id, to_phase in s.execute(
            select(PhaseTransition.case_id, PhaseTransition.to_phase)
            .where(PhaseTransition.deleted.is_(False),
                   PhaseTransition.at < _start(period_to + timedelta(days=1)))
            .order_by(PhaseTransition.case_id, PhaseTransition.at, PhaseTransition.id)):
        if case_id in wanted:
            result[case_id] = to_phase
    return result


def _statuses(s: Session, cases: list[_Case], period_to: date,
              counts: Mapping[str, dict[str, int]]) -> None:
    """The person's status at the end of the period: the newest live, uncorrected entry that
    had begun by then."""
    persons = {c.person_id for c in cases}
    newest: dict[int, tuple[date, int, str]] = {}
    for pid, kind, valid_from, sid in s.execute(
            select(ResidenceStatus.person_id, ResidenceStatus.kind, ResidenceStatus.valid_from,
                   ResidenceStatus.id)
            .where(ResidenceStatus.deleted.is_(False), ResidenceStatus.superseded_by_id.is_(None),
                   or_(ResidenceStatus.valid_from.is_(None),
                       ResidenceStatus.valid_from <= period_to))):
        if pid in persons:
            key = (valid_from or date.min, sid, kind)
            if pid not in newest or key > newest[pid]:
                newest[pid] = key
    kinds = {k.code: k for k in catalogues.status_kinds()}
    for c in cases:
        held = newest.get(c.person_id)
        kind = _code(held[2] if held else None, kinds)
        counts["residence_status"][kind] += 1
        counts["status_group"][kinds[kind].group if kind in kinds else kind] += 1


def _referrals(s: Session, ids: list[int], period_from: date, period_to: date,
               counts: Mapping[str, dict[str, int]]) -> None:
    kinds = {k.code: k for k in catalogues.institution_kinds()}
    by_kind: dict[str, set[int]] = defaultdict(set)
    by_domain: dict[str, set[int]] = defaultdict(set)
    wanted = set(ids)
    for case_id, kind in s.execute(
            select(Referral.case_id, Institution.kind)
            .join(Institution, Institution.id == Referral.institution_id)
            .where(and_(Referral.deleted.is_(False), Referral.referred_on >= period_from,
                        Referral.referred_on <= period_to))):
        if case_id in wanted:
            code = _code(kind, kinds)
            by_kind[code].add(case_id)
            # The kind's legal domain from the shipped catalogue: the institution's own
            # column is typed by a person and might carry anything.
            domain = kinds[code].legal_domain if code in kinds else None
            by_domain[domain or NONE].add(case_id)
    for code, members in by_kind.items():
        counts["referral_institution_kind"][code] += len(members)
    for code, members in by_domain.items():
        counts["referral_legal_domain"][code] += len(members)


def _distinct_cases(rows: Iterable[Any], ids: list[int]) -> dict[str, int]:
    wanted = set(ids)
    seen: dict[str, set[int]] = defaultdict(set)
    for value, case_id in rows:
        if case_id in wanted:
            seen[value].add(case_id)
    return {k: len(v) for k, v in seen.items()}
