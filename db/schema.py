"""Schema version management: run the Alembic revisions on an open connection.

Used before any other access to a store (``create``/``open``): older stores are upgraded, a
store written by a newer Lotse (unknown revision) is refused by the caller.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection

HEAD_REVISION: str = "0012"

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

# Full-text tables live outside the ORM metadata (raw SQL in the migrations); their FTS5 shadow
# tables share the prefix. Autogenerate and schema comparison must ignore all of them.
FTS_TABLES = ("case_search", "journal_search")


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic filter: skip the FTS5 virtual tables and their shadow tables."""
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    return True


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    # ConfigParser interpolation: a '%' in the install path (user names!) must be escaped.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def current_revision(connection: Connection) -> str | None:
    """The store's revision, or None for an empty (never migrated) database."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection) -> None:
    """Upgrade to head in the connection's transaction; the caller commits (engine.begin())."""
    command.upgrade(_config(connection), "head")


def write_revision(connection: Connection, message: str, rev_id: str) -> None:
    """Developer tool: autogenerate a new revision from the models against a store at head.

    The output is a draft: review it, replace application types (UTCDateTime → sa.DateTime)
    and keep it free of imports from ``db.models`` before committing it.
    """
    from db.models import Base  # late: the runtime path never needs the models here

    cfg = _config(connection)
    cfg.attributes["target_metadata"] = Base.metadata
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


def is_newer_than_known(rev: str | None) -> bool:
    """True if ``rev`` was written by a newer Lotse: a revision this build does not ship.

    Revision ids are not ordered, but revisions are never removed from a release, so an
    unknown id can only come from the future.
    """
    if rev is None:
        return False
    try:
        return _scripts().get_revision(rev) is None
    except CommandError:
        return True
