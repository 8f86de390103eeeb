"""The 0001 migration on a real file store: every table, the head revision, model parity."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db import schema
from db.models import Base
from tests.support import schema_helpers
from tests.support.schema_helpers import unencrypted_engine

# Fixtures live in the helper module; naming them here makes pytest use them.
engine = schema_helpers.engine


def test_upgrade_on_empty_store_creates_every_table(tmp_path: Path) -> None:
    engine = unencrypted_engine(tmp_path / "store.db")
    with engine.begin() as conn:
        assert schema.current_revision(conn) is None
        schema.upgrade(conn)
    with engine.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD_REVISION
        names = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= names
    assert {"case_search", "journal_search", "alembic_version"} <= names
    # A second run (every unlock does it) changes nothing.
    with engine.begin() as conn:
        schema.upgrade(conn)
        assert schema.current_revision(conn) == schema.HEAD_REVISION


def test_head_revision_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(schema._config())
    assert scripts.get_heads() == [schema.HEAD_REVISION]
    assert not schema.is_newer_than_known(schema.HEAD_REVISION)
    assert not schema.is_newer_than_known(None)
    assert schema.is_newer_than_known("9f3c1a2b7d00")


def test_failed_upgrade_leaves_no_half_schema(tmp_path: Path) -> None:
    engine = unencrypted_engine(tmp_path / "store.db")
    with pytest.raises(RuntimeError), engine.begin() as conn:
        schema.upgrade(conn)
        raise RuntimeError("crash after migrating, before commit")
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": schema.include_name, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []
        # Alembic does not compare ON DELETE or CHECK constraints: compare them here.
        insp = inspect(conn)
        for table in Base.metadata.sorted_tables:
            reflected_fks = {
                (tuple(fk["constrained_columns"]), fk["referred_table"],
                 (fk.get("options") or {}).get("ondelete"))
                for fk in insp.get_foreign_keys(table.name)
            }
            model_fks = {
                (tuple(c.name for c in fk.columns), fk.referred_table.name, fk.ondelete)
                for fk in table.foreign_key_constraints
            }
            assert reflected_fks == model_fks, table.name
            reflected_checks = {c["name"] for c in insp.get_check_constraints(table.name)}
            model_checks = {
                c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"
            }
            assert reflected_checks == model_checks, table.name


def test_model_change_without_migration_is_detected(engine: Engine) -> None:
    """The parity check above can fail: a column added to the models only shows up."""
    from sqlalchemy import Column, MetaData, Text

    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["person"].append_column(Column("nickname", Text))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": schema.include_name})
        diff = compare_metadata(context, changed)
    assert [d[0] for d in diff] == ["add_column"]
