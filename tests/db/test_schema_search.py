"""Full-text search tables kept by triggers: cases by number and name, journal entries by text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from db import schema
from db.folding import fold_search
from db.sync import VAULT_KEY, LotseSession
from tests.support import schema_helpers
from tests.support.schema_helpers import (
    T0,
    VAULT_A,
    add_person,
    add_staff,
    indexed,
    journal,
    matches,
    new_case,
)

# Fixtures live in the helper module; naming them here makes pytest use them.
engine = schema_helpers.engine
session = schema_helpers.session


def test_case_search_follows_cases_and_names(session: LotseSession) -> None:
    s = session
    staff = add_staff(s)
    s.flush()
    anna = add_person(s, "Müller", "Anna Maria", birth="Yılmaz")
    omar = add_person(s, "Haddad", "Omar")
    c1 = new_case(anna, staff, "DO-2026-K7QX-0001")
    c2 = new_case(anna, staff, "DO-2026-K7QX-0002")
    c3 = new_case(omar, staff, "DO-2026-K7QX-0003")
    s.add_all([c1, c2, c3])
    s.flush()
    assert indexed(s, "case_search") == {c1.id, c2.id, c3.id}
    assert matches(s, "case_search", "Mül") == {c1.id, c2.id}
    assert matches(s, "case_search", "mari") == {c1.id, c2.id}
    assert matches(s, "case_search", "Yılmaz") == {c1.id, c2.id}  # birth name
    assert matches(s, "case_search", "had") == {c3.id}
    assert matches(s, "case_search", "0003") == {c3.id}
    assert matches(s, "case_search", "k7qx") == {c1.id, c2.id, c3.id}

    # A person's name change reaches every one of their cases, and the old name is gone.
    anna.family_name = "Schneider"
    s.flush()
    assert matches(s, "case_search", "Mül") == set()
    assert matches(s, "case_search", "schn") == {c1.id, c2.id}

    # Renumbering, moving a case to another client, tombstoning, restoring, purging.
    c3.case_number = "DO-2026-K7QX-0099"
    s.flush()
    assert matches(s, "case_search", "0003") == set()
    assert matches(s, "case_search", "0099") == {c3.id}
    c2.person_id = omar.id
    s.flush()
    assert matches(s, "case_search", "haddad") == {c2.id, c3.id}
    assert matches(s, "case_search", "schneider") == {c1.id}
    c1.deleted = True
    s.flush()
    assert matches(s, "case_search", "schneider") == set()
    anna.given_names = "Anna"  # renaming must not resurrect the tombstoned case
    s.flush()
    assert indexed(s, "case_search") == {c2.id, c3.id}
    c1.deleted = False
    s.flush()
    assert matches(s, "case_search", "schneider") == {c1.id}
    s.delete(c3)
    s.flush()
    assert indexed(s, "case_search") == {c1.id, c2.id}


def test_fts_triggers_run_on_the_real_encrypted_store(tmp_path: Path) -> None:
    """Through db.engine: keyed SQLCipher, real folding. The triggers call lotse_fold(), which
    SQLite only allows while trusted_schema is ON (Python cannot mark it innocuous)."""
    from db.engine import connect_raw, enable_writes, make_engine
    from db.keybuffer import KeyBuffer

    path, key = tmp_path / "lotse.db", KeyBuffer(bytearray(range(32)))
    raw = connect_raw(path, key.view(), create=True)
    enable_writes(raw, create=True)
    raw.close()
    engine = make_engine(path, key)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
        with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
            staff = add_staff(s)
            s.flush()
            case = new_case(add_person(s, "Müller", "Anna"), staff, "DO-2026-K7QX-0001")
            s.add(case)
            s.flush()
            assert matches(s, "case_search", "Mueller") == {case.id}
    finally:
        engine.dispose()


def test_journal_search_is_exact_and_newest_first(session: LotseSession) -> None:
    s = session
    staff = add_staff(s)
    s.flush()
    case = new_case(add_person(s, "Nowak", "Piotr"), staff, "MS-2026-AB-0001")
    s.add(case)
    s.flush()
    old = journal(case, staff, T0 - timedelta(days=40), "Termin beim Jobcenter vereinbart")
    mid = journal(case, staff, T0 - timedelta(days=3), "Wohnungssuche besprochen",
                  place="Gemeinschaftsunterkunft Aaseeblick")
    new = journal(case, staff, T0, "Jobcenter: Antrag abgegeben")
    s.add_all([old, mid, new])
    s.flush()

    def hits(term: str) -> list[int]:
        rows = s.execute(
            text("SELECT rowid FROM journal_search WHERE journal_search MATCH :q"
                 " ORDER BY rowid DESC"), {"q": f'"{fold_search(term)}"*'})
        return [r[0] & 0xFFFFFFFF for r in rows]

    assert hits("jobcent") == [new.id, old.id]
    assert hits("aasee") == [mid.id]  # the place is indexed too
    assert len(indexed(s, "journal_search")) == 3

    old.occurred_at = T0 + timedelta(days=1)  # a corrected date moves it to the front
    s.flush()
    assert hits("jobcent") == [old.id, new.id]
    assert len(indexed(s, "journal_search")) == 3

    new.text = "Ausländerbehörde: Duldung verlängert"
    s.flush()
    assert hits("jobcent") == [old.id]
    assert hits("duldung") == [new.id]

    mid.place = None
    s.flush()
    assert hits("aasee") == []
    assert hits("wohnung") == [mid.id]
    mid.deleted = True
    s.flush()
    assert hits("wohnung") == []
    # A tombstone keeps no content (db.tombstones): restored, it comes back empty, not indexed
    # under what it said before.
    mid.deleted = False
    s.flush()
    assert hits("wohnung") == [] and mid.text == ""
    assert len(indexed(s, "journal_search")) == 3

    s.delete(old)
    s.flush()
    assert hits("jobcent") == []
    assert {k & 0xFFFFFFFF for k in indexed(s, "journal_search")} == {mid.id, new.id}
