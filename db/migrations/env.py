"""Alembic environment for Lotse: online only, on a connection handed in by ``db.schema``.

There is no alembic.ini and no URL: the store is encrypted and only the engine factory can
open it, so the caller passes an open connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from db.schema import include_name

config = context.config
connection = config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("Lotse migrations run only through db.schema.upgrade(connection)")

context.configure(
    connection=connection,
    # Only autogenerate (a developer tool) sets the models' metadata. Revisions must not see it
    # at run time: its naming convention would rewrite the names a frozen revision gives.
    target_metadata=config.attributes.get("target_metadata"),
    include_name=include_name,
    # SQLite cannot ALTER most things: later revisions rebuild tables in batch mode.
    render_as_batch=True,
)
# Inside the caller's transaction when one is open (engine.begin()), so the whole upgrade is
# committed or rolled back as one.
with context.begin_transaction():
    context.run_migrations()
