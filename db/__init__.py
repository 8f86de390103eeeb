"""Persistence layer: SQLCipher engine, typed ORM models, migrations. Never imports Qt."""
