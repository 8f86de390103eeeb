"""The documents domain (see app.services)."""
