"""One fictional case with a plausible history: client, status timeline, phases, journal,
consents, assessment, plan, referrals, tasks. Documentation always matches the phase reached."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app import catalogues
from app.demo import pools
from app.demo.households import arrival_and_household
from app.services.tasks.queries import CONSENT_LEAD_DAYS, status_lead
from app.sync.steering import STEERING_PURPOSE
from db.folding import fold_sort

PHASE_MIX = {"intake": 12, "assessment": 13, "planning": 13, "linking": 13, "monitoring": 24,
             "evaluation": 8, "closed": 17}
ORDER = [p.code for p in catalogues.phases()]
STATUS_BY_GROUP = {
    "long_term_tolerated": ["duldung", "duldung", "duldung_60b", "ausbildungsduldung",
                            "beschaeftigungsduldung"],
    "newly_arrived": ["aufenthaltsgestattung", "aufenthaltsgestattung", "aufenthaltserlaubnis_24",
                      "aufenthaltserlaubnis_25_2_fluechtling"],
    "opportunity_residence": ["chancen_aufenthaltsrecht"],
    "young_adults": ["duldung", "aufenthaltserlaubnis_25a", "ausbildungsduldung"],
}
PURPOSES = {
    "jobcenter": "Sicherung des Lebensunterhalts und Vermittlung in Arbeit",
    "auslaenderbehoerde": "Klärung und Verfestigung des Aufenthalts",
    "agentur_fuer_arbeit": "Berufsberatung und Ausbildungsvermittlung",
    "jugendamt": "Hilfen für die Kinder der Familie",
    "sozialamt": "Leistungen nach dem AsylbLG",
    "integrationskurstraeger": "Anmeldung und Teilnahme am Integrationskurs",
    "mbe": "Migrationsberatung",
    "jmd": "Begleitung durch den Jugendmigrationsdienst",
    "schule": "Schulische Förderung der Kinder",
}
CATEGORIES = {
    "jobcenter": ["identity_contact", "finances_benefits", "education_work"],
    "auslaenderbehoerde": ["identity_contact", "residence"],
    "agentur_fuer_arbeit": ["identity_contact", "education_work"],
    "jugendamt": ["family_children"],
    "sozialamt": ["identity_contact", "finances_benefits", "housing"],
    "integrationskurstraeger": ["identity_contact", "education_work"],
    "mbe": ["identity_contact", "residence", "family_children"],
    "jmd": ["identity_contact", "education_work"],
    "schule": ["family_children", "education_work"],
}
# Consent to be counted in the steering report: towards the Kommunales Integrationszentrum,
# covering what the report draws on (status, work and education); about three in four agree.
STEERING_OFFICE = "kommunales_integrationszentrum"
STEERING_SHARE = 0.75
STEERING_CATEGORIES = ("residence", "education_work")
# Codes of catalogues.access_routes(), in the order of the free texts they replaced (so the
# generator draws the same routes as before for the same seed).
ACCESS_ROUTES = ["outreach", "jobcenter", "foreigners_authority", "self_referral",
                 "migration_counselling", "school"]


@dataclass
class Context:
    rng: random.Random
    today: date
    vault_uuid: str
    vault_code: str
    staff_ids: list[int]
    owner_id: int
    institutions: dict[str, dict[str, list[int]]]  # municipality -> kind -> ids
    facilities: dict[str, tuple[str, ...]]
    sequences: dict[str, int]
    owner_open: int = 0  # open cases the owner carries so far
    # Draws for the steering consents: a stream of their own, so that adding them left every
    # other demo record of a seed as it was.
    steering_rng: random.Random = field(default_factory=random.Random)


# A case manager carries about 30-60 open cases: the owner gets open cases up to this many, the
# other open cases belong to colleagues (closed ones may be anyone's history).
OWNER_OPEN_CASES = 45


def _case_manager(ctx: Context, phase: str) -> int:
    mine = ctx.rng.random() < 0.7
    colleagues = [s for s in ctx.staff_ids if s != ctx.owner_id] or [ctx.owner_id]
    if phase == "closed":
        return ctx.owner_id if mine else ctx.rng.choice(colleagues)
    if mine and ctx.owner_open < OWNER_OPEN_CASES:
        ctx.owner_open += 1
        return ctx.owner_id
    return ctx.rng.choice(colleagues)


def _pick(rng: random.Random, weights: dict[str, float] | dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.choice((0, 15, 30, 45))),
                            tzinfo=UTC)


def make_case(ctx: Context, tables: dict[str, Any], municipality: str) -> None:
    rng, today = ctx.rng, ctx.today
    pool = pools.name_pool()
    origin = pool.origin(_pick(rng, dict(pool.origins)))
    gender = rng.choice(pools.GENDERS)
    family = rng.choice(origin.family(gender))
    given = rng.choice(origin.given(gender))
    if rng.random() < 0.15:
        given = f"{given} {rng.choice(origin.given(gender))}"
    lang = origin.languages[0] if rng.random() < 0.8 else rng.choice(origin.languages)
    nationality = rng.choices([n for n, _ in origin.nationalities],
                              weights=[w for _, w in origin.nationalities])[0]
    group = _pick(rng, {"long_term_tolerated": 40, "newly_arrived": 40,
                        "opportunity_residence": 10, "young_adults": 10})
    age = rng.randint(18, 27) if group == "young_adults" else rng.randint(17, 62)
    town = rng.choice(next(p for p in pools.places() if p.code == municipality).towns)
    person = tables["person"].add(
        given_names=given, family_name=family, date_of_birth=today - timedelta(
            days=age * 365 + rng.randint(0, 364)), nationality=nationality, gender=gender,
        languages=[lang.code], interpreter_needed=rng.random() < 0.6,
        address_street=f"{rng.choice(pools.street_names())} {rng.randint(1, 120)}",
        address_postcode=rng.choice(town.postal_codes), address_city=town.name,
        sort_key=fold_sort(f"{family} {given}"))
    client = tables["person"].rows[-1]
    client.update(arrival_and_household(
        f"{ctx.vault_code}:{person}", tables, today, group, municipality,
        ctx.facilities.get(municipality, ()), family, age, client["address_street"],
        origin.given("m" if gender == "f" else "f"), origin.given(),
        nationality, lang.code))
    phase = _pick(rng, PHASE_MIX)
    reached = ORDER.index(phase)
    opened = today - timedelta(days=rng.randint(20 + 40 * reached, 120 + 120 * reached))
    year = opened.year
    scope = f"case:{municipality}:{year}"
    ctx.sequences[scope] = ctx.sequences.get(scope, 0) + 1
    manager = _case_manager(ctx, phase)
    insts = ctx.institutions[municipality]
    done = set(ORDER[:reached]) if phase != "closed" else set(ORDER[:-1])
    case: dict[str, Any] = dict(
        case_number=f"{municipality}-{year}-{ctx.vault_code}-{ctx.sequences[scope]:04d}",
        person_id=person, municipality=municipality, target_group=group,
        case_manager_id=manager, phase=phase, opened_on=opened,
        access_route=rng.choice(ACCESS_ROUTES), sort_name=fold_sort(f"{family} {given}"))
    if "intake" in done:
        case.update(indication="Mehrere Rechtskreise beteiligt; Regelangebote reichen nicht aus.",
                    complex_needs=True, several_agencies=True, regular_services_insufficient=True,
                    dp_info_given_on=opened, dp_info_language=lang.code,
                    working_agreement_on=opened + timedelta(days=rng.randint(0, 14)))
    case_id = tables["case_file"].add(**case)
    # Phase history: evenly spread steps from opening to (almost) today.
    steps = ORDER[: reached + 1] if phase != "closed" else [*ORDER[:rng.randint(1, 6)], "closed"]
    span = max(1, (today - opened).days - 3)
    step_days = sorted(rng.sample(range(1, span + 1), k=min(span, len(steps) - 1)))
    moments = [opened, *[opened + timedelta(days=d) for d in step_days]]
    prev: str | None = None
    for code, day in zip(steps, moments, strict=False):
        tables["phase_transition"].add(case_id=case_id, from_phase=prev, to_phase=code,
                                       at=_at(day, rng), by_staff_id=manager, missing_items=[])
        prev = code
    last_step = moments[min(len(steps), len(moments)) - 1]
    if phase == "closed":
        closed_on = last_step
        reason = rng.choice([c.code for c in catalogues.close_reasons()])
        tables["case_file"].rows[-1].update(
            closed_on=closed_on, close_reason=reason, handover_note="Übergabe an die "
            "Regelberatung besprochen; Unterlagen ausgehändigt.",
            retention_until=closed_on.replace(year=closed_on.year + 3)
            if not (closed_on.month == 2 and closed_on.day == 29) else
            date(closed_on.year + 3, 2, 28))
        done = set(steps[:-1])
    deadlines: list[date] = []
    _statuses(ctx, tables, person, group, opened, phase, deadlines)
    _consents(ctx, tables, person, case_id, insts, opened, lang.code, phase, deadlines)
    _steering_consent(ctx, tables, person, case_id, insts, opened, lang.code)
    _plan(ctx, tables, case_id, insts, opened, done, phase)
    _journal(ctx, tables, case_id, manager, opened, lang.label, municipality, done, phase)
    _tasks(ctx, tables, case_id, phase, deadlines)
    tables["case_file"].rows[-1]["next_deadline"] = min(deadlines) if deadlines else None


def _statuses(ctx: Context, tables: dict[str, Any], person: int, group: str, opened: date,
              phase: str, deadlines: list[date]) -> None:
    rng, today = ctx.rng, ctx.today
    kinds = STATUS_BY_GROUP[group]
    start = opened - timedelta(days=rng.randint(30, 1500))
    n = rng.randint(1, 3)
    for i in range(n):
        kind = rng.choice(kinds)
        k = catalogues.status_kind(kind)
        months = k.typical_validity_months or 0
        last = i == n - 1
        if last:
            # Real expiry spread: a few already expired, about a fifth within 30/60/90 days,
            # most later (Duldungen often run 3-6 months, permits 1-3 years).
            soon = rng.random() < 0.22
            until = today + timedelta(days=rng.choice([-20, -5, 10, 25, 40, 55, 75, 88])
                                      + rng.randint(0, 9) if soon else rng.randint(95, 720))
            if months == 0:
                until = None  # type: ignore[assignment]
        else:
            until = start + timedelta(days=max(90, months * 30))
        tables["residence_status"].add(
            person_id=person, kind=kind, legal_basis=k.legal_basis, valid_from=start,
            valid_until=until, work_permission=k.default_work_permission,
            document_seen_on=min(today, start + timedelta(days=rng.randint(0, 20))))
        if last and until is not None and phase != "closed":
            deadlines.append(until - timedelta(days=status_lead(kind)))
        start = (until or today) + timedelta(days=1)


def _consents(ctx: Context, tables: dict[str, Any], person: int, case_id: int,
              insts: dict[str, list[int]], opened: date, lang: str, phase: str,
              deadlines: list[date]) -> None:
    rng = ctx.rng
    kinds = rng.sample([k for k in PURPOSES if insts.get(k)], k=rng.randint(1, 3))
    for i, kind in enumerate(kinds):
        given = opened + timedelta(days=rng.randint(0, 10))
        valid_until = given + timedelta(days=rng.choice([365, 540, 730]))
        # Only a further consent is ever withdrawn: the first one documents the intake.
        withdrawn = given + timedelta(days=rng.randint(30, 200)) \
            if i and rng.random() < 0.1 else None
        if withdrawn is not None and withdrawn > ctx.today:
            withdrawn = None
        institution = rng.choice(insts[kind])
        while True:
            consent = tables["consent"].add(
                person_id=person, case_id=case_id, institution_id=institution,
                purpose=PURPOSES[kind], given_on=given, valid_until=valid_until,
                withdrawn_on=withdrawn, info_sheet_language=lang,
                interpreter_present=rng.random() < 0.6)
            for cat in CATEGORIES[kind]:
                tables["consent_scope"].add(consent_id=consent, data_category=cat)
            # Caseworkers renew consents of running cases; most renewals happen in time,
            # a few are still outstanding (that is what "Heute" is for).
            due = valid_until - timedelta(days=CONSENT_LEAD_DAYS)
            if withdrawn or phase == "closed" or due > ctx.today or rng.random() < 0.08:
                break
            given = min(ctx.today, due + timedelta(days=rng.randint(0, 25)))
            valid_until = given + timedelta(days=rng.choice([365, 540, 730]))
        if withdrawn is None and phase != "closed":
            deadlines.append(valid_until - timedelta(days=CONSENT_LEAD_DAYS))


def _steering_consent(ctx: Context, tables: dict[str, Any], person: int, case_id: int,
                      insts: dict[str, list[int]], opened: date, lang: str) -> None:
    """Most clients agree at intake that their case counts, pseudonymised, in the steering
    committee's report (the Kommunales Integrationszentrum coordinates it); some decline and
    a few withdraw later. Unlimited in time, so it adds no renewal deadline."""
    rng = ctx.steering_rng
    offices = insts.get(STEERING_OFFICE)
    if not offices or rng.random() >= STEERING_SHARE:
        return
    given = opened + timedelta(days=rng.randint(0, 10))
    withdrawn = given + timedelta(days=rng.randint(30, 300)) if rng.random() < 0.04 else None
    consent = tables["consent"].add(
        person_id=person, case_id=case_id, institution_id=rng.choice(offices),
        purpose=STEERING_PURPOSE, given_on=given, valid_until=None,
        withdrawn_on=withdrawn if withdrawn is not None and withdrawn <= ctx.today else None,
        info_sheet_language=lang, interpreter_present=rng.random() < 0.6)
    for cat in STEERING_CATEGORIES:
        tables["consent_scope"].add(consent_id=consent, data_category=cat)


def _plan(ctx: Context, tables: dict[str, Any], case_id: int, insts: dict[str, list[int]],
          opened: date, done: set[str], phase: str) -> None:
    rng = ctx.rng
    if phase == "intake":
        return
    domains = rng.sample(pools.goal_life_domains(), k=rng.randint(2, 4))
    for d in domains:
        tables["assessment"].add(case_id=case_id, life_domain=d,
                                 resources="Motiviert, gute Unterstützung in der Familie.",
                                 needs="Unterstützung bei Anträgen und Terminen.",
                                 client_view="Möchte selbstständig leben und arbeiten.",
                                 assessed_on=opened + timedelta(days=rng.randint(10, 40)))
    if "assessment" not in done:
        return
    evaluated = "evaluation" in done
    for pos, d in enumerate(domains[: rng.randint(1, 3)]):
        tmpl = rng.choice(pools.goal_templates(d))
        agreed = opened + timedelta(days=rng.randint(40, 80))
        goal = tables["goal"].add(
            case_id=case_id, life_domain=d, description=tmpl.goal, indicator=tmpl.indicator,
            target_date=agreed + timedelta(days=30 * tmpl.months), responsible="Klient:in mit CM",
            agreed_on=agreed, position=pos,
            attainment=rng.choice(["erreicht", "teilweise", "nicht_erreicht"]) if evaluated
            else None, evaluated_on=ctx.today - timedelta(days=rng.randint(1, 20))
            if evaluated else None)
        for _ in range(rng.randint(1, 2)):
            tables["measure"].add(goal_id=goal, description="Termin vereinbaren und begleiten",
                                  responsible_text="Case Management", due_on=agreed + timedelta(
                                      days=rng.randint(14, 90)))
    if "planning" in done:
        tables["case_file"].rows[-1]["plan_signed_on"] = opened + timedelta(days=75)
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice([k for k in ("jobcenter", "integrationskurstraeger", "mbe",
                                           "agentur_fuer_arbeit") if insts.get(k)])
            tables["referral"].add(case_id=case_id, institution_id=rng.choice(insts[kind]),
                                   referred_on=opened + timedelta(days=rng.randint(80, 120)),
                                   purpose=PURPOSES[kind])
    if evaluated:
        tables["case_file"].rows[-1]["client_feedback"] = rng.choice(
            ["Sehr zufrieden mit der Begleitung.", "Hilfreich, Termine waren manchmal schwer "
             "zu erreichen.", "Zufrieden; wünscht sich mehr Dolmetschung."])


def _journal(ctx: Context, tables: dict[str, Any], case_id: int, author: int, opened: date,
             language: str, municipality: str, done: set[str], phase: str) -> None:
    rng, today = ctx.rng, ctx.today
    span = max(1, (today - opened).days)
    n = rng.randint(3, 14)
    fragments = pools.journal_fragments()
    facilities = ctx.facilities.get(municipality) or ("Gemeinschaftsunterkunft",)
    kinds = {k.code: k for k in catalogues.contact_kinds()}
    last: datetime | None = None
    for i in range(n):
        frag = rng.choice(fragments)
        kind = frag.contact_kind if frag.contact_kind in kinds else rng.choice(
            ["office", "phone", "reception_facility"])
        outreach = kinds[kind].outreach
        # A fragment that names the interpreted language was an interpreted contact.
        interpreter = frag.needs_language or rng.random() < 0.45
        entry_kind = "progress_note" if (i == n - 1 and "monitoring" in done) or \
            rng.random() < 0.7 else rng.choice(["deviation", "barrier", "reassessment_trigger"])
        occurred = _at(opened + timedelta(days=rng.randint(0, span)), rng)
        last = occurred if last is None else max(last, occurred)
        tables["journal_entry"].add(
            case_id=case_id, occurred_at=occurred,
            contact_kind=kind, place=rng.choice(facilities) if kind == "reception_facility" else
            ("Wohnung der Familie" if outreach else None),
            interpreter_used=interpreter, interpreter_language=language if interpreter else None,
            language="de" if not interpreter else None,
            duration_minutes=rng.choice([15, 20, 30, 45, 60, 90]), entry_kind=entry_kind,
            text=frag.render(language), author_id=author)
    tables["case_file"].rows[-1]["last_contact_at"] = last  # as the journal service keeps it
    del phase


def _tasks(ctx: Context, tables: dict[str, Any], case_id: int, phase: str,
           deadlines: list[date]) -> None:
    rng, today = ctx.rng, ctx.today
    if phase == "closed":
        return
    for _ in range(rng.randint(0, 2)):
        due = today + timedelta(days=rng.randint(-4, 45))
        tables["task"].add(case_id=case_id, title=rng.choice(
            ["Unterlagen für die Ausländerbehörde zusammenstellen", "Rückruf Jobcenter",
             "Kita-Anmeldung nachhalten", "Termin Sprachkurs bestätigen",
             "Wohnungsangebote durchsehen"]), due_on=due, source="manual")
        deadlines.append(due)
