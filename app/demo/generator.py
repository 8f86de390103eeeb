"""``lotse demo --cases N``: a living, fictional caseload written in bulk, in batches, with
progress and cancellation (the progress callback may raise to cancel; nothing of that batch
stays)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from app import audit, catalogues
from app.demo import pools, search_index
from app.demo.bulk import BulkTable
from app.demo.casegen import Context, make_case
from app.demo.certificates import make_certificates
from app.demo.conferences import DemoCase, link_decision_tasks, make_conferences
from app.progress import ProgressFn
from app.services.tasks.queries import next_deadlines
from app.vault.store import Vault
from db.engine import IMMEDIATE
from db.models import CaseManager, NumberSequence
from db.page_cache import bulk_page_cache

BATCH = 500
TABLES = ("case_manager", "institution", "contact", "household", "person", "case_file",
          "phase_transition", "residence_status", "consent", "consent_scope", "assessment", "goal",
          "measure", "referral", "journal_entry", "task", "system_gap", "system_gap_case",
          "conference", "conference_participant", "conference_agenda_item", "conference_decision",
          "conference_distribution", "disclosure", "training_record")
# Contact persons of the partner institutions, as a minutes' participants table names them.
CONTACT_NAMES = [("Frau", "Becker"), ("Herr", "Krüger"), ("Frau", "Öztürk"), ("Herr", "Nowak"),
                 ("Frau", "Hoffmann"), ("Herr", "Kaya"), ("Frau", "Wagner"), ("Herr", "Schmitz"),
                 ("Frau", "Yılmaz"), ("Herr", "Lange"), ("Frau", "Schulte"), ("Herr", "Brandt"),
                 ("Frau", "Kowalski"), ("Herr", "Peters"), ("Frau", "Albrecht"),
                 ("Herr", "Demir")]
ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i"})
COLLEAGUES = [("Katharina Nowak", "case_manager"), ("Mehmet Aydın", "case_manager"),
              ("Sophie Schäfer", "team_lead"), ("Jonas Weiß", "case_manager"),
              ("Fatma Demir", "case_manager")]


@dataclass(frozen=True)
class DemoStats:
    cases: int
    journal_entries: int
    institutions: int
    conferences: int
    certificates: int = 0  # client certificates issued (the training certificate aside)




def _tables(conn: Connection, vault: Vault) -> dict[str, BulkTable]:
    now = vault.clock.now()
    return {name: BulkTable(conn, name, vault.info.vault_uuid, now) for name in TABLES}


def _flush(conn: Connection, tables: dict[str, BulkTable]) -> dict[str, int]:
    return {name: tables[name].flush(conn) for name in TABLES}  # parents before children


def _directory(conn: Connection, vault: Vault, rng: random.Random,
               tables: dict[str, BulkTable]) -> tuple[list[int], int, dict[str, Any]]:
    owner = conn.execute(select(CaseManager.id).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
    existing = conn.execute(text("SELECT count(*) FROM institution")).scalar_one()
    staff = [owner]
    institutions: dict[str, dict[str, list[int]]] = {}
    if existing:  # a second demo run reuses the directory
        for iid, kind, muni in conn.execute(text(
                "SELECT id, kind, municipality FROM institution WHERE NOT deleted")):
            institutions.setdefault(muni, {}).setdefault(kind, []).append(iid)
        staff += list(conn.execute(text(
            "SELECT id FROM case_manager WHERE NOT is_self")).scalars())
        return staff, owner, institutions
    for name, role in COLLEAGUES:
        sid = tables["case_manager"].add(display_name=name, role=role,
                                         municipality=vault.info.municipality, is_self=False)
        staff.append(sid)
    for sid in staff:
        for course, module, units in (("basic", "Grundlagen Case Management", 40),
                                      ("basic", "Rechtskreisübergreifende Zusammenarbeit", 32),
                                      ("advanced", "Fallkonferenzen moderieren", 24)):
            tables["training_record"].add(
                staff_id=sid, course=course, module=module, teaching_units=units,
                presence_units=int(units * 0.75), institute="Paritätische Akademie NRW",
                institute_recognised=True, held_on=vault.clock.today() - timedelta(
                    days=rng.randint(60, 600)))
    traeger = pools.traeger()
    for place in pools.places():
        by_kind: dict[str, list[int]] = {}
        for pattern in pools.institution_patterns():
            names = pattern.names(place.name, rng.choice(traeger))
            if not names:
                continue
            kind = catalogues.institution_kind(pattern.kind)
            town = place.towns[0]
            iid = tables["institution"].add(
                name=names[0], kind=pattern.kind, legal_domain=kind.legal_domain,
                municipality=place.code, address_city=town.name,
                address_postcode=town.postal_codes[0],
                address_street=f"{rng.choice(pools.street_names())} {rng.randint(1, 60)}")
            by_kind.setdefault(pattern.kind, []).append(iid)
            title, surname = rng.choice(CONTACT_NAMES)
            tables["contact"].add(institution_id=iid, name=f"{title} {surname}",
                                  role="Ansprechpartnerin" if title == "Frau" else
                                  "Ansprechpartner", email=_email(surname, iid, place.code))
        institutions[place.code] = by_kind
    return staff, owner, institutions


def _email(surname: str, institution_id: int, municipality: str) -> str:
    """A fictional address (the reserved .example domain) for the invitation's attendees."""
    local = surname.casefold().translate(ASCII)
    return f"{local}.{institution_id}@{municipality.casefold()}.example"


