"""``lotse check``: cipher settings, page integrity, foreign keys, audit chain, sync metadata,
search indexes, tombstones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from app import anchoring, audit
from app.check_tombstones import tombstone_problems
from app.vault.record_alarm import standing_alarm
from app.vault.store import Vault
from db.base import Base, SyncMixin
from db.engine import PINNED_CIPHER_SETTINGS


@dataclass
class CheckReport:
    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def synced_tables() -> list[str]:
    return sorted(
        str(m.persist_selectable.description)
        for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)
    )


def _pragma_facts(conn: Connection, report: CheckReport) -> None:
    report.facts["cipher_version"] = str(conn.exec_driver_sql("PRAGMA cipher_version").scalar())
    for name, expected in PINNED_CIPHER_SETTINGS.items():
        actual = str(conn.exec_driver_sql(f"PRAGMA {name}").scalar())
        report.facts[name] = actual
        if actual != expected:
            report.problems.append(f"{name} is {actual}, expected {expected}")
    temp_store = str(conn.exec_driver_sql("PRAGMA temp_store").scalar())
    report.facts["temp_store"] = "MEMORY" if temp_store == "2" else temp_store
    if temp_store != "2":
        report.problems.append("temp_store is not MEMORY")
    secure = str(conn.exec_driver_sql("PRAGMA secure_delete").scalar())
    report.facts["secure_delete"] = "ON" if secure == "1" else "OFF"
    if secure != "1":
        report.problems.append("secure_delete is off")


def _page_integrity(conn: Connection, report: CheckReport) -> None:
    cipher_errors = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
    report.problems += [f"page authentication failed: {e}" for e in cipher_errors[:20]]
    integrity = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        report.problems += [f"integrity: {e}" for e in integrity[:20]]
    fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if fk:
        report.problems.append(f"{len(fk)} rows violate foreign keys")


def _audit_chain(vault: Vault, report: CheckReport) -> None:
    with vault.read_session() as s:
        chain = audit.verify(s, vault.anchor)
        alarm = standing_alarm(anchoring.session_runner(s))
    report.facts["audit_entries"] = str(chain.entries)
    report.facts["audit_anchored"] = str(chain.anchored)
    report.facts["audit_anchor_last_seq"] = str(chain.anchor_last_seq)
    if not chain.ok:
        report.problems.append(
            f"audit chain broken at entry {chain.first_bad_seq}: {chain.problem}")
    if alarm is not None:
        report.problems.append(f"failure record alarm: {alarm.problem_en}")


def run_check(vault: Vault) -> CheckReport:
    """Every check runs even if an earlier one hit unreadable pages; each failure is reported."""
    report = CheckReport()
    steps: list[tuple[str, Callable[[], None]]] = []
    with vault.engine.connect() as conn:
        steps = [
            ("cipher settings", lambda: _pragma_facts(conn, report)),
            ("page integrity", lambda: _page_integrity(conn, report)),
            ("sync metadata", lambda: report.problems.extend(_sync_metadata_problems(conn))),
            ("search index", lambda: report.problems.extend(_search_index_problems(conn))),
            ("tombstones", lambda: report.problems.extend(tombstone_problems(conn))),
        ]
        for name, step in steps:
            try:
                step()
            except DBAPIError as exc:
                report.problems.append(f"{name}: store unreadable ({exc.orig})")
    try:
        _audit_chain(vault, report)
    except DBAPIError as exc:
        report.problems.append(f"audit chain: store unreadable ({exc.orig})")
    return report


def _sync_metadata_problems(conn: Connection) -> list[str]:
    problems = []
    for table in synced_tables():
        bad = conn.execute(text(
            f'SELECT count(*) FROM "{table}" WHERE uuid IS NULL OR length(uuid) != 32 '
            "OR origin_vault IS NULL OR changed_by_vault IS NULL "
            "OR version_vector IS NULL OR version_vector IN ('{}', 'null') "
            "OR json_extract(version_vector, '$.' || changed_by_vault) IS NULL"
        )).scalar()
        if bad:
            problems.append(f"{bad} rows in {table} lack consistent sync metadata")
    return problems


def _search_index_problems(c: Connection) -> list[str]:
    live_cases = c.execute(text("SELECT count(*) FROM case_file WHERE NOT deleted")).scalar()
    indexed = c.execute(text("SELECT count(*) FROM case_search")).scalar()
    live_journal = c.execute(text("SELECT count(*) FROM journal_entry WHERE NOT deleted")).scalar()
    indexed_journal = c.execute(text("SELECT count(*) FROM journal_search")).scalar()
    problems = []
    if live_cases != indexed:
        problems.append(f"case search index holds {indexed} entries for {live_cases} cases")
    if live_journal != indexed_journal:
        problems.append(
            f"journal search index holds {indexed_journal} entries for {live_journal} entries")
    return problems
