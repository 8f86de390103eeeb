"""Demo case conferences in every state, as the services would have left them.

Planned ones in the coming weeks (some inside Heute's 30 days), held ones without minutes yet,
drafted minutes, approved minutes (locked by the caller after every row is in; amendments come
after the lock). Participants are the directory's contacts, sometimes the client of an agenda
case and an interpreter. Consents for the purpose "Fallkonferenz" cover most institutions for
most cases; some cells are blocked on purpose (no consent, expired, withdrawn, another purpose)
so the consent gate has something to show. Decisions are tasks in their case, linked both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, text

from app import catalogues
from app.conferences_text import REVIEW_TASK_TITLE
from app.demo.casegen import PURPOSES, Context
from app.demo.conference_pool import CASE_MANAGEMENT, CLIENT, conference_texts
from app.services.conferences.queries import DECISION_SOURCE, REVIEW_SOURCE
from app.services.conferences.records import (
    APPROVED,
    CONFERENCE_PURPOSE,
    DRAFTED,
    HELD,
    PLANNED,
)
from app.services.consent.records import CONFIDED

# The order the states come in: every demo from 6 conferences on has each of them, and the
# first conference is a planned one inside Heute's window.
PATTERN = ("soon", APPROVED, HELD, DRAFTED, "later", APPROVED, "soon", DRAFTED)
KINDS = ("jobcenter", "auslaenderbehoerde", "jugendamt", "sozialamt", "agentur_fuer_arbeit",
         "integrationskurstraeger", "mbe", "schule")
ROLES = {"jobcenter": "Integrationsfachkraft", "auslaenderbehoerde": "Sachbearbeitung Aufenthalt",
         "jugendamt": "Allgemeiner Sozialer Dienst", "sozialamt": "Sachbearbeitung AsylbLG",
         "agentur_fuer_arbeit": "Berufsberatung", "integrationskurstraeger": "Kursleitung",
         "mbe": "Migrationsberatung", "schule": "Klassenleitung"}
CATEGORIES = {"jobcenter": ("finances_benefits", "education_work"),
              "auslaenderbehoerde": ("residence",), "jugendamt": ("family_children",),
              "sozialamt": ("finances_benefits", "housing"), "agentur_fuer_arbeit":
              ("education_work",), "integrationskurstraeger": ("education_work",),
              "mbe": ("residence", "housing"), "schule": ("family_children",)}
# Why a cell of the gate is blocked, in turn: what a newcomer should see the matrix explain.
BLOCKS = ("none", "expired", "withdrawn", "other_purpose")
CONFIDED_AT = 6  # the index of the conference with confided information on its agenda
STARTS = (time(8, 0), time(9, 0), time(12, 30), time(13, 0))  # UTC: 9:00 … 14:00 in winter


@dataclass(frozen=True)
class DemoCase:
    id: int
    person_id: int
    municipality: str
    open: bool
    client: str  # "Family, Given": how a client participant is named (and recognised)
    language: str
    interpreter_needed: bool


@dataclass(frozen=True)
class DirectoryEntry:
    id: int
    uuid: str
    name: str
    kind: str
    contact_id: int | None
    contact_name: str | None


@dataclass
class Touched:
    """What the caller must finish: cases whose next deadline moved, and amendments to add
    once the approved minutes are locked."""

    cases: set[int]
    amendments: list[dict[str, Any]]


def directory(conn: Connection, municipality: str) -> dict[str, list[DirectoryEntry]]:
    """The municipality's institutions by kind, each with its first contact person."""
    out: dict[str, list[DirectoryEntry]] = {}
    rows = conn.execute(text(
        "SELECT i.id, i.uuid, i.name, i.kind, "
        "(SELECT c.id FROM contact c WHERE c.institution_id = i.id AND NOT c.deleted "
        " ORDER BY c.id LIMIT 1), "
        "(SELECT c.name FROM contact c WHERE c.institution_id = i.id AND NOT c.deleted "
        " ORDER BY c.id LIMIT 1) "
        "FROM institution i WHERE i.municipality = :m AND NOT i.deleted ORDER BY i.id"),
        {"m": municipality})
    for iid, uuid, name, kind, cid, cname in rows:
        out.setdefault(kind, []).append(DirectoryEntry(iid, uuid, name, kind, cid, cname))
    return out


