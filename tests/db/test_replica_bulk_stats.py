"""A bulk import leaves the query planner statistics describing what it loaded. A young vault's
statistics describe empty tables (migration 0007 analysed them empty); after 10,000 cases
arrived the follow-up recompute joined them by scans and the import took 25 s longer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.demo.generator import generate_demo
from app.vault.store import Vault
from db.replica_apply import RESTAT_AFTER_ROWS
from tests.support.replica import exchange, make_vault


def _analysed_rows(vault: Vault, table: str) -> int:
    """The row count ``sqlite_stat1`` gives the planner for ``table`` (0: none known)."""
    with vault.read_session() as s:
        stats = s.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t"),
                          {"t": table}).scalars().all()
    return max((int(stat.split()[0]) for stat in stats), default=0)


def test_a_bulk_import_refreshes_the_planner_statistics(tmp_path: Path) -> None:
    source = make_vault(tmp_path / "a", "AAAA", "Anna Albers")
    target = make_vault(tmp_path / "b", "BBBB", "Bernd Brandt")
    try:
        generate_demo(source, 160, seed=3)
        assert _analysed_rows(target, "residence_status") == 0
        result = exchange(source, target)
        assert result.inserted >= RESTAT_AFTER_ROWS  # a bulk load, not a day's sync
        with target.read_session() as s:
            statuses = s.execute(text("SELECT count(*) FROM residence_status")).scalar_one()
        assert _analysed_rows(target, "residence_status") == statuses > 100
    finally:
        source.lock()
        target.lock()