def _open_cases_of(conn: Connection, staff_id: int) -> int:
    """What the owner already carries (a second demo run adds to it, up to the same limit)."""
    return int(conn.execute(text(
        "SELECT count(*) FROM case_file WHERE case_manager_id = :s AND closed_on IS NULL "
        "AND NOT deleted"), {"s": staff_id}).scalar_one())


def generate_demo(vault: Vault, n_cases: int, *, seed: int | None = None,
                  progress: ProgressFn | None = None) -> DemoStats:
    rng = random.Random(seed)  # noqa: S311 - fictional demo data, not a secret
    today = vault.clock.today()
    home = vault.info.municipality or "DO"
    munis = [m.code for m in catalogues.municipalities()]
    facilities = {m.code: m.reception_facilities for m in catalogues.municipalities()}
    journal = 0
    # One transaction: a full disk or a cancel leaves nothing of the demo behind. It holds the
    # write lock throughout (taken up front, waiting for another writer); WAL readers go on.
    with vault.engine.connect() as conn, conn.execution_options(**{IMMEDIATE: True}).begin(), \
            bulk_page_cache(conn):
        tables = _tables(conn, vault)
        first_ids = {"case_file": tables["case_file"].next_id,
                     "journal_entry": tables["journal_entry"].next_id}
        suspended = search_index.suspend(conn)
        staff, owner, institutions = _directory(conn, vault, rng, tables)
        sequences = {r.scope: r.last for r in conn.execute(select(NumberSequence))}
        ctx = Context(rng, today, vault.info.vault_uuid, vault.info.vault_code, staff, owner,
                      institutions, facilities, sequences, _open_cases_of(conn, owner),
                      random.Random(None if seed is None else f"steering:{seed}"))  # noqa: S311
        n_institutions = len(tables["institution"].rows)
        _flush(conn, tables)
        case_ids: list[int] = []
        demo_cases: list[DemoCase] = []
        for done in range(n_cases):
            muni = home if rng.random() < 0.7 else rng.choice(munis)
            make_case(ctx, tables, muni)
            case_ids.append(tables["case_file"].rows[-1]["id"])
            demo_cases.append(_demo_case(tables))
            if (done + 1) % BATCH == 0 or done + 1 == n_cases:
                journal += _flush(conn, tables)["journal_entry"]
                if progress is not None:
                    progress(done + 1, n_cases)
        n_conferences = tables["conference"].next_id
        touched = make_conferences(ctx, tables, conn, demo_cases, home, _names(conn, owner))
        n_conferences = tables["conference"].next_id - n_conferences
        _gaps(ctx, tables, case_ids)
        _flush(conn, tables)
        link_decision_tasks(conn)
        _lock_approved(conn)  # rows first, lock last: then only amendments may follow
        amendments = BulkTable(conn, "conference_amendment", vault.info.vault_uuid,
                               vault.clock.now())
        for row in touched.amendments:
            amendments.add(**row)
        amendments.flush(conn)
        _refresh_deadlines(conn, touched.cases)
        search_index.backfill_and_restore(conn, suspended, first_ids)
        conn.exec_driver_sql("ANALYZE")  # bulk load: give the planner real statistics
        for scope, last in sequences.items():
            conn.execute(text("INSERT INTO number_sequence(scope, last) VALUES (:s, :l) "
                              "ON CONFLICT(scope) DO UPDATE SET last = max(last, :l)"),
                         {"s": scope, "l": last})
    with vault.session(immediate=True) as s:
        audit.record(s, audit.Kind.DEMO, "vault", vault.info.vault_uuid, cases=n_cases,
                     journal_entries=journal)
    # Through the services, each in its own transaction: certificates are sealed as issued.
    issued = make_certificates(vault, rng)
    return DemoStats(n_cases, journal, n_institutions, n_conferences, issued.client)


