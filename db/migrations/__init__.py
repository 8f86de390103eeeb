"""Alembic environment and numbered revisions (run programmatically by ``db.schema``)."""