class _Builder:
    def __init__(self, ctx: Context, tables: dict[str, Any], home: str,
                 insts: dict[str, list[DirectoryEntry]], names: tuple[str, str]) -> None:
        self.ctx, self.tables, self.home, self.insts = ctx, tables, home, insts
        self.owner_name, self.team_lead = names
        self.texts = conference_texts()
        self.warning = {k.code: bool(k.disclosure_warning) for k in catalogues.institution_kinds()}
        self.touched = Touched(set(), [])
        self.blocks = 0
        self.approved = 0

    def add(self, i: int, cases: list[DemoCase]) -> None:
        rng, today, t = self.ctx.rng, self.ctx.today, self.texts
        state = PATTERN[i % len(PATTERN)]
        offset = {"soon": (1, 25), "later": (32, 70), HELD: (-6, -1), DRAFTED: (-35, -8),
                  APPROVED: (-220, -40)}[state]
        day = today + timedelta(days=rng.randint(*offset))
        status = PLANNED if state in ("soon", "later") else state
        at = datetime.combine(day, rng.choice(STARTS), tzinfo=UTC)
        kinds = rng.sample([k for k in KINDS if self.insts.get(k)],
                           k=min(rng.randint(2, 4), sum(1 for k in KINDS if self.insts.get(k))))
        chosen = [rng.choice(self.insts[k]) for k in kinds]
        agenda = rng.sample(cases, k=min(len(cases), rng.randint(1, 4)))
        partner = rng.random() < 0.25 and chosen and chosen[0].contact_name
        city = catalogues.municipality(self.home).label
        conf = self.tables["conference"].add(
            title=rng.choice(t.titles), scheduled_at=at,
            place=rng.choice(t.places).format(city=city),
            chair_staff_id=None if partner else self.ctx.owner_id,
            chair_text=f"{chosen[0].contact_name} ({chosen[0].name})" if partner else None,
            minute_taker_text=rng.choice(("Sophie Schäfer", "Jonas Weiß", "Fatma Demir")),
            status=status, held_at=at if status != PLANNED else None, minutes_locked=False,
            approved_on=min(today, day + timedelta(days=rng.randint(5, 14)))
            if status == APPROVED else None,
            approved_by_text=self.team_lead if status == APPROVED else None)
        held = status != PLANNED
        for inst in chosen:
            self.tables["conference_participant"].add(
                conference_id=conf, name=inst.contact_name or f"Vertretung {inst.name}",
                institution_id=inst.id, contact_id=inst.contact_id, role=ROLES[inst.kind],
                attendance=self._attendance() if held else None)
        client = agenda[0] if rng.random() < 0.5 else None
        interpreter = None
        if client is not None:
            self.tables["conference_participant"].add(
                conference_id=conf, name=client.client, role="Klient:in", is_client=True,
                attendance="present" if held else None)
            if client.interpreter_needed and client.language != "de":
                interpreter = rng.choice(t.interpreters)
                self.tables["conference_participant"].add(
                    conference_id=conf, name=interpreter, role="Sprachmittlung",
                    is_interpreter=True, language=client.language,
                    attendance="present" if held else None)
        reviews: list[date] = []
        seen: dict[int, int] = {}  # institution id -> agenda cases it is covered for
        for pos, case in enumerate(agenda):
            # One case where what was confided in counselling is to be discussed: its own consent.
            confided = i == CONFIDED_AT and pos == 0
            categories = self._categories(kinds, confided)
            covered = self._consents(case, chosen, categories, day,
                                     force_block=pos == 0 and (i == 0 or confided))
            for iid in covered:
                seen[iid] = seen.get(iid, 0) + 1
            review = day + timedelta(days=rng.randint(60, 120)) if held else None
            item = self.tables["conference_agenda_item"].add(
                conference_id=conf, case_id=case.id, position=pos, occasion=rng.choice(t.occasions),
                data_categories=list(categories), state_of_affairs={}, next_review_on=review)
            self.touched.cases.add(case.id)
            if review is not None:
                reviews.append(review)
                self._minutes(conf, item, case, chosen, covered, categories, day, at, review)
        self.tables["conference"].rows[-1]["next_review_on"] = min(reviews) if reviews else None
        if status == APPROVED:
            self._distribution(conf, chosen, client, interpreter, seen, len(agenda))
            self._amendments(conf, day)

    def _distribution(self, conf: int, chosen: list[DirectoryEntry], client: DemoCase | None,
                      interpreter: str | None, seen: dict[int, int], cases: int) -> None:
        """Fixed at approval, before the lock: the full copy only for who sees every case."""
        for inst in chosen:
            self.tables["conference_distribution"].add(
                conference_id=conf, recipient_name=inst.contact_name or f"Vertretung {inst.name}",
                institution_id=inst.id, pseudonymised=seen.get(inst.id, 0) < cases)
        if client is not None:
            self.tables["conference_distribution"].add(
                conference_id=conf, recipient_name=client.client, pseudonymised=cases > 1)
        if interpreter is not None:  # an interpreter sees no case in full
            self.tables["conference_distribution"].add(
                conference_id=conf, recipient_name=interpreter, pseudonymised=True)

    def _attendance(self) -> str:
        r = self.ctx.rng.random()
        return "present" if r < 0.85 else "excused" if r < 0.95 else "absent"

    def _categories(self, kinds: list[str], confided: bool) -> tuple[str, ...]:
        wanted = {"identity_contact"} | {c for k in kinds for c in CATEGORIES[k]}
        extra = sorted(wanted - {"identity_contact"})
        count = min(len(extra), self.ctx.rng.randint(1, 2))
        picked = {"identity_contact", *self.ctx.rng.sample(extra, k=count),
                  *((CONFIDED,) if confided else ())}
        order = [c.code for c in catalogues.data_categories()]
        return tuple(c for c in order if c in picked)

    def _consents(self, case: DemoCase, chosen: list[DirectoryEntry], categories: tuple[str, ...],
                  day: date, force_block: bool) -> dict[int, int]:
        """Consents of the client towards each participating institution; returns institution
        id -> the covering consent's id. At least one institution is covered per case."""
        rng, today = self.ctx.rng, self.ctx.today
        keep = 0 if force_block else rng.randrange(len(chosen))
        covered: dict[int, int] = {}
        for n, inst in enumerate(chosen):
            block = n != keep and (rng.random() < 0.2 or (force_block and n == len(chosen) - 1))
            given = min(today, day) - timedelta(days=rng.randint(3, 40))
            row: dict[str, Any] = dict(
                person_id=case.person_id, case_id=case.id, institution_id=inst.id,
                purpose=CONFERENCE_PURPOSE, given_on=given,
                valid_until=max(today, day) + timedelta(days=rng.randint(60, 500)),
                info_sheet_language=case.language, interpreter_present=case.interpreter_needed,
                covers_confided=CONFIDED in categories)
            if block and CONFIDED in categories and n == len(chosen) - 1:
                row["covers_confided"] = False  # valid, but not for what was confided
            elif block:
                reason = BLOCKS[self.blocks % len(BLOCKS)]
                self.blocks += 1
                if reason == "none":
                    continue
                if reason == "expired":
                    row.update(given_on=today - timedelta(days=rng.randint(400, 500)),
                               valid_until=today - timedelta(days=rng.randint(5, 60)))
                elif reason == "withdrawn":
                    row.update(given_on=today - timedelta(days=rng.randint(60, 200)),
                               withdrawn_on=today - timedelta(days=rng.randint(2, 30)))
                else:
                    row["purpose"] = PURPOSES.get(inst.kind, "Vermittlung in Arbeit")
            consent = self.tables["consent"].add(**row)
            for code in categories:
                self.tables["consent_scope"].add(consent_id=consent, data_category=code)
            if not block:
                covered[inst.id] = consent
        return covered

    def _minutes(self, conf: int, item: int, case: DemoCase, chosen: list[DirectoryEntry],
                 covered: dict[int, int], categories: tuple[str, ...], day: date, at: datetime,
                 review: date | None) -> None:
        rng, today, t = self.ctx.rng, self.ctx.today, self.texts
        row = self.tables["conference_agenda_item"].rows[-1]
        row.update(
            legal_basis_note=rng.choice(t.legal_basis_notes),
            state_of_affairs={inst.uuid: rng.choice(t.state_of_affairs[inst.kind])
                              for inst in chosen if inst.id in covered
                              and inst.kind in t.state_of_affairs},
            resources_goals=rng.choice(t.resources_goals),
            disagreements=rng.choice(t.disagreements) if rng.random() < 0.3 else None,
            system_gap_notes=rng.choice(t.system_gap_notes) if rng.random() < 0.25 else None)
        by_kind = {inst.kind: inst for inst in chosen}
        options = [d for d in t.decisions if d.who_kind in by_kind
                   or d.who_kind in (CASE_MANAGEMENT, CLIENT)]
        for pos, template in enumerate(rng.sample(options, k=min(len(options),
                                                                  rng.randint(1, 3)))):
            inst = by_kind.get(template.who_kind)
            who = inst.name if inst else ("Case Management" if template.who_kind ==
                                          CASE_MANAGEMENT else "Klient:in")
            by_when = day + timedelta(days=rng.randint(14, 60))
            done = by_when - timedelta(days=rng.randint(0, 10)) \
                if by_when < today and rng.random() < 0.8 else None
            task = self.tables["task"].add(
                case_id=case.id, title=template.what, due_on=by_when, done_on=done,
                source=DECISION_SOURCE, assignee_text=who)
            self.tables["conference_decision"].add(
                agenda_item_id=item, position=pos, what=template.what, who=who,
                who_institution_id=inst.id if inst else None, by_when=by_when, task_id=task)
        if case.open and review is not None and review >= today:
            # As record_case_minutes leaves it: an open task found again by its date.
            self.tables["task"].add(case_id=case.id, title=REVIEW_TASK_TITLE, due_on=review,
                                    source=REVIEW_SOURCE,
                                    details=f"Fallkonferenz vom {at.astimezone():%d.%m.%Y}")
        for inst in chosen:  # what went to each covered institution, as mark_held logs it
            consent = covered.get(inst.id)
            for code in categories if consent is not None else ():
                self.tables["disclosure"].add(
                    case_id=case.id, institution_id=inst.id, data_category=code,
                    purpose=CONFERENCE_PURPOSE, disclosed_at=at, channel="conference",
                    consent_id=consent, conference_id=conf, by_staff_id=self.ctx.owner_id,
                    warning_acknowledged=self.warning.get(inst.kind, False))

    def _amendments(self, conf: int, day: date) -> None:
        rng = self.ctx.rng
        self.approved += 1
        count = 1 if self.approved == 1 else rng.choice((0, 0, 1, 2))
        approved_on = self.tables["conference"].rows[-1]["approved_on"]
        for number, template in enumerate(rng.sample(self.texts.amendments, k=count), start=1):
            made = min(self.ctx.today, approved_on + timedelta(days=rng.randint(3, 30)))
            self.touched.amendments.append(dict(
                conference_id=conf, number=number, reason=template.reason, text=template.text,
                made_at=datetime.combine(made, time(10, 15), tzinfo=UTC),
                author_text=self.owner_name))
        del day


def make_conferences(ctx: Context, tables: dict[str, Any], conn: Connection,
                     cases: list[DemoCase], home: str, names: tuple[str, str]) -> Touched:
    """Conferences in the home municipality over its open cases (``names``: the owner's name
    as an amendment's author, the team lead's as the approver)."""
    local = [c for c in cases if c.municipality == home and c.open] or \
        [c for c in cases if c.municipality == home] or cases
    insts = directory(conn, home)
    builder = _Builder(ctx, tables, home, insts, names)
    if not local or sum(1 for k in KINDS if insts.get(k)) < 2:
        return builder.touched
    for i in range(max(len(PATTERN), len(cases) // 40)):
        builder.add(i, local)
    return builder.touched


def link_decision_tasks(conn: Connection) -> None:
    """task.decision_id for the demo's decision tasks (the other half of the link; the rows
    could not carry it on insert, the decision being written after its task)."""
    conn.execute(text(
        "UPDATE task SET decision_id = (SELECT d.id FROM conference_decision d "
        "WHERE d.task_id = task.id) WHERE decision_id IS NULL AND source = :source "
        "AND id IN (SELECT task_id FROM conference_decision WHERE task_id IS NOT NULL)"),
        {"source": DECISION_SOURCE})