def _demo_case(tables: dict[str, BulkTable]) -> DemoCase:
    """What the conferences need of the case just made (its rows are flushed in batches)."""
    case = tables["case_file"].rows[-1]
    client = next(p for p in reversed(tables["person"].rows) if p["id"] == case["person_id"])
    return DemoCase(case["id"], case["person_id"], case["municipality"],
                    case.get("closed_on") is None, f"{client['family_name']}, "
                    f"{client['given_names']}", client["languages"][0],
                    bool(client["interpreter_needed"]))


def _names(conn: Connection, owner: int) -> tuple[str, str]:
    """The owner's name (author of amendments) and who approves minutes (the team lead)."""
    name = conn.execute(select(CaseManager.display_name).where(CaseManager.id == owner)
                        ).scalar_one()
    lead = conn.execute(text("SELECT display_name FROM case_manager WHERE role = 'team_lead' "
                             "AND NOT deleted ORDER BY id LIMIT 1")).scalar_one_or_none()
    return name, f"{lead or name} (Teamleitung)"


def _refresh_deadlines(conn: Connection, case_ids: set[int]) -> None:
    """Conference consents and decision tasks move cases' next deadlines: stored as the
    services would store them (``next_deadlines`` is what the flush hook runs)."""
    if not case_ids:
        return
    with Session(bind=conn) as s:
        values = next_deadlines(s, sorted(case_ids))
    conn.exec_driver_sql("UPDATE case_file SET next_deadline = ? WHERE id = ?",
                         [(None if v is None else v.isoformat(), cid)
                          for cid, v in values.items()])


def _lock_approved(conn: Connection) -> None:
    """Approve last: the store refuses any row added to approved minutes (migration 0008)."""
    conn.execute(text("UPDATE conference SET minutes_locked = 1 "
                      "WHERE status = 'minutes_approved' AND minutes_locked = 0"))


def _gaps(ctx: Context, tables: dict[str, BulkTable], case_ids: list[int]) -> None:
    rng = ctx.rng
    for example in pools.system_gap_examples():
        gap = tables["system_gap"].add(
            category=example.category, title=example.title, description=example.description,
            legal_domains=list(example.legal_domains),
            institution_kinds=list(example.institution_kinds), severity=example.severity,
            status=rng.choice(["open", "open", "escalated", "resolved"]),
            noticed_on=ctx.today - timedelta(days=rng.randint(5, 300)))
        for cid in rng.sample(case_ids, k=min(len(case_ids), rng.randint(0, 3))):
            tables["system_gap_case"].add(system_gap_id=gap, case_id=cid)
