"""The consent domain (see app.services)."""
